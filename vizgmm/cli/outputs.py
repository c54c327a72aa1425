"""The files a command writes into its ``--out`` folder."""

import functools
import sys
from pathlib import Path

from vizgmm.animate.writers import registry
from vizgmm.cli.arguments import command_line, progress_enabled, render_options
from vizgmm.cli.lock import publish, staging
from vizgmm.cli.summary import selection_sections
from vizgmm.errors import OptionError

OUTPUT_NAMES = {
    "html": "report.html",
    "history": "history.json",
    "frames": "frames",
    "player": "player.html",
    "description": "animation.txt",
    "captions": "animation.vtt",
}


#: Suffixes of the files vizgmm writes besides the animations': an --out with one is meant as a file.
FILE_SUFFIXES = (".html", ".png", ".json", ".npz", ".vtt")


def output_name(kind):
    """The file a command writes for ``kind``: OUTPUT_NAMES, or ``animation.<suffix>`` for a registered format."""
    if kind in OUTPUT_NAMES:
        return OUTPUT_NAMES[kind]
    return f"animation{registry.get(kind).suffix}"


def file_suffixes():
    """Every suffix of a file vizgmm writes (the registered formats' and FILE_SUFFIXES)."""
    return (*(fmt.suffix for fmt in registry.formats() if fmt.suffix), *FILE_SUFFIXES)


def check_out_folder(args):
    """--out names a folder; --out x.gif would silently make a folder called x.gif."""
    out = getattr(args, "out", None)
    # The suffix test loads the format registry (numpy, Pillow), so a plain folder name skips it.
    if not out or not Path(out).suffix or Path(out).suffix.lower() not in file_suffixes() or Path(out).is_dir():
        return
    folder = Path(out).with_suffix("")
    hint = f"use --out {folder}"
    if args.command == "report" and Path(out).suffix.lower() == ".html":
        hint = f"use -o {out} to name the report file, or --out {folder} for a folder"
    raise OptionError(f"--out is a folder to write into, got {out}; {hint}")


def write_restarts(selection, out, args, opts, progress):
    """restarts.gif (restarts.mp4 with --no-gif): every restart of the chosen k, the best framed."""
    from vizgmm.animate.scenes.grid import animate_restarts

    kind = "gif" if args.gif or not args.mp4 else "mp4"
    keep = {k: v for k, v in opts.items() if k not in ("title", "panels")}
    draw = functools.partial(animate_restarts, selection.restarts, out / f"restarts.{kind}",
                             best=selection.best_restart[selection.best_k], progress=progress)
    return grid_file(draw, kind, args, keep)


def write_starts(starts, out, args, opts, progress):
    """race.gif/.mp4 (the best start in full, the others as ghosts, then a ranking) and
    restarts.gif/.mp4 (every start in a panel of its own, titled with the optimum it reaches)."""
    from vizgmm.animate.scenes.grid import animate_restarts
    from vizgmm.animate.scenes.race import animate_race

    keep = {k: v for k, v in opts.items() if k not in ("title", "panels")}
    titles = []
    for i in range(len(starts.histories)):
        rank = starts.optimum_of(i).rank
        titles.append(f"start {i + 1} · {starts.inits[i]} · " + ("best fit" if rank == 1 else f"optimum {rank}"))
    kinds = [kind for kind in ("gif", "mp4") if getattr(args, kind)]
    race = [grid_file(functools.partial(animate_race, starts, out / f"race.{kind}"), kind, args, keep)
            for kind in kinds]
    return race + [
        grid_file(functools.partial(animate_restarts, starts.histories, out / f"restarts.{kind}", best=starts.best,
                                    titles=titles, progress=progress), kind, args, keep)
        for kind in kinds
    ]


def write_comparison(comparison, out, args):
    """Each fit's history, the side-by-side animations, and the page that explains the difference."""
    from vizgmm.animate.scenes.grid import render_comparison
    from vizgmm.files import ensure_folder
    from vizgmm.pages.compare import compare_report

    ensure_folder(out)
    opts = render_options(args)
    title = opts.pop("title", None)
    opts.pop("panels", None)  # the side-by-side panels have no room for side panels
    progress = progress_enabled(args)
    files = []
    with staging(out) as stage:
        if getattr(comparison, "priors", None) is not None:
            # One folder per prior: prior-0.001/history.json, ...
            fits = {f"prior-{prior:g}": h for prior, h in zip(comparison.priors, comparison.histories)}
        else:
            fits = comparison.histories
        for folder, history in fits.items():
            files.extend(history.save(stage / folder / OUTPUT_NAMES["history"]))
        media = {}
        for kind in ("gif", "mp4"):
            if getattr(args, kind):
                draw = functools.partial(render_comparison, comparison, stage / f"compare.{kind}", progress=progress)
                media[f"{kind}_path"] = grid_file(draw, kind, args, opts)
                files.append(media[f"{kind}_path"])
        if args.html:
            animation = "mp4" if args.mp4 else "gif" if args.gif else "mp4"
            files.append(Path(compare_report(
                comparison, stage / "compare.html", title=title, animation=animation, command=command_line(args),
                progress=progress, **media, **opts,
            )))
        published = publish(stage, out)
    return [published(f) for f in files]


def write_collapse_demo(fits, out, args):
    """The collapse demo: each fit's history in its own folder and the two side by side (collapse.gif/.mp4)."""
    from vizgmm.animate.scenes.grid import render_side_by_side

    opts = render_options(args)
    opts.pop("title", None)
    opts.pop("panels", None)  # the side-by-side panels have no room for side panels
    progress = progress_enabled(args)
    histories = list(fits.values())
    files = []
    with staging(out) as stage:
        for folder, history in zip(("collapses", "sensible"), histories):
            files.extend(history.save(stage / folder / OUTPUT_NAMES["history"]))
        for kind in ("gif", "mp4"):
            if getattr(args, kind):
                draw = functools.partial(render_side_by_side, histories, stage / f"collapse.{kind}",
                                         titles=list(fits), highlight=1, progress=progress)
                files.append(grid_file(draw, kind, args, opts))
        published = publish(stage, out)
    return [published(f) for f in files]


def default_out_dir(data):
    stem = "stdin" if str(data) == "-" else (Path(data).stem or "data")
    return Path("outputs") / stem


def drawing_changed(args):
    return any(
        getattr(args, name, None) is not None
        for name in ("preset", "theme", "tween", "fps", "duration_ms", "panels", "features", "title", "component_names",
                     "half_steps")
    )


def reusable_animation(history_path, animation):
    """Animation files beside the history that are newer than it: {"mp4_path": ..., "gif_path": ..., ...}."""
    media = {}
    try:
        saved = history_path.stat().st_mtime
    except OSError:
        return media
    # The report's <video> lists every video format it is given; a GIF report shows the GIF.
    videos = [fmt.name for fmt in registry.formats() if (fmt.mime or "").startswith("video/")]
    wanted = ["gif", *videos] if animation == "mp4" else ["gif"]
    for kind in wanted:
        path = history_path.parent / output_name(kind)
        if path.is_file() and path.stat().st_mtime >= saved:
            media[f"{kind}_path"] = path
    # The captions were timed with the reused video's options, which this run may not know.
    captions = history_path.parent / OUTPUT_NAMES["captions"]
    if any(kind in media for kind in ("mp4_path", "webm_path")) and captions.is_file() \
            and captions.stat().st_mtime >= saved:
        media["captions_path"] = captions
    return media


def within_budget(format, history, path, args, opts):
    """``render(history, path, format, **opts)`` under --max-size if given (formats with a budget), its errors naming the flag.

    ``opts`` is the command line's options as a dict: handed to the public ``render`` once, not passed on as keywords.
    """
    from vizgmm.animate.api import render

    return under_max_size(lambda **o: render(history, path, format, **o), args, opts)


def grid_file(draw, kind, args, opts):
    """``draw(**opts)``, a side-by-side or race animation in format ``kind``; under --max-size when it has a budget.

    --max-size bounds these files as it bounds a single fit's (the GIF; an MP4 has no budget).
    """
    return under_max_size(draw, args, opts) if registry.get(kind).budget else Path(draw(**opts))


def under_max_size(draw, args, opts):
    """``draw(**opts)`` (a render to a format with a size budget) under --max-size if given, its errors naming the flag.

    ``opts``, the command line's options, is a dict until ``draw`` (a public function) takes it as keywords.
    """
    max_size = getattr(args, "max_size", None)
    if max_size is None:
        return Path(draw(**opts))
    try:
        return Path(draw(max_bytes=max_size, notes=not getattr(args, "quiet", False), **opts))
    except OptionError as exc:
        raise OptionError(str(exc).replace("max_bytes", "--max-size")) from None


def write_outputs(history, out, args, *, html, save_history=True, selection=None, starts=None, also=None):
    """Save the history, render the animations once, and write the report that embeds them.

    Everything is written into a staging folder inside ``out`` and then moved
    into place together, the history last (see :mod:`vizgmm.cli.lock`).
    Returns the published paths in the order they were written. ``starts``
    (a :class:`vizgmm.model.restarts.Restarts`) adds restarts.gif/.mp4 and the
    report's Starts section. ``also(stage)`` writes more files into the same
    staging folder (returns their paths), so they are published with the rest.
    """
    from vizgmm.files import ensure_folder

    ensure_folder(out)
    opts = render_options(args)
    features = opts.get("features")
    if features is not None and max(features) >= history.d:
        raise OptionError(
            f"--features names column {max(features) + 1}, but the data has {history.d}; "
            f"use two numbers from 1 to {history.d}"
        )
    progress = progress_enabled(args)
    with staging(out) as stage:
        files = _write_staged(history, stage, args, opts, progress, html, save_history, selection, starts)
        if also is not None:
            files.extend(also(stage))
        published = publish(stage, out)
    return [published(f) for f in files]


def _write_staged(history, out, args, opts, progress, html, save_history, selection, starts=None):
    # Imported here, not at the top: this module is on the CLI's fast --help and error path.
    from vizgmm.animate.api import render
    from vizgmm.files import write_text
    from vizgmm.pages.build import report
    from vizgmm.pages.captions import write_captions
    from vizgmm.pages.description import describe_fit
    from vizgmm.pages.embed import embed_snippets

    files = []
    if save_history:
        files.extend(history.save(out / OUTPUT_NAMES["history"]))
    media = {}
    for fmt in registry.formats():
        if fmt.folder or not getattr(args, fmt.name, False):
            continue
        path = out / output_name(fmt.name)
        if fmt.budget:
            media[f"{fmt.name}_path"] = within_budget(fmt.name, history, path, args, {"progress": progress, **opts})
        else:
            media[f"{fmt.name}_path"] = Path(render(history, path, fmt.name, progress=progress, **opts))
        files.append(media[f"{fmt.name}_path"])
    videos = [key for key in ("mp4_path", "webm_path") if key in media]
    if videos:
        # The videos' captions (WebM shares the MP4's stops: a budget halves its in-betweens, never an epoch's time).
        media["captions_path"] = write_captions(history, out / OUTPUT_NAMES["captions"], **opts)
        files.append(media["captions_path"])
    if args.gif or args.mp4:
        # The animation in words, for readers who cannot see it (the same text as the GIF's alt).
        text_path = out / OUTPUT_NAMES["description"]
        write_text(text_path, describe_fit(history, opts.get("component_names"), opts.get("lang")) + "\n")
        files.append(text_path)
    animations = {key.removesuffix("_path"): path for key, path in media.items()}
    if animations:
        files.extend(embed_snippets(history, out, **animations, **opts))
    if selection is not None and getattr(args, "animate_restarts", False):
        files.append(write_restarts(selection, out, args, opts, progress))
    if starts is not None:
        files.extend(write_starts(starts, out, args, opts, progress))
    if args.frames:
        frames = render(history, out / OUTPUT_NAMES["frames"], "png", progress=progress, **opts)
        files.append((out / OUTPUT_NAMES["frames"], len(frames), sum(Path(f).stat().st_size for f in frames)))
    if html:
        animation = "mp4" if args.mp4 else "gif" if args.gif else "mp4"
        embedded = {key: path for key, path in media.items() if key != "webp_path"}
        files.append(
            Path(report(history, out / OUTPUT_NAMES["html"], animation=animation, progress=progress,
                        **selection_sections(selection, starts), **embedded, **opts))
        )
    return files


def write_simulated(output, x, labels):
    """Write simulated values and labels in the format the extension names ('-' = CSV to stdout)."""
    import numpy as np

    from vizgmm.files import atomic_path, write_text

    if output == "-":
        sys.stdout.write(_delimited(x, labels, ","))
        sys.stdout.flush()
        return
    suffix = Path(output).suffix.lower()
    if suffix == ".csv":
        write_text(output, _delimited(x, labels, ","))
    elif suffix == ".tsv":
        write_text(output, _delimited(x, labels, "\t"))
    elif suffix == ".txt":
        write_text(output, "".join(f"{v!r}\n" for v in x.tolist()))
    elif suffix == ".npy":
        with atomic_path(output) as tmp:
            np.save(tmp, np.column_stack([x, labels]).astype(float), allow_pickle=False)
    else:
        raise OptionError(
            f"unknown output format {suffix or '(no extension)'!r} for {output}; use .csv, .tsv, .txt or .npy, "
            "or - for standard output"
        )


def _delimited(x, labels, sep):
    rows = [f"x{sep}label\n"]
    rows.extend(f"{v!r}{sep}{int(c)}\n" for v, c in zip(x.tolist(), labels.tolist()))
    return "".join(rows)

