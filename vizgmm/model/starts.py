"""Where EM starts: the starting parameters of every ``init``, starts that show EM at work, and honest stops.

:func:`initial_parameters` makes the start of each ``init``: k-means++ and
random-split labels turned into parameters by one M-step, random points of
the data, the spread start below, or explicit parameters, which it checks.

k-means++ (scikit-learn's default) usually starts next to the answer, so
its animation barely moves. The ``"spread"`` start is the walk-through's
"far guess" generalised: the means evenly spread along the data's first
principal axis, out beyond the bulk of the data, equal weights, and every
covariance wider than the whole data's. EM then visibly pulls the means in
and shrinks the ellipses over several epochs.

A start that puts two components at the same place (the same mean and
covariance) is a saddle of the likelihood: EM keeps them identical forever
and stops on a flat log-likelihood. :func:`stuck_components` finds that, so
the stop is reported as "stuck", never as "converged".
"""

import warnings

import numpy as np
from scipy.cluster.vq import kmeans2

from vizgmm.errors import InitError, OptionError
from vizgmm.model.gaussian import m_step, one_hot

#: Beyond this many points, k-means for the initialisation runs on a
#: deterministic subsample; the centres it finds are as good for a start.
KMEANS_SAMPLE = 100_000

#: The outermost means of the "spread" start sit this many standard
#: deviations (along the first principal axis) from the data's mean,
SPREAD_REACH = 2.5
#: ... and every covariance is the data's with its standard deviations
#: widened by this factor. Measured on two- and three-cluster sets (1-D and
#: 2-D): the first E-step then leaves every point shared, and the means
#: separate over 6-20 epochs to the same final log-likelihood as k-means++
#: (within 0.1 %); with the plain data covariance they landed in 1-3 epochs.
SPREAD_WIDTH = 2.0
#: Two components are one when their means and covariances agree to this
#: relative tolerance (of the data's spread).
SAME_PLACE_RTOL = 1e-6

STUCK_MESSAGE = "stuck: the start put every component at the same place; use another --init"

INITS = ("kmeans++", "random-split", "random-from-data", "spread")


def initial_parameters(X, k, init, *, covariance_type="full", reg_covar=1e-6, rng=None):
    """The starting means, covariances and weights for ``init``.

    Returns
    -------
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
    """
    rng = np.random.default_rng(rng)
    n, d = X.shape
    if isinstance(init, dict):
        return _explicit_init(init, k, d)
    if not isinstance(init, str) or init not in INITS:
        raise OptionError(
            f"unknown init {init!r}; use one of: {', '.join(INITS)}, or a dict of "
            "means, stds/covariances and weights"
        )
    if init == "random-from-data":
        distinct = np.unique(X, axis=0)
        means = distinct[np.sort(rng.choice(len(distinct), size=k, replace=False))]
        spread = np.atleast_2d(np.cov(X, rowvar=False, bias=True)) + reg_covar * np.eye(d)
        covariances = np.repeat(spread[None], k, axis=0)
        if covariance_type in ("diag", "spherical"):
            covariances = _restrict(covariances, covariance_type)
        return means, covariances, np.full(k, 1.0 / k)
    if init == "spread":
        means, covariances, weights = spread_start(X, k, reg_covar)
        if covariance_type in ("diag", "spherical"):
            covariances = _restrict(covariances, covariance_type)
        return means, covariances, weights
    if init == "random-split":
        labels = random_split(X, k, rng)
    else:  # kmeans++
        labels = kmeans_labels(X, k, rng)
    means, covariances, weights = m_step(X, one_hot(labels, k), covariance_type, reg_covar)
    return means, covariances, weights


def _explicit_init(init, k, d):
    unknown = set(init) - {"means", "stds", "covariances", "weights"}
    if unknown:
        raise InitError(
            f"unknown init keys {sorted(unknown)}; give means, stds or covariances, and weights"
        )
    if "means" not in init:
        raise InitError("explicit init needs 'means' (one per component)")
    means = float_array(init["means"], "means")
    if d == 1 and means.ndim == 1:
        means = means[:, None]
    if means.shape != (k, d):
        raise InitError(
            f"init means have shape {shape_text(means)} but k={k} components in d={d} "
            f"dimensions need {k} means" + ("" if d == 1 else f" of length {d}")
        )
    if "stds" in init and "covariances" in init:
        raise InitError("give either 'stds' or 'covariances' in init, not both")
    if "stds" in init:
        stds = float_array(init["stds"], "stds")
        if d == 1 and stds.ndim == 1:
            stds = stds[:, None]
        if stds.shape != (k, d):
            raise InitError(f"init stds have shape {shape_text(stds)}; need {k} values, one per component")
        if not (stds > 0).all():
            raise InitError("every init std must be > 0; a std of 0 or less is not a normal distribution")
        covariances = np.stack([np.diag(s**2) for s in stds])
    elif "covariances" in init:
        covariances = float_array(init["covariances"], "covariances")
        if d == 1 and covariances.ndim == 1:
            covariances = covariances[:, None, None]
        if covariances.shape != (k, d, d):
            raise InitError(
                f"init covariances have shape {shape_text(covariances)}; need ({k}, {d}, {d})"
                + (" (variances, not stds)" if d == 1 else "")
            )
        for j, cov in enumerate(covariances):
            if not np.allclose(cov, cov.T) or np.linalg.eigvalsh(cov).min() <= 0:
                raise InitError(
                    f"init covariance of component {j + 1} is not symmetric positive definite; "
                    "every variance must be > 0"
                )
    else:
        raise InitError("explicit init needs 'stds' (1-D) or 'covariances' as well as 'means'")
    if "weights" in init:
        weights = float_array(init["weights"], "weights")
        if weights.shape != (k,):
            raise InitError(f"init weights have shape {shape_text(weights)}; need {k} values")
        if (weights < 0).any():
            raise InitError("init weights must be >= 0")
        if abs(weights.sum() - 1.0) > 1e-6:
            raise InitError(
                f"init weights sum to {weights.sum():g}, not 1; divide them by their sum"
            )
        weights = weights / weights.sum()
    else:
        weights = np.full(k, 1.0 / k)
    return means, covariances, weights


def _restrict(covariances, covariance_type):
    if covariance_type == "diag":
        return covariances * np.eye(covariances.shape[1])
    d = covariances.shape[1]
    variances = np.trace(covariances, axis1=1, axis2=2) / d
    return variances[:, None, None] * np.eye(d)


def spread_start(X, k, reg_covar=1e-6):
    """Means along the first principal axis beyond the bulk, equal weights, covariances wider than the data.

    Parameters
    ----------
    X : array, shape (n, d)
    k : int

    Returns
    -------
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
    """
    n, d = X.shape
    centre = X.mean(axis=0)
    cov = np.atleast_2d(np.cov(X, rowvar=False, bias=True)) + reg_covar * np.eye(d)
    # The axis in z-scores, so one column in the thousands does not decide it alone.
    scale = np.sqrt(np.diag(cov))
    vals, vecs = np.linalg.eigh(cov / np.outer(scale, scale))
    axis = vecs[:, -1] * scale
    # The same picture every run: the largest loading points right.
    axis *= np.sign(axis[np.abs(axis).argmax()]) or 1.0
    # Stretch the axis to one standard deviation of the data along it.
    sd = np.sqrt(axis @ cov @ axis) / (axis @ axis)
    positions = np.linspace(-SPREAD_REACH, SPREAD_REACH, k) if k > 1 else np.zeros(1)
    means = centre + positions[:, None] * sd * axis[None, :]
    covariances = np.repeat(SPREAD_WIDTH**2 * cov[None], k, axis=0)
    return means, covariances, np.full(k, 1.0 / k)


def random_split(X, k, rng):
    """Random groups whose means lie apart: points split along a random direction, with noise.

    Purely random groups all have the data's mean (to within σ/√n), which
    is the symmetric saddle soft EM cannot leave. Ranking the points by their
    position along a random direction, plus noise half as large as that
    position's spread, keeps the groups random and overlapping but their
    means apart. The direction is drawn in z-scores with the data's own
    spread (a normal vector shaped by the correlation matrix), so it leans
    towards the directions the data actually varies along: measured over 12
    seeds, 12 of 12 random splits of two- and three-cluster 2-D sets reached
    k-means++'s log-likelihood within 1 % (11 and 10 of 12 with a uniform
    direction, whose unlucky draws split across the clusters).
    """
    n = X.shape[0]
    std = X.std(axis=0)
    z = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    vals, vecs = np.linalg.eigh(np.atleast_2d(np.cov(z, rowvar=False)))
    direction = vecs @ (np.sqrt(np.clip(vals, 0, None)) * rng.normal(size=X.shape[1]))
    norm = np.linalg.norm(direction)
    t = z @ (direction / norm) if norm > 0 else z[:, 0]
    t = t + rng.normal(scale=0.5 * (t.std() or 1.0), size=n)
    labels = np.minimum((np.argsort(np.argsort(t)) * k) // n, k - 1)
    # Every group gets at least one point, so none starts empty.
    labels[rng.choice(n, size=k, replace=False)] = np.arange(k)
    return labels


def stuck_components(means, covariances, weights, spread):
    """Components that sit exactly where another one does, as a list of (j, other) pairs.

    Parameters
    ----------
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
    spread : array, shape (d,)
        The data's standard deviation per feature: the scale of "the same place".
    """
    scale = np.where(spread > 0, spread, 1.0)
    live = np.flatnonzero(weights > 0)
    pairs = []
    for a_index, a in enumerate(live):
        for b in live[a_index + 1:]:
            same_mean = np.all(np.abs(means[a] - means[b]) <= SAME_PLACE_RTOL * scale)
            same_cov = np.all(
                np.abs(covariances[a] - covariances[b]) <= SAME_PLACE_RTOL * np.outer(scale, scale)
            )
            if same_mean and same_cov:
                pairs.append((int(a), int(b)))
    return pairs


def finite_array(value, name, error=InitError):
    """``value`` as a float array of finite numbers, or ``error`` naming ``name`` and showing the value."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise error(f"{name} must be numbers, got {value!r}") from None
    if not np.isfinite(arr).all():
        raise error(f"{name} must be finite numbers, got {value!r}")
    return arr


def float_array(value, name):
    """``value`` as a float array, or an InitError naming the init entry ``name``."""
    return finite_array(value, f"init {name}")


def shape_text(arr):
    """An array's shape as "3x2" for a message."""
    return "x".join(map(str, arr.shape)) or "scalar"


def kmeans_labels(X, k, rng):
    """Labels from k-means seeded by k-means++ (scipy's kmeans2)."""
    n = X.shape[0]
    sample = X
    if n > KMEANS_SAMPLE:
        sample = X[np.sort(rng.choice(n, size=KMEANS_SAMPLE, replace=False))]
    # kmeans2 cannot whiten away a zero spread; scale per feature by the range,
    # which (unlike the std) does not underflow for data spread by 1e-300.
    scale = np.ptp(sample, axis=0)
    scale[~(scale > 0)] = 1.0
    centre = sample.mean(axis=0)
    z = (sample - centre) / scale
    seed = int(rng.integers(2**31 - 1))
    with warnings.catch_warnings():
        # "One of the clusters is empty" on duplicated data: EM's own empty-component
        # handling and events tell the user what matters.
        warnings.simplefilter("ignore")
        centroids, _ = kmeans2(z, k, minit="++", iter=10, seed=seed)
    # Assign every point to its nearest centre, in chunks to bound memory.
    labels = np.empty(n, dtype=np.intp)
    step = 1_000_000
    for start in range(0, n, step):
        zc = (X[start:start + step] - centre) / scale
        dist = ((zc[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        labels[start:start + step] = dist.argmin(axis=1)
    # k-means can leave a centre without points; give it the farthest point.
    counts = np.bincount(labels, minlength=k)
    for j in np.flatnonzero(counts == 0):
        zc = (X - centre) / scale
        far = ((zc - centroids[labels]) ** 2).sum(axis=1)
        far[np.bincount(labels, minlength=k)[labels] <= 1] = -1
        labels[int(far.argmax())] = j
    return labels
