"""The side panels beside a scene's plot: the log-likelihood chart, the lower bound, the weights and the parameter table."""

import numpy as np

from vizgmm.animate.scenes.bound_panel import BoundPanel
from vizgmm.animate.scenes.ticks import LoglikFormatter, clear_tick_labels
from vizgmm.animate.scenes.ticks import loglik_tick as loglik_tick  # where tests and users found it
from vizgmm.look.variational import FADE_WEIGHT

MAX_TABLE_ROWS = 8
# Table lines, in font sizes apart; a row of several lines gets this much more before the next.
LINE_STEP = 1.35
ROW_GAP = 0.35


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

    def _build_bound(self, ax, size):
        """The lower-bound panel (:class:`~vizgmm.animate.scenes.bound_panel.BoundPanel`); its artists as ``bound_*``."""
        self.bound_panel = panel = BoundPanel(self, ax, size)
        self.ax_bound, self.bound_data = ax, panel.data
        for name in ("gap", "path_line", "line", "touch", "peak", "point", "text"):
            setattr(self, f"bound_{name}", getattr(panel, name))

    def _bound_frame(self, state):
        """What of the bound panel stands still through the frame's snapshot: (key, artists); see its ``frame``."""
        return self.bound_panel.frame(state) if "bound" in self.panels else (None, ())

    def _update_bound(self, state):
        if "bound" in self.panels:
            self.bound_panel.update()

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
