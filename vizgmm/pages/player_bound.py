"""The player's lower-bound view: log p along EM's path, each epoch's bound, the gap, as pixels and formatted numbers.

The numbers are :func:`vizgmm.look.bound_view.bound_view_data`'s (the GIF/MP4
bound panel's), sampled sparingly: the page's script only picks an epoch's
curves and the marker's place for the current stop. A stop's caption numbers
(log p, L and the gap at t = 0 and t = 1 of every epoch) are formatted here,
with the decimals of the player's log-likelihood caption.

Only EM has this bound: soft EM (it touches) and hard EM (a gap stays open).
A variational fit, k-means and an annealing (whose variance is set by a
schedule, not by the M-step) get no bound view.
"""

import numpy as np

from vizgmm.look.bound_view import has_bound
from vizgmm.pages.charts import CHART
from vizgmm.pages.formatting import format_number

#: Evaluations of the data (points × t × epochs) the view may cost; the report's section allows as much.
BUDGET = 2e8


def bound_payload(history):
    """The lower-bound view's numbers for the player, or None when the fit has no EM bound (see :func:`has_bound`).

    Returns
    -------
    dict or None
        ``w``, ``h``, ``box`` (x0, x1, y0 bottom, y1 top), ``xticks``/``yticks``
        ([pixel, label]), ``x`` (pixels of epoch 1's samples; epoch e's are
        shifted by ``(e − 1) · dx``), ``dx``, ``zero``/``one`` (the sample
        indices of t = 0 and t = 1), ``ll`` and ``bound`` (per epoch, the
        samples' pixels), ``numbers`` (per epoch: log p, L, gap at t = 0,
        then at t = 1, formatted), ``method`` and ``zoom`` (one epoch at a time
        at its own scale, :func:`_zoom_payload`).
    """
    from matplotlib.ticker import MaxNLocator

    from vizgmm.look.bound_view import bound_view_data

    if not has_bound(history):
        return None
    epochs = history.epochs
    # A few samples per epoch draw a smooth bound at the chart's width; fewer for long or large fits.
    samples = int(min(8, max(2, 320 // epochs), BUDGET // (history.n * epochs * 2)))
    samples = max(samples, 2)
    data = bound_view_data(history, samples=samples, beyond=0.25)
    zero, one = data["zero"], data["one"]
    t = data["t"]
    xmin, xmax = float(t[0]), float(epochs - 1 + t[-1])
    ylo, yhi = data["ylim"]
    w, h = CHART["width"], CHART["height"]
    y_ticks = [v for v in MaxNLocator(nbins=5).tick_values(ylo, yhi) if ylo <= v <= yhi]
    y_labels = _labels(y_ticks)
    lp, lb = data["log_likelihood"], data["bound"]
    zooms = [_zoom_range(lp, lb, i, zero, one) for i in range(epochs)]
    zoom_ticks = [[v for v in MaxNLocator(nbins=4).tick_values(lo, hi) if lo <= v <= hi] for lo, hi in zooms]
    zoom_labels = [_labels(ticks) for ticks in zoom_ticks]
    widest = max((len(s) for s in y_labels + [s for row in zoom_labels for s in row]), default=1)
    left = max(CHART["left"], 36 + 9 * widest)
    x0, x1, y0, y1 = left, w - CHART["right"], h - CHART["bottom"], CHART["top"]

    def px(x):
        return x0 + (np.asarray(x, float) - xmin) / (xmax - xmin) * (x1 - x0)

    def py(y):
        # Tails far below the view stay a little outside it (the clip hides them; the numbers stay short).
        return np.clip(y0 + (np.asarray(y, float) - ylo) / (yhi - ylo) * (y1 - y0), y1 - 40, y0 + 40)

    x_ticks = [v for v in MaxNLocator(nbins=8, integer=True).tick_values(0, epochs) if 0 <= v <= epochs]
    numbers = []
    for i in range(epochs):
        row = []
        for j in (zero, one):
            row += _caption_numbers(lp[i, j], lb[i, j])
        numbers.append(row)
    return {
        "w": w, "h": h, "box": [x0, x1, y0, y1],
        "xticks": [[round(float(px(v)), 1), f"{int(v)}"] for v in x_ticks],
        "yticks": [[round(float(py(v)), 1), label] for v, label in zip(y_ticks, y_labels)],
        "x": [round(float(v), 1) for v in px(t)],
        "dx": round(float(px(1.0) - px(0.0)), 4),
        "zero": int(zero), "one": int(one),
        "ll": [[round(float(v), 1) for v in py(row)] for row in lp],
        "bound": [[round(float(v), 1) for v in py(row)] for row in lb],
        "numbers": numbers,
        "method": data["method"],
        "zoom": _zoom_payload(t, lp, lb, zooms, zoom_ticks, zoom_labels, (x0, x1, y0, y1)),
    }


def _zoom_range(lp, lb, i, zero, one):
    """Epoch i's zoomed y range (lo, hi): log p and L at both ends and the last bound's peak, padded.

    Late epochs move log p by less than a pixel of the whole path's view; the
    zoom makes their gap, lift and climb as tall as the first epoch's. The
    span is at least a few units of the caption's last printed digit, which
    is as fine as the numbers beside it are given.
    """
    values = [lp[i, zero], lp[i, one], lb[i, zero], lb[i, one]] + ([lb[i - 1, one]] if i else [])
    lo, hi = float(min(values)), float(max(values))
    text = format_number(lp[i, zero], 6)
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    span = max(hi - lo, 4 * 10.0 ** -decimals, 1e-9 * max(1.0, abs(hi)))
    mid = (lo + hi) / 2
    return mid - 0.8 * span, mid + 0.8 * span


def _zoom_payload(t, lp, lb, zooms, ticks, labels, box):
    """The zoomed view's pixels: one epoch's segment across the whole box, at its own y scale.

    ``x`` are the samples' pixels (t from −beyond to 1 + beyond across the
    box), ``dx`` one epoch in pixels; per epoch ``ll``, ``bound``, ``prev``
    (the last epoch's bound, at x − dx; None for the first) and ``yticks``.
    """
    x0, x1, y0, y1 = box
    tlo, thi = float(t[0]), float(t[-1])

    def px(v):
        return x0 + (np.asarray(v, float) - tlo) / (thi - tlo) * (x1 - x0)

    rows = []
    for i, (lo, hi) in enumerate(zooms):
        def py(y, lo=lo, hi=hi):
            return np.clip(y0 + (np.asarray(y, float) - lo) / (hi - lo) * (y1 - y0), y1 - 40, y0 + 40)

        rows.append({
            "ll": [round(float(v), 1) for v in py(lp[i])],
            "bound": [round(float(v), 1) for v in py(lb[i])],
            "prev": [round(float(v), 1) for v in py(lb[i - 1])] if i else None,
            "yticks": [[round(float(py(v)), 1), label] for v, label in zip(ticks[i], labels[i])],
        })
    return {"x": [round(float(v), 1) for v in px(t)], "dx": round(float(px(1.0) - px(0.0)), 4), "rows": rows}


def live_bound_frame(loglik, method):
    """The live player's bound view before its first epoch: the frame only, as big as the log-likelihood chart.

    The page computes each epoch's bound itself (``partials/bound_live.js``, the
    numbers of :func:`vizgmm.model.bound.bound_slice` on the page's points) and
    fills in the rest of :func:`bound_payload`'s fields as the run goes.
    """
    return {"live": True, "w": loglik["w"], "h": loglik["h"], "box": list(loglik["box"]), "xticks": [], "yticks": [],
            "method": method}


def _caption_numbers(log_p, bound):
    """log p, L and the gap as the player's caption writes the log-likelihood (6 significant digits)."""
    text_p = format_number(log_p, 6)
    decimals = len(text_p.split(".")[1]) if "." in text_p and "e" not in text_p else 2
    gap = float(log_p - bound)
    if abs(gap) < 0.5 * 10.0 ** -decimals:
        gap = 0.0  # no "−0.00" from rounding
    return [_minus(text_p), _minus(f"{float(bound):,.{decimals}f}"), _minus(f"{gap:,.{decimals}f}")]


def _minus(text):
    return text.replace("-", "\u2212")


def _labels(ticks):
    """Tick values with as many decimals as their step needs (as the report's charts)."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = next((d for d in range(8) if abs(round(step, d) - step) <= 1e-9 * step), 8) if step else 0
    return [_minus(f"{0.0 if abs(v) < 1e-9 * step else v:,.{decimals}f}") for v in ticks]

