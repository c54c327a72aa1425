"""Drawing one epoch of a History on a matplotlib Figure: the 1-D and 2-D scenes.

A scene builds one Figure, draws everything that never changes (axes,
ticks, the histogram, panel frames) once, and keeps a copy of those pixels.
Each frame restores that copy and draws only the artists that move
(curves, points, ellipses, legend, title): matplotlib's blitting. Axis
limits and component colours are fixed when the scene is built, from every
snapshot, so they are the same in every frame.

Per-frame cost does not grow with the number of points: the histogram is
computed once from all the data, and the points are a deterministic
subsample of at most ``preset["max_points"]``.
"""

import textwrap
import warnings

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Ellipse
from scipy.special import ndtr

from . import fonts
from .errors import OptionError

HIST_BINS = 50
CURVE_SAMPLES = 600
SUBSAMPLE_SEED = 0
PANELS = ("loglik", "params")
MAX_TABLE_ROWS = 8
# Share of the axes below the baseline used for the 1-D points.
RUG_DEPTH = 0.07
# A 1-D curve may reach this many times the histogram's top before it is
# clipped: a collapsing component's spike should not flatten everything else.
CURVE_HEADROOM = 2.5
# Where the event note starts (axes fractions), and the narrowest it is wrapped to beside the legend.
NOTE_XY = (0.01, 0.985)
NOTE_MIN_CHARS = 24
# A 2-D ellipse larger than this many widths of the view is not drawn (see Scene2D).
ELLIPSE_MAX_VIEWS = 50


def make_scene(history, **opts):
    """The scene for a history: :class:`Scene1D` for d = 1, else :class:`Scene2D`."""
    cls = Scene1D if history.d == 1 else Scene2D
    return cls(history, **opts)


def subsample_indices(n, limit, seed=SUBSAMPLE_SEED):
    """Sorted indices of at most ``limit`` of n points, the same on every call, shape (m,)."""
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))


def ellipse_geometry(mean, covariance, radius=1.0):
    """Centre, full width, full height and angle (degrees) of a covariance ellipse.

    The ellipse is {x : (x − μ)ᵀ Σ⁻¹ (x − μ) = radius²}: its semi-axes are
    radius·√λ for the eigenvalues λ of Σ, the width along the eigenvector of
    the largest eigenvalue, the angle that eigenvector's direction.

    Parameters
    ----------
    mean : array, shape (2,)
    covariance : array, shape (2, 2)
    """
    vals, vecs = np.linalg.eigh(np.asarray(covariance, dtype=float))
    vals = np.clip(vals, 0.0, None)
    major = vecs[:, 1]
    angle = np.degrees(np.arctan2(major[1], major[0]))
    return (
        (float(mean[0]), float(mean[1])),
        2.0 * radius * float(np.sqrt(vals[1])),
        2.0 * radius * float(np.sqrt(vals[0])),
        float(angle),
    )


def format_value(value):
    """A parameter value as the legend shows it: two decimals, or 3 significant digits when tiny or huge."""
    value = float(value)
    if value == 0 or 0.01 <= abs(value) < 1e5:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return text.replace("-", "\u2212")


def event_notes(events, label, d=1):
    """A snapshot's events as at most three short lines: collapses, emptied components, convergence.

    ``label(j)`` names component j; ``d`` is the data's dimension (in 2-D a
    component collapses onto a point or a line). The engine's messages are for logs and
    the report; on a frame, one line per kind of event keeps the note short
    enough to sit beside the legend even when every component collapses.
    """
    by_type = {}
    for event in events:
        by_type.setdefault(event.get("type"), []).append(event)
    notes = []
    for kind, one, several in (
        ("collapse", *(("{} collapsed onto one value (σ at the floor)", "{} collapsed onto one value each")
                       if d == 1 else ("{} collapsed (a variance at the floor)", "{} collapsed (variances at the floor)"))),
        ("empty", "{} lost all its points (φ\u00a0=\u00a00)", "{} lost all their points (φ\u00a0=\u00a00)"),
    ):
        components = [e["component"] for e in by_type.get(kind, []) if "component" in e]
        if len(components) == 1:
            notes.append(one.format(label(components[0])))
        elif components:
            names = [label(j) for j in components]
            if all(name.startswith("component ") for name in names):
                names = ["components " + ", ".join(name.split(" ", 1)[1] for name in names)]
            notes.append(several.format(", ".join(names)))
    notes += [e["message"] for e in by_type.get("converged", [])]
    return notes


def event_components(events, kind):
    """The components that have an event of ``kind`` ("collapse", "empty") in a snapshot."""
    return {e["component"] for e in events if e.get("type") == kind and "component" in e}


def display_names(history, names=None):
    """The k display names: the user's, the history's meta, or None for the walk-through's N(μ, σ) only."""
    names = names if names is not None else history.meta.get("component_names")
    if names is None:
        return None
    names = [str(name) for name in names]
    if len(names) != history.k:
        raise OptionError(
            f"component_names has {len(names)} names for {history.k} components; give exactly {history.k}"
        )
    return names


class Scene:
    """One reused Figure that renders any frame state of one history.

    Parameters
    ----------
    history : History
    preset, theme : dict
        From :mod:`vizgmm.presets`.
    title : str or None
        Shown above the plot on every frame.
    component_names : list of str or None
    panels : sequence of {"loglik", "params"}
    transparent : bool
        Transparent figure and axes background (PNG frames).
    show_loglik : bool
        Put the log-likelihood in the title.
    """

    def __init__(self, history, *, preset, theme, title=None, component_names=None, panels=(),
                 transparent=False, show_loglik=True, features=None):
        self.history = history
        self.preset = preset
        self.theme = theme
        self.title = title if title is not None else history.meta.get("title")
        self.names = display_names(history, component_names)
        self.panels = _check_panels(panels)
        self.transparent = bool(transparent)
        self.show_loglik = show_loglik
        self.features = features
        self.k = history.k
        palette = theme["components"]
        self.colors = [to_rgba(palette[j % len(palette)]) for j in range(self.k)]
        self.lls = history.log_likelihoods
        texts = [self.title or ""] + (self.names or [])
        texts += list(history.meta.get("feature_names") or [])
        self.missing_glyphs = fonts.check_labels(texts)
        self._layers = {"snapshot": [], "overlay": [], "frame": []}
        self._layer_of = None
        w, h = preset["size"]
        dpi = preset["dpi"]
        with matplotlib.rc_context(fonts.rc_params(preset)), _quiet_glyph_warnings():
            face = (0, 0, 0, 0) if self.transparent else theme["background"]
            self.fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, facecolor=face)
            self.canvas = FigureCanvasAgg(self.fig)
            self._layout()
            self._build()
            self._build_panels()
            for artists in self._layers.values():
                for artist in artists:
                    artist.set_animated(True)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.size = (w, h)

    # -- layout -----------------------------------------------------------
    def _em(self, size=None):
        """One font size in figure fractions (x, y)."""
        px = (size or self.preset["font_size"]) * self.preset["dpi"] / 72.0
        w, h = self.preset["size"]
        return px / w, px / h

    def _layout(self):
        ex, ey = self._em()
        top = 1 - ey * (4.0 if self.title else 2.4)
        bottom = ey * 3.6
        left = ex * 6.2
        right = 1 - ex * 1.6
        if self.panels:
            split = left + (right - left) * 0.6
            main = [left, bottom, split - left, top - bottom]
            side_left = split + self._em(self.preset["panel_size"])[0] * 5.5
            side = [side_left, bottom, right - side_left, top - bottom]
        else:
            main = [left, bottom, right - left, top - bottom]
            side = None
        self.ax = self.fig.add_axes(main)
        self._style_axes(self.ax)
        self._side_rect = side
        self._title_xy = (main[0] + main[2] / 2, top + ey * 0.9)
        self._suptitle_xy = (0.5, 1 - ey * 1.1)

    def _style_axes(self, ax):
        t = self.theme
        ax.set_facecolor("none" if self.transparent else t["axes"])
        for spine in ax.spines.values():
            spine.set_color(t["muted"])
        ax.tick_params(colors=t["foreground"], which="both")
        ax.xaxis.label.set_color(t["foreground"])
        ax.yaxis.label.set_color(t["foreground"])
        ax.set_autoscale_on(False)

    def _legend_share(self):
        """The legend's height as a share of the main axes' height (with its gap to the frame)."""
        renderer = self.canvas.get_renderer()
        legend = self.legend.get_window_extent(renderer).height
        return (legend + self._em()[1] * self.preset["size"][1]) / self.ax.get_window_extent(renderer).height

    def _add_dynamic(self, artist, layer="frame"):
        """Register an artist that changes: per "frame", per "snapshot", or an "overlay" kept on top."""
        self._layers[layer].append(artist)
        return artist

    def _build(self):
        t = self.theme
        if self.title:
            self.fig.text(*self._suptitle_xy, self.title, ha="center", va="center",
                          color=t["foreground"], fontsize=self.preset["title_size"] + 1)
        self.title_text = self._add_dynamic(self.fig.text(
            *self._title_xy, "", ha="center", va="center", color=t["foreground"],
            fontsize=self.preset["title_size"]), "frame")
        self.event_text = self._add_dynamic(self.ax.text(
            *NOTE_XY, "", transform=self.ax.transAxes, ha="left", va="top",
            color=t["event"], fontsize=self.preset["legend_size"]), "overlay")

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
                ax.set_xlabel("epoch", fontsize=small)
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

    # -- per frame ----------------------------------------------------------
    def render(self, state):
        """Draw one frame state; the RGBA pixels, shape (h, w, 4) uint8.

        Three layers keep the per-frame work small: what changes only at an
        epoch frame (title, points, legend, table) is drawn once per snapshot
        over the static background and kept; each frame restores that and
        draws what moves (curves, ellipses, means, cursor); the overlays
        (legend, event note) are then pasted back on top, so moving curves
        pass under them. The legend and table therefore show the epoch's own
        values while the in-between frames move the curves; the title, drawn
        per frame, says "Epoch 3 → 4" on those.

        The array is a view of the canvas: copy it before the next render.
        """
        with _quiet_glyph_warnings():
            renderer = self.canvas.get_renderer()
            if self._layer_of != state.snapshot:
                self._update_snapshot(state)
                self.canvas.restore_region(self._background)
                for artist in self._layers["snapshot"] + self._layers["overlay"]:
                    if artist.get_visible():
                        artist.draw(renderer)
                self._snapshot_layer = self.canvas.copy_from_bbox(self.fig.bbox)
                self._overlay_regions = []
                for artist in self._layers["overlay"]:
                    box = artist.get_window_extent(renderer) if artist.get_visible() else None
                    if box is not None and box.width > 0 and box.height > 0:
                        self._overlay_regions.append(self.canvas.copy_from_bbox(box.expanded(1.0, 1.0).padded(2)))
                self._layer_of = state.snapshot
            self._update_frame(state)
            self.canvas.restore_region(self._snapshot_layer)
            for artist in self._layers["frame"]:
                if artist.get_visible():
                    artist.draw(renderer)
            for region in self._overlay_regions:
                self.canvas.restore_region(region)
        return np.asarray(self.canvas.buffer_rgba())

    def _update_snapshot(self, state):
        """Set the artists that change only at an epoch frame."""
        snap = self.history[state.snapshot]
        if "params" in self.panels:
            for j, row in enumerate(self.table_cells):
                for cell, value in zip(row, self._table_row(snap, j)):
                    cell.set_text(value)
        self._update_snapshot_scene(state)
        # After the legend's text: the note is wrapped to end where the legend begins.
        self._set_event_note(event_notes(snap.events, self._label_for_note, self.history.d))

    def _set_event_note(self, notes):
        """Show the snapshot's event notes top left, wrapped to end before the legend begins.

        Where the legend leaves too little room beside it (a narrow plot
        beside side panels), the note goes under the legend instead.
        """
        self.event_text.set_text("\n".join(notes))
        self.event_text.set_visible(bool(notes))
        self.event_text.set_position(NOTE_XY)
        self.event_text.set_horizontalalignment("left")
        if not notes:
            return
        renderer = self.canvas.get_renderer()
        note = self.event_text.get_window_extent(renderer)
        legend = self.legend.get_window_extent(renderer)
        if note.x1 <= legend.x0:
            return
        per_char = note.width / max(len(line) for line in notes)
        gap = self._em()[0] * self.preset["size"][0]
        width = int((legend.x0 - note.x0 - gap) / per_char)
        if width >= NOTE_MIN_CHARS:
            self.event_text.set_text("\n".join(textwrap.fill(line, width) for line in notes))
            return
        to_axes = self.ax.transAxes.inverted()
        x, y = to_axes.transform((legend.x1, legend.y0 - gap / 2))
        self.event_text.set_position((x, y))
        self.event_text.set_horizontalalignment("right")
        width = int(legend.width / per_char)
        self.event_text.set_text("\n".join(textwrap.fill(line, max(width, NOTE_MIN_CHARS)) for line in notes))

    def _label_for_note(self, j):
        return self.names[j] if self.names else f"component {j + 1}"

    def _update_frame(self, state):
        """Set the artists that move on every frame."""
        self.title_text.set_text(self._title(state))
        if "loglik" in self.panels:
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
        self._update_frame_scene(state)

    def _label(self, j):
        return self.names[j] if self.names else f"#{j + 1}"

    def _title(self, state):
        """"Epoch 3 · total log-likelihood …" on an epoch frame; "Epoch 3 → 4" on an in-between.

        The legend and table of an in-between still show the epoch's own
        numbers, so its title must say the curves are on their way to the next
        epoch rather than claim epoch 3's log-likelihood for them.
        """
        snap = self.history[state.snapshot]
        if state.progress > state.snapshot and state.snapshot + 1 < len(self.history):
            return f"Epoch {snap.epoch} \u2192 {self.history[state.snapshot + 1].epoch}"
        text = f"Epoch {snap.epoch}"
        if self.show_loglik and np.isfinite(snap.log_likelihood):
            # Only the number takes the typographic minus; the hyphen in "log-likelihood" stays.
            text += "  ·  total log-likelihood " + f"{snap.log_likelihood:,.1f}".replace("-", "\u2212")
        return text

    def close(self):
        self.fig.clear()
        self.canvas = None


class Scene1D(Scene):
    """The walk-through's epoch plot: histogram, φ-weighted normals, mixture, labelled points."""

    def _build(self):
        super()._build()
        t, p = self.theme, self.preset
        history = self.history
        x = history.X[:, 0]
        self.x_range = (float(x.min()), float(x.max()))
        density, edges = np.histogram(x, bins=HIST_BINS, range=self._histogram_range(), density=True)
        xlo, xhi = self._x_limits()
        self.grid = np.linspace(xlo, xhi, CURVE_SAMPLES)
        ax = self.ax
        ax.set_xlim(xlo, xhi)
        ax.stairs(density, edges, fill=True, color=t["histogram"], alpha=t["histogram_alpha"], lw=0)
        ax.axhline(0, color=t["muted"], lw=0.8)
        names = history.meta.get("feature_names") or ["x"]
        ax.set_xlabel(names[0])
        ax.set_ylabel("density")
        self.sub = subsample_indices(history.n, p["max_points"])
        self.sub_x = x[self.sub]
        self.points = [
            self._add_dynamic(ax.plot([], [], ls="none", marker="o", ms=np.sqrt(p["point_size"]),
                                      mec="none", mfc=self.colors[j], alpha=0.55)[0], "snapshot")
            for j in range(self.k)
        ]
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
            self.curves + [self.total], [self._legend_text(j, 0.0, 1.0, 1.0) for j in range(self.k)] + ["mixture"],
            loc="upper right", facecolor=t["legend_face"], edgecolor=t["muted"], labelcolor=t["foreground"],
            framealpha=t["legend_alpha"],
        ), "overlay")
        # Room above the tallest curve for the legend, so no curve ever passes under it.
        legend_share = min(self._legend_share(), 0.5)
        top = self._y_top(density.max()) / (1 - legend_share * (1 + RUG_DEPTH))
        ax.set_ylim(-RUG_DEPTH * top, top)
        ax.set_yticks([v for v in ax.get_yticks() if 0 <= v <= top])
        self.rug_y = -RUG_DEPTH * top * 0.5

    def _min_span(self):
        """The narrowest x range drawn: about a billionth of the values' size (floats keep ~16 digits)."""
        return max(1e-9 * max(abs(self.x_range[0]), 1.0), 1e-12)

    def _histogram_range(self):
        """The data range, widened to the narrowest drawn range around its middle.

        Bins over a spread of 1e-320 would be narrower than the smallest
        float: their density overflows to inf. Bins as wide as the axis can
        show stay finite and show such data as what it is at that scale, one bar.
        """
        lo, hi = self.x_range
        if hi - lo >= self._min_span():
            return lo, hi
        mid = lo / 2 + hi / 2
        return mid - self._min_span() / 2, mid + self._min_span() / 2

    def _x_limits(self):
        """Data range joined with μ ± 2.5σ of every snapshot, padded; capped at one data span each side."""
        lo, hi = self.x_range
        span = max(hi - lo, self._min_span())
        for snap in self.history:
            live = snap.weights > 0
            if not live.any():
                continue
            mu = snap.means[live, 0]
            sd = np.sqrt(snap.covariances[live, 0, 0])
            lo = min(lo, float((mu - 2.5 * sd).min()))
            hi = max(hi, float((mu + 2.5 * sd).max()))
        lo = max(lo, self.x_range[0] - span)
        hi = min(hi, self.x_range[1] + span)
        pad = 0.03 * (hi - lo)
        return lo - pad, hi + pad

    def _y_top(self, hist_top):
        """Top of the y axis: the tallest histogram bar or curve over all snapshots (clipped spikes)."""
        top = hist_top
        for snap in self.history:
            comp = self._component_curves(snap.means[:, 0], np.sqrt(snap.covariances[:, 0, 0]), snap.weights)
            top = max(top, min(comp.sum(axis=0).max(), CURVE_HEADROOM * hist_top))
        return top * 1.12

    def _component_curves(self, means, stds, weights):
        """φ_j N(x | μ_j, σ_j) averaged over each grid step, shape (k, samples); zero rows for empty components.

        The average over the step (a difference of normal CDFs) equals the
        density wherever σ spans several steps, and keeps a component
        collapsed onto one value (σ far below a step) visible as a spike of
        its true area φ_j, where sampling the density would miss it.
        """
        sd = np.where(stds > 0, stds, 1.0)
        half = (self.grid[-1] - self.grid[0]) / (len(self.grid) - 1) / 2
        upper = (self.grid[None, :] + half - means[:, None]) / sd[:, None]
        lower = (self.grid[None, :] - half - means[:, None]) / sd[:, None]
        # Both tails as left tails, so that 1 − 1 never cancels to 0 right of the mean.
        right = lower > 0
        dens = np.where(right, ndtr(-lower) - ndtr(-upper), ndtr(upper) - ndtr(lower)) / (2 * half)
        return dens * np.where(stds > 0, weights, 0.0)[:, None]

    def _legend_text(self, j, mean, std, weight, collapsed=False):
        base = f"N({format_value(mean)}, {format_value(std)})"
        base += "  empty" if weight <= 0 else f"  φ={weight:.2f}" + ("  collapsed" if collapsed else "")
        return f"{self.names[j]}: {base}" if self.names else base

    def _update_snapshot_scene(self, state):
        snap = self.history[state.snapshot]
        stds = np.sqrt(snap.covariances[:, 0, 0])
        collapsed = event_components(snap.events, "collapse")
        for j, text in enumerate(self.legend.get_texts()[: self.k]):
            text.set_text(self._legend_text(j, snap.means[j, 0], stds[j], snap.weights[j], j in collapsed))
        labels = snap.labels[self.sub]
        for j, line in enumerate(self.points):
            xs = self.sub_x[labels == j]
            line.set_data(xs, np.full(xs.shape, self.rug_y))

    def _update_frame_scene(self, state):
        means = state.means[:, 0]
        stds = np.sqrt(state.covariances[:, 0, 0])
        curves = self._component_curves(means, stds, state.weights)
        for j, line in enumerate(self.curves):
            line.set_ydata(curves[j])
            line.set_visible(state.weights[j] > 0)
        self.total.set_ydata(curves.sum(axis=0))

    def _table_row(self, state, j):
        return (self._label(j), f"{state.weights[j]:.2f}", format_value(state.means[j, 0]),
                format_value(np.sqrt(state.covariances[j, 0, 0])))


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
        X = self.history.X
        d = X.shape[1]
        names = list(self.history.meta.get("feature_names") or [f"x{i + 1}" for i in range(d)])
        if len(names) != d:
            names = [f"x{i + 1}" for i in range(d)]
        if self.features is not None:
            try:
                a, b = (int(f) for f in self.features)
            except (TypeError, ValueError):
                raise OptionError(f"features must be two feature indices, got {self.features!r}") from None
            if not (0 <= a < d and 0 <= b < d) or a == b:
                raise OptionError(f"features must be two different indices from 0 to {d - 1}, got {a}, {b}")
            self.W = np.zeros((d, 2))
            self.W[a, 0] = self.W[b, 1] = 1.0
            self.centre = np.zeros(d)
            self.axis_names = [names[a], names[b]]
        elif d == 2:
            self.W = np.eye(2)
            self.centre = np.zeros(2)
            self.axis_names = names
        else:
            self.centre = X.mean(axis=0)
            cov = np.cov(X, rowvar=False)
            vals, vecs = np.linalg.eigh(cov)
            order = np.argsort(vals)[::-1][:2]
            self.W = vecs[:, order]
            # Make the largest loading of each axis positive so the picture does not flip between runs.
            signs = np.sign(self.W[np.abs(self.W).argmax(axis=0), [0, 1]])
            self.W *= np.where(signs == 0, 1, signs)
            share = vals[order] / vals.sum() if vals.sum() > 0 else np.zeros(2)
            self.axis_names = [f"PC{i + 1} ({share[i]:.0%} of variance)" for i in range(2)]

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


def _check_panels(panels):
    if panels is None:
        return ()
    if isinstance(panels, str):
        panels = (panels,) if panels else ()
    panels = tuple(panels)
    unknown = [p for p in panels if p not in PANELS]
    if unknown:
        raise OptionError(f"unknown panel {unknown[0]!r}; use any of: {', '.join(PANELS)}")
    return tuple(dict.fromkeys(panels))


class _quiet_glyph_warnings(warnings.catch_warnings):
    """matplotlib warns about each missing glyph on every draw; fonts.check_labels already said it once."""

    def __enter__(self):
        out = super().__enter__()
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
        return out
