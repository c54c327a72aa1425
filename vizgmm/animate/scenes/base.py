"""What every scene shares: the Figure, its layout, the title and event note, and the blit layers.

A scene builds one Figure, draws everything that never changes (axes,
ticks, the histogram, panel frames) once, and keeps a copy of those pixels.
Each frame restores that copy and draws only the artists that move
(curves, points, ellipses, legend, title): matplotlib's blitting, through
:class:`~vizgmm.animate.fast.blit.BlitLayers`. Axis limits and component colours
are fixed when the scene is built, from every snapshot, so they are the same
in every frame.

Per-frame cost does not grow with the number of points: the histogram is
computed once from all the data, and the points are a deterministic
subsample of at most ``preset["max_points"]``.
"""

import warnings

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from vizgmm.animate.fast import fonts
from vizgmm.animate.fast.blit import BlitLayers
from vizgmm.animate.scenes.panels import SidePanels
from vizgmm.animate.scenes.text import NOTE_XY, SceneText
from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.look.colors import component_colors
from vizgmm.look.names import component_label, given_names
from vizgmm.look.notes import event_notes
from vizgmm.look.variational import FADE_WEIGHT, FADED_ALPHA, fades, scores
from vizgmm.params import check

PANELS = ("loglik", "bound", "weights", "params")


# A 2-D ellipse larger than this many widths of the view is not drawn (see Scene2D).
ELLIPSE_MAX_VIEWS = 50


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
    panels : sequence of {"loglik", "bound", "weights", "params"}
    transparent : bool
        Transparent figure and axes background (PNG frames).
    show_loglik : bool
        Put the log-likelihood in the title.
    features : (int, int) or None
        Two features of d > 2 data to draw instead of principal components.
    aspect : {"auto", "equal"}
        2-D only: each axis scaled to its own data ("auto"), or equal data
        units per pixel on both axes ("equal", ellipses in their true shape).
    lang : {"en", "ko"} or None
        The language of the frame's words (:func:`vizgmm.i18n.words`).
    standardize : bool or None
        2-D only: draw z-scores. None (default) standardizes the principal
        components of d > 2 data, and leaves 2-D data in its units.
    focus : {"data", "bound"}
        "bound": EM's lower bound along its path fills most of the frame (the
        full-frame bound scene) and the data sit beside it; no other panels.
    trails : {"fade", "full", "off"}
        2-D only: the means' paths, by the rule of :mod:`vizgmm.look.trails`.
    view : (lo, hi) or None
        The data limits to draw, for scenes that sit side by side (the grids):
        floats in 1-D, shape-(2,) arrays in the plane. None: the scene's own.
    """

    def __init__(self, history, *, preset, theme, title=None, component_names=None, panels=(),
                 transparent=False, show_loglik=True, features=None, aspect="auto", standardize=None,
                 view=None, focus="data", trails="fade", lang=None):
        self.history = history
        self.words = get_words(lang)
        self.view = view
        self.preset = preset
        self.theme = theme
        self.title = title if title is not None else history.meta.get("title")
        self.names = given_names(history, component_names)
        fonts.check_user_text(self.title, self.names)
        self.focus = check("focus", focus)
        self.panels = _check_panels(panels)
        if self.focus == "bound":
            if set(self.panels) - {"bound"}:
                raise OptionError("focus='bound' fills the frame with the bound beside the data: "
                                  "it takes no other side panels; drop panels or use focus='data'")
            self.panels = ("bound",)
        self.transparent = bool(transparent)
        self.show_loglik = show_loglik
        self.features = features
        self.aspect, self.trail_mode = check("aspect", aspect), check("trails", trails)
        if standardize not in (None, True, False):
            raise OptionError(f"standardize must be True, False or None (automatic), got {standardize!r}")
        self.standardize = standardize
        self.k = history.k
        self.colors = [to_rgba(c) for c in component_colors(theme, self.k)]
        self.lls, self.score_title = scores(history, self.words)
        self.fade_small = fades(history)
        if self.fade_small and "bound" in self.panels:
            # That panel draws EM's bound on the log-likelihood, which a variational fit does not follow.
            raise OptionError("the bound panel shows EM's lower bound; a variational fit's own lower bound "
                              "(ELBO) is in the loglik panel: use panels=('loglik',)")
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
        main, side = frame_rects(self.focus, bool(self.panels), (ex * 6.2, ey * 3.6, 1 - ex * 1.6, top),
                                 ex, self._em(self.preset["panel_size"])[0])
        self.ax = self.fig.add_axes(main)
        self._style_axes(self.ax)
        self._side_rect = side
        centre = (ex * 6.2 + 1 - ex * 1.6) / 2 if self.focus == "bound" else main[0] + main[2] / 2
        self._title_xy = (centre, top + ey * 0.9)
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
        """Draw one frame state; the RGBA pixels, shape (h, w, 4) uint8 (a view of the canvas: copy it).

        What changes only at an epoch frame (points, legend, table, and what stands
        still through the snapshot's frames, like the bound's gap) is drawn once per
        snapshot over the static background and kept; each frame restores that and
        draws what moves (curves, ellipses, means, cursor, the title: "Epoch 3 → 4");
        the overlays (legend, event note) are pasted back on top, so curves pass under them.
        """
        with _quiet_glyph_warnings():
            hold, held = self._bound_frame(state)
            if self.layers.key != (state.snapshot, hold):
                self._update_snapshot(state)
                self._update_bound(state)
                self.layers.draw_snapshot((state.snapshot, hold), held)
            self._update_frame(state)
            return self.layers.draw_frame()

    def _update_snapshot(self, state):
        """Set the artists that change only at an epoch frame."""
        snap = self.history[state.snapshot]
        self._update_table(snap)
        self._update_snapshot_scene(state)
        # After the legend's text: the note is wrapped to end where the legend begins.
        self._set_event_note(event_notes(snap.events, self._label_for_note, self.history.d, self.words))

    def _label_for_note(self, j):
        return component_label(self.names, j, self.words)

    def _update_frame(self, state):
        """Set the artists that move on every frame."""
        self.title_text.set_text(self._title(state))
        self._update_loglik(state)
        self._update_frame_scene(state)

    def _component_alpha(self, weight):
        """1, or FADED_ALPHA for a variational component with almost no weight."""
        return FADED_ALPHA if self.fade_small and weight < FADE_WEIGHT else 1.0

    def _label(self, j):
        return self.names[j] if self.names else f"#{j + 1}"

    def close(self):
        self.fig.clear()
        self.canvas = None


def frame_rects(focus, panels, box, em_x, panel_em_x):
    """The main (data) axes' and the side panels' rectangles in figure fractions; side is None without panels.

    ``box`` is (left, bottom, right, top) of the plotting area. ``focus="bound"`` puts the bound
    view on the left, wide, and the data on the right, with room for its tick labels.
    """
    left, bottom, right, top = box
    height = top - bottom
    if focus == "bound":
        split = left + (right - left) * 0.56
        data_left = split + em_x * 6.2
        return [data_left, bottom, right - data_left, height], [left, bottom, split - left, height]
    if panels:
        split = left + (right - left) * 0.6
        side_left = split + panel_em_x * 5.5
        return [left, bottom, split - left, height], [side_left, bottom, right - side_left, height]
    return [left, bottom, right - left, height], None


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

