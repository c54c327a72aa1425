"""A PowerPoint deck of a fit (python-pptx, the optional ``slides`` extra).

Seven slides for a History of three or more snapshots:

1. the title, with what was fitted;
2. the animation: the MP4 embedded (it plays inside PowerPoint), with the
   first epoch's frame as its poster so the slide shows the start before
   it is played, sized to fill the slide under its title;
3. to 5. three key epochs as still images at full slide resolution: the
   start, the epoch whose log-likelihood changed most, and the final fit;
6. the log-likelihood per epoch (a matplotlib chart, key epochs marked);
7. the fitted parameters as a table.

Every slide has speaker notes; the animation's are
:func:`vizgmm.pages.description.describe_fit`, then each epoch's caption with
the time it appears (the words of the player and of ``animation.vtt``,
:mod:`vizgmm.pages.captions`). The deck only reads the History.
"""

import io
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from vizgmm.animate.options import still_options
from vizgmm.errors import OptionError
from vizgmm.files import atomic_path
from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.model.history import History
from vizgmm.pages.captions import caption_cues
from vizgmm.pages.description import describe_fit
from vizgmm.pages.formatting import format_number
from vizgmm.pages.sections import METHOD_NAMES, component_names, default_title
from vizgmm.text import check_user_text

# 16:9 at PowerPoint's own widescreen size, in EMU (914,400 per inch).
SLIDE_WIDTH, SLIDE_HEIGHT = 12_192_000, 6_858_000
MARGIN = 457_200  # half an inch
TITLE_HEIGHT = 1_000_000
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5


def slides(history: History, path: str | os.PathLike, *, title: str | None = None, mp4_path: str | os.PathLike | None = None, progress: bool = False, **render_opts: Any) -> Path:
    """Write a PowerPoint deck of the fit to ``path`` (.pptx); returns its Path.

    Parameters
    ----------
    history : History
    path : str or Path
        The .pptx file to write (atomically).
    title : str, optional
        Default ``history.meta["title"]``, else a title made from the fit.
    mp4_path : str or Path, optional
        An MP4 to embed as it is; by default one is rendered at the
        ``slides`` preset (1920×1080).
    progress : bool
        Show a progress bar while rendering.
    **render_opts
        Drawing options for the animation and stills (preset, theme, tween, ...).

    Examples
    --------
    >>> vizgmm.slides(history, "deck.pptx", theme="dark")  # doctest: +SKIP
    """
    from vizgmm.animate import api as render
    from vizgmm.model.history import History

    if not isinstance(history, History) or len(history) == 0:
        raise OptionError("slides need a fitted History with snapshots (from vizgmm.fit or History.load)")
    pptx = _import_pptx()
    path = Path(path)
    if path.suffix.lower() != ".pptx":
        raise OptionError(f"the deck must be a .pptx file, got {path.name}; e.g. -o deck.pptx")
    render_opts = {"preset": "slides", **render_opts}
    still_opts = still_options(render_opts)
    w = get_words(render_opts.get("lang"))
    title = str(check_user_text(title or history.meta.get("title")) or default_title(history, w))
    names = component_names(history, render_opts.get("component_names"))
    key = [(w.gettext(label), index) for label, index in key_epochs(history)]

    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, title, history, w)
    with tempfile.TemporaryDirectory(prefix="vizgmm-slides-") as scratch:
        folder = Path(scratch)
        if mp4_path is None:
            mp4_path = render.render_mp4(history, folder / "animation.mp4", progress=progress, **render_opts)
        elif not Path(mp4_path).is_file():
            raise OptionError(f"mp4_path {mp4_path} does not exist; render it first or leave mp4_path out")
        poster = png_bytes(render.render_still(history, 0, **still_opts))
        slide = _titled(deck, w.gettext("How EM moved, epoch by epoch"))
        left, top, width, height = _fit_box(_video_size(mp4_path))
        slide.shapes.add_movie(str(mp4_path), left, top, width, height,
                               poster_frame_image=io.BytesIO(poster), mime_type="video/mp4")
        _notes(slide, animation_note(history, render_opts))
        for label, index in key:
            snapshot = history[index]
            slide = _titled(deck, w.gettext("{label}: epoch {epoch}").format(label=label, epoch=snapshot.epoch))
            image = render.render_still(history, index, **still_opts)
            _picture(slide, png_bytes(image), (image.shape[1], image.shape[0]))
            _notes(slide, epoch_note(history, index, names, w))
        slide = _titled(deck, w.gettext("Log-likelihood per epoch"))
        chart, size = loglik_png(history, key, lang=w)
        _picture(slide, chart, size)
        _notes(slide, loglik_note(history, w))
        _parameter_slide(deck, history, names, w)
        with atomic_path(path, suffix=".pptx") as tmp:
            deck.save(str(tmp))
    return path


def key_epochs(history):
    """(label, snapshot index) of the start, the largest change in log-likelihood, and the final fit.

    The largest change is looked for between the start and the final
    snapshot, so the three differ whenever the history has three snapshots.
    """
    last = len(history) - 1
    # English labels, marked for the catalogue: the deck says them in its language.
    picks = [(N_("Start"), 0)]
    if last >= 2:
        steps = np.abs(np.diff(history.log_likelihoods))[:last - 1]  # epochs 1 .. last-1
        picks.append((N_("Largest change"), int(np.argmax(steps)) + 1))
    if last >= 1:
        picks.append((N_("Final fit"), last))
    return picks


def loglik_png(history, key=(), size=(1920, 1080), dpi=200, lang=None):
    """The log-likelihood per epoch as PNG bytes, key epochs marked; returns (bytes, (w, h))."""
    import matplotlib

    from vizgmm.animate.fast.fonts import installed_families

    w = get_words(lang)
    # The frames' font fallback, so Hangul labels and names draw as letters, not boxes.
    with matplotlib.rc_context({"font.family": installed_families()}):
        return _loglik_png(history, key, size, dpi, w)


def _loglik_png(history, key, size, dpi, w):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    ax = figure.add_subplot()
    epochs = [s.epoch for s in history]
    ax.plot(epochs, history.log_likelihoods, marker="o", color="#1f77b4", linewidth=2)
    last = len(history) - 1
    for label, index in key:
        # The last point's label goes to its left, inside the axes.
        ax.annotate(label, (history[index].epoch, history[index].log_likelihood),
                    xytext=(-8 if index == last else 8, -16), ha="right" if index == last else "left",
                    textcoords="offset points", fontsize=10, color="#555555", parse_math=False)
    ax.set_xlabel(w.gettext("epoch"))
    ax.set_ylabel(w.gettext("total log-likelihood"))
    ax.grid(True, color="#e6e6e6")
    ax.xaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue(), size


def pptx_available() -> bool:
    """True if python-pptx (the optional ``slides`` extra) can be imported."""
    try:
        _import_pptx()
    except OptionError:
        return False
    return True


def _import_pptx():
    try:
        import pptx
        import pptx.util  # noqa: F401
    except ImportError:
        raise OptionError(
            "PowerPoint slides need python-pptx: pip install '.[slides]' from a checkout, or pip install "
            "'vizgmm[slides]' (or use --beamer DIR alone for LaTeX)"
        ) from None
    return pptx


def subtitle(history, w=None):
    """What was fitted, in one line: "2 Gaussian components fitted by … to 1,000 points from …, 10 epochs"."""
    w = get_words(w)
    method = history.settings.get("method")
    method = w.gettext(METHOD_NAMES[method]) if method in METHOD_NAMES else str(method)
    source = history.meta.get("source")
    epochs = w.ngettext("{count} epoch", "{count} epochs", history.epochs).format(count=history.epochs)
    if source:
        line = w.gettext("{k} Gaussian components fitted by {method} to {n} points from {source}, {epochs}")
    else:
        line = w.gettext("{k} Gaussian components fitted by {method} to {n} points, {epochs}")
    return line.format(k=history.k, method=method, n=w.number(history.n), source=source, epochs=epochs)


def loglik_note(history, w=None):
    """The log-likelihood chart's speaker note."""
    w = get_words(w)
    return w.gettext("The total log-likelihood goes from {start} to {end}.").format(
        start=w.numeral(format_number(history[0].log_likelihood)),
        end=w.numeral(format_number(history.final.log_likelihood)))


def _title_slide(deck, title, history, w):
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE])
    slide.shapes.title.text = title
    slide.placeholders[1].text = subtitle(history, w)
    # The default template is 4:3: stretch its placeholders across the 16:9 slide.
    for shape, top, height in ((slide.shapes.title, 2_000_000, 1_500_000), (slide.placeholders[1], 3_700_000, 1_500_000)):
        shape.left, shape.top, shape.width, shape.height = MARGIN * 2, top, SLIDE_WIDTH - 4 * MARGIN, height
    _notes(slide, describe_fit(history, lang=w))
    return slide


def _titled(deck, text):
    slide = deck.slides.add_slide(deck.slide_layouts[LAYOUT_TITLE_ONLY])
    title = slide.shapes.title
    title.text = text
    title.left, title.top, title.width, title.height = MARGIN, MARGIN // 2, SLIDE_WIDTH - 2 * MARGIN, TITLE_HEIGHT
    return slide


def _fit_box(pixels):
    """(left, top, width, height) in EMU: ``pixels`` (w, h) scaled to the area under the title, centred."""
    area_w = SLIDE_WIDTH - 2 * MARGIN
    area_h = SLIDE_HEIGHT - TITLE_HEIGHT - MARGIN
    scale = min(area_w / pixels[0], area_h / pixels[1])
    width, height = int(pixels[0] * scale), int(pixels[1] * scale)
    return (SLIDE_WIDTH - width) // 2, TITLE_HEIGHT + MARGIN // 2 + (area_h - height) // 2, width, height


def _picture(slide, png, pixels):
    left, top, width, height = _fit_box(pixels)
    return slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)


def png_bytes(pixels):
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels)[..., :3].astype(np.uint8)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _video_size(path):
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        return tuple(int(v) for v in next(reader)["size"])
    finally:
        reader.close()


def _notes(slide, text):
    slide.notes_slide.notes_text_frame.text = text


def animation_note(history, render_opts):
    """The fit in words, then "0:01.5 Epoch 1 of 10: total log-likelihood …" for every stop of the video."""
    lines = [describe_fit(history, render_opts.get("component_names"), render_opts.get("lang")), ""]
    for start, _, title, text in caption_cues(history, **render_opts):
        seconds = start / 1000
        lines.append(f"{int(seconds // 60)}:{seconds % 60:04.1f} {title}: {text}")
    return "\n".join(lines)


def epoch_note(history, index, names, w=None):
    w = get_words(w)
    snapshot = history[index]

    def num(value, digits=4):
        return w.numeral(format_number(value, digits))

    parts = [w.gettext("Epoch {epoch}: total log-likelihood {value}").format(
        epoch=snapshot.epoch, value=num(snapshot.log_likelihood))]
    if index > 0:
        change = snapshot.log_likelihood - history[index - 1].log_likelihood
        parts.append(w.gettext("({change} on the epoch before)").format(change=("+" if change >= 0 else "") + num(change)))
    text = " ".join(parts) + "."
    if history.d == 1:
        text += " " + "; ".join(
            f"{name}: μ {num(m)}, σ {num(s)}, φ {num(weight, 3)}"
            for name, m, s, weight in zip(names, snapshot.means[:, 0], snapshot.stds, snapshot.weights)
        ) + "."
    return text


def _parameter_slide(deck, history, names, w):
    from pptx.util import Pt

    slide = _titled(deck, parameter_title(history, w))
    header, rows = parameter_rows(history, names, w)
    left, top, width, _ = _fit_box((16, 9))
    height = min(SLIDE_HEIGHT - top - MARGIN, 500_000 * (len(rows) + 1))
    table = slide.shapes.add_table(len(rows) + 1, len(header), left, top, width, height).table
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(18 if len(rows) <= 6 else 12)
    _notes(slide, parameter_note(history, w))
    return slide


def parameter_title(history, w=None):
    return get_words(w).gettext("Fitted parameters after epoch {epoch}").format(epoch=history.final.epoch)


def parameter_rows(history, names, w=None):
    """The final fit as a table: (header, rows of display strings), one row per component."""
    w = get_words(w)
    final = history.final
    one_d = history.d == 1
    header = [w.gettext("component"), w.gettext("weight φ"), w.gettext("mean μ"),
              w.gettext("std σ") if one_d else w.gettext("covariance trace"), w.gettext("points")]
    rows = []
    for j, name in enumerate(names):
        mean = format_number(final.means[j, 0]) if one_d else "(" + ", ".join(format_number(v, 3) for v in final.means[j]) + ")"
        spread = format_number(final.stds[j]) if one_d else format_number(np.trace(final.covariances[j]))
        rows.append([name, format_number(final.weights[j], 3), mean, spread, f"{int(final.counts[j]):,}"])
    return header, rows


def parameter_note(history, w=None):
    """The parameter table's speaker note."""
    w = get_words(w)
    return w.gettext("Final total log-likelihood {value}; BIC {bic}; {n} points.").format(
        value=w.numeral(format_number(history.final.log_likelihood)),
        bic=w.numeral(format_number(float(history.bic()))), n=w.number(history.n))
