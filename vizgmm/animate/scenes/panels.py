"""The side panels beside a scene's plot: the log-likelihood chart, the lower bound, the weights and the parameter table."""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import Formatter
from matplotlib.transforms import Bbox

from vizgmm.i18n import words as get_words
from vizgmm.look.bound_view import bound_view_at, bound_view_data
from vizgmm.look.variational import FADE_WEIGHT

MAX_TABLE_ROWS = 8
# Table lines, in font sizes apart; a row of several lines gets this much more before the next.
LINE_STEP = 1.35
ROW_GAP = 0.35


def loglik_tick(value, span):
    """A log-likelihood tick without an offset label, as precise as the axis' ``span`` needs.

    −1,370 or −1,369.5; −13.7k and −2.5M once the numbers are long.
    """
    import math

    step = max(abs(span), 1e-12) / 5  # about one tick's spacing
    for unit, suffix, least in ((1e6, "M", 1e6), (1e3, "k", 1e4)):
        if abs(value) >= least and step >= unit / 10:
            decimals = max(0, math.ceil(-math.log10(step / unit)))
            return f"{value / unit:,.{decimals}f}{suffix}".replace("-", "\u2212")
    decimals = max(0, math.ceil(-math.log10(step)))
    return f"{value:,.{decimals}f}".replace("-", "\u2212")


class LoglikFormatter(Formatter):
    """Ticks of the log-likelihood axis (:func:`loglik_tick`); never an offset like "−1.3699e3"."""

    def __call__(self, value, pos=None):
        lo, hi = self.axis.get_view_interval()
        return loglik_tick(value, hi - lo)


class SidePanels:
    """Mixin for :class:`~vizgmm.animate.scenes.base.Scene`: builds and updates the side panels.

    Uses the scene's ``panels``, ``fig``, ``theme``, ``preset``, ``colors``,
    ``lls``, ``k``, ``_side_rect``, ``_em``, ``_style_axes``, ``_add_dynamic``
    and its ``_table_row``/``_table_columns``.
    """

    def _build_panels(self):
        if not self.panels:
            return
        t = self.theme
        x0, y0, w, h = self._side_rect
        ex, ey = self._em(self.preset["panel_size"])
        gap = ey * 5.0
        n = len(self.panels)
        small = self.preset["panel_size"]
        # The table gets the height its rows need (up to k = 6 beside a log-likelihood panel).
        line = LINE_STEP * small * self.preset["dpi"] / 72.0 / self.preset["size"][1]
        lines = 1 + max(ln for *_, ln in self._table_columns())
        need = line * (1.4 + min(self.k, MAX_TABLE_ROWS) * (lines + ROW_GAP * (lines > 1)))
        heights = {p: (h - gap * (n - 1)) / n for p in self.panels}
        if n == 2 and "params" in heights:
            heights["params"] = min(max(heights["params"], need), (h - gap) * 0.75)
            other = next(p for p in self.panels if p != "params")
            heights[other] = h - gap - heights["params"]
        top = y0 + h
        for panel in self.panels:
            each = heights[panel]
            rect = [x0, top - each, w, each]
            top -= each + gap
            if panel == "loglik":
                ax = self.fig.add_axes(rect)
                self._style_axes(ax)
                ax.tick_params(labelsize=small)
                epochs = max(len(self.lls) - 1, 1)
                finite = self.lls[np.isfinite(self.lls)]
                lo, hi = (finite.min(), finite.max()) if finite.size else (-1.0, 0.0)
                # A change of a thousandth (or less than 1) is drawn as the flat line it is.
                least = max(abs(hi) * 1e-3, 1.0)
                if hi - lo < least:
                    lo, hi = (lo + hi - least) / 2, (lo + hi + least) / 2
                pad = (hi - lo) * 0.08
                ax.set_xlim(-0.02 * epochs, epochs * 1.02)
                ax.set_ylim(lo - pad, hi + pad)
                ax.set_title(self.score_title, fontsize=small, color=t["foreground"])
                # With half_steps every epoch takes two stops (E, M): the axis counts those.
                halves = getattr(self.history[0], "step", None)
                ax.set_xlabel(self.words.gettext("E- and M-steps") if halves else self.words.gettext("epoch"),
                              fontsize=small)
                ax.grid(True, color=t["grid"], linewidth=0.6)
                ax.xaxis.get_major_locator().set_params(integer=True)
                ax.yaxis.set_major_formatter(LoglikFormatter())
                clear_tick_labels(ax, self.ax, self.preset, small)
                self.ll_line = self._add_dynamic(ax.plot([], [], color=t["foreground"], lw=1.4,
                                                         marker="o", ms=3)[0])
                self.ll_cursor = self._add_dynamic(ax.axvline(0, color=t["cursor"], lw=1.2))
                self.ax_ll = ax
            elif panel == "bound":
                # As the frame's main view (focus="bound"), the bound gets the frame's own font size.
                size = self.preset["font_size"] if self.focus == "bound" else small
                self._build_bound(self.fig.add_axes(rect), size)
            elif panel == "weights":
                self.weights_panel = WeightsPanel(self, self.fig.add_axes(rect), small)
            else:
                ax = self.fig.add_axes(rect)
                ax.set_axis_off()
                self._build_table(ax, small)

    def _build_bound(self, ax, small):
        """The lower-bound panel: log p along EM's path, the epoch's bound, the gap, touch and peak."""
        t = self.theme
        self._style_axes(ax)
        ax.tick_params(labelsize=small)
        self.bound_data = data = bound_view_data(self.history)
        epochs = max(data["epochs"], 1)
        ax.set_xlim(-0.05 * epochs - 0.1, epochs * 1.05 + 0.1)
        ax.set_ylim(*data["ylim"])
        if self.focus == "bound":
            # The frame's own title says the epoch: the axes say what is drawn instead.
            ax.set_ylabel(self.score_title, fontsize=small)
            ax.set_xlabel(self.words.gettext("EM's path through parameter space (epochs)"), fontsize=small)
        else:
            ax.set_title(self.words.gettext("log p and its lower bound"), fontsize=small, color=t["foreground"])
            ax.set_xlabel(self.words.gettext("EM's path (epochs)"), fontsize=small)
        ax.grid(True, color=t["grid"], linewidth=0.6)
        if epochs <= 8:
            ax.set_xticks(range(epochs + 1))
        else:
            ax.xaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.set_major_formatter(LoglikFormatter())
        if self.focus != "bound":  # beside the data as a panel, not left of it as the main view
            clear_tick_labels(ax, self.ax, self.preset, small)
        lw = self.preset["line_width"] * (1.0 if self.focus == "bound" else 0.8)
        bound_color = t["cursor"]
        self.bound_gap = self._add_dynamic(ax.add_patch(Polygon(np.zeros((3, 2)), closed=True, facecolor=bound_color,
                                                                alpha=0.18, edgecolor="none")))
        self.bound_path_line = self._add_dynamic(ax.plot([], [], color=t["mixture"], lw=lw)[0])
        self.bound_line = self._add_dynamic(ax.plot([], [], color=bound_color, lw=lw, ls="--")[0])
        self.bound_touch = self._add_dynamic(ax.plot([], [], "o", color=t["mixture"], ms=4)[0])
        self.bound_peak = self._add_dynamic(ax.plot([], [], "^", color=bound_color, ms=5)[0])
        self.bound_point = self._add_dynamic(ax.plot([], [], "o", mfc="none", mec=bound_color, ms=6, mew=1.2)[0])
        self.bound_text = self._add_dynamic(ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right", va="bottom",
                                                    fontsize=small, color=t["foreground"]))
        self.ax_bound = ax
        if self.focus == "bound":
            xy, va = bound_legend(ax, t, small, lw, data, self.words)
            self.bound_text.set_position(xy)
            self.bound_text.set_verticalalignment(va)

    def _update_bound(self, state):
        """Draw the bound view at the frame's position (numbers from :func:`~vizgmm.look.bound_view.bound_view_at`)."""
        if "bound" not in self.panels:
            return
        view = bound_view_at(self.bound_data, state.progress)
        if view is None:
            return
        self.bound_path_line.set_data(view["path_x"], view["path_y"])
        self.bound_line.set_data(view["bound_x"], view["bound_y"])
        d = self.bound_data
        i = view["epoch"] - 1
        # The gap between log p and the bound over the epoch's segment (and a bit beyond).
        top = d["log_likelihood"][i]
        xs = view["bound_x"]
        self.bound_gap.set_xy(np.column_stack([np.concatenate([xs, xs[::-1]]),
                                               np.concatenate([top, view["bound_y"][::-1]])]))
        self.bound_touch.set_data([view["touch"][0]], [view["touch"][1]])
        self.bound_peak.set_data([view["peak"][0]], [view["peak"][1]])
        self.bound_point.set_data([view["point"][0]], [view["point"][1]])
        # The gap the E-step leaves (at the touch point): one number per epoch, so its pixels are cached.
        self.bound_text.set_text(bound_caption(view["epoch"], d["log_likelihood"][i, d["zero"]] - d["touch"][i],
                                               d["method"], self.words))

    def _table_columns(self):
        """(header, x in axes fraction, alignment, line within the row) per column."""
        return [("", 0.0, "left", 0), ("φ", 0.42, "right", 0), ("μ", 0.72, "right", 0), ("σ", 1.0, "right", 0)]

    compact_table = False

    def _build_table(self, ax, size):
        t = self.theme
        height_px = ax.get_position().height * self.preset["size"][1]
        line_step = LINE_STEP * size * self.preset["dpi"] / 72.0 / height_px

        def fitting_rows():
            columns = self._table_columns()
            lines = 1 + max(line for *_, line in columns)
            pitch = line_step * (lines + ROW_GAP * (lines > 1))
            return columns, pitch, max(1, min(self.k, MAX_TABLE_ROWS, int((1.0 - line_step * 1.4) / pitch)))

        self.compact_table = False
        columns, pitch, rows = fitting_rows()
        if rows < min(self.k, MAX_TABLE_ROWS):
            # Fewer lines per row (the legend already shows φ) rather than "… N more".
            self.compact_table = True
            columns, pitch, rows = fitting_rows()
        for header, x, align, line in columns:
            if line == 0:
                ax.text(x, 1.0, header, ha=align, va="top", fontsize=size, color=t["muted"],
                        transform=ax.transAxes)
        self.table_cells = []
        for r in range(rows):
            top = 1.0 - line_step * 1.4 - pitch * r
            row = []
            for c, (_, x, align, line) in enumerate(columns):
                color = self.colors[r] if c == 0 else t["foreground"] if line == 0 else t["muted"]
                row.append(self._add_dynamic(ax.text(x, top - line * line_step, "", ha=align, va="top",
                                                     fontsize=size, color=color, transform=ax.transAxes),
                                             "snapshot"))
            self.table_cells.append(row)
        if self.k > rows:
            ax.text(0.0, 1.0 - line_step * 1.4 - pitch * rows, self.words.gettext("… {count} more").format(count=self.k - rows), ha="left", va="top",
                    fontsize=size, color=t["muted"], transform=ax.transAxes)

    def _update_table(self, snap):
        """Fill the parameter table with one snapshot's values."""
        if "params" in self.panels:
            for j, row in enumerate(self.table_cells):
                for cell, value in zip(row, self._table_row(snap, j)):
                    cell.set_text(value)

    def _update_loglik(self, state):
        self._update_bound(state)
        if "weights" in self.panels:
            self.weights_panel.update(state)
        self._update_loglik_line(state)

    def _update_loglik_line(self, state):
        """Extend the log-likelihood line to the frame's progress and move the cursor."""
        if "loglik" not in self.panels:
            return
        i = state.snapshot
        xs = list(range(i + 1))
        ys = list(self.lls[: i + 1])
        if state.progress > i and i + 1 < len(self.lls):
            s = state.progress - i
            xs.append(state.progress)
            ys.append((1 - s) * self.lls[i] + s * self.lls[i + 1])
        self.ll_line.set_data(xs, ys)
        self.ll_line.set_markevery(list(range(i + 1)))
        self.ll_cursor.set_xdata([state.progress, state.progress])


#: Where the full-frame bound view's legend (with the gap caption beside it) may go, in order of preference.
LEGEND_PLACES = ("lower right", "upper left", "lower left", "upper right", "center right", "lower center",
                 "center left")


def bound_legend(ax, theme, size, lw, data, words=None):
    """Add the full-frame bound view's legend (in ``words``' language); returns where its gap caption goes.

    The caption's place is ((x, y) axes fraction, va).

    Legend and caption (two lines, on the legend's inner side) go where they cover the
    fewest points of any frame's curves (``data`` from
    :func:`~vizgmm.look.bound_view.bound_view_data`): the curves are drawn per frame,
    after the legend, so matplotlib's own ``loc="best"`` cannot see them.
    """
    handles = [Line2D([], [], color=theme["mixture"], lw=lw), Line2D([], [], color=theme["cursor"], lw=lw, ls="--"),
               Patch(facecolor=theme["cursor"], alpha=0.18),
               Line2D([], [], ls="none", marker="o", color=theme["mixture"], ms=4),
               Line2D([], [], ls="none", marker="^", color=theme["cursor"], ms=5)]
    w = get_words(words)
    labels = [w.gettext("log p on EM's path"), w.gettext("bound L(q, θ)"), w.gettext("gap: KL(q ‖ posterior)"),
              w.gettext("L where the E-step built it"), w.gettext("L's peak: the M-step's θ")]
    curves = np.column_stack([np.concatenate([data["path_x"], data["x"].ravel(), data["x"].ravel()]),
                              np.concatenate([data["path_log_likelihood"], data["bound"].ravel(),
                                              data["log_likelihood"].ravel()])])
    points = ax.transData.transform(curves)
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    caption_height = 2.7 * size * ax.figure.dpi / 72.0
    best = None
    for loc in LEGEND_PLACES:
        legend = ax.legend(handles, labels, loc=loc, fontsize=size * 0.85, frameon=True,
                           facecolor=theme["legend_face"], edgecolor=theme["muted"], framealpha=theme["legend_alpha"],
                           labelcolor=theme["foreground"])
        box = legend.get_window_extent(renderer)
        below = loc.startswith("upper")
        y0, y1 = (box.y0 - caption_height, box.y0) if below else (box.y1, box.y1 + caption_height)
        caption = Bbox.from_extents(box.x0, y0, box.x1, y1)
        covered = box.count_contains(points) + caption.count_contains(points)
        if y0 < frame.y0 or y1 > frame.y1:
            covered += len(points)  # the caption would leave the axes
        if best is None or covered < best[0]:
            best = (covered, loc, box.x1 - size * 0.3, y1 if below else y0, "top" if below else "bottom")
    _, loc, x, y, va = best
    ax.legend(handles, labels, loc=loc, fontsize=size * 0.85, frameon=True, facecolor=theme["legend_face"],
              edgecolor=theme["muted"], framealpha=theme["legend_alpha"], labelcolor=theme["foreground"])
    return tuple(ax.transAxes.inverted().transform((x, y))), va


def bound_caption(epoch, gap, method, words=None):
    """The bound panel's words: the gap the epoch's E-step leaves, and for hard EM that it stays open."""
    w = get_words(words)
    gap = float(gap) if abs(gap) >= 0.05 else 0.0  # no "−0.0" from rounding
    if method == "hard":
        return w.gettext("E-step gap {gap} at epoch {epoch}\nhard labels never close it").format(
            gap=w.number(gap, 1), epoch=epoch)
    return w.gettext("E-step gap {gap}\nthe bound touches").format(gap=w.number(gap, 1))


class WeightsPanel:
    """The weights panel: one bar per component, φ as it moves (a variational prior drains the unneeded).

    ``scene`` lends its theme, colours, labels, axes style, dynamic layer and fading rule.
    """

    def __init__(self, scene, ax, small):
        t = scene.theme
        scene._style_axes(ax)
        ax.tick_params(labelsize=small)
        rows = np.arange(scene.k)[::-1]  # component 1 on top, as in the legend
        self.bars = list(ax.barh(rows, np.zeros(scene.k), height=0.7, color=scene.colors))
        for bar in self.bars:
            scene._add_dynamic(bar)
        ax.set_yticks(rows, [scene._label(j) for j in range(scene.k)], fontsize=small)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, scene.k - 0.4)
        ax.set_xlabel(scene.words.gettext("weight φ"), fontsize=small)  # below, as the chart above it labels its own axis
        ax.grid(True, axis="x", color=t["grid"], linewidth=0.6)
        ax.set_axisbelow(True)
        if scene.fade_small:
            # Where a component counts as emptied by the prior: drawn faint below it.
            ax.axvline(FADE_WEIGHT, color=t["muted"], lw=0.8, ls=(0, (2, 2)))
        clear_tick_labels(ax, scene.ax, scene.preset, small)
        self.alpha = scene._component_alpha
        self.ax = ax

    def update(self, state):
        """Each bar's length is the frame's φ (in-between frames move it); faint below the fade line."""
        for j, bar in enumerate(self.bars):
            bar.set_width(float(state.weights[j]))
            bar.set_alpha(self.alpha(state.weights[j]))


def clear_tick_labels(ax, main_ax, preset, size):
    """Move a side panel right when its longest tick label would reach into the main plot ``main_ax``."""
    renderer = ax.figure.canvas.get_renderer()
    widest = max((label.get_window_extent(renderer).width for label in ax.get_yticklabels()
                  if label.get_text()), default=0.0)
    if not widest:
        ax.figure.canvas.draw()  # tick labels get their text at the first draw
        widest = max((label.get_window_extent(renderer).width for label in ax.get_yticklabels()), default=0.0)
    fig_w = preset["size"][0]
    room = (ax.get_position().x0 - main_ax.get_position().x1) * fig_w
    need = widest + size * preset["dpi"] / 72.0 * 1.2
    if need > room:
        box = ax.get_position()
        shift = (need - room) / fig_w
        ax.set_position([box.x0 + shift, box.y0, box.width - shift, box.height])
