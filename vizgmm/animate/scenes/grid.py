"""Several histories side by side on one canvas: the comparison and restart grids.

Each panel is an ordinary scene of the main renderer; the grid pastes their
frames together and hands them to the same encoders.
"""

from pathlib import Path

import numpy as np
from matplotlib.colors import to_rgb

from vizgmm.animate import scenes
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.options import resolve, takes_options
from vizgmm.animate.writers import budget, registry
from vizgmm.animate.writers.palette import known_colours
from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.look import presets
from vizgmm.look.geometry import projection
from vizgmm.look.view import line_limits, plane_limits
from vizgmm.model.comparison import METHOD_TITLES
from vizgmm.params import check

# -- several histories in one animation ------------------------------------
#: Small multiples shrink each panel (pixels and dpi alike, so the layout holds).
RESTART_SCALE = 0.75


MAX_COLUMNS = 4
# The drawing options each panel's scene takes (the rest are the writer's or the clock's).
PANEL_OPTIONS = ("preset", "size", "theme", "tween", "title", "component_names", "panels", "features", "show_loglik",
                 "aspect", "trails", "focus", "standardize", "lang")
# What a still of the grid takes: the panels' drawing and the grid's own layout, not the clock's or the writer's.
GRID_DRAWING = tuple(o for o in PANEL_OPTIONS if o != "tween") + ("columns", "highlight", "scale")


@takes_options("grid")
def render_comparison(comparison, path, **opts):
    """One animation with the methods (or a prior comparison's priors) side by side, epoch by epoch; returns the Path.

    ``path`` ends in .gif or .mp4. Options as :func:`render_side_by_side`.
    """
    if getattr(comparison, "priors", None) is not None:
        # A prior comparison (vizgmm.compare(..., priors=...)): one panel per weight_concentration_prior.
        return render_side_by_side(comparison.histories, path, titles=comparison.titles, **opts)
    histories = [comparison.histories[m] for m in comparison.methods]
    w = get_words(opts.get("lang"))
    titles = [w.gettext(METHOD_TITLES[m]) for m in comparison.methods]
    return render_side_by_side(histories, path, titles=titles, **opts)


@takes_options("grid")
def animate_restarts(histories, path, *, best=None, scale=RESTART_SCALE, columns=None, titles=None, **opts):
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
    histories = list(histories)
    if not histories:
        raise OptionError("animate_restarts needs at least one history")
    if best is None:
        best = int(np.argmax([h.final.log_likelihood for h in histories]))
    w = get_words(opts.get("lang"))
    titles = titles or [
        w.gettext("restart {number}").format(number=i + 1) + (w.gettext(" (best)") if i == best else "")
        for i in range(len(histories))
    ]
    return render_side_by_side(histories, path, titles=titles, highlight=best, scale=scale,
                               columns=columns, **opts)


@takes_options("grid")
def render_side_by_side(histories, path, *, titles=None, columns=None, highlight=None, scale=1.0, **opts):
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

    path = Path(path)
    histories = list(histories)
    fmt = registry.for_path(path, among=registry.names("grid"))
    opts = resolve(opts, "grid")
    if opts["max_bytes"] is not None:
        return within_budget(
            lambda target, **o: render_side_by_side(histories, target, titles=titles, columns=columns,
                                                    highlight=highlight, scale=scale, **o),
            path, fmt, opts, size_name="panel size", scale=scale)
    timing = frames.make_timing(opts["tween"], opts["fps"], opts["duration_ms"],
                                opts["hold_first_ms"], opts["hold_last_ms"])
    with PanelGrid(histories, titles=titles, columns=columns, highlight=highlight, scale=scale,
                   **{k: opts[k] for k in PANEL_OPTIONS}) as grid:
        total = grid.total
        first, last = grid.frame(0), grid.frame(total - 1)
        size = (first.shape[1], first.shape[0])
        writer = fmt.make(path, opts)
        setup = {}
        if fmt.palette:
            setup["palette_frames"] = [first, last]
            # As in a single animation: the colours known before drawing keep palette entries of their own.
            known = (c for scene in grid.scenes for c in known_colours(scene.theme, scene.colors))
            setup["exact_colors"] = list(dict.fromkeys(known))
        if fmt.padded:
            setup["pad_color"] = tuple(int(v) for v in grid.background)
        steps = range(total)
        if opts["progress"]:
            from tqdm.auto import tqdm

            steps = tqdm(steps, desc="frames", unit="frame", leave=False)
        with writer.saving(size, timing.frame_ms, **setup):
            for g in steps:
                frame = first if g == 0 else last if g == total - 1 else grid.frame(g)
                duration = timing.frame_ms
                if g == 0:
                    duration += timing.hold_first_ms
                if g == total - 1:
                    duration += timing.hold_last_ms
                writer.grab_frame(frame, duration)
    return path


def within_budget(redraw, path, fmt, opts, size_name="size", scale=1.0):
    """``redraw(target, **options)`` under ``opts["max_bytes"]``, as a single animation is; returns the Path.

    Colours, then in-betweens, then the canvas (each panel's, in a grid: ``size_name``
    in the notes, drawn at ``scale``) are lowered until the file fits
    (:mod:`vizgmm.animate.writers.budget`). A grid format without a budget (MP4)
    refuses ``max_bytes`` by name.
    """
    if not fmt.budget:
        budgeted = " and ".join(f.title for f in registry.formats("grid") if f.budget)
        raise OptionError(f"max_bytes is a file size budget for {budgeted}; {fmt.title} has none: leave it out")
    return budget.encode_within(redraw, path, fmt, opts, names={"size": size_name}, size_scale=scale)


def still_side_by_side(histories, snapshot=-1, **opts):
    """One snapshot (default the last) of every history in one grid image, shape (H, W, 3) uint8.

    A history with fewer snapshots shows its last. Options as
    :func:`render_side_by_side` (``titles``, ``columns``, ``highlight``,
    ``scale``, ``preset``, ``theme``, ``component_names``, ``features``).
    """
    with PanelGrid(histories, **opts) as grid:
        longest = max(len(h) for h in grid.histories)
        index = snapshot if snapshot >= 0 else longest + snapshot
        return grid.frame(index * (grid.tween + 1))


class PanelGrid:
    """The renderer's scenes for several histories, composed into one grid per frame.

    Use as a context manager (the scenes' figures are closed on exit);
    :meth:`frame` gives the composite of frame g, shape (H, W, 3) uint8.
    """

    def __init__(self, histories, *, titles=None, columns=None, highlight=None, scale=1.0,
                 preset="blog", size=None, theme="light", tween=0, title=None, component_names=None,
                 panels=(), features=None, show_loglik=True, aspect="auto", trails="fade", focus="data", standardize=None,
                 lang=None):

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
        self.scene_options = {"component_names": component_names, "features": features, "panels": panels,
                              "show_loglik": show_loglik, "aspect": aspect, "trails": trails, "focus": focus,
                              "standardize": standardize, "lang": lang}
        self.highlight = highlight
        self.scale = scale
        self.tween = frames.check_tween(tween)
        self.canvas = presets.preset(preset, size=size)
        width, height = self.canvas["size"]
        self.canvas["size"] = (max(64, int(round(width * scale))), max(64, int(round(height * scale))))
        self.canvas["dpi"] = self.canvas["dpi"] * scale
        self.colours = presets.theme(theme)
        self.background = (np.asarray(to_rgb(self.colours["background"])) * 255).round().astype(np.uint8)
        self.edge_colour = (np.asarray(to_rgb(self.colours["cursor"])) * 255).round().astype(np.uint8)
        self.factors = [[frames.covariance_factor(s.covariances) for s in h] for h in self.histories]
        self.counts = [frames.frame_count(h, self.tween) for h in self.histories]
        self.total = max(self.counts)
        self.scenes = []

    def __enter__(self):
        view = shared_view(self.histories, self.scene_options["features"], self.scene_options["standardize"],
                           self.scene_options["aspect"])
        try:
            for i, h in enumerate(self.histories):
                title = None if self.titles is None else self.titles[i]
                self.scenes.append(scenes.make_scene(
                    h, preset=self.canvas, theme=self.colours, title=title, view=view, **self.scene_options,
                ))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for scene in self.scenes:
            scene.close()
        self.scenes = []

    def frame(self, g):
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


def shared_view(histories, features=None, standardize=None, aspect="auto"):
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
