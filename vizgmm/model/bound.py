"""Why EM can only climb: the lower bound that the E-step touches and the M-step maximises.

For any distribution q over the labels (one row per point), Jensen's inequality gives

    log p(X | θ) ≥ L(q, θ) = Σₙ Σⱼ qₙⱼ [log φⱼ + log N(xₙ | μⱼ, Σⱼ) − log qₙⱼ]

(Bishop, PRML §9.4). The gap is Σₙ KL(qₙ ‖ p(z | xₙ, θ)). Epoch e of EM takes
q from the E-step at snapshot e − 1's parameters and the M-step moves θ to the
top of L(q, ·): snapshot e. :func:`bound_slice` evaluates both curves along a
path θ(t) from snapshot e − 1 (t = 0) to snapshot e (t = 1), and beyond.

* Soft EM: q is the responsibilities, so the gap is 0 at t = 0 (the bound
  touches), and L(1) ≥ L(t) for every t (the M-step's maximum), hence
  log p(1) ≥ L(1) ≥ L(0) = log p(0).
* Hard EM: q is the one-hot labels of snapshot e − 1, the entropy term is 0,
  and L is the classification log-likelihood, which the M-step maximises. The
  bound does not touch (the gap at t = 0 is the labels' KL divergence from the
  posterior), so log p need not rise: hard EM climbs the classification
  likelihood, not the likelihood.

The path (valid for every real t)
---------------------------------
* means linearly: μ(t) = (1 − t) μ₀ + t μ₁;
* covariances through their lower Cholesky factor, Σ(t) = C(t) C(t)ᵀ, with the
  off-diagonal entries of C linear in t and the diagonal entries geometric,
  exp((1 − t) log c₀ + t log c₁), so C(t) has a positive diagonal and Σ(t) is
  positive definite for every t. A diagonal Σ stays diagonal, a spherical one
  spherical and tied covariances stay tied (every component follows the same
  path), so θ(t) stays in the fitted model's family;
* weights through their logarithms and a softmax: φ(t) ∝ exp((1 − t) log φ₀ + t log φ₁),
  on the simplex for every t. A component of weight 0 at either end (an empty
  group in hard EM) keeps weight 0 along the path, except at the end where it
  has weight; q puts no mass on it there.

The ``reg_covar`` term
----------------------
The M-step adds ``reg_covar`` (r) to every variance, so snapshot e sits a tiny
step off the bound's exact peak. :func:`reg_covar_slack` gives that step's cost,
Σⱼ Nⱼ/2 · Σᵢ [log(1 + r/λᵢⱼ) − r/(λᵢⱼ + r)] ≈ Σⱼ Nⱼ Σᵢ (r/λᵢⱼ)²/4 with λᵢⱼ the
eigenvalues of component j's scatter (Nⱼ = Σₙ qₙⱼ; for tied covariances one
shared scatter with N = n): L(t) may exceed L(1) by at most that much.
For data of unit spread and the default r = 1e-6 it is about n·d·1e-13.
"""

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.errors import OptionError
from vizgmm.model.gaussian import LOG_2PI, ROW_BY_ROW_MAX_D, data_columns, inverse_lower

#: Array elements per block of work: the data are taken in blocks of points so that the
#: (t, component, point) arrays of one block stay near ``BLOCK`` floats (32 MB), as the E-step's chunks do.
BLOCK = 1 << 22

#: Positions t evaluated together. Fixed, so that the blocks of points, and with them every t's
#: numbers, do not depend on which other t are asked for (a panel and the player agree to the bit).
T_GROUP = 16

if TYPE_CHECKING:
    from vizgmm.model.history import History


class BoundSlice(NamedTuple):
    """The log-likelihood and the E-step's lower bound along one epoch's path.

    Attributes
    ----------
    log_likelihood : array, shape of t
        Total log p(X | θ(t)).
    bound : array, shape of t
        L(q, θ(t)) with q from the E-step at t = 0.
    """

    log_likelihood: np.ndarray
    bound: np.ndarray

    @property
    def gap(self) -> np.ndarray:
        """log p − L, the KL divergence of q from the posterior (≥ 0)."""
        return self.log_likelihood - self.bound


def _path(start, end, ts):
    """The parameters at every t of ``ts`` (shape (T,)) at once, in the parametrisation of the module's docstring.

    Returns
    -------
    means : array, shape (T, k, d)
    cov_chol : array, shape (T, k, d, d)
        Lower Cholesky factors C(t).
    log_diag : array, shape (T, k, d)
        log of C(t)'s diagonal (exactly the interpolated logarithms, for the log-determinant).
    log_weights : array, shape (T, k)
        log φ(t); ``-inf`` for a component of weight 0 at t.
    """
    t3 = ts[:, None, None]
    means = (1 - t3) * start.means + t3 * end.means
    c0 = np.linalg.cholesky(start.covariances)
    c1 = np.linalg.cholesky(end.covariances)
    t4 = ts[:, None, None, None]
    cov_chol = (1 - t4) * c0 + t4 * c1
    d = c0.shape[1]
    log_diag = (1 - t3) * np.log(np.diagonal(c0, axis1=1, axis2=2)) + t3 * np.log(np.diagonal(c1, axis1=1, axis2=2))
    cov_chol[..., np.arange(d), np.arange(d)] = np.exp(log_diag)
    w0, w1 = np.asarray(start.weights, float), np.asarray(end.weights, float)
    t2 = ts[:, None]
    alive = np.where(t2 == 0.0, w0 > 0, np.where(t2 == 1.0, w1 > 0, (w0 > 0) & (w1 > 0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        log_w = np.where(alive, (1 - t2) * np.log(np.where(w0 > 0, w0, 1.0)) + t2 * np.log(np.where(w1 > 0, w1, 1.0)),
                         -np.inf)
    # The softmax in log space: log φ = log w − log Σ exp(log w) (the largest subtracted first).
    top = log_w.max(axis=1, keepdims=True)
    log_w -= top
    log_w -= np.log(np.exp(log_w).sum(axis=1, keepdims=True))
    return means, cov_chol, log_diag, log_w


def path_parameters(start, end, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mixture's parameters at t on the path from ``start`` (t = 0) to ``end`` (t = 1).

    Parameters
    ----------
    start, end : Snapshot
        Consecutive snapshots (any objects with ``means``, ``covariances``, ``weights``).
    t : float
        Any real number; outside [0, 1] the path continues.

    Returns
    -------
    means : array, shape (k, d)
    cov_chol : array, shape (k, d, d)
        Lower Cholesky factors C(t) of the covariances, C(t) C(t)ᵀ = Σ(t).
    weights : array, shape (k,)
    """
    means, cov_chol, _, log_w = _path(start, end, np.array([float(t)]))
    return means[0], cov_chol[0], np.exp(log_w[0])


def _log_normal(block, means, cov_chol, log_diag):
    """log N(x | μ, C Cᵀ) for a block of points under a stack of Gaussians.

    Parameters
    ----------
    block : array, shape (d, m)
        The points as columns.
    means : array, shape (T, k, d)
    cov_chol : array, shape (T, k, d, d)
    log_diag : array, shape (T, k, d)

    Returns
    -------
    array, shape (T, k, m)
    """
    d = block.shape[0]
    # z = C⁻¹ (x − μ), the whitened points: the Mahalanobis distance is |z|².
    diffs = block[None, None] - means[..., None]
    if d <= ROW_BY_ROW_MAX_D:
        # Forward substitution row by row (what a triangular solve does), every t and component at once.
        for b in range(d):
            for a in range(b):
                diffs[..., b, :] -= cov_chol[..., b, a, None] * diffs[..., a, :]
            diffs[..., b, :] /= cov_chol[..., b, b, None]
        z = diffs
    else:
        # Beyond a few dimensions one batched matrix product with C⁻¹ beats d²/2 vector operations.
        z = np.matmul(inverse_lower(cov_chol), diffs)
    np.square(z, out=z)
    out = z.sum(axis=2)
    out *= -0.5
    out -= (log_diag.sum(axis=2) + 0.5 * d * LOG_2PI)[..., None]
    return out


def _points_per_block(k, d):
    return max(1, BLOCK // (T_GROUP * k * (d + 1)))


def _log_sum_exp(log_prob):
    """log Σⱼ exp over axis 1 of (T, k, m), in place; returns (T, m)."""
    top = log_prob.max(axis=1)
    # Some weight is > 0 at every t, so no point is −inf under all components; guard anyway.
    top[~np.isfinite(top)] = 0.0
    log_prob -= top[:, None, :]
    np.exp(log_prob, out=log_prob)
    total = log_prob.sum(axis=1)
    np.log(total, out=total)
    total += top
    return total


def _q_and_entropy(history, epoch, columns):
    """q as (k, n) for the epoch's E-step, and Σₙⱼ qₙⱼ log qₙⱼ (0 for hard EM)."""
    snap = history[epoch - 1]
    k = history.k
    d, n = columns.shape
    if history.settings.get("method", "soft") == "hard":
        labels = np.asarray(snap.labels, dtype=np.intp)
        q = np.zeros((k, n))
        q[labels, np.arange(n)] = 1.0
        return q, 0.0
    # The snapshot's own parameters, as the E-step has them.
    chol = np.linalg.cholesky(snap.covariances)[None]
    log_diag = np.log(np.diagonal(chol, axis1=2, axis2=3))
    with np.errstate(divide="ignore"):
        log_w = np.log(np.asarray(snap.weights, float))
    q = np.empty((k, n))
    neg_entropy = 0.0
    step = _points_per_block(k, d)
    for lo in range(0, n, step):
        block = columns[:, lo:lo + step]
        log_prob = _log_normal(block, snap.means[None], chol, log_diag)[0]
        log_prob += log_w[:, None]
        log_norm = _log_sum_exp(log_prob[None].copy())[0]
        # log q = log φ N − log p(x); rows of weight 0 have q = 0 and add nothing.
        log_q = log_prob - log_norm
        resp = np.exp(log_q)
        q[:, lo:lo + step] = resp
        with np.errstate(invalid="ignore"):
            neg_entropy += float(np.where(resp > 0, resp * log_q, 0.0).sum())
    return q, neg_entropy


def _check_epoch(history, epoch):
    if not isinstance(epoch, (int, np.integer)) or isinstance(epoch, bool):
        raise OptionError(f"epoch must be an integer, got {epoch!r}")
    if not 1 <= epoch <= history.epochs:
        raise OptionError(
            f"epoch {epoch} has no bound; use an epoch from 1 to {history.epochs} "
            "(epoch e's bound comes from the E-step at snapshot e − 1)"
        )
    return int(epoch)


def bound_slice(history: "History", epoch: int, t: ArrayLike) -> BoundSlice:
    """The log-likelihood and EM's lower bound along epoch ``epoch``'s step through parameter space.

    Parameters
    ----------
    history : History
        A fit (soft or hard EM, any covariance type and dimension).
    epoch : int
        1 to ``history.epochs``. q comes from the E-step at snapshot
        ``epoch − 1``: the responsibilities for soft EM, the labels for hard EM.
    t : float or array-like
        Positions on the path θ(t): t = 0 is snapshot ``epoch − 1``, t = 1
        snapshot ``epoch``; any real t continues the path (see the module's
        docstring for the parametrisation).

    Returns
    -------
    BoundSlice
        ``(log_likelihood, bound)``, arrays of t's shape: the total
        log p(X | θ(t)) and L(q, θ(t)) = Σₙ Σⱼ qₙⱼ [log φⱼ + log N(xₙ | θⱼ) − log qₙⱼ].
        Always bound ≤ log_likelihood; for soft EM they meet at t = 0, and
        the bound peaks at t = 1 (up to :func:`reg_covar_slack`).

    Notes
    -----
    Every t (``T_GROUP`` at a time) and every component are evaluated
    together, block by block of points, so a call costs a few passes over
    the data whatever the number of t, and its arrays stay within a few
    times ``BLOCK`` floats (plus q, k × n). A t's numbers are the same
    whichever other t are asked for.

    Examples
    --------
    >>> import vizgmm
    >>> history = vizgmm.fit(vizgmm.walkthrough_data(), 2, seed=0)
    >>> log_p, bound = vizgmm.bound_slice(history, 1, [0.0, 0.5, 1.0])
    """
    epoch = _check_epoch(history, epoch)
    ts = np.asarray(t, dtype=float)
    if not np.isfinite(ts).all():
        raise OptionError("t must be finite numbers")
    columns = data_columns(history.X)
    d, n = columns.shape
    k = history.k
    q, neg_entropy = _q_and_entropy(history, epoch, columns)
    counts = q.sum(axis=1)
    start, end = history[epoch - 1], history[epoch]
    flat = ts.ravel()
    log_p = np.empty(flat.size)
    bound = np.empty(flat.size)
    step = _points_per_block(k, d)
    for g in range(0, flat.size, T_GROUP):
        means, cov_chol, log_diag, log_w = _path(start, end, flat[g:g + T_GROUP])
        total_p = np.zeros(log_w.shape[0])
        # Σₙ qₙⱼ log N(xₙ | θⱼ(t)) per t and component; the weights' term Nⱼ log φⱼ(t) comes after.
        total_l = np.zeros(log_w.shape)
        for lo in range(0, n, step):
            log_prob = _log_normal(columns[:, lo:lo + step], means, cov_chol, log_diag)
            total_l += (log_prob * q[None, :, lo:lo + step]).sum(axis=2)
            log_prob += log_w[..., None]
            total_p += _log_sum_exp(log_prob).sum(axis=1)
        # 0 · log 0 = 0: a component q gives no mass adds nothing, even at weight 0.
        with np.errstate(invalid="ignore"):
            weights_term = np.where(counts > 0, counts * log_w, 0.0)
        log_p[g:g + T_GROUP] = total_p
        bound[g:g + T_GROUP] = (total_l + weights_term).sum(axis=1) - neg_entropy
    return BoundSlice(log_p.reshape(ts.shape), bound.reshape(ts.shape))


def reg_covar_slack(history: "History", epoch: int) -> float:
    """How far the bound's true peak may lie above snapshot ``epoch`` because of ``reg_covar``.

    Parameters
    ----------
    history : History
    epoch : int

    Returns
    -------
    float
        Σⱼ Nⱼ/2 · Σᵢ [log(1 + r/λᵢⱼ) − r/(λᵢⱼ + r)], λᵢⱼ the eigenvalues of
        snapshot ``epoch``'s covariance less r (component j's scatter), Nⱼ the
        E-step's soft count (n for tied covariances, counted once). ``inf``
        when a scatter has a zero eigenvalue (a collapsed component).
    """
    epoch = _check_epoch(history, epoch)
    r = float(history.settings.get("reg_covar", 0.0))
    if r == 0:
        return 0.0
    columns = data_columns(history.X)
    q, _ = _q_and_entropy(history, epoch, columns)
    counts = q.sum(axis=1)
    snap = history[epoch]
    tied = history.settings.get("covariance_type") == "tied"
    covs = snap.covariances[:1] if tied else snap.covariances
    counts = [float(history.n)] if tied else counts
    slack = 0.0
    for nj, cov in zip(counts, covs):
        if nj <= 0:
            continue
        lam = np.linalg.eigvalsh(cov) - r
        if (lam <= 0).any():
            return float("inf")
        slack += nj / 2 * float(np.sum(np.log1p(r / lam) - r / (lam + r)))
    return slack


def bound_path(history: "History", samples: int = 24, beyond: float = 0.35) -> dict:
    """Every epoch's bound over its own segment of EM's path, stitched end to end: the numbers a bound view draws.

    Epoch e's segment runs from x = e − 1 (snapshot e − 1) to x = e (snapshot
    e); its bound is drawn from x = e − 1 − ``beyond`` to x = e + ``beyond``.

    Parameters
    ----------
    history : History
    samples : int
        Points per unit of t.
    beyond : float
        How far each epoch's bound continues past its segment, in epochs.

    Returns
    -------
    dict
        ``"t"`` (m,), the positions within a segment (from −beyond to 1 + beyond);
        ``"log_likelihood"`` and ``"bound"``, (epochs, m) arrays of
        :func:`bound_slice` at those t; ``"x"`` (epochs, m), the positions on the
        stitched axis (epoch − 1 + t); ``"touch"`` (epochs,), L at t = 0;
        ``"peak"`` (epochs,), L at t = 1; ``"method"``.
    """
    epochs = history.epochs
    inner = np.linspace(0.0, 1.0, samples + 1)
    extra = max(1, int(round(beyond * samples)))
    t = np.concatenate([np.linspace(-beyond, 0.0, extra + 1)[:-1], inner,
                        np.linspace(1.0, 1.0 + beyond, extra + 1)[1:]])
    log_p = np.empty((epochs, t.size))
    bound = np.empty((epochs, t.size))
    for e in range(1, epochs + 1):
        log_p[e - 1], bound[e - 1] = bound_slice(history, e, t)
    zero = int(np.flatnonzero(t == 0.0)[0])
    one = int(np.flatnonzero(t == 1.0)[0])
    return {
        "t": t,
        "x": (np.arange(epochs)[:, None] + t[None, :]),
        "log_likelihood": log_p,
        "bound": bound,
        "touch": bound[:, zero].copy(),
        "peak": bound[:, one].copy(),
        "zero": zero,
        "one": one,
        "method": history.settings.get("method", "soft"),
    }
