"""Geometry shared by the frames and the player: the 2-D projection, subsamples, ellipses, histogram bins.

The view's limits are :mod:`vizgmm.look.view`.

Plain numpy: the matplotlib scenes (:mod:`vizgmm.animate.scenes`) and the
player's data (:mod:`vizgmm.pages.player_data`) both read these, so a frame
and the player show the same view of the same points.
"""

from types import SimpleNamespace

import numpy as np

from vizgmm.errors import OptionError
from vizgmm.model.ordering import principal_axes

#: Histogram bins of the 1-D scene (frames and player).
HIST_BINS = 50

#: Decimals tried when looking for the unit 1-D data are rounded to (whole numbers, 0.1, ..., 1e-6).
ROUNDING_DECIMALS = 6
# Values read first when looking for that unit (every value is read only when these agree on one).
UNIT_SAMPLE = 4096


def data_unit(x):
    """The unit the values are rounded to (1 for whole numbers, 0.1 for one decimal...), or None.

    Parameters
    ----------
    x : array, shape (n,)

    Returns
    -------
    float or None
        The largest power of ten (at most 1) that every value is a whole
        multiple of, up to ``ROUNDING_DECIMALS`` decimals; None for values
        with more digits (measured, not rounded, data).
    """
    x = np.asarray(x, dtype=float)
    if x.size < 2 or not np.isfinite(x).all():
        return None
    if np.abs(x).max() * 10.0**ROUNDING_DECIMALS > 2**52:
        # Some scale would pass 2**52 (no fraction left to see): find the first that does, exactly.
        return _unit_of(x, range(ROUNDING_DECIMALS + 1))
    # Every value must pass, so a unit that a few thousand of them fail is no unit: those values decide
    # measured data (the common case) in one pass over the sample, and all n are read only once,
    # for a unit the sample agrees with. The answer is the same as reading every value at every scale.
    sample = x[:: max(1, x.size // UNIT_SAMPLE)]
    for decimals in range(ROUNDING_DECIMALS + 1):
        if _unit_of(sample, (decimals,)) is not None and _unit_of(x, (decimals,)) is not None:
            return 10.0**-decimals
    return None


def _unit_of(x, scales):
    """``10**-d`` for the first d in ``scales`` that makes every value whole, None when none does
    (or when a scaled value passes 2**52, beyond which floats hold no fraction)."""
    for decimals in scales:
        scaled = x * 10.0**decimals
        if np.abs(scaled).max() > 2**52:
            return None
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return 10.0**-decimals
    return None


def histogram_edges(x, bins=HIST_BINS):
    """Bin edges of the 1-D histogram (frames and player alike), shape (m + 1,).

    Measured data get ``bins`` equal bins over their range. Data rounded to
    a unit q (whole minutes, one decimal) get bins a whole number of units
    wide with edges on half-units (..., 42.5, 43.5, ...): every bin holds
    the same number of possible values, so the bars do not alternate tall
    and empty (a "comb") and no spike sets the y axis. A range narrower than
    about a billionth of the values' size is widened to that, so the bins'
    density stays finite (data spread over 1e-320).

    Parameters
    ----------
    x : array, shape (n,)
    bins : int
        The number of bins for measured data; rounded data get at most this many.
    """
    x = np.asarray(x, dtype=float)
    lo, hi = float(x.min()), float(x.max())
    min_span = max(1e-9 * max(abs(lo), 1.0), 1e-12)
    unit = data_unit(x)
    if unit is not None and hi > lo:
        width = unit * max(1, int(np.ceil((hi - lo) / unit / bins - 1e-9)))
        count = int(np.floor((hi - lo) / width + 1e-9)) + 1
        start = lo - unit / 2
        return start + width * np.arange(count + 1)
    if hi - lo < min_span:
        mid = lo / 2 + hi / 2
        lo, hi = mid - min_span / 2, mid + min_span / 2
    return np.linspace(lo, hi, bins + 1)


#: Points along each 1-D density curve.
CURVE_SAMPLES = 600

#: The drawn points are the same deterministic subsample everywhere.
SUBSAMPLE_SEED = 0

# Share of the axes below the baseline used for the 1-D points.
RUG_DEPTH = 0.07

# A 1-D curve may reach this many times the histogram's top before it is
# clipped: a collapsing component's spike should not flatten everything else.
CURVE_HEADROOM = 2.5

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


def _z_name(name):
    """A feature's axis name once drawn in z-scores (data fitted in z-scores already says so)."""
    return name if name.endswith("(z-score)") else f"{name} (z-score)"


def projection(history, features=None, standardize=None):
    """The frames' (and the player's) map from the data to the plane: ``(x − centre) @ W``.

    Two chosen features, the data itself when d = 2 (in z-scores with
    ``standardize=True``), else the first two principal components of the
    z-scores (of the raw features with ``standardize=False``), signs fixed so
    the picture does not flip between runs.

    Returns
    -------
    types.SimpleNamespace
        ``centre`` (d,), ``W`` (d, 2), ``axis_names`` (2 str), ``feature_names``,
        ``mean`` and ``std`` (d,), ``axis_features`` ((a, b) or None for principal
        components) and, for principal components, ``variance_share`` (2,).
    """
    p = SimpleNamespace()
    X = history.X
    d = X.shape[1]
    names = list(history.meta.get("feature_names") or [f"x{i + 1}" for i in range(d)])
    if len(names) != d:
        names = [f"x{i + 1}" for i in range(d)]
    p.feature_names = names
    p.mean = X.mean(axis=0)
    std = X.std(axis=0)
    p.std = np.where(std > 0, std, 1.0)
    # Which original features the axes are (None: principal components).
    p.axis_features = None
    if features is not None or d == 2:
        if features is not None:
            try:
                a, b = (int(f) for f in features)
            except (TypeError, ValueError):
                raise OptionError(f"features must be two feature indices, got {features!r}") from None
            if not (0 <= a < d and 0 <= b < d) or a == b:
                raise OptionError(f"features must be two different indices from 0 to {d - 1}, got {a}, {b}")
        else:
            a, b = 0, 1
        p.axis_features = (a, b)
        p.W = np.zeros((d, 2))
        p.W[a, 0] = p.W[b, 1] = 1.0
        if standardize:
            p.centre = p.mean
            p.W /= p.std[:, None]
            p.axis_names = [_z_name(names[a]), _z_name(names[b])]
        else:
            p.centre = np.zeros(d)
            p.axis_names = [names[a], names[b]]
        return p
    standardized = standardize is not False
    scale = p.std if standardized else np.ones(d)
    p.centre = p.mean
    # The same axes the components are numbered along, left to right (vizgmm.model.ordering).
    vals, W = principal_axes(X / scale)
    p.W = W[:, :2] / scale[:, None]
    share = vals[:2] / vals.sum() if vals.sum() > 0 else np.zeros(2)
    p.variance_share = share
    what = "of standardized features" if standardized else "of the raw features"
    p.axis_names = [f"PC{i + 1} {what} ({share[i]:.0%} of variance)" for i in range(2)]
    return p
