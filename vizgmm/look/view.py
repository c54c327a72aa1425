"""The view's limits, the one computation the frames and the player both draw with.

Plain numpy, in data units only: :mod:`vizgmm.animate.scenes` sets these on
its Axes, :mod:`vizgmm.pages.player_data` writes them into the player's
numbers, so a frame and the player show the same ranges (issue 20.7: the
frames reserved the top of the view for their legend, the player did not).

The limits hold every point whole: the data's own extremes (no quantiles, so
no edge point is cut), padded by ``PAD`` of the axis, which is several marker
radii at every preset. With ``aspect="equal"`` the plot box itself takes the
data's shape (:func:`equal_box`) instead of the data being shrunk into a box
of another shape, so the data fill the box's binding side.
"""

import numpy as np
from scipy.special import ndtr

from vizgmm.look.geometry import CURVE_HEADROOM, subsample_indices

# Each side of a view is padded by this share of the axis' span (≥ 20 px on a 640 × 480 frame,
# against a point's 2-3 px radius).
PAD = 0.06
# The 1-D pad (the rug and the curves need less room than the scatter's points).
PAD_1D = 0.03
# The fit's final 2σ reach joins the data's range, capped at this share of the data's span each side.
REACH_CAP = 0.25
# With aspect="equal", the box is at most this much flatter (or taller) than square: a flatter cloud
# gets a wider short axis rather than a sliver of a box.
MIN_BOX_RATIO = 0.25
# Points read for the data's extremes (larger data: a deterministic subsample, the drawn points included).
LIMIT_SAMPLE = 200_000


def line_limits(history):
    """The x range (lo, hi) of a 1-D history: the data joined with the later epochs' μ ± 2.5σ
    (capped at one data span each side) and every epoch's μ ± σ (capped at a quarter span), padded.

    An early wide guess (the walk-through's, the spread start) shows its centre
    and shoulders while its tails run off the sides, rather than shrinking the data.
    """
    x = history.X[:, 0]
    first, last = float(x.min()), float(x.max())
    lo, hi = first, last
    # The narrowest range drawn: about a billionth of the values' size (floats keep ~16 digits).
    span = max(hi - lo, 1e-9 * max(abs(first), 1.0), 1e-12)
    for snapshots, reach, cap in ((history.snapshots, 1.0, 0.25),
                                  (history.snapshots[len(history) // 2:], 2.5, 1.0)):
        for snap in snapshots:
            live = snap.weights > 0
            if not live.any():
                continue
            mu = snap.means[live, 0]
            sd = np.sqrt(snap.covariances[live, 0, 0])
            lo = min(lo, max(float((mu - reach * sd).min()), first - cap * span))
            hi = max(hi, min(float((mu + reach * sd).max()), last + cap * span))
    pad = PAD_1D * (hi - lo)
    return lo - pad, hi + pad


def component_curves(grid, means, stds, weights):
    """φ_j N(x | μ_j, σ_j) averaged over each step of ``grid``, shape (k, samples); zero rows for empty components.

    The average over the step (a difference of normal CDFs) equals the
    density wherever σ spans several steps, and keeps a component
    collapsed onto one value (σ far below a step) visible as a spike of
    its true area φ_j, where sampling the density would miss it.
    """
    sd = np.where(stds > 0, stds, 1.0)
    half = (grid[-1] - grid[0]) / (len(grid) - 1) / 2
    upper = (grid[None, :] + half - means[:, None]) / sd[:, None]
    lower = (grid[None, :] - half - means[:, None]) / sd[:, None]
    # Both tails as left tails, so that 1 − 1 never cancels to 0 right of the mean.
    right = lower > 0
    dens = np.where(right, ndtr(-lower) - ndtr(-upper), ndtr(upper) - ndtr(lower)) / (2 * half)
    return dens * np.where(stds > 0, weights, 0.0)[:, None]


def curve_top(history, grid, hist_top):
    """The 1-D view's top: the tallest histogram bar or mixture curve of any snapshot, with room above.

    A spike (a collapsing component) counts up to ``CURVE_HEADROOM`` times the
    histogram's top, so it does not squash everything else. The frames and the
    player draw the same data up to this height; the frames add a band above
    it for their legend (the player names its components in its table).
    """
    top = hist_top
    for snap in history:
        comp = component_curves(grid, snap.means[:, 0], np.sqrt(snap.covariances[:, 0, 0]), snap.weights)
        top = max(top, min(float(comp.sum(axis=0).max()), CURVE_HEADROOM * hist_top))
    return top * 1.12


def plane_limits(history, plane, aspect="auto"):
    """The 2-D view (lo, hi), each shape (2,): every point, with the final fit's 2σ ellipses, padded.

    Parameters
    ----------
    history : History
    plane : object with ``centre`` (d,) and ``W`` (d, 2)
        The map to the plane (:func:`vizgmm.look.geometry.projection`).
    aspect : {"auto", "equal"}
        "auto": each axis padded by ``PAD`` of its own span. "equal": both by
        ``PAD`` of the longer span (the same length on screen), and a cloud
        flatter than ``MIN_BOX_RATIO`` widened about its centre on the short
        axis; draw it in :func:`equal_box`.

    Only the final fit joins the data (the answer's ellipses are whole): an
    earlier, wider guess leaves the view instead of shrinking the data into a
    corner of it.
    """
    xy = (history.X[subsample_indices(history.n, LIMIT_SAMPLE)] - plane.centre) @ plane.W
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    final = history.final
    live = final.weights > 0
    spread = np.swapaxes(plane.W, 0, 1)[None] @ final.covariances[live] @ plane.W[None]
    reach = 2.0 * np.sqrt(np.clip(np.diagonal(spread, axis1=1, axis2=2), 0, None))
    means = (final.means[live] - plane.centre) @ plane.W
    # Identical points (a span of 0) still show the ellipse at the variance floor around them.
    span = np.maximum(np.maximum(hi - lo, reach.max(axis=0, initial=0.0)), 1e-12)
    lo = np.minimum(lo, np.maximum((means - reach).min(axis=0, initial=np.inf), lo - REACH_CAP * span))
    hi = np.maximum(hi, np.minimum((means + reach).max(axis=0, initial=-np.inf), hi + REACH_CAP * span))
    mid = (lo + hi) / 2
    half = np.maximum((hi - lo) / 2, span / 2)
    if aspect == "equal":
        half = half + PAD * 2 * half.max()
        half = np.maximum(half, MIN_BOX_RATIO * half.max())
    else:
        half = half * (1 + 2 * PAD)
    return mid - half, mid + half


def equal_box(width, height, lo, hi):
    """The plot box (x, y, w, h) for equal data units per pixel, centred in a ``width`` × ``height`` area.

    The box takes the limits' shape and fills the area's binding side, so
    ``plane_limits(..., aspect="equal")`` draws one unit as long on both axes
    in the frames and the player alike.
    """
    ratio = (hi[1] - lo[1]) / (hi[0] - lo[0])
    w, h = (width, width * ratio) if width * ratio <= height else (height / ratio, height)
    return (width - w) / 2, (height - h) / 2, w, h


def emptiest_corner(size, points, means):
    """The legend's corner ("upper right", "lower right" or "lower left") over the fewest points, and how many.

    ``size`` is the legend's (width, height) and ``points``, ``means`` shape (m, 2) and (k, 2), all in
    axes fractions (0 to 1 across the view); a mean under the legend counts as all the points. Ties
    keep the earlier corner; the upper left is the event note's.
    """
    (w, h), points, means = size, np.asarray(points, dtype=float), np.asarray(means, dtype=float)

    def under(xy, right, upper):
        inside_x = xy[:, 0] >= 1 - w if right else xy[:, 0] <= w
        inside_y = xy[:, 1] >= 1 - h if upper else xy[:, 1] <= h
        return int(np.count_nonzero(inside_x & inside_y))

    best, fewest = "upper right", None
    for loc, right, upper in (("upper right", True, True), ("lower right", True, False), ("lower left", False, False)):
        covered = under(points, right, upper) + len(points) * under(means, right, upper)
        if fewest is None or covered < fewest:
            best, fewest = loc, covered
    return best, fewest


def edge_marker(mean, xlim, ylim):
    """Where a mean's marker goes: ``(x, y, "X")`` at a mean inside the view, or, for a guess outside it,
    an arrowhead (">", "<", "^", "v") on the edge pointing towards it."""
    (x0, x1), (y0, y1) = xlim, ylim
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
