"""The variational Bayesian mixture (scikit-learn's ``BayesianGaussianMixture``), recorded per epoch.

A Dirichlet-distribution or Dirichlet-process (stick-breaking) prior on the
weights and a Gaussian–Wishart prior on each component's mean and precision;
variational inference alternates, as scikit-learn's fit loop does::

    snapshot 0   <- the variational parameters fitted to the initial responsibilities
    repeat:      E-step under the last parameters -> responsibilities
                 M-step (the posteriors' parameters) from them -> lower bound (ELBO)
                 record the snapshot; stop when the ELBO changed by less than tol

This is a port of scikit-learn 1.9's ``sklearn/mixture/_bayesian_mixture.py``
(same formulas, same priors' defaults, same ``lower_bound_``); from the same
responsibilities, after the same iterations, the two agree to rounding.
The formulas (M-step, E-step, ELBO) are in :mod:`vizgmm.model.variational_steps`;
this module holds the fit: its start, its priors and the loop that records it.

A snapshot records the point estimates scikit-learn exposes: ``means_``,
``covariances_`` (full k×d×d whatever the type) and ``weights_`` (the expected
weights), its labels are the argmax of the variational E-step under those
parameters (scikit-learn's ``predict``), and its ``log_likelihood`` that of the
data under the Gaussian mixture of the point estimates. The ELBO of every
snapshot, in scikit-learn's convention (the total, up to the constant it
drops), is in ``history.settings["lower_bounds"]``; snapshot j >= 1 holds
scikit-learn's ``lower_bounds_[j - 1]``.
"""

import numpy as np

from vizgmm.errors import InitError, OptionError
from vizgmm.model.gaussian import label_dtype, log_posterior, weighted_log_prob
from vizgmm.model.history import History, Snapshot
from vizgmm.model.ordering import order_components
from vizgmm.model.starts import finite_array, kmeans_labels, random_split
from vizgmm.model.variational_steps import e_step, expected_weights, full_covariances, lower_bound, m_step
from vizgmm.params import check

PRIOR_NAMES = ("weight_concentration_prior_type", "weight_concentration_prior", "mean_precision_prior",
               "mean_prior", "degrees_of_freedom_prior", "covariance_prior")


def check_prior_names(options, caller):
    """OptionError naming every keyword in ``options`` that is not one of the variational priors (``PRIOR_NAMES``)."""
    unknown = set(options) - set(PRIOR_NAMES)
    if unknown:
        raise OptionError(f"{caller}() got unknown options {', '.join(sorted(unknown))}; the priors are "
                          + ", ".join(PRIOR_NAMES))


def fit_variational(X, k, *, init, covariance_type, max_iter, tol, reg_covar, seed, start, **priors):
    """:func:`vizgmm.fit` with ``method="variational"``; X, k and the options are already checked.

    ``init`` is an (n, k) array of responsibilities (rows summing to 1), or
    one of fit's starts: ``"kmeans++"`` and ``"random-split"`` give one-hot
    responsibilities of their labels (scikit-learn's ``init_params="kmeans"``
    does the same with its k-means), the others the posterior under their
    parameters, made by ``start`` (:func:`vizgmm.model.starts.initial_parameters`, handed in
    by the caller). ``tol`` is on the total ELBO, as in scikit-learn.
    """
    check_prior_names(priors, "fit")
    resolved = resolve_priors(X, k, covariance_type, **priors)
    resp = initial_responsibilities(X, k, init, covariance_type=covariance_type, reg_covar=reg_covar, seed=seed,
                                    start=start)
    settings = {
        "k": k, "method": "variational",
        "init": init if isinstance(init, str) else "explicit",
        "covariance_type": covariance_type, "max_iter": max_iter, "tol": tol, "reg_covar": reg_covar,
        "seed": seed, "keep_responsibilities": False,
        "priors": {name: (value.tolist() if isinstance(value, np.ndarray) else value)
                   for name, value in resolved.items()},
    }
    history = run(X, np.ascontiguousarray(resp, dtype=float), resolved, covariance_type=covariance_type,
                  max_iter=max_iter, tol=tol, reg_covar=reg_covar, settings=settings)
    return order_components(history)


def initial_responsibilities(X, k, init, *, covariance_type, reg_covar, seed, start):
    """The (n, k) responsibilities a variational fit starts from (see :func:`fit_variational`'s ``init``).

    The same ``init`` and ``seed`` give the same array, so several fits (a comparison of
    priors, :func:`vizgmm.model.prior_comparison.compare_priors`) can share one start.
    """
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    if isinstance(init, str) and init in ("kmeans++", "random-split"):
        labels = kmeans_labels(X, k, rng) if init == "kmeans++" else random_split(X, k, rng)
        resp = np.zeros((n, k))
        resp[np.arange(n), labels] = 1.0
        return resp
    if isinstance(init, (str, dict)):
        means, covariances, weights = start(X, k, init, covariance_type=covariance_type,
                                            reg_covar=reg_covar, rng=rng)
        return log_posterior(weighted_log_prob(X, means, covariances, weights), overwrite=True)[1].T
    return _responsibilities(init, n, k)


def _responsibilities(init, n, k):
    try:
        resp = np.asarray(init, dtype=float)
    except (TypeError, ValueError):
        raise InitError(f"init must be a start's name or an ({n}, {k}) array of responsibilities") from None
    if resp.shape != (n, k):
        raise InitError(f"init responsibilities have shape {resp.shape}; need ({n}, {k}), one row per point")
    if not np.isfinite(resp).all() or (resp < 0).any() or not np.allclose(resp.sum(axis=1), 1.0):
        raise InitError("init responsibilities must be >= 0 with every row summing to 1")
    return resp


def resolve_priors(X, k, covariance_type, *, weight_concentration_prior_type="dirichlet_process",
                   weight_concentration_prior=None, mean_precision_prior=None, mean_prior=None,
                   degrees_of_freedom_prior=None, covariance_prior=None):
    """The priors with scikit-learn's defaults filled in, checked, as a dict.

    Defaults: weight concentration 1/k, mean precision 1, mean prior the data's
    mean, degrees of freedom d, covariance prior the data's covariance (ddof 1;
    its diagonal for ``diag``, the mean variance for ``spherical``).
    """
    n, d = X.shape
    prior_type = check("weight_concentration_prior_type", weight_concentration_prior_type)
    alpha = 1.0 / k if weight_concentration_prior is None else check(
        "weight_concentration_prior", weight_concentration_prior)
    beta = 1.0 if mean_precision_prior is None else check("mean_precision_prior", mean_precision_prior)
    if mean_prior is None:
        m0 = X.mean(axis=0)
    else:
        m0 = finite_array(mean_prior, "mean_prior", OptionError).reshape(-1)
        if m0.shape != (d,):
            raise OptionError(f"mean_prior needs {d} values (one per feature), got {m0.size}")
    if degrees_of_freedom_prior is None:
        nu = float(d)
    else:
        nu = check("degrees_of_freedom_prior", degrees_of_freedom_prior)
        if nu <= d - 1:
            raise OptionError(f"degrees_of_freedom_prior must be more than {d - 1} (d - 1) for "
                              f"{d}-dimensional data, got {nu:g}; e.g. degrees_of_freedom_prior={d}")
    if covariance_prior is None:
        cov = np.atleast_2d(np.cov(X.T)) if n > 1 else np.eye(d)
        psi = {"full": cov, "tied": cov, "diag": np.diagonal(cov).copy(),
               "spherical": float(np.diagonal(cov).mean())}[covariance_type]
    else:
        psi = _covariance_prior(covariance_prior, covariance_type, d)
    return {
        "weight_concentration_prior_type": prior_type,
        "weight_concentration_prior": float(alpha),
        "mean_precision_prior": float(beta),
        "mean_prior": m0,
        "degrees_of_freedom_prior": float(nu),
        "covariance_prior": psi,
    }


def _covariance_prior(value, covariance_type, d):
    if covariance_type == "spherical":
        psi = check("covariance_prior", value)
        return float(psi)
    psi = finite_array(value, "covariance_prior", OptionError)
    if covariance_type == "diag":
        psi = psi.reshape(-1)
        if psi.shape != (d,) or not (psi > 0).all():
            raise OptionError(f"covariance_prior for diag must be {d} variances, each more than 0")
        return psi
    psi = psi.reshape(d, d) if psi.size == d * d else psi
    if psi.shape != (d, d) or not np.allclose(psi, psi.T) or np.linalg.eigvalsh(psi).min() <= 0:
        raise OptionError(f"covariance_prior for {covariance_type} must be a symmetric positive definite "
                          f"{d}x{d} matrix")
    return psi


# -- the loop -----------------------------------------------------------------------------------

def run(X, resp, priors, *, covariance_type, max_iter, tol, reg_covar, settings):
    """Run variational inference from responsibilities (n, k) and record every epoch.

    Stops, as scikit-learn does, when the total ELBO changes by less than
    ``tol`` between two iterations (never on the first, whose predecessor
    scikit-learn takes as -inf); ``tol=0`` runs ``max_iter`` epochs.

    Returns
    -------
    History
        Unordered (the caller numbers the components); ``settings["lower_bounds"]``
        has one ELBO per snapshot.
    """
    prior_type = priors["weight_concentration_prior_type"]
    settings = dict(settings, lower_bounds=[])
    history = History(X=X, settings=settings)

    params = m_step(X, resp, priors, covariance_type, reg_covar)
    bound = lower_bound(resp, params, priors, covariance_type)
    previous, log_resp = None, None
    for epoch in range(max_iter + 1):
        if epoch > 0:
            resp = np.exp(log_resp)
            params = m_step(X, resp, priors, covariance_type, reg_covar)
            previous, bound = bound, lower_bound(resp, params, priors, covariance_type)
        log_resp = e_step(X, params, priors, covariance_type)
        history.append(_snapshot(epoch, X, params, log_resp, prior_type, covariance_type))
        settings["lower_bounds"].append(bound)
        if epoch > 1 and tol > 0 and abs(bound - previous) < tol:
            history[-1].events.append({
                "type": "converged",
                "message": f"converged after {epoch} epochs (the lower bound changed by less than tol={tol:g})",
            })
            break
    return history


def _snapshot(epoch, X, params, log_resp, prior_type, covariance_type):
    k, d = params["means"].shape
    means = params["means"].copy()
    covariances = full_covariances(params["covariances"], covariance_type, k, d)
    weights = expected_weights(params, prior_type)
    labels = log_resp.argmax(axis=1).astype(label_dtype(k))
    log_norm, _ = log_posterior(weighted_log_prob(X, means, covariances, weights), overwrite=True)
    return Snapshot(
        epoch=epoch, means=means, covariances=covariances, weights=weights, labels=labels,
        log_likelihood=float(log_norm.sum()), counts=np.bincount(labels, minlength=k).astype(np.int64),
    )
