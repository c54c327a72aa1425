"""What every scene shares: the Figure, its layout, the title and event note, and the blit layers.

A scene builds one Figure, draws everything that never changes (axes,
ticks, the histogram, panel frames) once, and keeps a copy of those pixels.
Each frame restores that copy and draws only the artists that move
(curves, points, ellipses, legend, title): matplotlib's blitting, through
:class:`~vizgmm.animate.blit.BlitLayers`. Axis limits and component colours
are fixed when the scene is built, from every snapshot, so they are the same
in every frame.

Per-frame cost does not grow with the number of points: the histogram is
computed once from all the data, and the points are a deterministic
subsample of at most ``preset["max_points"]``.
"""

import warnings

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from vizgmm.animate import fonts
from vizgmm.animate.blit import BlitLayers
from vizgmm.animate.panels import SidePanels
from vizgmm.animate.scene_text import NOTE_XY, SceneText
from vizgmm.errors import OptionError

HIST_BINS = 50


CURVE_SAMPLES = 600


SUBSAMPLE_SEED = 0


PANELS = ("loglik", "params")
ASPECTS = ("auto", "equal")




# Share of the axes below the baseline used for the 1-D points.
RUG_DEPTH = 0.07


# A 1-D curve may reach this many times the histogram's top before it is
# clipped: a collapsing component's spike should not flatten everything else.
CURVE_HEADROOM = 2.5




# A 2-D ellipse larger than this many widths of the view is not drawn (see Scene2D).
ELLIPSE_MAX_VIEWS = 50


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
    notes += [e["message"] for e in by_type.get("converged", []) + by_type.get("stuck", [])]
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


class Scene(SceneText, SidePanels):
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
    features : (int, int) or None
        Two features of d > 2 data to draw instead of principal components.
    aspect : {"auto", "equal"}
        2-D only: each axis scaled to its own data ("auto"), or equal data
        units per pixel on both axes ("equal", ellipses in their true shape).
    standardize : bool or None
        2-D only: draw z-scores. None (default) standardizes the principal
        components of d > 2 data, and leaves 2-D data in its units.
    """

    def __init__(self, history, *, preset, theme, title=None, component_names=None, panels=(),
                 transparent=False, show_loglik=True, features=None, aspect="auto", standardize=None):
        self.history = history
        self.preset = preset
        self.theme = theme
        self.title = title if title is not None else history.meta.get("title")
        self.names = display_names(history, component_names)
        fonts.check_user_text(self.title, self.names)
        self.panels = _check_panels(panels)
        self.transparent = bool(transparent)
        self.show_loglik = show_loglik
        self.features = features
        if aspect not in ASPECTS:
            raise OptionError(f"unknown aspect {aspect!r}; use one of: {', '.join(ASPECTS)}")
        self.aspect = aspect
        if standardize not in (None, True, False):
            raise OptionError(f"standardize must be True, False or None (automatic), got {standardize!r}")
        self.standardize = standardize
        self.k = history.k
        palette = theme["components"]
        self.colors = [to_rgba(palette[j % len(palette)]) for j in range(self.k)]
        self.lls = history.log_likelihoods
        texts = [self.title or ""] + (self.names or [])
        texts += list(history.meta.get("feature_names") or [])
        self.missing_glyphs = fonts.check_labels(texts)
        w, h = preset["size"]
        dpi = preset["dpi"]
        with matplotlib.rc_context(fonts.rc_params(preset)), _quiet_glyph_warnings():
            face = (0, 0, 0, 0) if self.transparent else theme["background"]
            self.fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi, facecolor=face)
            self.canvas = FigureCanvasAgg(self.fig)
            self.layers = BlitLayers(self.canvas)
            self._layout()
            self._build()
            self._build_panels()
            self.layers.freeze_background()
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
        return self.layers.add(artist, layer)

    def _build(self):
        t = self.theme
        if self.title:
            self.fig.text(*self._suptitle_xy, self.title, ha="center", va="center",
                          color=t["foreground"], fontsize=self.preset["title_size"] + 1)
        self.title_text = self._add_dynamic(self.fig.text(
            *self._title_xy, "", ha="center", va="center", color=t["foreground"],
            fontsize=self.preset["title_size"]), "frame")
        # A neutral colour no component uses, on the legend's face, so a note over the data stays readable.
        self.event_text = self._add_dynamic(self.ax.text(
            *NOTE_XY, "", transform=self.ax.transAxes, ha="left", va="top",
            color=t["event"], fontsize=self.preset["legend_size"], zorder=7,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": t["legend_face"], "edgecolor": t["muted"],
                  "alpha": t["legend_alpha"], "linewidth": 0.6}), "overlay")

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
            if self.layers.key != state.snapshot:
                self._update_snapshot(state)
                self.layers.draw_snapshot(state.snapshot)
            self._update_frame(state)
            return self.layers.draw_frame()

    def _update_snapshot(self, state):
        """Set the artists that change only at an epoch frame."""
        snap = self.history[state.snapshot]
        self._update_table(snap)
        self._update_snapshot_scene(state)
        # After the legend's text: the note is wrapped to end where the legend begins.
        self._set_event_note(event_notes(snap.events, self._label_for_note, self.history.d))

    def _label_for_note(self, j):
        return self.names[j] if self.names else f"component {j + 1}"

    def _update_frame(self, state):
        """Set the artists that move on every frame."""
        self.title_text.set_text(self._title(state))
        self._update_loglik(state)
        self._update_frame_scene(state)

    def _label(self, j):
        return self.names[j] if self.names else f"#{j + 1}"

    def close(self):
        self.fig.clear()
        self.canvas = None


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

