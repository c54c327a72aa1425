"""When a component collapses, and what to tell the user about it.

Maximum likelihood for a Gaussian mixture has no maximum: a component that
sits on one repeated value (or on ≤ d distinct points in d dimensions) can
shrink its variance towards 0, and its density there — and with it the
log-likelihood — grows without bound. ``reg_covar`` stops the fall at a
floor, so what EM reaches is a spike of height set by ``reg_covar``, not a
model of the data. A component counts as **collapsed** when

- its smallest variance is within :data:`COLLAPSE_FACTOR` of the
  ``reg_covar`` floor (which is where a component holding ≤ d distinct points
  ends up: no spread in some direction but the floor), or
- its smallest standard deviation is below :data:`COLLAPSE_FRACTION` of the
  data's smallest per-feature standard deviation (the floor is in the data's
  units; this test is not, so it also catches a spike on data measured in
  large units).

Model selection skips collapsed fits (:func:`vizgmm.select`), and heavily
rounded data — where collapses come from — are named in a warning.
"""

import numpy as np

from vizgmm.data.validate import count_distinct

#: A smallest variance within this factor of reg_covar is "at the floor".
COLLAPSE_FACTOR = 2.0
#: A smallest σ below this share of the data's smallest per-feature σ is a spike.
COLLAPSE_FRACTION = 1e-3
#: Data in which at least this share of the points repeat a value of an earlier point
#: are "heavily rounded": likelihood rewards components that sit on the repeated values.
TIES_WARNING_SHARE = 0.25


def collapsed_components(covariances, weights, reg_covar, data_std):
    """Indices of the collapsed components (see the module's docstring).

    Parameters
    ----------
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
        A component with weight 0 is empty, not collapsed.
    reg_covar : float
    data_std : array, shape (d,)
        The data's standard deviation per feature.
    """
    smallest = np.linalg.eigvalsh(covariances)[:, 0]
    scale = float(np.min(data_std))
    at_floor = (smallest <= COLLAPSE_FACTOR * reg_covar) | (smallest < (COLLAPSE_FRACTION * scale) ** 2)
    return [int(j) for j in np.flatnonzero(at_floor & (np.asarray(weights) > 0))]


def collapse_message(X, j, labels, mean, reg_covar):
    """The event message for collapsed component ``j`` (0-based): where it sits and what to do.

    In 1-D: "component 2 collapsed onto the repeated value 4 (45 points): its σ → 0 and the
    likelihood grows without bound; raise reg_covar (now 1e-06) or add jitter".
    """
    held = X[labels == j]
    d = X.shape[1]
    if d == 1:
        value = f"{float(mean[0]):.4g}"
        where = f"the repeated value {value} ({_points(len(held))})" if len(held) > 1 else f"a single value, {value}"
        spread = "its σ → 0"
    else:
        distinct = count_distinct(held, d + 1) if len(held) else 0
        where = "a point or line" + (f" ({_points(distinct)} distinct)" if distinct <= d and len(held) else "")
        spread = "a variance → 0"
    return (
        f"component {j + 1} collapsed onto {where}: {spread} and the likelihood grows without bound; "
        f"raise reg_covar (now {reg_covar:g}) or add jitter"
    )


def tie_share(X):
    """The share of points whose value (row) repeats an earlier point's: 0 for all-distinct data."""
    n = X.shape[0]
    if n == 0:
        return 0.0
    distinct = len(np.unique(X, axis=0))
    return (n - distinct) / n


def rounding_warning(X, reg_covar):
    """A one-line warning when ``X`` is heavily rounded (many tied values), else None."""
    share = tie_share(X)
    if share < TIES_WARNING_SHARE:
        return None
    distinct = X.shape[0] - int(round(share * X.shape[0]))
    return (
        f"{share:.0%} of the points repeat a value ({distinct:,} distinct of {X.shape[0]:,}): a component "
        f"can collapse onto a repeated value; raise reg_covar (now {reg_covar:g}) or add jitter smaller "
        "than the rounding"
    )


def _points(count):
    return f"{count:,} point" + ("" if count == 1 else "s")

