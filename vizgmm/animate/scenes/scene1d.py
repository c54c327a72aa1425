"""The walk-through's 1-D epoch plot: histogram, φ-weighted normals, mixture, labelled points."""


import numpy as np

from vizgmm.animate.fast.rug import Rug
from vizgmm.animate.scenes.base import Scene
from vizgmm.look.geometry import CURVE_SAMPLES, RUG_DEPTH, histogram_edges, subsample_indices
from vizgmm.look.notes import event_components, format_value, rounded_weights
from vizgmm.look.view import component_curves, curve_top, line_limits

# Opacity of one point of the rug: where points pile up the rug darkens towards the component's colour.
RUG_ALPHA = 0.55


class Scene1D(Scene):
    """The walk-through's epoch plot: histogram, φ-weighted normals, mixture, labelled points."""

    def _build(self):
        super()._build()
        t, p = self.theme, self.preset
        history = self.history
        x = history.X[:, 0]
        density, edges = np.histogram(x, bins=histogram_edges(x), density=True)
        xlo, xhi = line_limits(history) if self.view is None else self.view
        self.grid = np.linspace(xlo, xhi, CURVE_SAMPLES)
        ax = self.ax
        ax.set_xlim(xlo, xhi)
        ax.stairs(density, edges, fill=True, color=t["histogram"], alpha=t["histogram_alpha"], lw=0)
        ax.axhline(0, color=t["muted"], lw=0.8)
        names = history.meta.get("feature_names") or ["x"]
        ax.set_xlabel(names[0])
        ax.set_ylabel(self.words.gettext("density"))
        self.sub = subsample_indices(history.n, p["max_points"])
        self.sub_x = x[self.sub]
        # All points as one artist whose cost does not grow with them (see animate/rug.py).
        self.rug = Rug(0.0, self.colors, markersize=np.sqrt(p["point_size"]), alpha=RUG_ALPHA)
        self._add_dynamic(ax.add_artist(self.rug), "snapshot")
        lw = p["line_width"]
        # The mixture goes under the components, so where one component
        # carries the whole density its own colour stays visible.
        self.total = self._add_dynamic(
            ax.plot(self.grid, np.zeros_like(self.grid), color=t["mixture"], lw=lw * 0.75,
                    ls=(0, (3, 2)), alpha=0.75)[0]
        )
        self.curves = [
            self._add_dynamic(ax.plot(self.grid, np.zeros_like(self.grid), color=self.colors[j], lw=lw)[0])
            for j in range(self.k)
        ]
        self.legend = self._add_dynamic(ax.legend(
            self.curves + [self.total], [self._legend_text(j, 0.0, 1.0, 1.0) for j in range(self.k)]
            + [self.words.gettext("mixture")],
            loc="upper right", facecolor=t["legend_face"], edgecolor=t["muted"], labelcolor=t["foreground"],
            framealpha=t["legend_alpha"],
        ), "overlay")
        # Room above the tallest curve for the legend, so no curve ever passes under it.
        legend_share = min(self._legend_share(), 0.5)
        # The data's height is the player's too (look.view.curve_top); the legend's band goes above it.
        self.content_top = curve_top(history, self.grid, float(density.max()))
        top = self.content_top / (1 - legend_share * (1 + RUG_DEPTH))
        ax.set_ylim(-RUG_DEPTH * top, top)
        ax.set_yticks([v for v in ax.get_yticks() if 0 <= v <= top])
        self.rug_y = -RUG_DEPTH * top * 0.5
        self.rug.y = self.rug_y

    def _component_curves(self, means, stds, weights):
        """The components' curves on this scene's grid (:func:`vizgmm.look.view.component_curves`)."""
        return component_curves(self.grid, means, stds, weights)

    def _legend_text(self, j, mean, std, weight, collapsed=False, shown=None):
        base = f"N({format_value(mean)}, {format_value(std)})"
        w = self.words
        base += ("  " + w.gettext("empty") if weight <= 0 else f"  φ={w.number(weight if shown is None else shown, 2)}"
                 + ("  " + w.gettext("collapsed") if collapsed else ""))
        return f"{self.names[j]}: {base}" if self.names else base

    def _update_snapshot_scene(self, state):
        snap = self.history[state.snapshot]
        stds = np.sqrt(snap.covariances[:, 0, 0])
        collapsed = event_components(snap.events, "collapse")
        phi = rounded_weights(snap.weights)  # shown φ sum to 1
        for j, text in enumerate(self.legend.get_texts()[: self.k]):
            text.set_text(self._legend_text(j, snap.means[j, 0], stds[j], snap.weights[j], j in collapsed, phi[j]))
            # A component the prior drained fades in the legend as in the picture (variational fits).
            text.set_alpha(self._component_alpha(snap.weights[j]))
            self.legend.legend_handles[j].set_alpha(self._component_alpha(snap.weights[j]))
        self.rug.set_points(self.sub_x, snap.labels[self.sub])

    def _update_frame_scene(self, state):
        means = state.means[:, 0]
        stds = np.sqrt(state.covariances[:, 0, 0])
        curves = self._component_curves(means, stds, state.weights)
        for j, line in enumerate(self.curves):
            line.set_ydata(curves[j])
            line.set_visible(state.weights[j] > 0)
            line.set_alpha(self._component_alpha(state.weights[j]))
        self.total.set_ydata(curves.sum(axis=0))

    def _table_row(self, state, j):
        return (self._label(j), f"{rounded_weights(state.weights)[j]:.2f}", format_value(state.means[j, 0]),
                format_value(np.sqrt(state.covariances[j, 0, 0])))
