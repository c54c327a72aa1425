"""The numbers the epoch player draws: one JSON-ready dict made from a History.

The player's page draws from this alone, so everything that needs numpy or
matplotlib happens here: the histogram (from every point, once), the axis
ranges and ticks (the frames' rules), the 2-D projection (the frames'
:func:`~vizgmm.animate.scenes.scene2d.projection`), a deterministic subsample of
the points in pixel coordinates, and every caption and table cell already
formatted the way the frames format them. The page's script only maps
parameters to curves and ellipses and switches between stops.

Labels are stored as one string for snapshot 0 (one character per drawn
point, ``chr(48 + j)``) and, for each later snapshot, the points whose label
changed, so a long fit whose labels settle costs almost nothing per epoch.
"""

import numpy as np

from vizgmm.i18n import words as get_words
from vizgmm.look.geometry import (
    CURVE_SAMPLES,
    RUG_DEPTH,
    histogram_edges,
    projection,
    subsample_indices,
)
from vizgmm.look.names import component_label
from vizgmm.look.notes import TABLE_COORDS, format_value
from vizgmm.look.variational import FADED_ALPHA, active_sentence, faded, fades, scores
from vizgmm.look.view import curve_top, equal_box, line_limits, plane_limits
from vizgmm.pages.captions import stop_sentences
from vizgmm.pages.charts import line_chart
from vizgmm.pages.player_bound import bound_payload
from vizgmm.pages.player_words import player_words

#: Points drawn at most (the frames' blog preset draws as many).
MAX_POINTS = 5000

#: SVG canvas of the scene, in its own pixels (the SVG scales to the page's width).
SIZE_1D = (640, 360)
SIZE_2D = (640, 480)
BOX = {"left": 64, "right": 26, "top": 12, "bottom": 52}

def player_payload(history, *, component_names=None, features=None, max_points=MAX_POINTS, bound=True,
                   aspect="auto", lang=None):
    """Everything the player draws, as plain lists, numbers and strings (JSON-ready).

    Parameters
    ----------
    history : History
    component_names : list of str, optional
        Default ``history.meta["component_names"]``, else "component 1", ...
    features : (int, int), optional
        Two feature indices to draw for d > 2 (default: the first two
        principal components, as the frames).
    max_points : int
        Most points drawn; more are subsampled with the frames' fixed seed.
    bound : bool
        Include the lower-bound view's numbers (False: ``"bound"`` is None;
        they cost a bound slice per epoch).
    aspect : {"auto", "equal"}
        2-D: the frames' option of that name; "equal" shapes the plot box to
        the limits, as the frames' axes.
    lang : {"en", "ko"} or None
        The language of the captions and default names (:func:`vizgmm.i18n.words`).
    """
    w = get_words(lang)
    names = history.meta.get("component_names") if component_names is None else component_names
    names = [str(n) for n in names] if names else [component_label(None, j, w) for j in range(history.k)]
    sub = subsample_indices(history.n, max_points)
    payload = {
        "n": history.n,
        "d": history.d,
        "k": history.k,
        "m": int(len(sub)),
        "method": str(history.settings.get("method", "soft")),
        "names": names,
        "epochs": [int(s.epoch) for s in history],
        "counts": [[int(c) for c in s.counts] for s in history],
        "changed": [None] + [int(np.count_nonzero(b.labels != a.labels)) for a, b in zip(history, history[1:])],
        "loglik": _loglik(history),
        "score_title": scores(history, w)[1],
        # A variational fit: per snapshot, the components its prior has drained below 1 % (drawn at
        # faded_alpha, as in the frames) and how many keep weight. None for EM, whose components do not fade.
        "faded": [np.flatnonzero(faded(s.weights)).tolist() for s in history] if fades(history) else None,
        "faded_alpha": FADED_ALPHA,
        "active": [active_sentence(history, i, prior=False, words=w) for i in range(len(history))] if fades(history) else None,
        "captions": stop_sentences(history, names, w),
        "lang": w.lang,
        "words": player_words(w),
        "bound": bound_payload(history) if bound else None,
    }
    payload.update(_labels(history, sub))
    if history.d == 1:
        payload.update(_scene_1d(history, sub, w))
    else:
        payload.update(_scene_2d(history, sub, features, aspect, w))
    return payload


def _axis(lo, hi, box, vertical):
    """Ticks for one axis: [[pixel, label], ...] for the values inside (lo, hi); box is [x0, x1, y0, y1]."""
    from matplotlib.ticker import MaxNLocator

    ticks = [t for t in MaxNLocator(nbins=6).tick_values(lo, hi) if lo <= t <= hi]
    a, b = (box[2], box[3]) if vertical else (box[0], box[1])
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    # As many decimals as the step needs: 2.5 reads "2.5", 0.25 reads "0.25", 20 reads "20".
    decimals = next((d for d in range(8) if abs(round(step, d) - step) <= 1e-9 * step), 8) if step > 0 else 0
    labels = [f"{0.0 if abs(t) < 1e-9 * step else t:.{decimals}f}".replace("-", "\u2212") for t in ticks]
    return [[round(a + (t - lo) / (hi - lo) * (b - a), 1), label] for t, label in zip(ticks, labels)]


def _view(size, xlim, ylim, xlabel, ylabel, box=None):
    w, h = size
    box = box or [BOX["left"], w - BOX["right"], h - BOX["bottom"], BOX["top"]]
    return {
        "w": w, "h": h,
        "box": box,
        "xlim": [float(xlim[0]), float(xlim[1])],
        "ylim": [float(ylim[0]), float(ylim[1])],
        "xticks": _axis(*xlim, box, False),
        "yticks": _axis(*ylim, box, True),
        "xlabel": str(xlabel), "ylabel": str(ylabel),
    }


def _px(values, lim, a, b):
    return a + (np.asarray(values, dtype=float) - lim[0]) / (lim[1] - lim[0]) * (b - a)


def _scene_1d(history, sub, lang=None):
    """Histogram path, view and per-snapshot μ, σ, φ of 1-D data (the frames' ranges)."""
    x = history.X[:, 0]
    # The frames' bins (look.geometry.histogram_edges): half-unit edges for rounded data, and a
    # range widened to about a billionth of the values' size for data spread over 1e-320.
    density, edges = np.histogram(x, bins=histogram_edges(x), density=True)
    xlim = line_limits(history)  # the frames' range
    grid = np.linspace(*xlim, CURVE_SAMPLES)  # the frames' grid
    top = curve_top(history, grid, float(density.max()))  # the frames' data height (look/view.py)
    ylim = (-RUG_DEPTH * top, top)
    names = history.meta.get("feature_names") or ["x"]
    view = _view(SIZE_1D, xlim, ylim, names[0], get_words(lang).gettext("density"))
    x0, x1, y0, y1 = view["box"]
    ex = _px(edges, xlim, x0, x1)
    ey = _px(density, ylim, y0, y1)
    base = _px([0.0], ylim, y0, y1)[0]
    path = [f"M{ex[0]:.1f},{base:.1f}"]
    for i, yv in enumerate(ey):
        path.append(f"V{yv:.1f}H{ex[i + 1]:.1f}")
    path.append(f"V{base:.1f}Z")
    view["hist"] = "".join(path)
    view["base"] = round(float(base), 1)
    view["rug"] = round(float(_px([-RUG_DEPTH * top * 0.5], ylim, y0, y1)[0]), 1)
    px = _px(x[sub], xlim, x0, x1)
    return {
        "view": view,
        "points": [round(float(v), 1) for v in px],
        "params": [
            {"mu": s.means[:, 0].tolist(), "sd": np.sqrt(s.covariances[:, 0, 0]).tolist(), "phi": s.weights.tolist()}
            for s in history
        ],
        "table": [[[format_value(s.means[j, 0]), format_value(np.sqrt(s.covariances[j, 0, 0])),
                    f"{s.weights[j]:.2f}"] for j in range(history.k)] for s in history],
        "columns": ["μ", "σ", "φ"],
    }


def _scene_2d(history, sub, features, aspect="auto", lang=None):
    """Projected points, means and covariances, in the frames' projection and view."""
    plane = projection(history, features)
    centre, W, axis_names = plane.centre, plane.W, plane.axis_names
    xy = (history.X - centre) @ W
    means = [(s.means - centre) @ W for s in history]
    covs = [np.swapaxes(W, 0, 1)[None] @ s.covariances @ W[None] for s in history]
    # The frames' view (look/view.py): each axis scaled to its own data, or one unit as long on both.
    lo, hi = plane_limits(history, plane, aspect)
    box = None
    if aspect == "equal":
        w, h = SIZE_2D
        left, top = BOX["left"], BOX["top"]
        x, y, bw, bh = equal_box(w - left - BOX["right"], h - top - BOX["bottom"], lo, hi)
        box = [round(left + x, 1), round(left + x + bw, 1), round(top + y + bh, 1), round(top + y, 1)]
    view = _view(SIZE_2D, (lo[0], hi[0]), (lo[1], hi[1]), *axis_names, box=box)
    x0, x1, y0, y1 = view["box"]
    pts = np.column_stack([_px(xy[sub, 0], view["xlim"], x0, x1), _px(xy[sub, 1], view["ylim"], y0, y1)])
    table = []
    for s, m in zip(history, means):
        rows = []
        for j in range(history.k):
            sd = np.sqrt(np.clip(np.diag(s.covariances[j]), 0, None))
            if history.d == 2:
                rho = s.covariances[j, 0, 1] / (sd[0] * sd[1]) if sd[0] * sd[1] > 0 else 0.0
                spread = f"{format_value(sd[0])}, {format_value(sd[1])}"
                rows.append([f"({format_value(m[j, 0])}, {format_value(m[j, 1])})", spread,
                             format_value(rho), f"{s.weights[j]:.2f}"])
            else:
                # In the data's units, as the frames' table: the first few features, not the drawn PCs.
                shown = ", ".join(format_value(v) for v in s.means[j, :TABLE_COORDS])
                more = ", …" if history.d > TABLE_COORDS else ""
                rows.append([f"({shown}{more})", f"{s.weights[j]:.2f}"])
        table.append(rows)
    return {
        "view": view,
        "points": [round(float(v), 1) for v in pts.ravel()],
        "params": [
            {"mu": m.tolist(), "cov": [[float(c[0, 0]), float(c[0, 1]), float(c[1, 1])] for c in cv],
             "phi": s.weights.tolist()}
            for s, m, cv in zip(history, means, covs)
        ],
        "table": table,
        "columns": ["μ", "σ", "ρ", "φ"] if history.d == 2 else [
            get_words(lang).gettext("μ (columns 1–{last})").format(last=min(history.d, TABLE_COORDS)), "φ"],
    }


def _labels(history, sub):
    first = history[0].labels[sub]
    changes = [[]]
    for a, b in zip(history, history[1:]):
        la, lb = a.labels[sub], b.labels[sub]
        idx = np.flatnonzero(la != lb)
        changes.append(np.column_stack([idx, lb[idx]]).ravel().tolist())
    return {"labels0": "".join(chr(48 + int(j)) for j in first), "relabel": changes}


def _loglik(history):
    values, title = scores(history)  # a variational fit's ELBO, as the frames' score panel
    chart = line_chart(
        [{"name": title, "x": [s.epoch for s in history], "y": list(values)}],
        x_label="epoch", y_label=title, integer_x=True,
    )
    epochs = [s.epoch for s in history]
    return {
        "w": chart["width"], "h": chart["height"],
        "box": [chart["plot"]["x0"], chart["plot"]["x1"], chart["plot"]["y0"], chart["plot"]["y1"]],
        "xlim": [min(epochs), max(epochs) if max(epochs) > min(epochs) else min(epochs) + 1],
        "points": chart["series"][0]["points"],
        "xticks": [[t["pos"], t["label"]] for t in chart["x_ticks"]],
        "yticks": [[t["pos"], t["label"]] for t in chart["y_ticks"]],
    }


