"""The lower-bound panel: log p along EM's path, the epoch's bound, the gap, the touch and the peak.

Beside the data as a side panel (``panels=("bound",)``) or filling most of the
frame (``focus="bound"``). Its numbers come from
:func:`~vizgmm.look.bound_view.bound_view_data` (once per scene) and
:func:`~vizgmm.look.bound_view.bound_view_at` (once per frame).

Per frame only what moves is set and drawn: while the cursor slides along the
path the epoch's bound, touch, peak and caption are not reset, and the gap —
the panel's lowest artist — is drawn once with the snapshot
(:meth:`~vizgmm.animate.fast.blit.BlitLayers.draw_snapshot`'s ``held``), so
the frames' pixels are those of drawing everything anew (tests/test_bound_hold.py).
"""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.transforms import Bbox

from vizgmm.animate.scenes.ticks import LoglikFormatter, clear_tick_labels
from vizgmm.i18n import words as get_words
from vizgmm.look.bound_view import bound_view_at, bound_view_data


class BoundPanel:
    """The bound view's axes and artists; ``scene`` lends its history, theme, preset, words and layers.

    Parameters
    ----------
    scene : Scene
    ax : matplotlib.axes.Axes
    small : float
        The font size of the panel's words.
    """

    def __init__(self, scene, ax, small):
        t = scene.theme
        self.scene, self.layers, self.words = scene, scene.layers, scene.words
        full = scene.focus == "bound"
        scene._style_axes(ax)
        ax.tick_params(labelsize=small)
        self.data = data = bound_view_data(scene.history)
        epochs = max(data["epochs"], 1)
        ax.set_xlim(-0.05 * epochs - 0.1, epochs * 1.05 + 0.1)
        ax.set_ylim(*data["ylim"])
        if full:
            # The frame's own title says the epoch: the axes say what is drawn instead.
            ax.set_ylabel(scene.score_title, fontsize=small)
            ax.set_xlabel(self.words.gettext("EM's path through parameter space (epochs)"), fontsize=small)
        else:
            ax.set_title(self.words.gettext("log p and its lower bound"), fontsize=small, color=t["foreground"])
            ax.set_xlabel(self.words.gettext("EM's path (epochs)"), fontsize=small)
        ax.grid(True, color=t["grid"], linewidth=0.6)
        if epochs <= 8:
            ax.set_xticks(range(epochs + 1))
        else:
            ax.xaxis.get_major_locator().set_params(integer=True)
        ax.yaxis.set_major_formatter(LoglikFormatter())
        if not full:  # beside the data as a panel, not left of it as the main view
            clear_tick_labels(ax, scene.ax, scene.preset, small)
        lw = scene.preset["line_width"] * (1.0 if full else 0.8)
        bound_color = t["cursor"]
        add = scene._add_dynamic
        self.gap = add(ax.add_patch(Polygon(np.zeros((3, 2)), closed=True, facecolor=bound_color, alpha=0.18,
                                            edgecolor="none")))
        self.path_line = add(ax.plot([], [], color=t["mixture"], lw=lw)[0])
        self.line = add(ax.plot([], [], color=bound_color, lw=lw, ls="--")[0])
        self.touch = add(ax.plot([], [], "o", color=t["mixture"], ms=4)[0])
        self.peak = add(ax.plot([], [], "^", color=bound_color, ms=5)[0])
        self.point = add(ax.plot([], [], "o", mfc="none", mec=bound_color, ms=6, mew=1.2)[0])
        self.text = add(ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=small,
                                color=t["foreground"]))
        self.ax = ax
        self.view = self._shown = None
        if full:
            xy, va = bound_legend(ax, t, small, lw, data, self.words)
            self.text.set_position(xy)
            self.text.set_verticalalignment(va)

    def frame(self, state):
        """Compute the frame's view; what of it stands still through the snapshot: (epoch or None, artists).

        The gap is drawn under every other artist of the panel, and while only the
        cursor moves along EM's path (not while an E-step's new bound rises) it is
        the same on all of the snapshot's frames: it can be drawn once, with the snapshot.
        """
        self.view = view = bound_view_at(self.data, state.progress)
        if view is None or view["rising"] or not self.layers.hold:
            return None, ()
        if self.layers.key != (state.snapshot, view["epoch"]):
            # A new snapshot: hold the gap when the snapshot's last frame still shows this bound.
            end = bound_view_at(self.data, state.snapshot + 1 - 1e-9)
            if end["rising"] or end["epoch"] != view["epoch"]:
                return None, ()
        return view["epoch"], (self.gap,)

    def update(self):
        """Set the artists to the view of :meth:`frame` (numbers from :func:`~vizgmm.look.bound_view.bound_view_at`)."""
        view = self.view
        if view is None:
            return
        self.path_line.set_data(view["path_x"], view["path_y"])
        self.point.set_data([view["point"][0]], [view["point"][1]])
        # The epoch and the touch height decide the bound (while it rises, how far): unchanged, nothing to reset.
        shown = (view["epoch"], view["touch"][1])
        if shown == self._shown and self.layers.hold:
            return
        self._shown = shown
        self.line.set_data(view["bound_x"], view["bound_y"])
        d = self.data
        i = view["epoch"] - 1
        # The gap between log p and the bound over the epoch's segment (and a bit beyond).
        top = d["log_likelihood"][i]
        xs = view["bound_x"]
        self.gap.set_xy(np.column_stack([np.concatenate([xs, xs[::-1]]),
                                         np.concatenate([top, view["bound_y"][::-1]])]))
        self.touch.set_data([view["touch"][0]], [view["touch"][1]])
        self.peak.set_data([view["peak"][0]], [view["peak"][1]])
        # The gap the E-step leaves (at the touch point): one number per epoch, so its pixels are cached.
        self.text.set_text(bound_caption(view["epoch"], d["log_likelihood"][i, d["zero"]] - d["touch"][i],
                                         d["method"], self.words))


#: Where the full-frame bound view's legend (with the gap caption beside it) may go, in order of preference.
LEGEND_PLACES = ("lower right", "upper left", "lower left", "upper right", "center right", "lower center",
                 "center left")


def bound_legend(ax, theme, size, lw, data, words=None):
    """Add the full-frame bound view's legend (in ``words``' language); returns where its gap caption goes.

    The caption's place is ((x, y) axes fraction, va).

    Legend and caption (two lines, on the legend's inner side) go where they cover the
    fewest points of any frame's curves (``data`` from
    :func:`~vizgmm.look.bound_view.bound_view_data`): the curves are drawn per frame,
    after the legend, so matplotlib's own ``loc="best"`` cannot see them.
    """
    handles = [Line2D([], [], color=theme["mixture"], lw=lw), Line2D([], [], color=theme["cursor"], lw=lw, ls="--"),
               Patch(facecolor=theme["cursor"], alpha=0.18),
               Line2D([], [], ls="none", marker="o", color=theme["mixture"], ms=4),
               Line2D([], [], ls="none", marker="^", color=theme["cursor"], ms=5)]
    w = get_words(words)
    labels = [w.gettext("log p on EM's path"), w.gettext("bound L(q, θ)"), w.gettext("gap: KL(q ‖ posterior)"),
              w.gettext("L where the E-step built it"), w.gettext("L's peak: the M-step's θ")]
    curves = np.column_stack([np.concatenate([data["path_x"], data["x"].ravel(), data["x"].ravel()]),
                              np.concatenate([data["path_log_likelihood"], data["bound"].ravel(),
                                              data["log_likelihood"].ravel()])])
    points = ax.transData.transform(curves)
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    caption_height = 2.7 * size * ax.figure.dpi / 72.0
    best = None
    for loc in LEGEND_PLACES:
        legend = ax.legend(handles, labels, loc=loc, fontsize=size * 0.85, frameon=True,
                           facecolor=theme["legend_face"], edgecolor=theme["muted"], framealpha=theme["legend_alpha"],
                           labelcolor=theme["foreground"])
        box = legend.get_window_extent(renderer)
        below = loc.startswith("upper")
        y0, y1 = (box.y0 - caption_height, box.y0) if below else (box.y1, box.y1 + caption_height)
        caption = Bbox.from_extents(box.x0, y0, box.x1, y1)
        covered = box.count_contains(points) + caption.count_contains(points)
        if y0 < frame.y0 or y1 > frame.y1:
            covered += len(points)  # the caption would leave the axes
        if best is None or covered < best[0]:
            best = (covered, loc, box.x1 - size * 0.3, y1 if below else y0, "top" if below else "bottom")
    _, loc, x, y, va = best
    ax.legend(handles, labels, loc=loc, fontsize=size * 0.85, frameon=True, facecolor=theme["legend_face"],
              edgecolor=theme["muted"], framealpha=theme["legend_alpha"], labelcolor=theme["foreground"])
    return tuple(ax.transAxes.inverted().transform((x, y))), va


def bound_caption(epoch, gap, method, words=None):
    """The bound panel's words: the gap the epoch's E-step leaves, and for hard EM that it stays open."""
    w = get_words(words)
    gap = float(gap) if abs(gap) >= 0.05 else 0.0  # no "−0.0" from rounding
    if method == "hard":
        return w.gettext("E-step gap {gap} at epoch {epoch}\nhard labels never close it").format(
            gap=w.number(gap, 1), epoch=epoch)
    return w.gettext("E-step gap {gap}\nthe bound touches").format(gap=w.number(gap, 1))
