"""The restart race: every start of one k on one canvas, the winner drawn in full, the others as ghosts.

The best start is the renderer's own scene. Each other start is a ghost on
the same axes, moving on the same epoch clock: in the plane, the trajectories
of its means; on a line (d = 1), its mixture density. A ghost's colour says
how its start ends, by final log-likelihood (:data:`WORST_GHOST` red for the
worst, the theme's text colour for the best: no hue a component or the histogram uses), so a reader sees early which starts are heading for a
worse optimum. The animation ends on a frame ranking the starts, with the
sentence of :attr:`vizgmm.model.restarts.Restarts.summary`.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

from vizgmm.animate.fast import fonts
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.options import GRID, RenderOptions, resolve, takes_options
from vizgmm.animate.scenes import scene_for
from vizgmm.animate.scenes.base import _quiet_glyph_warnings
from vizgmm.animate.scenes.grid import shared_view, within_budget
from vizgmm.animate.stream import scene_colours, write_movie, writer_setup
from vizgmm.animate.writers import registry
from vizgmm.animate.writers.registry import Format
from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.model.history import History
from vizgmm.model.restarts import Restarts, group_optima

#: Final log-likelihood → ghost colour: the worst start this red, the best the theme's foreground.
WORST_GHOST = "#c0392b"
GHOST_ALPHA = 0.7
#: The ranking frame lists at most this many starts (the rest are counted).
RANKED = 12
#: The ranking frame is shown at least this long.
RANKING_MS = 2500


@takes_options(GRID)
def animate_race(starts: Restarts | Sequence[History], path: str | os.PathLike, **opts: Any) -> Path:
    """The restart race as one animation; returns the Path.

    Parameters
    ----------
    starts : Restarts or list of History
        :func:`vizgmm.restarts`' result, or the histories of one k (their optima are grouped here).
    path : str or Path
        Ends in ``.gif`` or ``.mp4``.
    **opts
        As :func:`vizgmm.render_side_by_side` (preset, theme, size, tween, fps, ...).
    """
    if not isinstance(starts, Restarts):
        histories = list(starts)
        if not histories:
            raise OptionError("animate_race needs at least one history")
        starts = Restarts(histories=histories, inits=[h.settings.get("init", "?") for h in histories],
                          optima=group_optima(histories))
    path = Path(path)
    fmt = registry.for_path(path, among=registry.names("grid"))
    options = resolve(opts, GRID)
    return race_movie(starts, path, fmt, options)


def race_movie(starts: Restarts, path: Path, fmt: Format, options: RenderOptions) -> Path:
    """:func:`animate_race` with its options resolved (under the size budget when ``options.max_bytes`` says one)."""
    if options.max_bytes is not None:
        return within_budget(lambda target, o: race_movie(starts, target, fmt, o), path, fmt, options)
    timing = frames.timing_of(options)
    with RaceScene(starts, options) as race:
        first = race.frame(0)
        total = race.total
        ranking = race.ranking()
        writer = fmt.make(path, options)

        def exact_colors() -> list[Any]:
            ghosts = [tuple(int(round(v * 255)) for v in c[:3]) for c in race.ghost_colours]
            return list(dict.fromkeys(scene_colours([race.scene]) + ghosts))

        setup = writer_setup(fmt, writer, (first.shape[1], first.shape[0]), race.colours["background"],
                             lambda: [first, race.frame(total - 1), ranking], exact_colors)
        write_movie(fmt, writer, timing, total, lambda g: first if g == 0 else race.frame(g), setup=setup,
                    progress=options.progress, coda=[(ranking, max(RANKING_MS, timing.hold_last_ms))])
    return path


class RaceScene:
    """The best start's scene with every other start as a ghost; :meth:`frame` and :meth:`ranking` give RGB frames.

    Use as a context manager (the figures are closed on exit).
    """

    def __init__(self, starts: Restarts, options: RenderOptions | None = None, **drawing: Any) -> None:
        # ``drawing``: the options as keywords, resolved here when no RenderOptions is given.
        options = resolve(drawing, GRID) if options is None else options
        self.options = options
        self.starts = starts
        self.words = get_words(options.lang)
        self.histories = starts.histories
        self.best = starts.best
        self.canvas = options.canvas
        self.colours = options.colours
        self.tween = frames.check_tween(options.tween)
        self.counts = [frames.frame_count(h, self.tween) for h in self.histories]
        self.total = max(self.counts)
        # A ghost's colour is the optimum its start settles in, red (worst) to the text's colour (best), by
        # rank: starts that reach one optimum share a colour, though tol stopped some lower on the climb,
        # and a collapsed spike (ranked last, whatever its likelihood) is the reddest.
        ranks = np.array([starts.optimum_of(i).rank for i in range(len(self.histories))], dtype=float)
        worst = max(ranks.max(), 2.0)
        ramp = LinearSegmentedColormap.from_list("ghosts", (WORST_GHOST, self.colours["foreground"]))
        self.ghost_colours = [ramp(float((worst - r) / (worst - 1))) for r in ranks]
        self.background = tuple(int(round(v * 255)) for v in to_rgb(self.colours["background"]))
        winner = self.histories[self.best]
        self.title = options.title or self.words.gettext("{count} starts, k = {k}: the best in full, the others as ghosts").format(
            count=len(self.histories), k=winner.k)
        self.scene: Any = None
        self.ghosts: list[tuple[int, Any, Any]] = []

    def __enter__(self) -> RaceScene:
        o = self.options
        view = shared_view(self.histories, o.features, o.standardize, o.aspect)
        winner = self.histories[self.best]
        self.scene = scene_for(winner, o, title=self.title, view=view, transparent=False)
        try:
            self._add_ghosts()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.scene is not None:
            self.scene.close()
            self.scene = None

    def _add_ghosts(self):
        scene, lw = self.scene, self.canvas["line_width"]
        ax = scene.ax
        for i, h in enumerate(self.histories):
            if i == self.best:
                continue
            colour = self.ghost_colours[i]
            if h.d == 1:
                lines = ax.plot(scene.grid, np.zeros_like(scene.grid), color=colour, lw=lw * 0.7,
                                alpha=GHOST_ALPHA, zorder=1.5)
                means = None
            else:
                lines = [ax.plot([], [], color=colour, lw=lw * 0.8, alpha=GHOST_ALPHA, marker="o", ms=lw * 1.6,
                                 markevery=[-1], zorder=1.5)[0] for _ in range(h.k)]
                means = [scene.project_means(s.means) for s in h]
            for line in lines:
                scene._add_dynamic(line, "frame")
            self.ghosts.append((i, lines, means))
        # The ghosts join the frame layer: draw the background again without them.
        scene.layers.freeze_background()

    def frame(self, g: int) -> np.ndarray:
        """The race at frame g, shape (H, W, 3) uint8: the best start at its frame min(g, last), every ghost at its own."""
        scene = self.scene
        for i, lines, means in self.ghosts:
            h = self.histories[i]
            state = frames.state_at(h, min(g, self.counts[i] - 1), self.tween)
            if means is None:
                curves = scene._component_curves(state.means[:, 0], np.sqrt(state.covariances[:, 0, 0]),
                                                 state.weights)
                lines[0].set_ydata(curves.sum(axis=0))
            else:
                now = scene.project_means(state.means)
                for j, line in enumerate(lines):
                    trail = np.array([m[j] for m in means[: state.snapshot + 1]] + [now[j]])
                    line.set_data(trail[:, 0], trail[:, 1])
        best = self.histories[self.best]
        state = frames.state_at(best, min(g, self.counts[self.best] - 1), self.tween)
        return np.array(scene.render(state)[..., :3])

    def ranking(self) -> np.ndarray:
        """The closing frame: the starts ranked by final log-likelihood, shape (H, W, 3) uint8."""
        # The texts take their fonts when made: made inside the rc context, Hangul finds NanumGothic.
        with matplotlib.rc_context(fonts.rc_params(self.canvas)), _quiet_glyph_warnings():
            fig = self.ranking_figure()
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
        pixels = np.array(np.asarray(canvas.buffer_rgba())[..., :3])
        fig.clear()
        return pixels

    def ranking_figure(self) -> Figure:
        """The closing frame's figure, not drawn yet (its texts are the ranking's words, in the scene's language)."""
        t, p = self.colours, self.canvas
        w, h = p["size"]
        dpi = p["dpi"]
        fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, facecolor=t["background"])
        fig.text(0.5, 0.92, self.words.gettext("Starts ranked by final log-likelihood"), ha="center", va="center",
                 color=t["foreground"], fontsize=p["title_size"] + 1, parse_math=False)
        # Hangul is about twice as wide as a Latin letter: half as many per line.
        per_line = max(40, int(w / (p["font_size"] * dpi / 72 * 0.55)))
        summary = textwrap.fill(self.starts.describe(self.words) + ".",
                                width=per_line if self.words.lang == "en" else max(20, per_line // 2))
        fig.text(0.5, 0.83, summary, ha="center", va="top", color=t["foreground"], fontsize=p["font_size"],
                 parse_math=False, linespacing=1.3)
        order = sorted(range(len(self.histories)),
                       key=lambda i: (self.starts.optimum_of(i).rank, -self.histories[i].final.log_likelihood, i))
        top = 0.83 - 0.065 * (summary.count("\n") + 2)
        step = min(0.06, (top - 0.05) / max(1, min(len(order), RANKED) + 1))
        size = p["font_size"]
        # Columns: swatch, rank, start, init, final log-likelihood (right-aligned), optimum.
        for x, text, ha in ((0.16, self.words.gettext("start"), "left"), (0.27, self.words.gettext("init"), "left"), (0.66, self.words.gettext("log-likelihood"), "right"),
                            (0.70, self.words.gettext("optimum"), "left")):
            fig.text(x, top, text, ha=ha, va="center", color=t["muted"], fontsize=size, parse_math=False)
        for row, i in enumerate(order[:RANKED]):
            y = top - (row + 1) * step
            optimum = self.starts.optimum_of(i)
            what = self.words.gettext("best fit") if optimum.rank == 1 else str(optimum.rank)
            if optimum.merged:
                what += (self.words.gettext(", merges two clusters") if len(optimum.merged) == 1
                         else self.words.gettext(", merges clusters"))
            weight = "bold" if i == self.best else "normal"
            fig.patches.append(_swatch(fig, 0.08, y, self.ghost_colours[i]))
            ll = self.words.numeral(f"{self.histories[i].final.log_likelihood:,.1f}").replace("-", "\u2212")
            for x, text, ha in ((0.14, f"{row + 1}.", "right"), (0.16, str(i + 1), "left"),
                                (0.27, self.starts.inits[i], "left"), (0.66, ll, "right"), (0.70, what, "left")):
                fig.text(x, y, text, ha=ha, va="center", color=t["foreground"], fontsize=size, parse_math=False,
                         fontweight=weight)
        if len(order) > RANKED:
            fig.text(0.16, top - (RANKED + 1) * step, self.words.gettext("… and {count} more").format(count=len(order) - RANKED), ha="left", va="center",
                     color=t["muted"], fontsize=p["font_size"], parse_math=False)
        return fig


def _swatch(fig, x, y, colour):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y - 0.012), 0.018, 0.024, transform=fig.transFigure, facecolor=colour, edgecolor="none")
