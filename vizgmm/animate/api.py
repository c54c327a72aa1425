"""Animations of a fit in every registered format (GIF, MP4, WebM, WebP, PNG frames) from a History, and single stills.

Every function takes the same drawing options, declared once in
:mod:`vizgmm.animate.options` (``help(vizgmm.render_gif)`` lists them with
their defaults); a few are format-specific.

Frame counts (see :mod:`vizgmm.animate.frames.timing`): every output shows
``len(history) * (tween + 1)`` frame states; MP4, WebM, WebP and PNG repeat the first
frame ``round(hold_first_ms / frame_ms)`` more times and the last
``round(hold_last_ms / frame_ms)`` more times, while a GIF lengthens their
delays instead (and stores identical consecutive frames once, with the sum
of their delays).

Memory and cores: frames stream into every writer, so memory does not grow
with the number of frames (the GIF writer keeps only the previous frame's
palette indices, one byte per pixel). MP4, WebM and WebP encoding runs in ffmpeg's own
process alongside the drawing; PNG compression runs in a second thread;
GIF frames are drawn by two processes (every other snapshot in a forked
copy) when ``workers=2``, or with ``"auto"`` when a core is idle.
"""

import os
from pathlib import Path
from typing import Any, cast

import numpy as np

from vizgmm.animate.frames import timing as frames
from vizgmm.animate.frames.halfsteps import half_step_history
from vizgmm.animate.options import STILL, RenderOptions, resolve, takes_options
from vizgmm.animate.parallel import render_in_two_processes, use_second_process
from vizgmm.animate.scenes import Scene, scene_for
from vizgmm.animate.stream import write_movie, writer_setup
from vizgmm.animate.writers import budget, registry
from vizgmm.animate.writers.palette import known_colours
from vizgmm.animate.writers.registry import Format
from vizgmm.errors import OptionError, OutputError
from vizgmm.model.history import History

PALETTE_SAMPLES = 3


def render(history: History, path: str | os.PathLike, format: str | None = None, **opts: Any) -> Path | list[Path]:
    """Write an animation of the fit in any registered format; returns the path (a folder's PNG paths for "png").

    The format is ``format`` by name or else the suffix of ``path``
    (:mod:`vizgmm.animate.writers.registry` lists them: gif, mp4, webm, webp,
    png). Options are the drawing options every format takes plus the
    format's own (``help(vizgmm.render_gif)`` and its siblings list them with
    their defaults). The file appears only when it is complete.

    Parameters
    ----------
    history : History
        From :func:`vizgmm.fit` or :meth:`History.load`.
    path : str or Path
        The file to write (a folder for "png"); an earlier file stays until the new one is complete.
    format : str, optional
        A registered format's name; by default the one whose suffix ``path`` ends in.

    Returns
    -------
    Path, or list of Path for "png"

    Examples
    --------
    >>> vizgmm.render(history, "em.webp", tween=4)  # doctest: +SKIP
    """
    fmt = registry.get(format) if format is not None else registry.for_path(path)
    return write(history, path, fmt, resolve(opts, fmt.name, fmt.options))


def write(history: History, path: str | os.PathLike, fmt: Format, options: RenderOptions) -> Path | list[Path]:
    """:func:`render` with its options resolved: under the size budget if ``options.max_bytes`` says one."""
    if options.max_bytes is not None:
        return budget.encode_within(lambda target, o: write(history, target, fmt, o), path, fmt, options)
    if options.transparent and not fmt.alpha:
        raise OptionError(f"transparent backgrounds are for PNG frames (render_frames); {fmt.why_opaque}")
    if fmt.available is not None and (why := fmt.available()) is not None:
        raise OutputError(f"cannot write {fmt.title} here: {why}")
    writer = fmt.make(path, options)
    _render(check_history(history), writer, options, fmt)
    return list(writer.paths) if fmt.named_frames else Path(path)


@takes_options("gif", registry.get("gif").options)
def render_gif(history: History, path: str | os.PathLike, **opts: Any) -> Path:
    """Write an animated GIF of the fit, one frame per epoch (plus in-betweens); returns the path.

    One shared palette (no dithering), delays in 10 ms steps, loops forever
    unless ``loop=None``. The file appears only when it is complete. Same as
    ``render(history, path, format="gif", ...)``.

    Parameters
    ----------
    history : History
        From :func:`vizgmm.fit` or :meth:`History.load`.
    path : str or Path
        The GIF to write; an earlier file stays until the new one is complete.

    Returns
    -------
    Path

    Examples
    --------
    >>> x, _ = vizgmm.walkthrough_data()
    >>> history = vizgmm.fit(x, 2, init=vizgmm.WALKTHROUGH_INIT, method="hard")
    >>> vizgmm.render_gif(history, "em.gif", tween=4, panels=["loglik"])  # doctest: +SKIP
    """
    return _one_file(render(history, path, "gif", **opts))


@takes_options("mp4", registry.get("mp4").options)
def render_mp4(history: History, path: str | os.PathLike, **opts: Any) -> Path:
    """Write an H.264 MP4 (yuv420p, +faststart) of the fit; returns the path.

    It plays in browsers, PowerPoint and QuickTime. A canvas with an odd side
    is padded by one pixel of the background colour, never scaled; the
    slides preset is exactly 1920×1080. ``quality`` 1–10 is x264 CRF
    ``38 − 2.6·quality``; ``crf`` 1–51 sets it directly.

    Parameters
    ----------
    history : History
    path : str or Path
        The MP4 to write; an earlier file stays until the new one is complete.

    Returns
    -------
    Path

    Examples
    --------
    >>> vizgmm.render_mp4(history, "em.mp4", preset="slides", quality=8)  # doctest: +SKIP
    """
    return _one_file(render(history, path, "mp4", **opts))


@takes_options("webm", registry.get("webm").options)
def render_webm(history: History, path: str | os.PathLike, **opts: Any) -> Path:
    """Write a VP9 WebM (yuv420p) of the fit; returns the path.

    It plays in Chromium, Firefox and Safari, and is smaller than the GIF
    (much smaller with ``tween``, where GIF stores every moving frame). ``quality`` 1–10 (default 7) or ``crf`` 4–63 set VP9's
    constant quality (CRF ``63 − 4.5·quality``); odd sides are padded by one pixel, never scaled.
    """
    return _one_file(render(history, path, "webm", **opts))


@takes_options("webp", registry.get("webp").options)
def render_webp(history: History, path: str | os.PathLike, **opts: Any) -> Path:
    """Write an animated WebP of the fit, looping forever unless ``loop`` says; returns the path.

    By default lossless over one shared palette of ``colors`` (64), the
    GIF's pixels in about 0.7 of its bytes; ``lossless=False`` is lossy at
    ``quality`` 1–10 (default 7, libwebp quality ``10·quality``). Identical consecutive frames are stored once.
    """
    return _one_file(render(history, path, "webp", **opts))


@takes_options("png", registry.get("png").options)
def render_frames(history: History, folder: str | os.PathLike, **opts: Any) -> list[Path]:
    """Write one PNG per snapshot (and per in-between) in ``folder``, named by epoch; returns their paths in order.

    ``epoch_003.png`` is epoch 3; with ``tween=2``, ``epoch_003_t1.png`` and
    ``epoch_003_t2.png`` are the in-betweens on the way to epoch 4. Holds
    are not written as copies (timing options do not change the files).
    Other ``epoch_*.png`` and ``frame_*.png`` files in the folder are removed.

    Parameters
    ----------
    history : History
    folder : str or Path
        Created if missing.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> vizgmm.render_frames(history, "frames", transparent=True)  # doctest: +SKIP
    """
    return cast(list, render(history, folder, "png", **opts))


@takes_options(STILL)
def render_still(history: History, snapshot: int = -1, **opts: Any) -> np.ndarray:
    """One epoch's frame as pixels, exactly as the animations draw it.

    Parameters
    ----------
    history : History
    snapshot : int
        Index into ``history.snapshots`` (default the last); negative counts from the end.

    Returns
    -------
    numpy.ndarray
        Shape (h, w, 3) uint8, or (h, w, 4) with ``transparent=True``.

    Examples
    --------
    >>> pixels = vizgmm.render_still(history, 0, theme="dark")  # doctest: +SKIP
    """
    options = resolve(opts, STILL)
    history = check_history(history)
    try:
        index = range(len(history))[snapshot]
    except (IndexError, TypeError):
        raise OptionError(
            f"snapshot {snapshot!r} does not exist; the history has snapshots 0 to {len(history) - 1}"
        ) from None
    scene = scene_for(history, options)
    state = frames.state_at(history, index, tween=0)
    pixels = scene.render(state)
    out = np.array(pixels if options.transparent else pixels[..., :3])
    scene.close()
    return out


def _one_file(path: Path | list[Path]) -> Path:
    return cast(Path, path)  # a file format's render returns its one path


# -- the pipeline -------------------------------------------------------------
def _render(history: History, writer: Any, options: RenderOptions, fmt: Format) -> None:
    if options.half_steps:
        history = half_step_history(history)
    timing = frames.timing_of(options)
    tween = timing.tween
    count = timing.count(history)
    factors = [frames.covariance_factor(s.covariances) for s in history.snapshots]
    scene = scene_for(history, options)

    def state(g: int) -> frames.FrameState:
        return frames.state_at(history, g, tween, factors=factors)

    def draw(g: int) -> np.ndarray:
        return scene.render(state(g))

    def feed(writer: Any, durations: np.ndarray, bar: Any) -> None:
        render_in_two_processes(history, scene, writer, durations, tween, bar)

    try:
        setup = writer_setup(fmt, writer, scene.size, scene.theme["background"],
                             lambda: palette_samples(scene, count, draw),
                             lambda: known_colours(scene.theme, scene.colors))
        write_movie(fmt, writer, timing, count, draw, setup=setup, progress=options.progress,
                    name=(lambda g: frame_name(history, state(g), tween)) if fmt.named_frames else None,
                    feed=feed if fmt.parallel and use_second_process(options.workers, count) else None)
    finally:
        scene.close()


def palette_samples(scene: Scene, count: int, draw: Any) -> list[np.ndarray]:
    """The frames a shared palette is built from: :data:`PALETTE_SAMPLES` spread from the first to the last."""
    picks = np.unique(np.linspace(0, count - 1, min(PALETTE_SAMPLES, count)).round().astype(int))
    return [np.array(draw(int(i))[..., :3]) for i in picks]


def frame_name(history, state, tween):
    """``epoch_003.png`` for a snapshot, ``epoch_003_t2.png`` for its 2nd in-between; None past the last epoch."""
    t = state.index % (tween + 1)
    if t and state.snapshot + 1 >= len(history):
        return None  # the last epoch has nothing to move towards: its in-betweens repeat it
    snap = history[state.snapshot]
    # Half steps (animate/halfsteps.py): epoch 3's E-step and M-step are epoch_003e and epoch_003m.
    half = {"E-step": "e", "M-step": "m"}.get(getattr(snap, "step", None), "")
    stem = f"epoch_{snap.epoch:03d}{half}"
    return f"{stem}.png" if t == 0 else f"{stem}_t{t}.png"


def check_history(history):
    if not isinstance(history, History):
        raise OptionError(
            f"expected a vizgmm History (from vizgmm.fit or History.load), got {type(history).__name__}"
        )
    if len(history) == 0:
        raise OptionError("the history has no snapshots; fit the data first (vizgmm.fit)")
    return history
