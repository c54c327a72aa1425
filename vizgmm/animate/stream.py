"""The one frame loop: draw each frame state, hold the first and last, hand it to the writer.

Every movie goes through :func:`write_movie`: a single history's animation
(:mod:`vizgmm.animate.api`), the side-by-side grids
(:mod:`vizgmm.animate.scenes.grid`) and the restart race
(:mod:`vizgmm.animate.scenes.race`). They differ only in how frame g is
drawn, which frames the shared palette is built from, and what comes after
the last state (the race's ranking frame); the timing, the holds, the
progress bar and the writer's setup are here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from matplotlib.colors import to_rgb

from vizgmm.animate.frames.timing import Timing
from vizgmm.animate.writers.base import FrameWriter
from vizgmm.animate.writers.palette import known_colours
from vizgmm.animate.writers.registry import Format

#: Draws frame state g (0-based, holds not counted) as (h, w, 3|4) uint8 pixels.
Draw = Callable[[int], np.ndarray]
#: Writes every frame state itself, instead of the loop: ``feed(writer, durations, bar)`` (the GIF's two processes).
Feed = Callable[[FrameWriter, np.ndarray, Any], None]


def write_movie(fmt: Format, writer: FrameWriter, timing: Timing, count: int, draw: Draw, *,
                setup: dict[str, Any], progress: bool = False,
                name: Callable[[int], str | None] | None = None,
                coda: Sequence[tuple[np.ndarray, float]] = (), feed: Feed | None = None) -> None:
    """Stream ``count`` frame states into ``writer``, the first and last held as ``timing`` says.

    Parameters
    ----------
    fmt : Format
        The registry entry of the writer's format (named for the progress bar).
    writer : FrameWriter
        Opened here with ``saving``: the output appears only when every frame is in.
    timing : Timing
        The frame time and the holds (:meth:`Timing.durations`).
    count : int
        The number of frame states; frame g is ``draw(g)``.
    draw : callable
        ``draw(g)`` gives frame g's pixels, shape (h, w, 3|4) uint8; called once per frame, in order.
    setup : dict
        ``writer.saving``'s keyword arguments: ``size`` (w, h) and those of :func:`writer_setup`.
    progress : bool
        Show a tqdm progress bar.
    name : callable, optional
        For a format of named files (PNG frames): ``name(g)`` is frame g's file name, or None to skip it
        (then it is not drawn).
    coda : sequence of (pixels, ms)
        Frames after the last state, each with its own duration (the race's ranking).
    feed : callable, optional
        Writes the frame states itself (``feed(writer, durations, bar)``) instead of this loop.
    """
    durations = timing.durations(count)
    bar = _progress(progress, count, fmt.name)
    setup = dict(setup)
    size = setup.pop("size")
    try:
        with writer.saving(size, timing.frame_ms, **setup):
            if feed is not None:
                feed(writer, durations, bar)
            else:
                for g in range(count):
                    if name is None:
                        writer.grab_frame(draw(g), durations[g])
                    elif (file_name := name(g)) is not None:
                        writer.grab_frame(draw(g), durations[g], name=file_name)  # type: ignore[call-arg]
                    if bar is not None:
                        bar.update(1)
            for pixels, ms in coda:
                writer.grab_frame(pixels, ms)
    finally:
        if bar is not None:
            bar.close()


def writer_setup(fmt: Format, writer: FrameWriter, size: tuple[int, int], background: Any,
                 palette_frames: Callable[[], list[np.ndarray]], exact_colors: Callable[[], list[Any]]) -> dict[str, Any]:
    """``writer.saving``'s keyword arguments for ``fmt``: size, the palette's frames and exact colours, padding.

    ``palette_frames()`` and ``exact_colors()`` are called only when the writer builds a shared palette;
    ``background`` (a matplotlib colour) pads odd sides of the formats that need even ones.
    """
    setup: dict[str, Any] = {"size": size}
    if fmt.palette or getattr(writer, "colors", None) is not None:
        setup["palette_frames"] = palette_frames()
        # Colours known before drawing keep palette entries of their own (issue 11: exact colours).
        setup["exact_colors"] = exact_colors()
    if fmt.padded:
        setup["pad_color"] = tuple(int(round(255 * c)) for c in to_rgb(background))
    return setup


def scene_colours(scenes: Sequence[Any]) -> list[Any]:
    """The colours every scene knows before drawing (its theme's and its components'), each once, in order."""
    return list(dict.fromkeys(c for scene in scenes for c in known_colours(scene.theme, scene.colors)))


def _progress(enabled: bool, total: int, kind: str) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm  # only when a bar is asked for: tqdm.auto looks for Jupyter

    return tqdm(total=total, desc=f"render {kind}", unit="frame", leave=False)
