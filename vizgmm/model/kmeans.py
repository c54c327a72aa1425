"""k-means (Lloyd's algorithm) recorded as a History, so it animates beside hard and soft EM.

k-means is hard EM for a mixture whose components share one spherical
variance and one weight: under such a mixture the most probable component
of a point is its nearest mean, so the E-step is "label each point by its
nearest centre" and the M-step is "move each centre to its points' mean".
The loop is Lloyd's, as scikit-learn runs it (``KMeans(algorithm="lloyd")``)::

    snapshot 0   <- the initial centres, each point labelled by its nearest one
    repeat:      centres <- the mean of their points (an empty centre stays where it was)
                 labels  <- nearest centre
                 record the snapshot; stop when no label changed

Each snapshot stores the centres as means, equal weights 1/k and, as every
component's covariance, σ²·I with σ² = inertia / (n·d) + reg_covar, the
shared spherical variance that fits the labelled points best. Under those
parameters the posterior's argmax is the nearest centre, so a snapshot's
labels are the labels of its own parameters, as in :mod:`vizgmm.model.em`,
and its log-likelihood is that of the mixture k-means is the limit of.
``history.settings["inertia"]`` holds k-means' own objective (the sum of
squared distances to the nearest centre) per snapshot.

Where scikit-learn moves an emptied centre to a far point, this keeps it in
place (the same choice hard EM makes), and it stops only when no label
changes (scikit-learn also stops when the centres move less than its
``tol``); from the same start the two agree whenever no cluster empties.
"""

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.data.validate import as_data_matrix, check_k
from vizgmm.errors import OptionError
from vizgmm.model.defaults import DEFAULT_MAX_ITER, DEFAULT_REG_COVAR, DEFAULT_TOL
from vizgmm.model.em import _stop_event
from vizgmm.model.gaussian import label_dtype, log_posterior, weighted_log_prob
from vizgmm.model.history import History, Snapshot
from vizgmm.model.ordering import order_components
from vizgmm.params import check

#: Points per block when measuring distances, so memory stays O(block · k).
CHUNK = 65_536


def nearest_centre(X, centres, dtype=np.intp):
    """Each point's nearest centre and the squared distance to it.

    Parameters
    ----------
    X : array, shape (n, d)
    centres : array, shape (k, d)

    Returns
    -------
    labels : array, shape (n,)
        The index of the nearest centre (the first one on a tie).
    distances : array, shape (n,)
        Squared Euclidean distance to that centre.
    """
    n = X.shape[0]
    labels = np.empty(n, dtype=dtype)
    distances = np.empty(n)
    for start in range(0, n, CHUNK):
        block = X[start:start + CHUNK]
        # The differences themselves, not |x|² − 2x·c + |c|²: no cancellation for data far from 0.
        squared = ((block[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels[start:start + CHUNK] = squared.argmin(axis=1)
        distances[start:start + CHUNK] = squared[np.arange(len(block)), labels[start:start + CHUNK]]
    return labels, distances


def centre_step(X, labels, previous):
    """Every centre moved to the mean of its points; a centre without points stays where it was.

    Parameters
    ----------
    X : array, shape (n, d)
    labels : array, shape (n,)
    previous : array, shape (k, d)

    Returns
    -------
    centres : array, shape (k, d)
    """
    k, d = previous.shape
    counts = np.bincount(labels, minlength=k)
    sums = np.stack([np.bincount(labels, weights=X[:, a], minlength=k) for a in range(d)], axis=1)
    centres = previous.copy()
    filled = counts > 0
    centres[filled] = sums[filled] / counts[filled, None]
    return centres


def kmeans(X: ArrayLike, k: int, means: ArrayLike, *, max_iter: int = DEFAULT_MAX_ITER, tol: float = DEFAULT_TOL, reg_covar: float = DEFAULT_REG_COVAR, seed: int | None = None) -> History:
    """Run Lloyd's k-means from the given centres and get every epoch's snapshot.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
    means : array-like, shape (k, d), or (k,) for 1-D data
        The initial centres (e.g. the start of a :func:`vizgmm.compare`).
    max_iter : int
        Most epochs to run.
    tol : float
        Any value above 0 stops the run once no label changes; ``0`` runs
        exactly ``max_iter`` epochs (as in :func:`vizgmm.fit`).
    reg_covar : float
        Added to the shared variance each snapshot records.
    seed : int or None
        Recorded only (k-means from given centres draws nothing at random).

    Returns
    -------
    History
        ``settings["method"]`` is ``"kmeans"``; components are numbered by
        their final centre left to right, as in :func:`vizgmm.fit`.

    Examples
    --------
    >>> history = kmeans(x, 2, means=[200.0, 300.0])  # doctest: +SKIP
    >>> history.final.means[:, 0]  # doctest: +SKIP
    """
    X = as_data_matrix(X)
    n, d = X.shape
    k = check_k(k, X)
    max_iter = check("max_iter", max_iter)
    tol = float(check("tol", tol))
    reg_covar = float(check("reg_covar", reg_covar))
    if seed is not None:
        seed = check("seed", seed)
    centres = np.array(means, dtype=float)
    if d == 1 and centres.ndim == 1:
        centres = centres[:, None]
    if centres.shape != (k, d) or not np.isfinite(centres).all():
        raise OptionError(f"k-means needs {k} finite initial centres of length {d}, got shape {centres.shape}")
    dtype = label_dtype(k)
    settings: dict[str, Any] = {
        "k": k, "method": "kmeans", "init": "explicit", "covariance_type": "spherical",
        "max_iter": max_iter, "tol": tol, "reg_covar": reg_covar, "seed": seed,
        "keep_responsibilities": False,
        "inertia": [],
    }
    history = History(X=X, settings=settings)
    labels, distances = nearest_centre(X, centres, dtype)
    history.append(_snapshot(X, 0, centres, labels, distances, reg_covar))
    # As explicit parameters of fit(): the start's centres and the mixture snapshot 0 records for them.
    settings["init_parameters"] = {"means": centres.tolist(), "covariances": history[0].covariances.tolist(),
                                   "weights": history[0].weights.tolist()}
    settings["inertia"].append(float(distances.sum()))
    for epoch in range(1, max_iter + 1):
        previous_labels = labels
        previous_centres = centres
        centres = centre_step(X, labels, centres)
        labels, distances = nearest_centre(X, centres, dtype)
        snapshot = _snapshot(X, epoch, centres, labels, distances, reg_covar,
                             previous_counts=np.bincount(previous_labels, minlength=k))
        history.append(snapshot)
        settings["inertia"].append(float(distances.sum()))
        del previous_centres
        if tol > 0 and np.array_equal(labels, previous_labels):
            snapshot.events.append(_stop_event(X, snapshot, epoch))
            break
    return order_components(history)


def _snapshot(X, epoch, centres, labels, distances, reg_covar, previous_counts=None):
    """The snapshot of centres: equal weights, the shared spherical variance, the mixture's log-likelihood."""
    n, d = X.shape
    k = centres.shape[0]
    variance = distances.sum() / (n * d) + reg_covar
    covariances = np.repeat((variance * np.eye(d))[None], k, axis=0)
    weights = np.full(k, 1.0 / k)
    log_norm, _ = log_posterior(weighted_log_prob(X, centres, covariances, weights), overwrite=True)
    counts = np.bincount(labels, minlength=k).astype(np.int64)
    events = []
    if previous_counts is not None:
        for j in np.flatnonzero((counts == 0) & (previous_counts > 0)):
            events.append({"type": "empty", "component": int(j),
                           "message": f"component {j + 1} lost all its points; its centre stays where it was"})
    return Snapshot(
        epoch=epoch, means=centres.copy(), covariances=covariances, weights=weights, labels=labels,
        log_likelihood=float(log_norm.sum()), counts=counts, events=events,
    )
