"""Small inline SVG charts for the report (no script, no network)."""


import numpy as np

from vizgmm.i18n import words as get_words

# -- chart geometry (the templates draw it) --------------------------------
CHART = {"width": 500, "height": 270, "left": 60, "right": 14, "top": 14, "bottom": 46}


def loglik_chart(history, lang=None):
    """Geometry of the score-per-epoch chart (one series, one dot per snapshot), its words in ``lang``.

    The total log-likelihood; for a variational fit its lower bound (ELBO), the
    number it maximises (:func:`vizgmm.look.variational.scores`), as the frames' panel.
    """
    from vizgmm.look.variational import scores

    w = get_words(lang)
    epochs = [s.epoch for s in history]
    values, title = scores(history, w)
    return line_chart(
        [{"name": title, "x": epochs, "y": list(values), "colour": "accent", "highlight": True}],
        x_label=w.gettext("epoch"),
        y_label=title,
        integer_x=True,
    )


def line_chart(series, *, x_label, y_label, integer_x=False, mark_x=None):
    """Pixel geometry of a line chart for the ``line_chart`` template macro.

    ``series`` is a list of dicts with ``name``, ``x``, ``y`` (equal-length
    sequences), ``colour`` (a CSS class suffix) and ``highlight``. Returns the
    SVG size, the plot box, ticks with positions and labels, and each series'
    polyline points; no markup.
    """
    from matplotlib.ticker import MaxNLocator

    xs = np.concatenate([np.asarray(s["x"], dtype=float) for s in series])
    ys = np.concatenate([np.asarray(s["y"], dtype=float) for s in series])
    ys = ys[np.isfinite(ys)]
    xmin, xmax = float(xs.min()), float(xs.max())
    ymin, ymax = (float(ys.min()), float(ys.max())) if ys.size else (0.0, 1.0)
    if xmax == xmin:
        xmin, xmax = xmin - 0.5, xmax + 0.5
    if ymax == ymin:
        pad = abs(ymin) * 0.01 or 1.0
        ymin, ymax = ymin - pad, ymax + pad
    x_ticks = MaxNLocator(nbins=8, integer=integer_x).tick_values(xmin, xmax)
    x_ticks = [t for t in x_ticks if xmin - 1e-9 <= t <= xmax + 1e-9]
    y_ticks = list(MaxNLocator(nbins=5).tick_values(ymin, ymax))
    ymin, ymax = min(ymin, y_ticks[0]), max(ymax, y_ticks[-1])
    y_labels = _tick_labels(y_ticks)

    box = dict(CHART)
    # Room for the widest y tick label (about 9 px a character at the phone's 15.5 px) and the axis title.
    box["left"] = max(box["left"], 36 + 9 * max(len(label) for label in y_labels))
    x0, x1 = box["left"], box["width"] - box["right"]
    y0, y1 = box["height"] - box["bottom"], box["top"]

    def px(x):
        return x0 + (x - xmin) / (xmax - xmin) * (x1 - x0)

    def py(y):
        return y0 + (y - ymin) / (ymax - ymin) * (y1 - y0)

    out_series = []
    for s in series:
        points = [
            (round(px(x), 1), round(py(y), 1))
            for x, y in zip(np.asarray(s["x"], float), np.asarray(s["y"], float))
            if np.isfinite(y)
        ]
        out_series.append(
            {
                "name": str(s["name"]),
                "colour": s.get("colour", "accent"),
                "highlight": bool(s.get("highlight")),
                "points": " ".join(f"{x},{y}" for x, y in points),
                "dots": points if len(points) <= 60 else [],
            }
        )
    return {
        **box,
        "plot": {"x0": x0, "x1": x1, "y0": y0, "y1": y1},
        "x_label": x_label,
        "y_label": y_label,
        "x_ticks": [{"pos": round(px(t), 1), "label": label} for t, label in zip(x_ticks, _tick_labels(x_ticks))],
        "y_ticks": [{"pos": round(py(t), 1), "label": label} for t, label in zip(y_ticks, y_labels)],
        "series": out_series,
        "mark": None if mark_x is None else {"pos": round(px(mark_x), 1), "label": f"{mark_x:g}"},
    }


def _tick_labels(ticks):
    """Tick values with as many decimals as their step needs: 2 reads "2", 0.25 reads "0.25"."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    # The fewest decimals that write the step exactly: a step of 2.5 needs one, or 7.5 would read "8".
    decimals = next((d for d in range(8) if abs(round(step, d) - step) <= 1e-9 * step), 8) if step else 0
    return [f"{t:,.{decimals}f}" for t in ticks]



def bound_chart(history, samples=12, lang=None):
    """The report's "Why the log-likelihood can only rise": log p along EM's path, each epoch's bound, two sentences.

    Its words are in ``lang`` (:func:`vizgmm.i18n.words`).

    Returns None for a history without epochs and for a variational fit, which climbs its own lower
    bound (the ELBO, charted in the score section instead), not EM's. The numbers are
    :func:`vizgmm.look.bound_view.bound_view_data`'s, as the bound panel draws them.
    """
    from vizgmm.look.bound_view import bound_view_data
    from vizgmm.look.variational import fades

    if history.epochs < 1 or fades(history):
        return None
    # Each sample is one pass over the data per epoch: keep the section to about 2·10⁸ point evaluations.
    samples = max(2, min(samples, int(2e8 // max(history.n * history.epochs, 1)) - 1))
    data = bound_view_data(history, samples=samples, beyond=0.0)
    zero, one = data["zero"], data["one"]
    w = get_words(lang)
    series = [{"name": w.gettext("log-likelihood along EM's path"), "x": data["path_x"], "y": data["path_log_likelihood"],
               "colour": "accent", "highlight": True}]
    # One line: each epoch's bound over its segment; the step up between segments is the next E-step.
    series.append({"name": w.gettext("lower bound (each E-step lifts it, each M-step climbs it)"),
                   "x": data["x"][:, zero:one + 1].ravel(), "y": data["bound"][:, zero:one + 1].ravel(),
                   "colour": "muted", "highlight": False})
    chart = line_chart(series, x_label=w.gettext("EM's path through parameter space (epochs)"),
                       y_label=w.gettext("total log-likelihood"), integer_x=True)
    return {"chart": chart, "sentences": bound_sentences(history, data, w)}


def bound_sentences(history, data, lang=None):
    """Two sentences from the run's numbers: how the bound carries the climb, and (hard EM) the gap left."""
    w = get_words(lang)

    def num(value, spec=",.1f"):
        return w.numeral(format(value, spec))

    lls = history.log_likelihoods
    gaps = data["log_likelihood"][:, data["zero"]] - data["touch"]
    climbs = data["peak"] - data["touch"]
    epoch = min(3, data["epochs"])
    if data["method"] == "hard":
        return [
            w.ngettext("Each M-step climbs its bound (the classification log-likelihood) by {low} to {high}; the "
                       "log-likelihood went from {start} to {end} over {count} epoch.",
                       "Each M-step climbs its bound (the classification log-likelihood) by {low} to {high}; the "
                       "log-likelihood went from {start} to {end} over {count} epochs.", history.epochs).format(
                low=num(climbs.min()), high=num(climbs.max()), start=num(lls[0]), end=num(lls[-1]),
                count=history.epochs),
            w.gettext("Hard labels leave a gap of {gap} at epoch {epoch}: hard EM maximises the classification "
                      "likelihood, not the likelihood, so nothing guarantees the log-likelihood rises.").format(
                gap=num(gaps[epoch - 1]), epoch=epoch),
        ]
    return [
        w.gettext("Each E-step makes the bound touch the log-likelihood (the largest gap at a touch point is "
                  "{gap}), and each M-step climbs to the bound's top, by {low} to {high}.").format(
            gap=num(abs(gaps).max(), ".1e"), low=num(climbs.min(), ",.3g"), high=num(climbs.max())),
        w.ngettext("So the log-likelihood can only rise: from {start} at the start to {end} after {count} epoch.",
                   "So the log-likelihood can only rise: from {start} at the start to {end} after {count} epochs.",
                   history.epochs).format(start=num(lls[0]), end=num(lls[-1]), count=history.epochs),
    ]
