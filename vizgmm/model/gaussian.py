"""Gaussian mixture densities in log space, and the M-step that re-estimates their parameters.

Shared by the EM engine and by readers of a history (the renderer colours
points by their posterior, the report evaluates the final model). Arrays are
laid out component-first, ``(k, n)``, so that each component's row is
contiguous in memory: that is what makes the E-step cheap.
"""

import contextlib

import numpy as np

from vizgmm.errors import FitError

LOG_2PI = np.log(2.0 * np.pi)

# Up to this dimension the E-step and M-step work row by row (d²/2 vector
# operations); above it one BLAS matrix product per component is faster
# (tests/benchmarks/bench_engine.py measures both regimes).
ROW_BY_ROW_MAX_D = 2


def one_blas_thread(d):
    """A context in which BLAS runs on one thread, for data of d > ``ROW_BY_ROW_MAX_D`` dimensions.

    There each epoch makes k small BLAS products between memory-bound passes,
    and BLAS threads only add their start and wait (bench_engine, n=200,000:
    d=10, k=4 took 136 ms an epoch with two threads, 101 ms with one; d=5, k=8
    135 against 90).
    """
    if d <= ROW_BY_ROW_MAX_D:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def precision_cholesky(covariances):
    """Cholesky factors of the precision matrices.

    Every component at once (one ``np.linalg.cholesky`` on the stack, then
    :func:`inverse_lower`). scipy's ``cholesky`` and ``solve_triangular``, once
    per component per epoch, cost about 8 µs a call on an idle machine and up
    to milliseconds on a busy one (their own BLAS threads wait for cores), most
    of a small fit's time: ``bench_engine.py --part fits``.

    Parameters
    ----------
    covariances : array, shape (k, d, d)

    Returns
    -------
    prec_chol : array, shape (k, d, d)
        Upper-triangular ``U`` with ``U @ U.T`` the precision, as scikit-learn
        computes it, so that ``(x - mu) @ U`` is whitened.
    """
    try:
        cov_chol = np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        cov_chol = None
    if cov_chol is None or not np.isfinite(cov_chol).all():
        raise _singular(covariances)
    return inverse_lower(cov_chol).transpose(0, 2, 1)


def _singular(covariances):
    """The FitError for the first component whose covariance has no Cholesky factor."""
    j = next((j for j, cov in enumerate(covariances) if not _has_factor(cov)), 0)
    # reg_covar keeps a true collapse positive definite, so this is a spread
    # below float precision in some direction: points nearly on a line, or
    # far apart compared with their spread (not "too few distinct points").
    return FitError(
        f"component {j + 1}'s covariance is numerically singular (its spread in one direction is "
        "below float precision of another: the points lie nearly on a line or far apart compared "
        "with their spread); standardise the features, increase reg_covar (--reg-covar) or lower k"
    )


def _has_factor(cov):
    try:
        return bool(np.isfinite(np.linalg.cholesky(cov)).all())
    except np.linalg.LinAlgError:
        return False


#: Up to this dimension :func:`inverse_lower` subtracts term by term, in LAPACK's order; above it one
#: batched product per row is cheaper than d²/2 vector operations.
SEQUENTIAL_INVERSE_MAX_D = 8


def inverse_lower(c):
    """C⁻¹ of a stack of lower-triangular matrices, shape (..., d, d), by forward substitution.

    Row i of C⁻¹ is (eᵢ − Σ_{m<i} C[i, m] · row m) · (1 / C[i, i]), what a
    triangular solve against the identity computes; here every matrix of the
    stack at once, so that k small factors cost a few vector operations, not
    k library calls. Up to ``SEQUENTIAL_INVERSE_MAX_D`` the terms are
    subtracted one at a time and the diagonal applied as a reciprocal, as
    OpenBLAS's ``trsm`` does: for d ≤ 2 the result is scipy's
    ``solve_triangular`` to the bit, and a fit follows the old per-component
    code's path as closely as rounding lets it.
    """
    d = c.shape[-1]
    inv = np.zeros_like(c)
    for i in range(d):
        # Only columns 0..i: the rest of the row is 0 (C⁻¹ is lower triangular too).
        if d <= SEQUENTIAL_INVERSE_MAX_D:
            row = np.zeros(c.shape[:-2] + (i + 1,))
            row[..., i] = 1.0
            for m in range(i):
                row -= c[..., i, m, None] * inv[..., m, :i + 1]
        else:
            row = np.einsum("...m,...mj->...j", c[..., i, :i], inv[..., :i, :i + 1])
            np.negative(row, out=row)
            row[..., i] += 1.0
        inv[..., i, :i + 1] = row * (1.0 / c[..., i, i])[..., None]
    return inv


def weighted_log_prob(X, means, covariances, weights, prec_chol=None, columns=None):
    """log(φ_j) + log N(x_i | μ_j, Σ_j) for every component and point.

    Parameters
    ----------
    X : array, shape (n, d)
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
    prec_chol : array, shape (k, d, d), optional
        Precomputed :func:`precision_cholesky` of ``covariances``.
    columns : array, shape (d, n), optional
        ``X`` transposed and contiguous (see :func:`data_columns`); a caller
        that evaluates many parameter sets on the same data passes it once.

    Returns
    -------
    log_prob : array, shape (k, n)
        ``-inf`` in the row of a component whose weight is 0.
    """
    if prec_chol is None:
        prec_chol = precision_cholesky(covariances)
    if columns is None:
        columns = data_columns(X)
    d, n = columns.shape
    k = means.shape[0]
    out = np.empty((k, n))
    diffs = np.empty((d, n))
    y = np.empty(n)
    with np.errstate(divide="ignore"):
        log_weights = np.log(weights)
    whitened = np.empty((d, n)) if d > ROW_BY_ROW_MAX_D else None
    for j in range(k):
        u = prec_chol[j]
        log_det = np.log(np.diagonal(u)).sum()
        row = out[j]
        np.subtract(columns, means[j][:, None], out=diffs)
        if whitened is not None:
            # Beyond a few dimensions one matrix product (BLAS) beats d²/2 vector operations.
            np.matmul(u.T, diffs, out=whitened)
            np.einsum("ij,ij->j", whitened, whitened, out=row)
            row *= -0.5
            row += log_weights[j] + log_det - 0.5 * d * LOG_2PI
            continue
        # Whiten column by column, (x - μ) @ U with U upper triangular: d²/2
        # vector operations on contiguous rows beat an (n, d) matrix product
        # and its temporaries for the small d this tool draws.
        for b in range(d):
            np.multiply(diffs[b], u[b, b], out=y)
            for a in range(b):
                y += diffs[a] * u[a, b]
            if b == 0:
                np.square(y, out=row)
            else:
                np.square(y, out=y)
                row += y
        row *= -0.5
        row += log_weights[j] + log_det - 0.5 * d * LOG_2PI
    return out


def data_columns(X):
    """The data as d contiguous rows, shape (d, n) (a view when d = 1)."""
    return np.ascontiguousarray(X.T)


def log_posterior(log_prob, overwrite=False):
    """Normalise weighted log densities into responsibilities.

    Written out rather than calling ``scipy.special.logsumexp`` because this
    runs once per epoch over every point and scipy's general version costs
    about as much as the rest of the E-step; the maths is the same
    (subtract the maximum, exponentiate, sum, log).

    Parameters
    ----------
    log_prob : array, shape (k, n)
    overwrite : bool
        Compute the responsibilities in ``log_prob``'s own memory (the EM
        loop's choice at scale: at n = 10⁷, k = 3 that is 240 MB less).

    Returns
    -------
    log_norm : array, shape (n,)
        log p(x_i) under the mixture.
    resp : array, shape (k, n)
        p(z_i = j | x_i), each column summing to 1.
    """
    top = log_prob.max(axis=0)
    # A point is never -inf under every component (some weight is > 0 and
    # every density is positive in log space), but guard against it anyway.
    top[~np.isfinite(top)] = 0.0
    resp = np.subtract(log_prob, top, out=log_prob if overwrite else np.empty_like(log_prob))
    np.exp(resp, out=resp)
    total = resp.sum(axis=0)
    resp /= total
    log_norm = np.log(total, out=total)
    log_norm += top
    return log_norm, resp


def log_sum_exp(log_prob):
    """log Σₖ exp(log_prob[:, k]), shape (n,): scipy's ``logsumexp(axis=1)``, written out.

    For the variational E-step, whose rows are points: scipy's general version
    costs as much as the rest of that E-step on a small data set (as
    :func:`log_posterior` found for EM's). The maths
    is scipy's own, so that the fit follows scikit-learn's to rounding: the
    largest term (m of them on a tie) is taken out of the sum, and
    log(m·eᵗᵒᵖ + rest) = top + log m + log1p(rest / m).
    """
    top = log_prob.max(axis=1, keepdims=True)
    is_top = log_prob == top
    ties = is_top.sum(axis=1)
    rest = np.exp(np.where(is_top, -np.inf, log_prob - top)).sum(axis=1)
    return np.log1p(rest / ties) + np.log(ties) + top[:, 0]


def labels_from_log_prob(log_prob, dtype):
    """Index of the largest posterior per point (ties go to the lower index).

    Parameters
    ----------
    log_prob : array, shape (k, n)

    Returns
    -------
    labels : array, shape (n,)
    """
    # A running comparison over k rows is faster than argmax along axis 0,
    # and a strict ">" keeps the lower index on ties, as argmax does.
    labels = np.zeros(log_prob.shape[1], dtype=dtype)
    best = log_prob[0].copy()
    for j in range(1, log_prob.shape[0]):
        better = log_prob[j] > best
        labels[better] = j
        np.maximum(best, log_prob[j], out=best)
    return labels


def label_dtype(k):
    """The smallest unsigned integer type that holds labels 0..k-1."""
    return np.uint8 if k <= 256 else np.uint16 if k <= 65536 else np.uint32


def m_step(X, resp, covariance_type, reg_covar, prev_means=None, prev_covariances=None,
           columns=None):
    """Re-estimate weights, means and covariances from responsibilities.

    As scikit-learn does it: Nk-weighted means, covariances divided by Nk,
    ``reg_covar`` added to the diagonal. A component with no weight at all
    (an empty group in hard EM) keeps its previous mean and covariance with
    φ = 0, so nothing divides by zero. Covariances are accumulated from
    centred data, which keeps data like 240.000001 ± 1e-9 exact.

    Parameters
    ----------
    X : array, shape (n, d)
    resp : array, shape (k, n)
        Responsibilities (one-hot rows for hard EM).
    columns : array, shape (d, n), optional
        ``X`` transposed and contiguous.

    Returns
    -------
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
    """
    if columns is None:
        columns = data_columns(X)
    d, n = columns.shape
    k = resp.shape[0]
    counts = resp.sum(axis=1)
    empty = counts == 0
    # scikit-learn adds 10·eps so that a vanishing component divides safely.
    nk = counts + 10 * np.finfo(float).eps
    means = (resp @ columns.T) / nk[:, None]
    scatter = np.zeros((k, d, d))
    diffs = np.empty((d, n))
    weighted = np.empty((d, n))
    for j in range(k):
        np.subtract(columns, means[j][:, None], out=diffs)
        np.multiply(diffs, resp[j], out=weighted)
        if d > ROW_BY_ROW_MAX_D:
            np.matmul(weighted, diffs.T, out=scatter[j])
            scatter[j] = (scatter[j] + scatter[j].T) / 2  # (w·a)·b and (w·b)·a round apart
            if covariance_type not in ("full", "tied"):
                scatter[j] = np.diag(np.diagonal(scatter[j]))
            continue
        for a in range(d):
            # Off-diagonal terms only where the covariance type keeps them.
            for b in (range(a + 1) if covariance_type in ("full", "tied") else (a,)):
                scatter[j, a, b] = scatter[j, b, a] = weighted[a] @ diffs[b]
    if covariance_type == "tied":
        covariances = np.repeat((scatter.sum(axis=0) / nk.sum())[None], k, axis=0)
    else:
        covariances = scatter / nk[:, None, None]
        if covariance_type == "spherical":
            variances = np.trace(covariances, axis1=1, axis2=2) / d
            covariances = variances[:, None, None] * np.eye(d)
    covariances += reg_covar * np.eye(d)
    weights = nk / nk.sum()
    if empty.any():
        weights[empty] = 0.0
        weights /= weights.sum()
        if prev_means is not None:
            means[empty] = prev_means[empty]
            covariances[empty] = prev_covariances[empty]
    return means, covariances, weights


def one_hot(labels, k):
    """Responsibilities of hard labels: 1 for each point's own component, shape (k, n)."""
    resp = np.zeros((k, labels.shape[0]))
    resp[labels, np.arange(labels.shape[0])] = 1.0
    return resp
