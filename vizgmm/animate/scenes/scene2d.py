"""The 2-D epoch plot (d > 2 through a projection): points by label, 1σ/2σ ellipses, means and their trail.

Each axis is scaled to its own data by default (``aspect="auto"``): two
columns on different scales (minutes 1.6-5.1 against 43-96) both fill the
frame, and the ellipses are still exact in data coordinates, as any scatter
with unequal axes shows them. The limits (:mod:`vizgmm.look.view`, the
player's too) hold every point and the final fit's ellipses, so a wide first
guess may leave the frame (clipped) rather than shrink the answer. Data with more than two features is
drawn on its first two principal components of the z-scores, unless
``standardize=False`` or ``features=(i, j)``.
"""



import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse

from vizgmm.animate.scenes.base import ELLIPSE_MAX_VIEWS, Scene
from vizgmm.animate.scenes.table2d import Table2D
from vizgmm.look.geometry import ellipse_geometry, projection, subsample_indices
from vizgmm.look.names import component_label
from vizgmm.look.notes import BLEND_LABEL, event_components, rounded_weights
from vizgmm.look.trails import trail_segments
from vizgmm.look.view import edge_marker, emptiest_corner, equal_box, plane_limits

# Beyond the drawn subsample, points are faint, so the ellipses and means stay readable.
POINT_ALPHA, DENSE_POINT_ALPHA = 0.75, 0.35
# zorder: grid < points < halos < ellipses < trails < means < legend and notes.
Z_POINTS, Z_HALO, Z_ELLIPSE, Z_TRAIL, Z_MEAN = 2, 3, 4, 5, 6


class Scene2D(Table2D, Scene):
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
            # Steps and epoch dots each with their own opacity (look/trails.py: older steps fade).
            self.trails.append((
                self._add_dynamic(ax.add_collection(LineCollection([], colors=[color], linewidths=lw * 0.6,
                                                                   zorder=Z_TRAIL), autolim=False)),
                self._add_dynamic(ax.scatter([], [], s=(lw * 1.3) ** 2, c=[color], linewidths=0, zorder=Z_TRAIL)),
            ))
            self.centres.append(self._add_dynamic(ax.plot([], [], ls="none", marker="X", ms=lw * 5.5,
                                                          mfc=color, mec=t["foreground"], mew=0.8,
                                                          zorder=Z_MEAN)[0]))
        handles = [Line2D([], [], color=self.colors[j], lw=lw, marker="X", ms=lw * 4) for j in range(self.k)]
        labels = [self._legend_text(j, 1.0) for j in range(self.k)]
        if self.soft and self.k > 1:
            # Blended points are no extra class: one entry, in the half-and-half blend of the first two.
            halfway = tuple((np.asarray(self.colors[0][:3]) + np.asarray(self.colors[1][:3])) / 2)
            handles.append(Line2D([], [], ls="none", marker="o", mfc=halfway, mec="none", ms=lw * 3))
            labels.append(self.words.gettext(BLEND_LABEL))
        self.legend = self._add_dynamic(ax.legend(
            handles, labels, loc="upper right",
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
        """The shared view (:func:`~vizgmm.look.view.plane_limits`, the player's too); with aspect="equal"
        the axes box takes the limits' shape, so one unit is as long on both axes and the data fill it."""
        if self.view is None:
            lo, hi = plane_limits(self.history, self, self.aspect)
        else:
            lo, hi = (np.array(v, dtype=float) for v in self.view)
        room = None
        if self.aspect == "equal":
            fig_w, fig_h = self.preset["size"]
            rect = self.ax.get_position()
            x, y, w, h = equal_box(rect.width * fig_w, rect.height * fig_h, lo, hi)
            self.ax.set_position([rect.x0 + x / fig_w, rect.y0 + y / fig_h, w / fig_w, h / fig_h])
            room = (x, y)  # pixels left free beside and above the box
        self.ax.set_xlim(lo[0], hi[0])
        self.ax.set_ylim(lo[1], hi[1])
        self._view = hi - lo
        self._place_legend(room)

    def _place_legend(self, room=None):
        """Put the legend in the corner where it covers the fewest of the final fit's points (upper right on a tie),
        or, when it covers some in every corner, in the room an equal-aspect box leaves above or beside it.

        The view keeps no room for the legend (issue 20.7: that emptied the top third of
        the frame, and made the frames' limits differ from the player's).
        """
        renderer = self.canvas.get_renderer()
        extent = self.legend.get_window_extent(renderer)
        box = extent.transformed(self.ax.transAxes.inverted())
        to_axes = self.ax.transLimits.transform
        best, covered = emptiest_corner((box.width + 0.02, box.height + 0.02), to_axes(self.sub_xy),
                                        to_axes(self.project_means(self.history.final.means)))
        gap = self._em()[1] * self.preset["size"][1] * 0.5
        axes_px = self.ax.get_window_extent(renderer)
        if covered and room is not None and room[1] >= extent.height + 2 * gap:
            best, anchor = "lower right", (1.0, 1.0 + gap / axes_px.height)
            self.legend.set_bbox_to_anchor(anchor, transform=self.ax.transAxes)
        elif covered and room is not None and room[0] >= extent.width + 2 * gap:
            best, anchor = "upper left", (1.0 + gap / axes_px.width, 1.0)
            self.legend.set_bbox_to_anchor(anchor, transform=self.ax.transAxes)
        if hasattr(self.legend, "set_loc"):
            self.legend.set_loc(best)
        else:  # matplotlib 3.7
            self.legend._loc = self.legend.codes[best]

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
        for j, text in enumerate(self.legend.get_texts()[: self.k]):
            text.set_text(self._legend_text(j, snap.weights[j], j in collapsed, phi[j]))
            # A component the prior drained fades in the legend as in the picture (variational fits).
            text.set_alpha(self._component_alpha(snap.weights[j]))
            self.legend.legend_handles[j].set_alpha(self._component_alpha(snap.weights[j]))
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
            self._draw_trail(j, state, means[j], alpha)
            x, y, marker = self._marker_in_view(means[j])
            self.centres[j].set_data([x], [y])
            self.centres[j].set_marker(marker)
            self.centres[j].set_alpha(alpha if live else 0.35)

    def _draw_trail(self, j, state, mean, alpha):
        """Component j's trail up to this frame (its mean at each epoch so far, then ``mean``)."""
        lines, dots = self.trails[j]
        past = [m[j] for m in self.snapshot_means[: state.snapshot + 1]]
        (x0, x1), (y0, y1) = self.ax.get_xlim(), self.ax.get_ylim()
        # On an in-between frame the mean is on its way to the next epoch: one more, partial step.
        path = past if np.array_equal(mean, past[-1]) else past + [mean]
        segments, opacity = trail_segments(path, (x0, y0), (x1, y1), self.trail_mode)
        rgba = np.tile(self.colors[j], (len(segments), 1))
        rgba[:, 3] = opacity * alpha
        lines.set_segments(segments)
        lines.set_color(rgba)
        dots.set_offsets(segments[:, 0] if len(segments) else np.zeros((0, 2)))
        dots.set_facecolor(rgba)

    def _marker_in_view(self, mean):
        """Where a mean's marker goes: at the mean, or an arrowhead on the edge (see :func:`edge_marker`)."""
        return edge_marker(mean, self.ax.get_xlim(), self.ax.get_ylim())
