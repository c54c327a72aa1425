"""The batched Cholesky factors and triangular inverse (issue 23, engine speed) against the old per-component code.

The engine used to call scipy's ``cholesky`` and ``solve_triangular`` once per
component per epoch; it now factors every component in one call and inverts
the factors by forward substitution on the stack. tests/engine_reference.py
keeps the old code; here the two are compared on the covariances each
covariance type's M-step makes, in 1, 2 and 5 dimensions, including a nearly
singular component (spread 1e-4 in one direction) held up only by reg_covar,
and whole fits (hard, soft, variational) run on each.
"""

import engine_reference
import numpy as np
import pytest
from scipy import linalg

import vizgmm
from vizgmm.errors import FitError
from vizgmm.model import variational_steps
from vizgmm.model.gaussian import inverse_lower, log_sum_exp, m_step, precision_cholesky, weighted_log_prob

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
DIMS = (1, 2, 5)
# Agreement asked of the batched code: 1e-12 relative (the old code's own rounding is ~1e-16 of the
# entries; a covariance of condition number c moves a Cholesky factor by about sqrt(c)·eps).
RTOL = 1e-12


def _data(d, n=240, seed=0, thin=False):
    """Three tilted clusters in d dimensions; ``thin``: the third is flat (spread 1e-4) in one direction."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 6.0, size=(3, d))
    parts = []
    for j in range(3):
        z = rng.normal(size=(n // 3, d)) @ (np.eye(d) + 0.5 * rng.normal(size=(d, d)))
        if thin and j == 2:
            z[:, -1] = 1e-4 * rng.normal(size=n // 3)
        parts.append(centres[j] + z)
    return np.vstack(parts)


def _relative(new, old):
    """Largest difference relative to the largest entry, per component (axis 0), so a small one is not hidden."""
    new, old = np.asarray(new, dtype=float), np.asarray(old, dtype=float)
    if old.ndim < 2:
        return float(np.max(np.abs(new - old)) / np.max(np.abs(old)))
    axes = tuple(range(1, old.ndim))
    return float(np.max(np.abs(new - old).max(axis=axes) / np.abs(old).max(axis=axes)))


def _covariances(X, covariance_type, reg_covar, seed=1):
    """The M-step's covariances, shape (3, d, d), from random soft responsibilities."""
    resp = np.random.default_rng(seed).random((3, X.shape[0])) + 0.05
    # Component 3 owns the third cluster alone (the thin one, when there is one), so that its
    # covariance is the nearly singular one; the other two share the rest.
    third = X.shape[0] // 3
    resp[2, :2 * third] = 0.0
    resp[:, 2 * third:] = [[0.0], [0.0], [1.0]]
    resp /= resp.sum(axis=0)
    return m_step(X, resp, covariance_type, reg_covar)[1]


CASES = [(t, d, thin, reg) for t in COVARIANCE_TYPES for d in DIMS for thin, reg in ((False, 1e-6), (True, 1e-10))]


def _id(case):
    t, d, thin, reg = case
    return f"{t}-{d}d-{'nearly-singular' if thin else 'regular'}-reg{reg:g}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_precision_cholesky_equals_the_old_per_component_code(case):
    covariance_type, d, thin, reg_covar = case
    X = _data(d, thin=thin)
    covariances = _covariances(X, covariance_type, reg_covar)
    if thin and covariance_type in ("full", "diag") and d > 1:
        # The case is what it says: component 3's smallest spread is 1e-4 of its largest or less.
        vals = np.linalg.eigvalsh(covariances[2])
        assert vals[-1] / vals[0] > 1e8
    old = engine_reference.precision_cholesky(covariances)
    new = precision_cholesky(covariances)
    assert new.shape == old.shape == (3, d, d)
    assert _relative(new, old) < RTOL
    assert np.array_equal(np.triu(new), new)  # still upper triangular, exact zeros below
    log_prob_old = weighted_log_prob(X, np.zeros((3, d)), covariances, np.full(3, 1 / 3), prec_chol=old)
    log_prob_new = weighted_log_prob(X, np.zeros((3, d)), covariances, np.full(3, 1 / 3))
    assert _relative(log_prob_new, log_prob_old) < RTOL


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_variational_precision_cholesky_equals_the_old_code(case):
    covariance_type, d, thin, reg_covar = case
    X = _data(d, thin=thin)
    full = _covariances(X, covariance_type, reg_covar)
    shaped = {"full": full, "tied": full[0], "diag": np.diagonal(full, axis1=1, axis2=2).copy(),
              "spherical": full[:, 0, 0].copy()}[covariance_type]
    old = engine_reference.variational_precision_cholesky(shaped, covariance_type)
    new = variational_steps._precision_cholesky(shaped, covariance_type)
    # One batched call of the LAPACK routine the old loop called per component: the same numbers.
    assert np.array_equal(new, old)


@pytest.mark.parametrize("d", [1, 2, 6, 12])  # term by term up to 8 dimensions, one product per row above
def test_inverse_lower_is_the_triangular_solve_on_any_stack(d):
    rng = np.random.default_rng(3)
    c = np.tril(rng.normal(size=(4, 3, d, d)))
    c[..., np.arange(d), np.arange(d)] = rng.uniform(0.5, 2.0, size=(4, 3, d))
    inv = inverse_lower(c)
    for index in np.ndindex(4, 3):
        expected = linalg.solve_triangular(c[index], np.eye(d), lower=True)
        assert _relative(inv[index], expected) < RTOL
        if d <= 2:
            assert np.array_equal(inv[index], expected)  # the same operations in the same order
    assert np.array_equal(np.tril(inv), inv)


@pytest.mark.parametrize("method", ["hard", "soft", "variational"])
@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("d", DIMS)
def test_fits_equal_the_old_per_component_code(method, covariance_type, d):
    X = _data(d, n=150, thin=True)
    options = dict(method=method, covariance_type=covariance_type, seed=0, max_iter=30, tol=0,
                   reg_covar=1e-6)
    new = vizgmm.fit(X, 3, **options)
    with engine_reference.old_engine():
        old = vizgmm.fit(X, 3, **options)
    assert new.epochs == old.epochs == 30
    for a, b in zip(new, old):
        assert np.array_equal(a.labels, b.labels)
        for name in ("means", "covariances", "weights"):
            assert _relative(getattr(a, name), getattr(b, name)) < RTOL, (a.epoch, name)
        assert abs(a.log_likelihood - b.log_likelihood) <= RTOL * abs(b.log_likelihood)
    if method == "variational":
        assert _relative(np.array(new.settings["lower_bounds"]), np.array(old.settings["lower_bounds"])) < RTOL


def test_a_singular_covariance_names_its_component():
    covariances = np.repeat(np.eye(2)[None], 3, axis=0)
    covariances[1] = [[1.0, 1.0], [1.0, 1.0 - 1e-17]]  # rank one in float: no Cholesky factor
    with pytest.raises(FitError, match="component 2's covariance is numerically singular"):
        precision_cholesky(covariances)


def test_log_sum_exp_is_scipys_to_the_bit_including_ties():
    from scipy.special import logsumexp

    rng = np.random.default_rng(4)
    log_prob = rng.normal(0.0, 30.0, size=(500, 6))
    top = log_prob[::7].max(axis=1) + 1.0
    log_prob[::7, 1] = log_prob[::7, 3] = top  # ties for the largest term in some rows
    log_prob[::11] = -700.0  # and rows of equal, tiny terms
    np.testing.assert_array_equal(log_sum_exp(log_prob), logsumexp(log_prob, axis=1))
