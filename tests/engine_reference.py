"""The engine's per-component linear algebra as it was before it was batched (issue 23, engine speed).

Verbatim copies of the old ``vizgmm.model.gaussian.precision_cholesky`` (scipy's
``cholesky`` and ``solve_triangular``, once per component) and of the old
variational ``_precision_cholesky`` and E-step normaliser, kept as the
reference that tests/test_engine_batched.py compares the batched code with and
that tests/benchmarks/bench_engine.py times. Swap them in with :func:`old_engine`.
"""

import contextlib

import numpy as np
from scipy import linalg
from scipy.special import logsumexp

from vizgmm.errors import FitError, OptionError


def precision_cholesky(covariances):
    """The old gaussian.precision_cholesky: one scipy cholesky and solve_triangular per component."""
    k, d, _ = covariances.shape
    prec_chol = np.empty_like(covariances)
    eye = np.eye(d)
    for j in range(k):
        try:
            cov_chol = linalg.cholesky(covariances[j], lower=True)
        except linalg.LinAlgError:
            raise FitError(f"component {j + 1}'s covariance is numerically singular") from None
        prec_chol[j] = linalg.solve_triangular(cov_chol, eye, lower=True).T
    return prec_chol


def variational_precision_cholesky(covariances, covariance_type):
    """The old variational._precision_cholesky: one np.linalg.solve per component."""
    if covariance_type in ("diag", "spherical"):
        if (covariances <= 0).any():
            raise OptionError("a component's covariance is not positive; increase reg_covar or scale the data")
        return 1.0 / np.sqrt(covariances)
    stack = covariances[None] if covariance_type == "tied" else covariances
    chol = np.linalg.cholesky(stack)
    d = stack.shape[-1]
    prec = np.stack([np.linalg.solve(c, np.eye(d)).T for c in chol])
    return prec[0] if covariance_type == "tied" else prec


def log_sum_exp(log_prob):
    """The old variational E-step's normaliser: scipy's logsumexp over the components."""
    return logsumexp(log_prob, axis=1)


@contextlib.contextmanager
def old_engine():
    """Run vizgmm's fits on the old per-component code inside the block (the real old functions, swapped in)."""
    from vizgmm.model import gaussian, variational_steps

    saved = gaussian.precision_cholesky, variational_steps._precision_cholesky, variational_steps.log_sum_exp
    gaussian.precision_cholesky = precision_cholesky
    variational_steps._precision_cholesky = variational_precision_cholesky
    variational_steps.log_sum_exp = log_sum_exp
    try:
        yield
    finally:
        gaussian.precision_cholesky, variational_steps._precision_cholesky, variational_steps.log_sum_exp = saved
