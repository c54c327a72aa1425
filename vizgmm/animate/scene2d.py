"""The 2-D epoch plot (d > 2 through a projection): points by label, 1σ/2σ ellipses, means and their trail."""


import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse

from vizgmm.animate.scene import (
    ELLIPSE_MAX_VIEWS,
    Scene,
    ellipse_geometry,
    event_components,
    format_value,
    subsample_indices,
)
from vizgmm.errors import OptionError


class Scene2D(Scene):
    """Points coloured by responsibility, 1σ and 2σ ellipses, means with trails (d ≥ 2)."""

    def _build(self):
        super()._build()
        t, p = self.theme, self.preset
        history = self.history
        self._projection()
        ax = self.ax
        self.sub = subsample_indices(history.n, p["max_points"])
        self.sub_xy = self.project_points(history.X[self.sub])
        ax.set_xlabel(self.axis_names[0])
        ax.set_ylabel(self.axis_names[1])
        ax.grid(True, color=t["grid"], linewidth=0.6)
        ax.set_axisbelow(True)
        self.soft = history.settings.get("method", "soft") == "soft"
        self.rgb = np.array([c[:3] for c in self.colors])
        self.points = self._add_dynamic(ax.scatter(
            self.sub_xy[:, 0], self.sub_xy[:, 1], s=p["point_size_2d"], linewidths=0, alpha=0.75,
        ), "snapshot")
        self.snapshot_means = [self.project_means(s.means) for s in history]
        lw = p["line_width"]
        self.ellipses = []
        self.trails = []
        self.centres = []
        for j in range(self.k):
            color = self.colors[j]
            one = self._add_dynamic(ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, ec=color, lw=lw)))
            two = self._add_dynamic(ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, ec=color, lw=lw * 0.6,
                                                         ls=(0, (4, 3)))))
            self.ellipses.append((one, two))
            self.trails.append(self._add_dynamic(ax.plot([], [], color=color, lw=lw * 0.6, alpha=0.7,
                                                         marker="o", ms=lw * 1.3)[0]))
            self.centres.append(self._add_dynamic(ax.plot([], [], ls="none", marker="X", ms=lw * 5.5,
                                                          mfc=color, mec=t["foreground"], mew=0.8)[0]))
        handles = [Line2D([], [], color=self.colors[j], lw=lw, marker="X", ms=lw * 4) for j in range(self.k)]
        self.legend = self._add_dynamic(ax.legend(
            handles, [self._legend_text(j, 1.0) for j in range(self.k)], loc="upper right",
            facecolor=t["legend_face"], edgecolor=t["muted"], labelcolor=t["foreground"],
            framealpha=t["legend_alpha"],
        ), "overlay")
        self._set_limits()

    def _projection(self):
        """The linear map to the plane: (x − centre) @ W, W shape (d, 2)."""
        self.centre, self.W, self.axis_names = projection(self.history, self.features)

    def project_points(self, X):
        """Points in the plot's plane, shape (m, 2) for X of shape (m, d)."""
        return (X - self.centre) @ self.W

    def project_means(self, means):
        """Means in the plane, shape (k, 2)."""
        return (means - self.centre) @ self.W

    def project_covariances(self, covariances):
        """Wᵀ Σ W for each component, shape (k, 2, 2)."""
        return np.swapaxes(self.W, 0, 1)[None] @ covariances @ self.W[None]

    def _set_limits(self):
        """Data extent joined with every snapshot's 2σ ellipse box, padded, at equal scale on both axes."""
        xy = self.project_points(self.history.X)
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        # At least the final fit's own 2σ reach: identical points (a span of 0) are
        # still shown with the ellipse at the variance floor around them.
        final = self.history.final
        live = final.weights > 0
        c = self.project_covariances(final.covariances[live])
        final_reach = 2.0 * np.sqrt(np.clip(np.diagonal(c, axis1=1, axis2=2), 0, None)).max(axis=0)
        span = np.maximum(np.maximum(hi - lo, final_reach), 1e-12)
        data_lo, data_hi = lo.copy(), hi.copy()
        for snap in self.history:
            live = snap.weights > 0
            if not live.any():
                continue
            m = self.project_means(snap.means[live])
            c = self.project_covariances(snap.covariances[live])
            reach = 2.0 * np.sqrt(np.clip(np.diagonal(c, axis1=1, axis2=2), 0, None))
            lo = np.minimum(lo, (m - reach).min(axis=0))
            hi = np.maximum(hi, (m + reach).max(axis=0))
        lo = np.maximum(lo, data_lo - span)
        hi = np.minimum(hi, data_hi + span)
        pad = 0.04 * (hi - lo)
        lo, hi = lo - pad, hi + pad
        # Room at the top for the legend, so ellipses and points stay clear of it.
        hi[1] = lo[1] + (hi[1] - lo[1]) / (1 - min(self._legend_share(), 0.5))
        # Equal data units per pixel on both axes, so ellipses keep their true shape.
        bbox = self.ax.get_position()
        w_px = bbox.width * self.preset["size"][0]
        h_px = bbox.height * self.preset["size"][1]
        scale = max((hi[0] - lo[0]) / w_px, (hi[1] - lo[1]) / h_px)
        mid = (lo + hi) / 2
        half = np.array([w_px, h_px]) * scale / 2
        self.ax.set_xlim(mid[0] - half[0], mid[0] + half[0])
        self.ax.set_ylim(mid[1] - half[1], mid[1] + half[1])
        self._view = float(2 * half.max())

    def _legend_text(self, j, weight, collapsed=False):
        name = self.names[j] if self.names else f"component {j + 1}"
        return f"{name}  " + ("empty" if weight <= 0 else f"φ={weight:.2f}" + ("  collapsed" if collapsed else ""))

    def _point_colors(self, snapshot):
        """RGBA per drawn point, shape (m, 4): label colours (hard EM) or responsibility blends (soft)."""
        snap = self.history[snapshot]
        rgba = np.ones((len(self.sub), 4))
        if self.soft:
            if snap.responsibilities is not None:
                resp = np.asarray(snap.responsibilities, dtype=float)[self.sub]
            else:
                resp = self.history.posterior(snapshot, X=self.history.X[self.sub])
            rgba[:, :3] = np.clip(resp @ self.rgb, 0, 1)
        else:
            rgba[:, :3] = self.rgb[snap.labels[self.sub]]
        return rgba

    def _update_snapshot_scene(self, state):
        snap = self.history[state.snapshot]
        collapsed = event_components(snap.events, "collapse")
        for j, text in enumerate(self.legend.get_texts()):
            text.set_text(self._legend_text(j, snap.weights[j], j in collapsed))
        self.points.set_facecolor(self._point_colors(state.snapshot))

    def _update_frame_scene(self, state):
        means = self.project_means(state.means)
        covs = self.project_covariances(state.covariances)
        for j in range(self.k):
            live = state.weights[j] > 0
            for radius, patch in zip((1.0, 2.0), self.ellipses[j]):
                centre, width, height, angle = ellipse_geometry(means[j], covs[j], radius)
                patch.set_center(centre)
                patch.width, patch.height, patch.angle = width, height, angle
                # Agg dashes a path along its whole length, even off the canvas: an ellipse
                # thousands of views wide would take minutes to draw and shows only as a line.
                patch.set_visible(live and max(width, height) <= ELLIPSE_MAX_VIEWS * self._view)
            past = self.snapshot_means[: state.snapshot + 1]
            trail = np.array([m[j] for m in past] + [means[j]])
            self.trails[j].set_data(trail[:, 0], trail[:, 1])
            self.centres[j].set_data([means[j, 0]], [means[j, 1]])
            self.centres[j].set_alpha(1.0 if live else 0.35)

    def _table_columns(self):
        # μ is a pair: it gets its own line under the name so the column stays narrow.
        return [("", 0.0, "left", 0), ("φ", 1.0, "right", 0), ("", 0.06, "left", 1)]

    def _table_row(self, state, j):
        m = self.project_means(state.means[j:j + 1])[0]
        return (self._label(j), f"{state.weights[j]:.2f}", f"μ = ({format_value(m[0])}, {format_value(m[1])})")


def projection(history, features=None):
    """The frames' map from the data to the plane: ``(x − centre) @ W``.

    Two chosen features, the data itself when d = 2, else the first two
    principal components (signs fixed so the picture does not flip).
    Returns ``centre`` shape (d,), ``W`` shape (d, 2) and the two axis names.
    """
    X = history.X
    d = X.shape[1]
    names = list(history.meta.get("feature_names") or [f"x{i + 1}" for i in range(d)])
    if len(names) != d:
        names = [f"x{i + 1}" for i in range(d)]
    if features is not None:
        try:
            a, b = (int(f) for f in features)
        except (TypeError, ValueError):
            raise OptionError(f"features must be two feature indices, got {features!r}") from None
        if not (0 <= a < d and 0 <= b < d) or a == b:
            raise OptionError(f"features must be two different indices from 0 to {d - 1}, got {a}, {b}")
        W = np.zeros((d, 2))
        W[a, 0] = W[b, 1] = 1.0
        centre = np.zeros(d)
        axis_names = [names[a], names[b]]
    elif d == 2:
        W = np.eye(2)
        centre = np.zeros(2)
        axis_names = names
    else:
        centre = X.mean(axis=0)
        cov = np.cov(X, rowvar=False)
        vals, vecs = np.linalg.eigh(cov)
        order = np.argsort(vals)[::-1][:2]
        W = vecs[:, order]
        # Make the largest loading of each axis positive so the picture does not flip between runs.
        signs = np.sign(W[np.abs(W).argmax(axis=0), [0, 1]])
        W *= np.where(signs == 0, 1, signs)
        share = vals[order] / vals.sum() if vals.sum() > 0 else np.zeros(2)
        axis_names = [f"PC{i + 1} ({share[i]:.0%} of variance)" for i in range(2)]
    return centre, W, axis_names
