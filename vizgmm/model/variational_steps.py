"""scikit-learn's formulas for the variational Bayesian mixture: the M-step, the E-step and the lower bound (ELBO).

Ported from scikit-learn 1.9's ``sklearn/mixture/_bayesian_mixture.py``, in its
layout: responsibilities are (n, k), one row per point, and covariances keep
scikit-learn's shape for the type until :func:`full_covariances`.
:mod:`vizgmm.model.variational` runs them, epoch by epoch.
"""

import math

import numpy as np
from scipy.special import betaln, digamma, gammaln, xlogy

from vizgmm.errors import OptionError
from vizgmm.model.gaussian import log_sum_exp


def gaussian_statistics(X, resp, reg_covar, covariance_type):
    """scikit-learn's ``_estimate_gaussian_parameters``: Nk, x̄k and Sk from resp (n, k).

    Returns nk (k,), xk (k, d) and sk: (k, d, d) full, (d, d) tied, (k, d) diag, (k,) spherical.
    """
    nk = resp.sum(axis=0) + 10 * np.finfo(float).eps
    xk = (resp.T @ X) / nk[:, None]
    k, d = xk.shape
    if covariance_type == "full":
        sk = np.empty((k, d, d))
        for j in range(k):
            diff = X - xk[j]
            sk[j] = (resp[:, j] * diff.T) @ diff / nk[j] + reg_covar * np.eye(d)
    elif covariance_type == "tied":
        sk = (X.T @ X - (nk * xk.T) @ xk) / nk.sum() + reg_covar * np.eye(d)
    else:
        sk = (resp.T @ (X * X)) / nk[:, None] - xk**2 + reg_covar
        if covariance_type == "spherical":
            sk = sk.mean(axis=1)
    return nk, xk, sk


def _wishart_full(p, nk, xk, sk, beta_k):
    nu_k = p["degrees_of_freedom_prior"] + nk
    diff = xk - p["mean_prior"]
    cov = (p["covariance_prior"] + nk[:, None, None] * sk
           + (nk * p["mean_precision_prior"] / beta_k)[:, None, None] * diff[:, :, None] * diff[:, None, :])
    return nu_k, cov / nu_k[:, None, None]


def _wishart_tied(p, nk, xk, sk, beta_k):
    k = len(nk)
    nu = p["degrees_of_freedom_prior"] + nk.sum() / k
    diff = xk - p["mean_prior"]
    cov = (p["covariance_prior"] + sk * nk.sum() / k
           + p["mean_precision_prior"] / k * np.dot((nk / beta_k) * diff.T, diff))
    return nu, cov / nu


def _wishart_diag(p, nk, xk, sk, beta_k):
    nu_k = p["degrees_of_freedom_prior"] + nk
    diff = xk - p["mean_prior"]
    cov = p["covariance_prior"] + nk[:, None] * (sk + (p["mean_precision_prior"] / beta_k)[:, None] * diff**2)
    return nu_k, cov / nu_k[:, None]


def _wishart_spherical(p, nk, xk, sk, beta_k):
    nu_k = p["degrees_of_freedom_prior"] + nk
    diff = xk - p["mean_prior"]
    cov = p["covariance_prior"] + nk * (sk + p["mean_precision_prior"] / beta_k * np.mean(diff**2, axis=1))
    return nu_k, cov / nu_k


#: The Wishart posterior's degrees of freedom and (scaled) covariance, one function per covariance type.
WISHART = {"full": _wishart_full, "tied": _wishart_tied, "diag": _wishart_diag, "spherical": _wishart_spherical}


def m_step(X, resp, priors, covariance_type, reg_covar):
    """The variational posteriors' parameters from responsibilities (n, k), as a dict.

    ``weight_concentration`` (a tuple of two (k,) arrays for the Dirichlet
    process, a (k,) array otherwise), ``mean_precision`` (k,), ``means`` (k, d),
    ``degrees_of_freedom`` ((k,), a float for tied), ``covariances`` (in
    scikit-learn's shape for the type) and ``precisions_cholesky``.
    """
    nk, xk, sk = gaussian_statistics(X, resp, reg_covar, covariance_type)
    alpha = priors["weight_concentration_prior"]
    if priors["weight_concentration_prior_type"] == "dirichlet_process":
        concentration = (1.0 + nk, alpha + np.hstack((np.cumsum(nk[::-1])[-2::-1], 0)))
    else:
        concentration = alpha + nk
    beta0 = priors["mean_precision_prior"]
    beta_k = beta0 + nk
    means = (beta0 * priors["mean_prior"] + nk[:, None] * xk) / beta_k[:, None]
    nu, covariances = WISHART[covariance_type](priors, nk, xk, sk, beta_k)
    return {
        "weight_concentration": concentration, "mean_precision": beta_k, "means": means,
        "degrees_of_freedom": nu, "covariances": covariances,
        "precisions_cholesky": _precision_cholesky(covariances, covariance_type),
    }


def _precision_cholesky(covariances, covariance_type):
    if covariance_type in ("diag", "spherical"):
        if (covariances <= 0).any():
            raise OptionError("a component's covariance is not positive; increase reg_covar or scale the data")
        return 1.0 / np.sqrt(covariances)
    stack = covariances[None] if covariance_type == "tied" else covariances
    try:
        chol = np.linalg.cholesky(stack)
    except np.linalg.LinAlgError:
        raise OptionError("a component's covariance is not positive definite; increase reg_covar "
                          "or scale the data") from None
    # One batched solve for every component (it was one np.linalg.solve per component: the same
    # LAPACK routine, so the same numbers; scikit-learn's solve_triangular agrees to rounding).
    d = stack.shape[-1]
    prec = np.linalg.solve(chol, np.broadcast_to(np.eye(d), chol.shape)).transpose(0, 2, 1)
    return prec[0] if covariance_type == "tied" else prec


def _log_det_cholesky(prec_chol, covariance_type, d):
    if covariance_type == "full":
        return np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)
    if covariance_type == "tied":
        return np.log(np.diagonal(prec_chol)).sum()
    if covariance_type == "diag":
        return np.log(prec_chol).sum(axis=1)
    return d * np.log(prec_chol)


def _log_gaussian(X, means, prec_chol, covariance_type):
    """log N(x | μk, Λk⁻¹) with Λ from the Cholesky factors, shape (n, k)."""
    n, d = X.shape
    k = means.shape[0]
    log_det = _log_det_cholesky(prec_chol, covariance_type, d)
    mahal = np.empty((n, k))
    for j in range(k):
        if covariance_type in ("full", "tied"):
            u = prec_chol[j] if covariance_type == "full" else prec_chol
            y = (X - means[j]) @ u
        else:
            y = (X - means[j]) * prec_chol[j]
        mahal[:, j] = (y * y).sum(axis=1)
    return -0.5 * (d * np.log(2 * np.pi) + mahal) + log_det


def expected_log_weights(params, prior_type):
    """E[log φk] under the weights' posterior, shape (k,)."""
    c = params["weight_concentration"]
    if prior_type == "dirichlet_process":
        digamma_sum = digamma(c[0] + c[1])
        return digamma(c[0]) - digamma_sum + np.hstack((0, np.cumsum(digamma(c[1]) - digamma_sum)[:-1]))
    return digamma(c) - digamma(np.sum(c))


def e_step(X, params, priors, covariance_type):
    """Log responsibilities (n, k) under the variational parameters."""
    d = X.shape[1]
    nu = params["degrees_of_freedom"]
    log_gauss = _log_gaussian(X, params["means"], params["precisions_cholesky"], covariance_type) \
        - 0.5 * d * np.log(nu)
    log_lambda = d * np.log(2.0) + np.sum(digamma(0.5 * (nu - np.arange(d)[:, None])), axis=0)
    log_prob = log_gauss + 0.5 * (log_lambda - d / params["mean_precision"]) \
        + expected_log_weights(params, priors["weight_concentration_prior_type"])
    return log_prob - log_sum_exp(log_prob)[:, None]


def _log_wishart_norm(nu, log_det_chol, d):
    return -(nu * log_det_chol + nu * d * 0.5 * math.log(2.0)
             + np.sum(gammaln(0.5 * (nu - np.arange(d)[:, None])), axis=0))


def lower_bound(resp, params, priors, covariance_type):
    """The ELBO as scikit-learn's ``_compute_lower_bound`` gives it (total, not per point).

    Valid for parameters fitted (by :func:`m_step`) to these responsibilities (n, k).
    """
    d = params["means"].shape[1]
    k = params["means"].shape[0]
    nu = params["degrees_of_freedom"]
    log_det = _log_det_cholesky(params["precisions_cholesky"], covariance_type, d) - 0.5 * d * np.log(nu)
    if covariance_type == "tied":
        log_wishart = k * np.float64(_log_wishart_norm(nu, log_det, d)[0])
    else:
        log_wishart = np.sum(_log_wishart_norm(nu, log_det, d))
    c = params["weight_concentration"]
    if priors["weight_concentration_prior_type"] == "dirichlet_process":
        log_norm_weight = -np.sum(betaln(c[0], c[1]))
    else:
        log_norm_weight = gammaln(np.sum(c)) - np.sum(gammaln(c))
    # xlogy: an initial one-hot responsibility of 0 adds 0, not 0·log 0 = nan.
    return float(-np.sum(xlogy(resp, resp)) - log_wishart - log_norm_weight
                 - 0.5 * d * np.sum(np.log(params["mean_precision"])))


def expected_weights(params, prior_type):
    """scikit-learn's ``weights_``: the weights' posterior mean (stick-breaking for the process)."""
    c = params["weight_concentration"]
    if prior_type == "dirichlet_process":
        total = c[0] + c[1]
        weights = c[0] / total * np.hstack((1, np.cumprod(c[1][:-1] / total[:-1])))
    else:
        weights = np.asarray(c, dtype=float)
    return weights / weights.sum()


def full_covariances(covariances, covariance_type, k, d):
    """Covariances in scikit-learn's shape for the type as full matrices, shape (k, d, d)."""
    if covariance_type == "full":
        return covariances.copy()
    if covariance_type == "tied":
        return np.repeat(covariances[None], k, axis=0)
    if covariance_type == "diag":
        return covariances[:, :, None] * np.eye(d)
    return covariances[:, None, None] * np.eye(d)
