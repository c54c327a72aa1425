"""Several histories side by side on one canvas: the comparison and restart grids.

Each panel is an ordinary scene of the main renderer; the grid pastes their
frames together and hands them to the same encoders.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.colors import to_rgb

from vizgmm.animate.frames import timing as frames
from vizgmm.animate.options import GRID, STILL, RenderOptions, names, resolve, takes_options
from vizgmm.animate.scenes import Scene, scene_for
from vizgmm.animate.stream import scene_colours, write_movie, writer_setup
from vizgmm.animate.writers import budget, registry
from vizgmm.animate.writers.registry import Format
from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.look.geometry import projection
from vizgmm.look.view import line_limits, plane_limits
from vizgmm.model.comparison import METHOD_TITLES
from vizgmm.model.history import History
from vizgmm.params import check

# -- several histories in one animation ------------------------------------
#: Small multiples shrink each panel (pixels and dpi alike, so the layout holds).
RESTART_SCALE = 0.75


MAX_COLUMNS = 4
# What a still of the grid takes: the panels' drawing and the grid's own layout, not the clock's or the writer's.
GRID_DRAWING = tuple(name for name in names(STILL) if name != "transparent") + ("columns", "highlight", "scale")


@takes_options(GRID)
def render_comparison(comparison: Any, path: str | os.PathLike, *, columns: int | None = None,
                      highlight: int | None = None, scale: float = 1.0, **opts: Any) -> Path:
    """One animation with the methods (or a prior comparison's priors) side by side, epoch by epoch; returns the Path.

    ``comparison`` is :func:`vizgmm.compare`'s result; ``path`` ends in .gif or .mp4. Options as
    :func:`render_side_by_side`.
    """
    options = resolve(opts, GRID)
    if getattr(comparison, "priors", None) is not None:
        # A prior comparison (vizgmm.compare(..., priors=...)): one panel per weight_concentration_prior.
        histories, titles = list(comparison.histories), list(comparison.titles)
    else:
        histories = [comparison.histories[m] for m in comparison.methods]
        w = get_words(options.lang)
        titles = [w.gettext(METHOD_TITLES[m]) for m in comparison.methods]
    return side_by_side(histories, path, options, titles=titles, columns=columns, highlight=highlight, scale=scale)


@takes_options(GRID)
def animate_restarts(histories: Sequence[History], path: str | os.PathLike, *, best: int | None = None,
                     scale: float = RESTART_SCALE, columns: int | None = None, titles: Sequence[str] | None = None,
                     **opts: Any) -> Path:
    """Every restart as a small multiple in one animation, the best one framed; returns the Path.

    A poor local optimum shows as a panel that settles somewhere else.

    Parameters
    ----------
    histories : list of History
        The restarts of one k (e.g. ``selection.restarts``).
    best : int, optional
        Index of the restart to frame; default the highest final log-likelihood.
    titles : list of str, optional
        One per restart; default "restart i" with "(best)" on the framed one.
    """
    options = resolve(opts, GRID)
    histories = list(histories)
    if not histories:
        raise OptionError("animate_restarts needs at least one history")
    if best is None:
        best = int(np.argmax([h.final.log_likelihood for h in histories]))
    w = get_words(options.lang)
    titles = titles or [
        w.gettext("restart {number}").format(number=i + 1) + (w.gettext(" (best)") if i == best else "")
        for i in range(len(histories))
    ]
    return side_by_side(histories, path, options, titles=titles, highlight=best, scale=scale, columns=columns)


@takes_options(GRID)
def render_side_by_side(histories: Sequence[History], path: str | os.PathLike, *,
                        titles: Sequence[str] | None = None, columns: int | None = None,
                        highlight: int | None = None, scale: float = 1.0, **opts: Any) -> Path:
    """Animate several histories in one grid of panels, all on the same epoch clock.

    Frame g shows every history at its frame g; a history with fewer epochs
    stays on its last frame, so a fit that converged early is seen waiting
    for the others. Each panel is the renderer's own scene
    (:mod:`vizgmm.animate.scenes`) and the frames go through its encoders
    (:mod:`vizgmm.animate.writers.registry`), with the same options, presets and
    colours as :func:`vizgmm.render_gif` and :func:`vizgmm.render_mp4`.

    Parameters
    ----------
    histories : list of History
    path : str or Path
        Ends in ``.gif`` or ``.mp4``.
    titles : list of str, optional
        One per panel; default each history's ``meta["title"]``.
    columns : int, optional
        Panels per row; default all in one row up to 3, else a near-square grid.
    highlight : int, optional
        Index of a panel to frame in the theme's cursor colour.
    scale : float
        Panel size relative to the preset's canvas, 0.25 to 4.

    Returns
    -------
    Path
    """
    return side_by_side(histories, path, resolve(opts, GRID), titles=titles, columns=columns, highlight=highlight,
                        scale=scale)


def side_by_side(histories: Sequence[History], path: str | os.PathLike, options: RenderOptions, *,
                 titles: Sequence[str] | None = None, columns: int | None = None, highlight: int | None = None,
                 scale: float = 1.0) -> Path:
    """:func:`render_side_by_side` with its options resolved (the comparison's and the restarts' too)."""
    path = Path(path)
    histories = list(histories)
    fmt = registry.for_path(path, among=registry.names("grid"))
    if options.max_bytes is not None:
        return within_budget(
            lambda target, o: side_by_side(histories, target, o, titles=titles, columns=columns, highlight=highlight,
                                           scale=scale),
            path, fmt, options, size_name="panel size", scale=scale)
    timing = frames.timing_of(options)
    with PanelGrid(histories, options, titles=titles, columns=columns, highlight=highlight, scale=scale) as grid:
        total = grid.total
        first, last = grid.frame(0), grid.frame(total - 1)
        writer = fmt.make(path, options)
        setup = writer_setup(fmt, writer, (first.shape[1], first.shape[0]), grid.colours["background"],
                             lambda: [first, last], lambda: scene_colours(grid.scenes))

        def draw(g: int) -> np.ndarray:
            return first if g == 0 else last if g == total - 1 else grid.frame(g)

        write_movie(fmt, writer, timing, total, draw, setup=setup, progress=options.progress)
    return path


def within_budget(redraw: Callable[[Path, RenderOptions], Any], path: str | os.PathLike, fmt: Format,
                  options: RenderOptions, size_name: str = "size", scale: float = 1.0) -> Path:
    """``redraw(target, options)`` under ``options.max_bytes``, as a single animation is; returns the Path.

    Colours, then in-betweens, then the canvas (each panel's, in a grid: ``size_name``
    in the notes, drawn at ``scale``) are lowered until the file fits
    (:mod:`vizgmm.animate.writers.budget`). A grid format without a budget (MP4)
    refuses ``max_bytes`` by name.
    """
    if not fmt.budget:
        budgeted = " and ".join(f.title for f in registry.formats("grid") if f.budget)
        raise OptionError(f"max_bytes is a file size budget for {budgeted}; {fmt.title} has none: leave it out")
    return budget.encode_within(redraw, path, fmt, options, names={"size": size_name}, size_scale=scale)


def still_side_by_side(histories: Sequence[History], snapshot: int = -1, *, titles: Sequence[str] | None = None,
                       columns: int | None = None, highlight: int | None = None, scale: float = 1.0,
                       **opts: Any) -> np.ndarray:
    """One snapshot (default the last) of every history in one grid image, shape (H, W, 3) uint8.

    A history with fewer snapshots shows its last. Options as
    :func:`render_side_by_side` (``titles``, ``columns``, ``highlight``,
    ``scale``, ``preset``, ``theme``, ``component_names``, ``features``).
    """
    options = resolve(opts, GRID)
    with PanelGrid(histories, options, titles=titles, columns=columns, highlight=highlight, scale=scale) as grid:
        longest = max(len(h) for h in grid.histories)
        index = snapshot if snapshot >= 0 else longest + snapshot
        return grid.frame(index * (grid.tween + 1))


class PanelGrid:
    """The renderer's scenes for several histories, composed into one grid per frame.

    Use as a context manager (the scenes' figures are closed on exit);
    :meth:`frame` gives the composite of frame g, shape (H, W, 3) uint8.
    """

    def __init__(self, histories: Sequence[History], options: RenderOptions | None = None, *,
                 titles: Sequence[str] | None = None, columns: int | None = None, highlight: int | None = None,
                 scale: float = 1.0, **drawing: Any) -> None:
        # ``drawing``: the options as keywords, resolved here when no RenderOptions is given.
        options = resolve(drawing, GRID) if options is None else options
        self.options = options
        title = options.title

        self.histories = list(histories)
        count = len(self.histories)
        if not count:
            raise OptionError("give at least one history to animate")
        if titles is not None and len(titles) != count:
            raise OptionError(f"{len(titles)} titles for {count} histories; give one title per history")
        scale = float(check("scale", scale))
        if columns is None:
            columns = count if count <= 3 else min(MAX_COLUMNS, int(np.ceil(np.sqrt(count))))
        columns = check("columns", columns)
        self.columns = min(int(columns), count)
        self.rows = -(-count // self.columns)
        if title is not None:
            titles = [f"{title}: {t}" for t in titles] if titles is not None else [str(title)] * count
        self.titles = titles
        self.highlight = highlight
        self.scale = scale
        self.tween = frames.check_tween(options.tween)
        self.canvas = dict(options.canvas)  # a copy: each panel is the preset's canvas, scaled
        width, height = self.canvas["size"]
        self.canvas["size"] = (max(64, int(round(width * scale))), max(64, int(round(height * scale))))
        self.canvas["dpi"] = self.canvas["dpi"] * scale
        self.colours = options.colours
        self.background = (np.asarray(to_rgb(self.colours["background"])) * 255).round().astype(np.uint8)
        self.edge_colour = (np.asarray(to_rgb(self.colours["cursor"])) * 255).round().astype(np.uint8)
        self.factors = [[frames.covariance_factor(s.covariances) for s in h] for h in self.histories]
        self.counts = [frames.frame_count(h, self.tween) for h in self.histories]
        self.total = max(self.counts)
        self.scenes: list[Scene] = []

    def __enter__(self) -> PanelGrid:
        o = self.options
        view = shared_view(self.histories, o.features, o.standardize, o.aspect)
        try:
            for i, h in enumerate(self.histories):
                title = None if self.titles is None else self.titles[i]
                self.scenes.append(scene_for(h, o, canvas=self.canvas, title=title, view=view, transparent=False))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for scene in self.scenes:
            scene.close()
        self.scenes = []

    def frame(self, g: int) -> np.ndarray:
        """The grid at frame g: every history at its own frame min(g, last)."""

        tiles = []
        for i, (h, scene) in enumerate(zip(self.histories, self.scenes)):
            state = frames.state_at(h, min(g, self.counts[i] - 1), self.tween, factors=self.factors[i])
            tile = np.array(scene.render(state)[..., :3])
            if i == self.highlight:
                edge = max(2, int(round(3 * self.scale)))
                tile[:edge], tile[-edge:] = self.edge_colour, self.edge_colour
                tile[:, :edge], tile[:, -edge:] = self.edge_colour, self.edge_colour
            tiles.append(tile)
        ph, pw = tiles[0].shape[:2]
        grid = np.empty((self.rows * ph, self.columns * pw, 3), np.uint8)
        grid[:] = self.background
        for i, tile in enumerate(tiles):
            r, c = divmod(i, self.columns)
            grid[r * ph:(r + 1) * ph, c * pw:(c + 1) * pw] = tile
        return grid


def shared_view(histories: Sequence[History], features: tuple[int, int] | None = None,
                standardize: bool | None = None, aspect: str = "auto") -> Any:
    """One set of data limits for panels of the same data, so their axes read alike; None otherwise.

    The union of each history's own view (the frames' limits); histories of
    different data keep their own.
    """
    first = histories[0]
    if any(h.X.shape != first.X.shape or not np.array_equal(h.X, first.X) for h in histories[1:]):
        return None
    if first.d == 1:
        views = [line_limits(h) for h in histories]
        return min(v[0] for v in views), max(v[1] for v in views)
    plane = projection(first, features, standardize)
    views = [plane_limits(h, plane, aspect) for h in histories]
    return np.min([v[0] for v in views], axis=0), np.max([v[1] for v in views], axis=0)
