"""The 2-D epoch plot (d > 2 through a projection): points by label, 1σ/2σ ellipses, means and their trail.

Each axis is scaled to its own data by default (``aspect="auto"``): two
columns on different scales (minutes 1.6-5.1 against 43-96) both fill the
frame, and the ellipses are still exact in data coordinates, as any scatter
with unequal axes shows them. The limits come from robust quantiles of the
data and the fit's later epochs, so a wide first guess may leave the frame
(clipped) rather than shrink the answer. Data with more than two features is
drawn on its first two principal components of the z-scores, unless
``standardize=False`` or ``features=(i, j)``.
"""



import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse

from vizgmm.animate.scenes.base import ELLIPSE_MAX_VIEWS, Scene
from vizgmm.look.geometry import data_limits, ellipse_geometry, projection, subsample_indices
from vizgmm.look.names import component_label
from vizgmm.look.notes import event_components, rounded_weights

# Beyond the drawn subsample, points are faint, so the ellipses and means stay readable.
POINT_ALPHA, DENSE_POINT_ALPHA = 0.75, 0.35
# zorder: grid < points < halos < ellipses < trails < means < legend and notes.
Z_POINTS, Z_HALO, Z_ELLIPSE, Z_TRAIL, Z_MEAN = 2, 3, 4, 5, 6
# How many of a mean's coordinates the parameter table shows for d > 2.
TABLE_COORDS = 3


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
        dense = history.n > p["max_points"]
        self.points = self._add_dynamic(ax.scatter(
            self.sub_xy[:, 0], self.sub_xy[:, 1], s=p["point_size_2d"] * (0.7 if dense else 1.0), linewidths=0,
            alpha=DENSE_POINT_ALPHA if dense else POINT_ALPHA, zorder=Z_POINTS,
        ), "snapshot")
        self.snapshot_means = [self.project_means(s.means) for s in history]
        lw = p["line_width"]
        # A halo in the axes' colour under each ellipse parts it from the points in both themes.
        halo = t["axes"] if t["axes"] not in ("none", "transparent") else t["background"]
        self.ellipses = []
        self.halos = []
        self.trails = []
        self.centres = []
        for j in range(self.k):
            color = self.colors[j]
            halos = tuple(
                self._add_dynamic(ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, ec=halo, lw=width, alpha=0.85,
                                                       zorder=Z_HALO)))
                for width in (lw * 2.8, lw * 2.0)
            )
            one = self._add_dynamic(ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, ec=color, lw=lw,
                                                         zorder=Z_ELLIPSE)))
            two = self._add_dynamic(ax.add_patch(Ellipse((0, 0), 1, 1, fill=False, ec=color, lw=lw * 0.7,
                                                         ls=(0, (4, 3)), zorder=Z_ELLIPSE)))
            self.ellipses.append((one, two))
            self.halos.append(halos)
            self.trails.append(self._add_dynamic(ax.plot([], [], color=color, lw=lw * 0.6, alpha=0.8,
                                                         marker="o", ms=lw * 1.3, zorder=Z_TRAIL)[0]))
            self.centres.append(self._add_dynamic(ax.plot([], [], ls="none", marker="X", ms=lw * 5.5,
                                                          mfc=color, mec=t["foreground"], mew=0.8,
                                                          zorder=Z_MEAN)[0]))
        handles = [Line2D([], [], color=self.colors[j], lw=lw, marker="X", ms=lw * 4) for j in range(self.k)]
        self.legend = self._add_dynamic(ax.legend(
            handles, [self._legend_text(j, 1.0) for j in range(self.k)], loc="upper right",
            facecolor=t["legend_face"], edgecolor=t["muted"], labelcolor=t["foreground"],
            framealpha=t["legend_alpha"],
        ), "overlay")
        self._set_limits()

    def _projection(self):
        """The linear map to the plane, shared with the player: see :func:`projection`."""
        vars(self).update(vars(projection(self.history, self.features, self.standardize)))

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
        """Robust data limits joined with the later epochs' 2σ boxes, padded; per axis or at equal scale."""
        if self.view is None:
            lo, hi = data_limits(self.history, self)
        else:
            lo, hi = (np.array(v, dtype=float) for v in self.view)
        # Room at the top for the legend, so ellipses and points stay clear of it.
        hi[1] = lo[1] + (hi[1] - lo[1]) / (1 - min(self._legend_share(), 0.5))
        if self.aspect == "equal":
            # Equal data units per pixel on both axes, so ellipses keep their true shape.
            bbox = self.ax.get_position()
            w_px = bbox.width * self.preset["size"][0]
            h_px = bbox.height * self.preset["size"][1]
            scale = max((hi[0] - lo[0]) / w_px, (hi[1] - lo[1]) / h_px)
            mid = (lo + hi) / 2
            half = np.array([w_px, h_px]) * scale / 2
            lo, hi = mid - half, mid + half
        self.ax.set_xlim(lo[0], hi[0])
        self.ax.set_ylim(lo[1], hi[1])
        self._view = hi - lo

    def _legend_text(self, j, weight, collapsed=False, shown=None):
        w = self.words
        name = component_label(self.names, j, w)
        return f"{name}  " + (w.gettext("empty") if weight <= 0 else f"φ={w.number(weight if shown is None else shown, 2)}"
                              + ("  " + w.gettext("collapsed") if collapsed else ""))

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
        phi = rounded_weights(snap.weights)  # shown φ sum to 1
        for j, text in enumerate(self.legend.get_texts()):
            text.set_text(self._legend_text(j, snap.weights[j], j in collapsed, phi[j]))
        self.points.set_facecolor(self._point_colors(state.snapshot))

    def _update_frame_scene(self, state):
        means = self.project_means(state.means)
        covs = self.project_covariances(state.covariances)
        for j in range(self.k):
            live = state.weights[j] > 0
            alpha = self._component_alpha(state.weights[j])
            for radius, patch, halo in zip((1.0, 2.0), self.ellipses[j], self.halos[j]):
                centre, width, height, angle = ellipse_geometry(means[j], covs[j], radius)
                # Agg dashes a path along its whole length, even off the canvas: an ellipse
                # thousands of views wide would take minutes to draw and shows only as a line.
                reach = np.sqrt(np.clip(np.diag(covs[j]), 0, None)) * 2 * radius
                visible = bool(live and (reach <= ELLIPSE_MAX_VIEWS * self._view).all())
                for artist in (patch, halo):
                    artist.set_center(centre)
                    artist.width, artist.height, artist.angle = width, height, angle
                    artist.set_visible(visible)
                patch.set_alpha(alpha)
                halo.set_alpha(0.85 * alpha)
            past = self.snapshot_means[: state.snapshot + 1]
            trail = np.array([m[j] for m in past] + [means[j]])
            self.trails[j].set_data(trail[:, 0], trail[:, 1])
            self.trails[j].set_alpha(0.8 * alpha)
            x, y, marker = self._marker_in_view(means[j])
            self.centres[j].set_data([x], [y])
            self.centres[j].set_marker(marker)
            self.centres[j].set_alpha(alpha if live else 0.35)

    def _marker_in_view(self, mean):
        """Where a mean's marker goes: at the mean ("X"), or, for a guess outside the view, an arrowhead
        on the edge pointing towards it."""
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        x, y = float(mean[0]), float(mean[1])
        if x0 <= x <= x1 and y0 <= y <= y1:
            return x, y, "X"
        inset = 0.015
        cx = min(max(x, x0 + inset * (x1 - x0)), x1 - inset * (x1 - x0))
        cy = min(max(y, y0 + inset * (y1 - y0)), y1 - inset * (y1 - y0))
        # Point the arrowhead along the side the mean overshoots most (in axes fractions).
        over_x = max(x0 - x, x - x1, 0) / (x1 - x0)
        over_y = max(y0 - y, y - y1, 0) / (y1 - y0)
        if over_x >= over_y:
            return cx, cy, ">" if x > x1 else "<"
        return cx, cy, "^" if y > y1 else "v"

    # -- the parameter table: in the data's own units ------------------------
    def _table_columns(self):
        # μ and the spreads get lines of their own under the name, so the columns stay narrow;
        # a compact table (many components) puts μ beside the name and leaves φ to the legend.
        if self.compact_table:
            return [("", 0.0, "left", 0), ("", 0.06, "left", 1)]
        return [("", 0.0, "left", 0), ("φ", 1.0, "right", 0), ("", 0.06, "left", 1), ("", 0.06, "left", 2)]

    def _table_row(self, state, j):
        mean, cov = state.means[j], state.covariances[j]
        if self.axis_features is not None:
            a, b = self.axis_features
            sa, sb = np.sqrt(max(cov[a, a], 0.0)), np.sqrt(max(cov[b, b], 0.0))
            rho = cov[a, b] / (sa * sb) if sa > 0 and sb > 0 else 0.0
            where = f"μ ({_short(mean[a])}, {_short(mean[b])})"
        else:
            # The mean in the data's units; the spreads along the drawn principal components.
            shown = ", ".join(_short(v) for v in mean[:TABLE_COORDS])
            where = f"μ ({shown}{', …' if len(mean) > TABLE_COORDS else ''})"
            c = self.project_covariances(cov[None])[0]
            sa, sb = np.sqrt(np.clip(np.diag(c), 0, None))
            rho = c[0, 1] / (sa * sb) if sa > 0 and sb > 0 else 0.0
        spread = f"σ ({_short(sa)}, {_short(sb)})  ρ {_short(rho, 2)}"
        if self.compact_table:
            return (f"{self._label(j)}  {where}", spread)
        return (self._label(j), f"{state.weights[j]:.2f}", where, spread)


def _short(value, digits=3):
    """A table number in few characters: 3 significant digits, a typographic minus."""
    value = float(value)
    text = f"{value:.{digits}g}" if abs(value) < 1e5 else f"{value:.2e}"
    return text.replace("-", "\u2212")
