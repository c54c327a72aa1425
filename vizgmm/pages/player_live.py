"""What the live player adds to the epoch player's numbers: the points themselves and the recorded start.

In live mode the page runs EM itself (``templates/partials/em.js``, the
Python engine's steps in JavaScript) on points the reader can add, so it
needs what the recorded player never does: the drawn points in data units
(full precision, so the page's fit is the Python fit on the same points),
the history's start (snapshot 0's means, covariances and weights) and its
settings (method, covariance type, reg_covar, tol). Large data start from
the same deterministic subsample the recorded player draws, and the page
says so.
"""

import numpy as np

from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.look.geometry import subsample_indices
from vizgmm.model.defaults import DEFAULT_TOL

#: The most components a reader can ask the live player for.
MAX_LIVE_K = 8

LIVE_METHODS = ("soft", "hard")


def check_live(history):
    """Refuse a history the live engine cannot continue (d > 2, a variational or annealed fit)."""
    method = str(history.settings.get("method", "soft"))
    if history.d > 2:
        raise OptionError(
            f"live mode runs EM on the drawn plane and needs 1-D or 2-D data, not d={history.d}; "
            "pick two columns first (e.g. X[:, [0, 1]]) and fit again"
        )
    if method not in LIVE_METHODS or history.settings.get("temperatures") is not None:
        raise OptionError(
            f"live mode runs soft or hard EM; this history is a {method} fit"
            + (" (annealed)" if history.settings.get("temperatures") is not None else "")
            + "; write the recorded player without live=True"
        )


def live_payload(history, max_points, lang=None):
    """The live player's extra numbers (JSON-ready), for a history :func:`check_live` accepts.

    Returns
    -------
    dict
        ``X`` (the drawn points in data units, flat, d per point), ``start``
        (``means`` (k, d), ``covs`` (k, d, d), ``weights`` (k)), ``method``,
        ``covariance_type``, ``reg_covar``, ``tol``, ``max_k``, ``names``
        (MAX_LIVE_K names: the history's, then "component 4", ...) and
        ``note`` (the subsample sentence, or "").
    """
    check_live(history)
    sub = subsample_indices(history.n, max_points)
    first = history[0]
    names = history.meta.get("component_names") or []
    names = [str(n) for n in names][: history.k]
    w = get_words(lang)
    names += [w.gettext("component {number}").format(number=j + 1) for j in range(len(names), MAX_LIVE_K)]
    m = len(sub)
    note = ""
    if m < history.n:
        note = w.gettext("Live EM runs on {m} of the {n} points (the subsample this player draws, the same every "
                         "time), so its numbers differ a little from the recorded fit's.").format(
            m=w.number(m), n=w.number(history.n))
    return {
        "X": [float(v) for v in np.asarray(history.X[sub], dtype=float).ravel()],
        "start": {
            "means": first.means.tolist(),
            "covs": first.covariances.tolist(),
            "weights": first.weights.tolist(),
        },
        "method": str(history.settings.get("method", "soft")),
        "covariance_type": str(history.settings.get("covariance_type", "full")),
        "reg_covar": float(history.settings.get("reg_covar", 1e-6)),
        # A recorded fit run for show with tol=0 would make "run" go on for ever: the default rule instead.
        "tol": float(history.settings.get("tol") or DEFAULT_TOL),
        "max_k": MAX_LIVE_K,
        "names": names,
        "note": note,
    }
