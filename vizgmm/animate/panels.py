"""The side panels beside a scene's plot: the log-likelihood chart and the parameter table."""

import numpy as np

MAX_TABLE_ROWS = 8


class SidePanels:
    """Mixin for :class:`~vizgmm.animate.scene.Scene`: builds and updates the side panels.

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
        each = (h - gap * (n - 1)) / n
        small = self.preset["panel_size"]
        for slot, panel in enumerate(self.panels):
            rect = [x0, y0 + (n - 1 - slot) * (each + gap), w, each]
            if panel == "loglik":
                ax = self.fig.add_axes(rect)
                self._style_axes(ax)
                ax.tick_params(labelsize=small)
                epochs = max(len(self.lls) - 1, 1)
                finite = self.lls[np.isfinite(self.lls)]
                lo, hi = (finite.min(), finite.max()) if finite.size else (-1.0, 0.0)
                pad = (hi - lo) * 0.08 or max(abs(hi) * 0.01, 1.0)
                ax.set_xlim(-0.02 * epochs, epochs * 1.02)
                ax.set_ylim(lo - pad, hi + pad)
                ax.set_title("total log-likelihood", fontsize=small, color=t["foreground"])
                # With half_steps every epoch takes two stops (E, M): the axis counts those.
                halves = getattr(self.history[0], "step", None)
                ax.set_xlabel("E- and M-steps" if halves else "epoch", fontsize=small)
                ax.grid(True, color=t["grid"], linewidth=0.6)
                ax.xaxis.get_major_locator().set_params(integer=True)
                ax.yaxis.get_offset_text().set_fontsize(small)
                self.ll_line = self._add_dynamic(ax.plot([], [], color=t["foreground"], lw=1.4,
                                                         marker="o", ms=3)[0])
                self.ll_cursor = self._add_dynamic(ax.axvline(0, color=t["cursor"], lw=1.2))
                self.ax_ll = ax
            else:
                ax = self.fig.add_axes(rect)
                ax.set_axis_off()
                self._build_table(ax, small)

    def _table_columns(self):
        """(header, x in axes fraction, alignment, line within the row) per column."""
        return [("", 0.0, "left", 0), ("φ", 0.42, "right", 0), ("μ", 0.72, "right", 0), ("σ", 1.0, "right", 0)]

    def _build_table(self, ax, size):
        t = self.theme
        columns = self._table_columns()
        lines = 1 + max(line for *_, line in columns)
        height_px = ax.get_position().height * self.preset["size"][1]
        line_step = 1.7 * size * self.preset["dpi"] / 72.0 / height_px
        pitch = line_step * (lines + 0.5 * (lines > 1))
        rows = max(1, min(self.k, MAX_TABLE_ROWS, int((1.0 - line_step) / pitch)))
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
            ax.text(0.0, 1.0 - line_step * 1.4 - pitch * rows, f"… {self.k - rows} more", ha="left", va="top",
                    fontsize=size, color=t["muted"], transform=ax.transAxes)

    def _update_table(self, snap):
        """Fill the parameter table with one snapshot's values."""
        if "params" in self.panels:
            for j, row in enumerate(self.table_cells):
                for cell, value in zip(row, self._table_row(snap, j)):
                    cell.set_text(value)

    def _update_loglik(self, state):
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
