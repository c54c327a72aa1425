"""The commands that redraw a saved history, no refit: ``render``, ``report``, ``player``, ``slides``.

One ``cmd_<name>(args) -> int`` per subcommand: each calls the public API a notebook user calls. The commands
that fit data are in :mod:`vizgmm.cli.fitting`.
"""

import argparse
from pathlib import Path

from vizgmm.cli.arguments import apply_labels, notes_enabled, progress_enabled, render_options
from vizgmm.cli.inputs import history_inputs, refuse_overwriting_inputs, same_file
from vizgmm.cli.lock import out_lock
from vizgmm.cli.outputs import OUTPUT_NAMES, drawing_changed, output_name, reusable_animation, write_outputs
from vizgmm.cli.summary import print_summary
from vizgmm.errors import OptionError
from vizgmm.text import shown


def cmd_render(args):
    from vizgmm.model.history import History

    history_path = Path(args.history)
    history = History.load(history_path)
    apply_labels(history, args)
    out = Path(args.out) if args.out else history_path.parent
    from vizgmm.animate.writers import registry

    # render writes the animations, the frames folder and their description, never a history
    written = [OUTPUT_NAMES["frames"], OUTPUT_NAMES["description"],
               *(output_name(f.name) for f in registry.formats() if not f.folder)]
    refuse_overwriting_inputs([out / name for name in written], history_inputs(history_path), "--out")
    if not (args.frames or any(getattr(args, name, False) for name in registry.names())):
        raise OptionError("nothing to render: --no-gif and --no-mp4 without --frames; keep at least one, "
                          "or name some with --formats")
    with out_lock(out):
        files = write_outputs(history, out, args, html=False, save_history=False)
    print_summary(args, history, files, out, fitted=False)
    return 0


def cmd_report(args):
    from vizgmm.model.history import History
    from vizgmm.pages.build import report

    history_path = Path(args.history)
    history = History.load(history_path)
    apply_labels(history, args)
    if args.output:
        target = Path(args.output)
    else:
        target = Path(args.out or history_path.parent) / OUTPUT_NAMES["html"]
    refuse_overwriting_inputs([target], history_inputs(history_path), "-o" if args.output else "--out")
    opts = render_options(args)
    opts.pop("title", None)  # report() takes it as its own argument
    media = {}
    if args.animation != "none" and not args.rerender and not drawing_changed(args):
        media = reusable_animation(history_path, args.animation)
    with out_lock(target.parent, flag="-o" if args.output else "--out", file=target.name if args.output else None):
        report(
            history, target, title=args.title, animation=args.animation, template_dir=args.template_dir,
            progress=progress_enabled(args), **media, **opts,
        )
    # Only now: an error (e.g. -o naming a folder) stays the single line it should be.
    for path in media.values():
        notes_enabled(args)(f"embedding {path} (newer than the history); pass --rerender to draw it afresh")
    print_summary(args, history, [target], target.parent, fitted=False)
    return 0


def cmd_player(args):
    from vizgmm.model.history import History
    from vizgmm.pages.player import player

    history_path = Path(args.history)
    history = History.load(history_path)
    apply_labels(history, args)
    target = Path(args.output) if args.output else history_path.parent / OUTPUT_NAMES["player"]
    refuse_overwriting_inputs([target], history_inputs(history_path))
    style = {name: value for name, value in (("theme", args.theme), ("duration_ms", args.duration_ms),
                                             ("aspect", args.aspect), ("trails", args.trails)) if value is not None}
    features = render_options(argparse.Namespace(features=args.features)).get("features")
    if features is not None and max(features) >= history.d:
        raise OptionError(f"--features names column {max(features) + 1}, but the data has {history.d}")
    # A bad --duration-ms is the library's ParameterError, which the CLI words with the flag.
    player(history, target, embed=args.embed, half_steps=args.half_steps, loop=args.loop, features=features,
           live=args.live, **style)
    print_summary(args, history, [target], target.parent, fitted=False)
    return 0


def cmd_slides(args):
    from vizgmm.model.history import History

    history_path = Path(args.history)
    others = [name for name, folder in (("Beamer frames", args.beamer), ("reveal.js deck", args.reveal)) if folder]
    if args.pptx is False and not others:
        raise OptionError("nothing to write: --no-pptx without --beamer DIR or --reveal DIR; keep the deck or add one")
    if args.pptx is None:
        # --beamer and --reveal need nothing extra: without python-pptx they still write their folders (issue 20).
        from vizgmm.decks.slides import pptx_available

        args.pptx = not others or pptx_available()
        if not args.pptx:
            notes_enabled(args)("no PowerPoint deck: python-pptx is not installed (pip install '.[slides]' from a "
                                f"checkout, or pip install 'vizgmm[slides]'); writing the {' and '.join(others)} only")
    opts = render_options(args)
    pptx = (Path(args.output) if args.output else history_path.parent / "slides.pptx") if args.pptx else None
    beamer_files = [Path(args.beamer) / "animation.tex"] if args.beamer else []
    if args.beamer:
        from vizgmm.decks.beamer import tex_path

        tex_path(Path(args.beamer).name, "--beamer")  # before the deck is written: a refused name writes nothing
    reveal_files = []
    if args.reveal:
        from vizgmm.decks.reveal import deck_files

        reveal_files = deck_files(args.reveal, "--reveal")
        if same_file(args.reveal, history_path.parent):
            # The fit's own animation.mp4 and .vtt (which its embed.html plays) would be replaced by the deck's.
            raise OptionError(f"--reveal {args.reveal} is the history's own folder, whose animation.mp4 the deck would "
                              f"replace; give the deck a folder of its own, e.g. --reveal {Path(args.reveal) / 'deck'}")
    refuse_overwriting_inputs([*([pptx] if pptx else []), *beamer_files, *reveal_files], history_inputs(history_path))
    history = History.load(history_path)
    apply_labels(history, args)
    title = opts.pop("title", None)
    written = []
    if args.reveal:
        from vizgmm.decks.reveal import VIDEO, reveal_deck

        written.append(reveal_deck(history, args.reveal, title=title, progress=progress_enabled(args), **opts))
        opts.setdefault("mp4_path", Path(args.reveal) / VIDEO)  # the deck's MP4 is the PowerPoint's: rendered once
    if args.pptx:
        from vizgmm.decks.slides import slides

        written.append(slides(history, pptx, title=title, progress=progress_enabled(args), **opts))
    opts.pop("mp4_path", None)
    if args.beamer:
        from vizgmm.decks.beamer import beamer

        written.extend(beamer(history, args.beamer, title=title, progress=progress_enabled(args), **opts))
    if not args.quiet:
        print("Wrote " + ", ".join(shown(path) for path in written))
    return 0
