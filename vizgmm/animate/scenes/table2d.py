"""The 2-D scene's parameter table: φ, μ and σ in the data's own units (the drawn axes' features, or the first few)."""

import numpy as np

from vizgmm.look.notes import TABLE_COORDS, rounded_weights


class Table2D:
    """Mixin for :class:`~vizgmm.animate.scenes.scene2d.Scene2D`: the side panel's columns and rows.

    Uses the scene's ``history``, ``axis_features``, ``compact_table`` and ``_label``.
    """

    def _table_columns(self):
        # μ and the spreads get lines of their own under the name, so the columns stay narrow;
        # a compact table (many components) puts μ beside the name and leaves φ to the legend.
        # For d > 2 drawn on principal components, the table's μ and σ are features' (the header says which).
        units = "" if self.axis_features is not None or self.history.d <= 2 else (
            "μ, σ in data units" if self.history.d <= TABLE_COORDS else f"μ, σ: columns 1–{TABLE_COORDS}")
        if self.compact_table:
            return [(units, 0.0, "left", 0), ("", 0.06, "left", 1)]
        return [(units, 0.0, "left", 0), ("φ", 1.0, "right", 0), ("", 0.06, "left", 1), ("", 0.06, "left", 2)]

    def _table_row(self, state, j):
        mean, cov = state.means[j], state.covariances[j]
        if self.axis_features is not None:
            a, b = self.axis_features
            sa, sb = np.sqrt(max(cov[a, a], 0.0)), np.sqrt(max(cov[b, b], 0.0))
            rho = cov[a, b] / (sa * sb) if sa > 0 and sb > 0 else 0.0
            where = f"μ ({_short(mean[a])}, {_short(mean[b])})"
        else:
            # μ and σ both in the data's units, feature by feature (the first few): the drawn axes are
            # principal components, whose units no reader measures in (issue 20.4: σ was in PC units).
            more = ", …" if len(mean) > TABLE_COORDS else ""
            where = f"μ ({', '.join(_short(v) for v in mean[:TABLE_COORDS])}{more})"
            sd = np.sqrt(np.clip(np.diag(cov)[:TABLE_COORDS], 0, None))
            spread = f"σ ({', '.join(_short(v) for v in sd)}{more})"
            return (f"{self._label(j)}  {where}", spread) if self.compact_table else (
                self._label(j), f"{rounded_weights(state.weights)[j]:.2f}", where, spread)
        spread = f"σ ({_short(sa)}, {_short(sb)})  ρ {_short(rho, 2)}"
        if self.compact_table:
            return (f"{self._label(j)}  {where}", spread)
        return (self._label(j), f"{rounded_weights(state.weights)[j]:.2f}", where, spread)



def _short(value, digits=3):
    """A table number in few characters: 3 significant digits, a typographic minus."""
    value = float(value)
    text = f"{value:.{digits}g}" if abs(value) < 1e5 else f"{value:.2e}"
    return text.replace("-", "\u2212")
