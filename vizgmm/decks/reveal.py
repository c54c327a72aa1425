"""A reveal.js deck of a fit: one folder that opens from ``file://`` with no network (issue 25.3).

``index.html`` and the files beside it: the MP4 with its WebVTT captions, one
still per epoch shown, and reveal.js itself (5.2.1 from the npm registry,
vendored under its MIT licence in ``templates/reveal/``; the themes' web fonts
are left out, so nothing is fetched). The slides follow the PowerPoint deck's
(:mod:`vizgmm.decks.slides`, whose notes and table this module reuses):

1. the title, with what was fitted;
2. the animation, with its captions track;
3. epoch by epoch: each ArrowRight is a fragment that shows the next epoch's
   frame and its caption sentence (:func:`vizgmm.pages.captions.stop_sentences`,
   the words of ``animation.vtt`` and of the player);
4. the log-likelihood per epoch, and 5. why it can only rise (the report's
   lower-bound chart) when the history has epochs;
6. what went wrong (collapses, a stuck start, no convergence) when something did;
7. the fitted parameters as a table.

Every slide has speaker notes (``<aside class="notes">``; press S for the
speaker view). The folder is written in a hidden staging folder inside it and
moved into place when complete, ``index.html`` last: a reader never opens a
deck whose files are half there, and an earlier deck stays until the new one is whole.
"""

import os
from pathlib import Path
from typing import Any

import numpy as np

from vizgmm.errors import OptionError, OutputError
from vizgmm.files import ensure_folder, publish, staging_folder, write_bytes, write_text
from vizgmm.i18n import words as get_words
from vizgmm.model.history import History
from vizgmm.pages.captions import VTT_MIME, VTT_NAME, write_captions
from vizgmm.pages.media import data_uri

INDEX = "index.html"
ASSETS = "reveal"
STILLS = "stills"
VIDEO = "animation.mp4"
#: reveal.js's own files, copied from templates/reveal/ (the deck's template and style stay behind).
VENDORED = ("reveal.js", "reveal.css", "white.css", "black.css", "notes.js", "LICENSE")
#: At most this many epochs become fragments; a longer fit shows evenly spaced ones, key epochs and events kept.
MAX_STOPS = 24
#: The events that are failures (converged is the good end; differ belongs to a comparison).
TROUBLE = ("collapse", "empty", "stuck")
STAGE_PREFIX = ".vizgmm-stage-"  # as vizgmm.cli.lock names its stages, so a later run sweeps a killed one's


def reveal_deck(history: History, folder: str | os.PathLike, *, title: str | None = None, mp4_path: str | os.PathLike | None = None, progress: bool = False, **render_opts: Any) -> Path:
    """Write a self-contained reveal.js presentation of the fit into ``folder``; returns its ``index.html``.

    Parameters
    ----------
    history : History
    folder : str or Path
        The deck's folder (created if needed): ``index.html``, ``animation.mp4``,
        ``animation.vtt``, ``stills/`` and ``reveal/``. Other files in it are left alone.
    title : str, optional
        Default ``history.meta["title"]``, else a title made from the fit.
    mp4_path : str or Path, optional
        An MP4 to show as it is (its captions must match ``render_opts``); by default one
        is rendered at the ``slides`` preset (1920×1080).
    progress : bool
        Show a progress bar while rendering.
    **render_opts
        Drawing and timing options for the animation and stills (preset, theme, tween, ...);
        ``lang`` ("en", "ko") is the language of every word on the slides, in the notes and
        captions (default the user's locale's, as :func:`vizgmm.i18n.words`).

    Returns
    -------
    Path
        ``folder / "index.html"``: open it in a browser (``file://`` works, offline).

    Examples
    --------
    >>> vizgmm.reveal_deck(history, "talk/em-deck", theme="dark")  # doctest: +SKIP
    """
    from vizgmm.model.history import History

    if not isinstance(history, History) or len(history) == 0:
        raise OptionError("the reveal.js deck needs a fitted History with snapshots (from vizgmm.fit or History.load)")
    folder = Path(folder)
    deck_files(folder)
    if mp4_path is not None and not Path(mp4_path).is_file():
        raise OptionError(f"mp4_path {mp4_path} does not exist; render it first or leave mp4_path out")
    render_opts = {"preset": "slides", **render_opts}
    ensure_folder(folder)
    with _staging(folder) as stage:
        context = _write_media(history, stage, mp4_path, progress, render_opts)
        context.update(_slides_context(history, title, render_opts))
        for name in VENDORED:
            write_bytes(stage / ASSETS / name, (_vendored_dir() / name).read_bytes())
        write_text(stage / INDEX, _render(context, render_opts.get("lang")))
        # Folders replaced whole, index.html last; every target checked first.
        publish(stage, folder, order=lambda entry: (entry.name == INDEX, entry.name),
                advice="choose another folder for the deck")
    return folder / INDEX


def deck_files(folder, option="folder"):
    """The files the deck writes into ``folder``; an OptionError, before anything is written, for a file name.

    ``--reveal talk.html`` would make a folder named like a page; the deck is a folder, opened at its index.html.
    """
    folder = Path(folder)
    if folder.suffix.lower() in (".html", ".htm"):
        raise OptionError(f"{option} {folder}: the reveal.js deck is a folder (index.html beside its files), not a "
                          f"page; give a folder, e.g. {option} {folder.with_suffix('')}")
    return [folder / name for name in (INDEX, VIDEO, VTT_NAME)]


def _write_media(history, stage, mp4_path, progress, render_opts):
    from vizgmm.animate import api as render
    from vizgmm.animate.options import still_options
    from vizgmm.decks.slides import png_bytes

    video = stage / VIDEO
    if mp4_path is None:
        render.render_mp4(history, video, progress=progress, **render_opts)
    else:
        write_bytes(video, Path(mp4_path).read_bytes())
    vtt = write_captions(history, stage / VTT_NAME, **render_opts)
    # Chromium refuses a <track> from file:// ("file: URLs are treated as unique security origins"), so the
    # page carries the captions as a data: URI, as the report does; animation.vtt stays beside it for players.
    track = data_uri(vtt.read_bytes(), VTT_MIME)
    still_opts = still_options(render_opts)
    stills = {}
    for index in stop_indices(history):
        name = f"{STILLS}/snapshot_{index:04d}.png"
        pixels = render.render_still(history, index, **still_opts)
        write_bytes(stage / name, png_bytes(pixels))
        stills[index] = {"src": name, "width": pixels.shape[1], "height": pixels.shape[0]}
    return {"video": {"src": VIDEO, "captions": track, "poster": stills[0]}, "stills": stills}


def stop_indices(history, limit=MAX_STOPS):
    """The snapshot indices shown as fragments: all of them, or at most ``limit`` spread evenly.

    The key epochs (:func:`vizgmm.decks.slides.key_epochs`) and the first snapshot of each kind
    of failure (whose frame the "What went wrong" slide shows) are always among them.
    """
    from vizgmm.decks.slides import key_epochs

    count = len(history)
    if count <= limit:
        return list(range(count))
    keep = {index for _, index in key_epochs(history)}
    for kind in TROUBLE:
        keep |= {next((i for i, s in enumerate(history) if any(e.get("type") == kind for e in s.events)), 0)}
    spaced = np.linspace(0, count - 1, max(limit - len(keep), 2)).round().astype(int)
    return sorted(keep | {int(i) for i in spaced})


def _slides_context(history, title, render_opts):
    from vizgmm.decks import slides as pptx_deck
    from vizgmm.pages.captions import stop_sentences, stop_title
    from vizgmm.pages.charts import bound_chart, loglik_chart
    from vizgmm.pages.description import describe_fit
    from vizgmm.pages.sections import component_names, component_palette, default_title, fit_summary

    w = get_words(render_opts.get("lang"))
    names = component_names(history, render_opts.get("component_names"))
    sentences = stop_sentences(history, names, w)
    labels = {}
    for label, index in pptx_deck.key_epochs(history):
        labels.setdefault(index, w.gettext(label))
    last_epoch = int(history.final.epoch)
    stops = [{"index": i, "title": stop_title(int(history[i].epoch), last_epoch, lang=w), "label": labels.get(i),
              "caption": sentences["full"][i], "steps": [t for t in (sentences["e"][i], sentences["m"][i]) if t],
              "note": pptx_deck.epoch_note(history, i, names, w)}
             for i in stop_indices(history)]
    header, rows = pptx_deck.parameter_rows(history, names, w)
    bound = bound_chart(history, lang=w)
    return {
        "title": str(title or history.meta.get("title") or default_title(history, w)),
        "subtitle": pptx_deck.subtitle(history, w),
        "theme": "black" if render_opts.get("theme") == "dark" else "white",
        "description": describe_fit(history, render_opts.get("component_names"), w),
        "animation_note": pptx_deck.animation_note(history, {**render_opts, "lang": w}),
        "stops": stops,
        # Attribute text (aria-label, alt) as plain strings, escaped by the template like any other value.
        "loglik": {"chart": loglik_chart(history, w), "note": pptx_deck.loglik_note(history, w),
                   "title": w.gettext("Total log-likelihood per epoch")},
        "bound": bound,
        "bound_title": w.gettext("Log-likelihood and each E-step's lower bound along EM's path"),
        "trouble": _trouble(history, fit_summary(history, w), w),
        "table": {"title": pptx_deck.parameter_title(history, w), "header": header, "rows": rows,
                  "colours": component_palette(render_opts.get("theme", "light")),
                  "note": pptx_deck.parameter_note(history, w)},
        "captions": {"lang": w.lang, "label": w.name},
    }


def _trouble(history, fit, w):
    """What went wrong, in the history's event messages (in ``w``'s language), and the first such snapshot.

    None if nothing did.
    """
    from vizgmm.look.notes import engine_message

    epochs, first = {}, None  # message -> the epochs it was reported at, in order
    for index, snapshot in enumerate(history):
        for event in snapshot.events:
            if event.get("type") in TROUBLE:
                epochs.setdefault(event["message"], []).append(int(snapshot.epoch))
                first = index if first is None else first
    lines = [f"{_epochs_label(found, w)}: {engine_message(message, w)}" for message, found in epochs.items()]
    if not fit["converged"] and not fit["stuck"] and fit["tol"] != 0:
        lines.append(w.gettext("did not converge: stopped after {epochs} of at most {max_iter} epochs").format(
            epochs=fit["epochs"], max_iter=fit["max_iter"]))
    return {"lines": lines, "still": first, "alt": w.gettext("The first epoch that went wrong")} if lines else None


def _epochs_label(epochs, w):
    """"epoch 16", "epochs 16–18" (a run), "epochs 3, 7, 9"."""
    if len(epochs) == 1:
        return w.gettext("epoch {epoch}").format(epoch=epochs[0])
    if epochs == list(range(epochs[0], epochs[-1] + 1)):
        return w.gettext("epochs {first}–{last}").format(first=epochs[0], last=epochs[-1])
    return w.gettext("epochs {list}").format(list=", ".join(str(e) for e in epochs))


def _render(context, lang=None):
    from vizgmm.pages.templates import template_environment

    return template_environment(lang=lang).get_template("reveal/deck.html").render(context)


def _vendored_dir():
    from vizgmm.pages.templates import default_template_dir

    folder = default_template_dir() / ASSETS
    missing = [name for name in VENDORED if not (folder / name).is_file()]
    if missing:
        raise OutputError(f"vizgmm's copy of reveal.js is missing {', '.join(missing)} in {folder}; reinstall vizgmm")
    return folder


def _staging(folder):
    return staging_folder(folder, STAGE_PREFIX, "choose another folder for the deck")

