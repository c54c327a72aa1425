"""The EM engine: fits a Gaussian mixture and records every epoch.

The loop reads like the algorithm::

    snapshot 0   <- initial parameters, E-step under them
    repeat:      M-step from the last E-step's responsibilities (soft) or labels (hard)
                 E-step under the new parameters -> log-likelihood, labels, responsibilities
                 record the snapshot; stop on scikit-learn's tolerance rule

so a snapshot's log-likelihood and labels are always those *under that
snapshot's own parameters*: the labels are the argmax of the posterior, and
the log-likelihood of snapshot ``j`` divided by n equals scikit-learn's
``lower_bounds_[j]``.
"""

from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.data.validate import as_data_matrix, check_k
from vizgmm.errors import OptionError
from vizgmm.model.collapse import collapse_message, collapsed_components
from vizgmm.model.defaults import (
    DEFAULT_COVARIANCE_TYPE,
    DEFAULT_INIT,
    DEFAULT_MAX_ITER,
    DEFAULT_METHOD,
    DEFAULT_REG_COVAR,
    DEFAULT_TOL,
)
from vizgmm.model.gaussian import (
    data_columns,
    label_dtype,
    labels_from_log_prob,
    log_posterior,
    m_step,
    one_blas_thread,
    one_hot,
    weighted_log_prob,
)
from vizgmm.model.history import History, Snapshot, epochs_text
from vizgmm.model.live import live_view
from vizgmm.model.ordering import order_components
from vizgmm.model.starts import (
    INITS,  # noqa: F401  (imported from here before the starts had their own module)
    STUCK_MESSAGE,
    initial_parameters,
    stuck_components,
)
from vizgmm.params import check


def fit(
    X: ArrayLike,
    k: int,
    *,
    method: str = DEFAULT_METHOD,
    init: Any = DEFAULT_INIT,
    covariance_type: str = DEFAULT_COVARIANCE_TYPE,
    max_iter: int = DEFAULT_MAX_ITER,
    tol: float = DEFAULT_TOL,
    reg_covar: float = DEFAULT_REG_COVAR,
    seed: int | None = None,
    keep_responsibilities: bool = False,
    progress: bool = False,
    live: bool = False,
    **priors: Any,
) -> History:
    """Fit a k-component Gaussian mixture by EM and get every epoch's snapshot.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
        Number of components.
    method : {"soft", "hard", "variational"}
        ``"soft"`` is standard EM (responsibilities); ``"hard"`` is the
        walk-through's classification EM (each point takes the label of its
        largest posterior, and each group's mean, population covariance and
        share are recomputed); ``"variational"`` is scikit-learn's
        ``BayesianGaussianMixture`` (:mod:`vizgmm.model.variational`; ``init``
        may then be an (n, k) array of responsibilities).
    init : str or dict
        ``"kmeans++"`` (scikit-learn's default), ``"random-split"``,
        ``"random-from-data"``, ``"spread"`` (means spread along the first
        principal axis beyond the data, wide covariances: a start whose
        animation shows EM move; see :mod:`vizgmm.model.starts`), or explicit
        parameters ``{"means": ..., "stds" or "covariances": ..., "weights": ...}``.
    covariance_type : {"full", "diag", "spherical", "tied"}
        As in scikit-learn. Snapshots always store full (k, d, d) matrices.
    max_iter : int
        Most epochs to run.
    tol : float
        Stop when the mean log-likelihood per point changes by less than this
        (and, in hard EM, when no label changes). ``0`` runs exactly
        ``max_iter`` epochs.
    reg_covar : float
        Added to every covariance's diagonal; no variance falls below it.
    seed : int or None
        Seeds every random choice; the same seed gives the same history.
        ``None`` draws a fresh seed, which is recorded in
        ``history.settings["seed"]`` so that the run can be repeated.
    keep_responsibilities : bool
        Keep each snapshot's (n, k) posterior as float32: 4·n·k bytes per
        epoch (n = 1,000,000 and k = 3 over 100 epochs is 1.2 GB). The
        renderer does not need them; it recomputes them from the parameters.
    progress : bool
        Show a progress bar (tqdm) over the epochs.
    live : bool or widget
        In a notebook, ``True`` shows the epoch player as a widget
        (:func:`vizgmm.widget`, needs ``vizgmm[notebook]``) and adds each
        epoch to it as EM runs; pass a widget to update that one instead.
        Components keep the engine's numbering until the fit ends, then take
        the returned History's. A variational fit shows when it ends.
    **priors
        Only for ``"variational"``: scikit-learn's ``weight_concentration_prior_type``,
        ``weight_concentration_prior``, ``mean_precision_prior``, ``mean_prior``,
        ``degrees_of_freedom_prior``, ``covariance_prior``.

    Returns
    -------
    History
        Snapshot 0 is the initial state, then one snapshot per epoch.
        Components are numbered left to right in the default picture (their final
        mean along the first feature, or for d > 2 along the first principal
        component), in every snapshot (:mod:`vizgmm.model.ordering`),
        whatever the start, so the same model gets the same numbers and colours.
        A stop where components sit at the same place (a symmetric start) is
        marked "stuck", not "converged".
    """
    X = as_data_matrix(X)
    n, d = X.shape
    k = check_k(k, X)
    method = check("method", method)
    covariance_type = check("covariance_type", covariance_type)
    max_iter = check("max_iter", max_iter)
    tol = float(check("tol", tol))
    reg_covar = float(check("reg_covar", reg_covar))
    if seed is None:
        seed = int(cast(int, np.random.SeedSequence().entropy) % 2**32)
    else:
        seed = check("seed", seed)
    _check_history_memory(X.shape[0], max_iter)
    view = live_view(live)
    if method == "variational":
        from vizgmm.model.variational import fit_variational

        fitted = fit_variational(X, k, init=init, covariance_type=covariance_type, max_iter=max_iter, tol=tol,
                                 reg_covar=reg_covar, seed=seed, start=initial_parameters, **priors)
        if view is not None:
            view.update(fitted, done=True)
        return fitted
    if priors:
        raise OptionError(f"{', '.join(sorted(priors))}: priors are for method='variational' only")

    rng = np.random.default_rng(seed)
    dtype = label_dtype(k)
    means, covariances, weights = initial_parameters(
        X, k, init, covariance_type=covariance_type, reg_covar=reg_covar, rng=rng
    )

    settings = {
        "k": k,
        "method": method,
        "init": init if isinstance(init, str) else "explicit",
        "covariance_type": covariance_type,
        "max_iter": max_iter,
        "tol": tol,
        "reg_covar": reg_covar,
        "seed": seed,
        "keep_responsibilities": bool(keep_responsibilities),
    }
    if not isinstance(init, str):
        settings["init_parameters"] = {
            "means": means.tolist(),
            "covariances": covariances.tolist(),
            "weights": weights.tolist(),
        }
    history = History(X=X, settings=settings)

    data_std = X.std(axis=0)
    with one_blas_thread(X.shape[1]):
        columns = data_columns(X)
        log_prob = weighted_log_prob(X, means, covariances, weights, columns=columns)
        labels = labels_from_log_prob(log_prob, dtype)
        log_norm, resp = log_posterior(log_prob, overwrite=True)
        history.append(
            _snapshot(X, data_std, 0, means, covariances, weights, labels, log_norm, resp, reg_covar,
                      keep_responsibilities)
        )
        if view is not None:
            view.update(history)

        epochs: Any = range(1, max_iter + 1)
        if progress:
            from tqdm.auto import tqdm

            epochs = tqdm(epochs, desc="EM", unit="epoch", leave=False)
        previous_mean_ll = history[0].log_likelihood / n
        for epoch in epochs:
            if method == "hard":
                resp = one_hot(labels, k)
            prev_weights = weights
            means, covariances, weights = m_step(
                X, resp, covariance_type, reg_covar, prev_means=means, prev_covariances=covariances,
                columns=columns,
            )
            # Free the last epoch's (k, n) arrays before the E-step allocates new ones.
            resp = log_prob = log_norm = None
            prev_labels = labels
            log_prob = weighted_log_prob(X, means, covariances, weights, columns=columns)
            labels = labels_from_log_prob(log_prob, dtype)
            # The responsibilities take the log densities' place: one (k, n) array, not two.
            log_norm, resp = log_posterior(log_prob, overwrite=True)
            snapshot = _snapshot(
                X, data_std, epoch, means, covariances, weights, labels, log_norm, resp, reg_covar, keep_responsibilities,
                newly_empty=(weights == 0) & (prev_weights > 0),
            )
            history.append(snapshot)
            if view is not None:
                view.update(history)

            mean_ll = snapshot.log_likelihood / n
            converged = tol > 0 and (
                abs(mean_ll - previous_mean_ll) < tol
                or (method == "hard" and np.array_equal(labels, prev_labels))
            )
            previous_mean_ll = mean_ll
            if converged:
                snapshot.events.append(_stop_event(X, snapshot, epoch))
                break
    if progress:
        epochs.close()
    history = order_components(history)
    if view is not None:
        view.update(history, done=True)
    return history


def _stop_event(X, snapshot, epoch):
    """"converged", or "stuck" when components sit at the same place (a saddle, not a solution)."""
    if stuck_components(snapshot.means, snapshot.covariances, snapshot.weights, X.std(axis=0)):
        return {"type": "stuck", "message": f"{STUCK_MESSAGE} (after {epochs_text(epoch)})"}
    return {"type": "converged", "message": f"converged after {epochs_text(epoch)}"}


#: The most memory the labels of every epoch may need before fit() refuses to
#: start (a third of the 24 GB development machine).
MAX_HISTORY_BYTES = 8 * 2**30
SNAPSHOT_OVERHEAD_BYTES = 4096


def _check_history_memory(n, max_iter):
    """Refuse a max_iter whose history could not fit in memory, before running for hours."""
    # One byte per point for the labels, and a few KB of parameters and
    # Python objects, per snapshot.
    per_snapshot = n + SNAPSHOT_OVERHEAD_BYTES
    worst = per_snapshot * (max_iter + 1)
    if worst > MAX_HISTORY_BYTES:
        most = MAX_HISTORY_BYTES // per_snapshot - 1
        raise OptionError(
            f"max_iter={max_iter:,} could need {worst / 2**30:.0f} GB to keep every epoch of "
            f"{n:,} points; use max_iter <= {most:,}"
        )


def _snapshot(X, data_std, epoch, means, covariances, weights, labels, log_norm, resp, reg_covar, keep_resp,
              newly_empty=None):
    k = len(weights)
    counts = np.bincount(labels, minlength=k).astype(np.int64)
    events = []
    collapsed = set(collapsed_components(covariances, weights, reg_covar, data_std))
    for j in range(k):
        if newly_empty is not None and newly_empty[j]:
            events.append({
                "type": "empty", "component": j,
                "message": f"component {j + 1} lost all its points; kept with weight 0",
            })
        elif j in collapsed:
            events.append({
                "type": "collapse", "component": j,
                "message": collapse_message(X, j, labels, means[j], reg_covar),
            })
    return Snapshot(
        epoch=epoch,
        means=means.copy(),
        covariances=covariances.copy(),
        weights=weights.copy(),
        labels=labels,
        log_likelihood=float(log_norm.sum()),
        counts=counts,
        events=events,
        responsibilities=resp.T.astype(np.float32) if keep_resp else None,
    )
