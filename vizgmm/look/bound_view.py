"""What the lower-bound view shows at one moment of the animation, as plain numbers.

The GIF/MP4 side panel and the player both draw from :func:`bound_view_data`
(computed once per history) and :func:`bound_view_at` (one frame), so they
show the same curves. The horizontal axis is EM's own path through parameter
space: epoch e's step from snapshot e − 1 to snapshot e is the segment
[e − 1, e] (:func:`vizgmm.model.bound.bound_slice` with t = x − (e − 1)).
"""

import numpy as np

from vizgmm.model.bound import bound_path


def has_bound(history):
    """True when ``history`` is an EM fit whose E-step builds the bound (soft or hard, not annealed).

    A variational fit climbs its own lower bound (the ELBO), k-means has no
    likelihood and an annealing's variance is set by a schedule, so none gets EM's bound view.
    """
    s = history.settings
    return history.epochs >= 1 and s.get("method", "soft") in ("soft", "hard") and not s.get("annealing")


def original_history(history):
    """The fit's own snapshots of a half-step history (:mod:`vizgmm.animate.frames.halfsteps`); else ``history``.

    The E-stop of epoch e holds snapshot e − 1 as it is and the last stop the
    final snapshot, so snapshots 0, 2, 4, … are the fit's, with their labels.
    """
    if getattr(history[0], "step", None) is None:
        return history
    from vizgmm.model.history import History

    return History(history.X, history.settings, history.snapshots[::2], meta=history.meta,
                   versions=history.versions, true_labels=history.true_labels)


def bound_view_data(history, samples=24, beyond=0.35):
    """Every epoch's log-likelihood and bound on the stitched path (see :func:`vizgmm.model.bound.bound_path`).

    Adds ``"path_x"`` and ``"path_log_likelihood"``: the log-likelihood along
    EM's path, the segments [0, 1] of every epoch joined end to end, and
    ``"ylim"``, limits that hold every frame's curves.
    """
    fit = original_history(history)
    path = bound_path(fit, samples=samples, beyond=beyond)
    zero, one = path["zero"], path["one"]
    xs = [path["x"][0, zero:zero + 1]]
    ys = [path["log_likelihood"][0, zero:zero + 1]]
    for e in range(fit.epochs):
        xs.append(path["x"][e, zero + 1:one + 1])
        ys.append(path["log_likelihood"][e, zero + 1:one + 1])
    path["path_x"] = np.concatenate(xs)
    path["path_log_likelihood"] = np.concatenate(ys)
    # Limits from the segments and the bounds' touch and peak points, not the far tails of the
    # extensions (a bound falls off fast away from its peak; it may leave the panel there).
    lls = path["path_log_likelihood"]
    later = path["path_x"] >= 1.0
    lo = min(lls.min(), path["touch"].min())
    hi = max(lls.max(), path["peak"].max())
    if fit.epochs > 2:
        rest_lo = min(lls[later].min(), path["touch"][1:].min())
        # A first step that climbs more than 4 times the rest's range would flatten every
        # later bound into a line: zoom onto the later epochs and let the first run off the bottom.
        if rest_lo - lo > 4 * max(hi - rest_lo, 1e-9):
            lo = rest_lo
    span = max(hi - lo, max(abs(hi) * 1e-6, 1e-9))
    path["ylim"] = (lo - 0.12 * span, hi + 0.08 * span)
    path["half_steps"] = fit is not history
    path["epochs"] = fit.epochs
    return path


def bound_view_at(data, progress):
    """The bound view at one animation position.

    Parameters
    ----------
    data : dict
        From :func:`bound_view_data`.
    progress : float
        The frame's position in snapshots of the drawn history (half-steps
        count two per epoch: the E-stop of epoch e at 2e − 2, its M-stop at 2e − 1).

    Returns
    -------
    dict
        ``epoch`` (whose bound is drawn), ``x`` (the position on the path),
        ``path_x``/``path_y`` (the log-likelihood up to x), ``bound_x``/``bound_y``
        (the epoch's bound; while an E-step tweens it rises to touch), ``touch``
        and ``peak`` ((x, L) points), ``point`` ((x, L) on the bound at x),
        ``log_likelihood``, ``bound`` and ``gap`` at x.
    """
    epochs = data["epochs"]
    if epochs < 1:
        return None
    rise = 1.0  # 1: the bound touches; below 1, it is still rising (E-step tween)
    if data["half_steps"]:
        # E-stop 2e − 2 → M-stop 2e − 1: the M-step slides θ along epoch e's segment.
        # M-stop 2e − 1 → E-stop 2e: θ stays; the new bound (epoch e + 1) rises to touch.
        half = min(max(progress, 0.0), 2.0 * epochs)
        e = min(int(half // 2) + 1, epochs)
        within = half - 2 * (e - 1)
        if within <= 1.0 or e == epochs:
            x = e - 1 + min(within, 1.0)
        else:
            x, rise = float(e), within - 1.0
            e += 1
    else:
        x = min(max(float(progress), 0.0), float(epochs))
        e = min(int(np.floor(x)) + 1, epochs)
    i = e - 1
    t = data["t"]
    bound_y = data["bound"][i].copy()
    if rise < 1.0:
        # Rising from the old bound's peak at this θ to touching the log-likelihood.
        bound_y -= (1.0 - rise) * (data["touch"][i] - data["peak"][i - 1])
    bound_x = data["x"][i]
    s = x - i
    log_p = float(np.interp(s, t, data["log_likelihood"][i]))
    bound = float(np.interp(s, t, bound_y))
    keep = data["path_x"] <= x + 1e-12
    path_x = np.append(data["path_x"][keep], x)
    path_y = np.append(data["path_log_likelihood"][keep], log_p)
    return {
        "epoch": e,
        "x": x,
        "path_x": path_x,
        "path_y": path_y,
        "bound_x": bound_x,
        "bound_y": bound_y,
        "touch": (float(i), float(bound_y[data["zero"]])),
        "peak": (float(i + 1), float(bound_y[data["one"]])),
        "point": (x, bound),
        "log_likelihood": log_p,
        "bound": bound,
        "gap": log_p - bound,
        "rising": rise < 1.0,
    }
