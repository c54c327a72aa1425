"""bound_slice, evaluated for every t and component at once, equals a one-t-at-a-time reference written out here."""

import numpy as np
import pytest
from scipy import linalg
from scipy.special import logsumexp

import vizgmm
from vizgmm.model.bound import bound_path, bound_slice

T = np.linspace(-0.5, 1.5, 9)
COVARIANCE_TYPES = ("full", "diag", "spherical", "tied")


def _reference_parameters(start, end, t):
    """The documented path: means linear, Cholesky factors with a log-linear diagonal, weights by log-softmax."""
    means = (1 - t) * start.means + t * end.means
    c0, c1 = np.linalg.cholesky(start.covariances), np.linalg.cholesky(end.covariances)
    chol = (1 - t) * c0 + t * c1
    for j in range(len(chol)):
        for i in range(chol.shape[1]):
            chol[j, i, i] = np.exp((1 - t) * np.log(c0[j, i, i]) + t * np.log(c1[j, i, i]))
    w0, w1 = np.asarray(start.weights), np.asarray(end.weights)
    alive = w0 > 0 if t == 0 else w1 > 0 if t == 1 else (w0 > 0) & (w1 > 0)
    log_w = np.full(len(w0), -np.inf)
    for j in np.flatnonzero(alive):
        # At an end only that end's weight counts (the other may be 0: an empty group).
        log_w[j] = np.log(w0[j]) if t == 0 else np.log(w1[j]) if t == 1 else (1 - t) * np.log(w0[j]) + t * np.log(w1[j])
    return means, chol, log_w - logsumexp(log_w)


def _reference_log_joint(X, means, chol, log_w):
    """log φⱼ + log N(xₙ | μⱼ, CⱼCⱼᵀ), shape (n, k), one component and one triangular solve at a time."""
    n, d = X.shape
    out = np.empty((n, len(means)))
    for j in range(len(means)):
        z = linalg.solve_triangular(chol[j], (X - means[j]).T, lower=True)
        log_det = 2 * np.log(np.diag(chol[j])).sum()
        out[:, j] = log_w[j] - 0.5 * (d * np.log(2 * np.pi) + log_det + (z ** 2).sum(axis=0))
    return out


def _reference_slice(history, epoch, ts):
    X = history.X.reshape(history.n, -1)
    start, end = history[epoch - 1], history[epoch]
    if history.settings["method"] == "hard":
        q = np.zeros((history.n, history.k))
        q[np.arange(history.n), start.labels.astype(int)] = 1.0
        entropy_term = 0.0
    else:
        with np.errstate(divide="ignore"):
            e_step = _reference_log_joint(X, start.means, np.linalg.cholesky(start.covariances), np.log(start.weights))
        log_q = e_step - logsumexp(e_step, axis=1, keepdims=True)
        q = np.exp(log_q)
        entropy_term = np.sum(q[q > 0] * log_q[q > 0])
    log_p, bound = [], []
    for t in ts:
        joint = _reference_log_joint(X, *_reference_parameters(start, end, float(t)))
        log_p.append(logsumexp(joint, axis=1).sum())
        bound.append(np.sum(q[q > 0] * joint[q > 0]) - entropy_term)
    return np.array(log_p), np.array(bound)


def _data(d, seed=3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, 4.0, size=(3, d))
    spread = rng.normal(size=(3, d, d)) * 0.6 + np.eye(d)
    return np.vstack([centres[j] + rng.normal(size=(40 + 15 * j, d)) @ spread[j] for j in range(3)])


CASES = [(d, ct, m) for d in (1, 3) for ct in COVARIANCE_TYPES for m in ("soft", "hard")]


@pytest.mark.parametrize("d, covariance_type, method", CASES)
def test_bound_slice_equals_the_one_t_at_a_time_reference(d, covariance_type, method):
    x = _data(d)
    history = vizgmm.fit(x[:, 0] if d == 1 else x, 3, method=method, covariance_type=covariance_type,
                         init="random-from-data", seed=2, max_iter=4, tol=0)
    ts = np.concatenate([T, [0.0, 1.0]])
    for epoch in range(1, history.epochs + 1):
        got = bound_slice(history, epoch, ts)
        want = _reference_slice(history, epoch, ts)
        np.testing.assert_allclose(got.log_likelihood, want[0], rtol=1e-12, atol=0)
        np.testing.assert_allclose(got.bound, want[1], rtol=1e-12, atol=0)


def test_an_empty_group_of_hard_em_keeps_weight_zero_along_the_path():
    x = _data(2)
    init = {"means": np.array([x[0], x[-1], [500.0, 500.0]]), "covariances": np.repeat(np.eye(2)[None], 3, axis=0),
            "weights": np.full(3, 1 / 3)}
    history = vizgmm.fit(x, 3, method="hard", init=init, max_iter=3, tol=0)
    assert history[1].weights[history[1].weights.argmin()] == 0.0  # the far component's group is empty
    for epoch in range(1, history.epochs + 1):
        got = bound_slice(history, epoch, T)
        want = _reference_slice(history, epoch, T)
        np.testing.assert_allclose(got.log_likelihood, want[0], rtol=1e-12, atol=0)
        np.testing.assert_allclose(got.bound, want[1], rtol=1e-12, atol=0)


@pytest.mark.parametrize("d", [2, 3])
def test_a_t_gives_the_same_numbers_whichever_other_t_are_asked(d):
    # The player (few t) and the frames' panel (many t) must print the same touch and peak.
    history = vizgmm.fit(_data(d), 3, init="random-from-data", seed=2, max_iter=3, tol=0)
    many = bound_path(history, samples=24, beyond=0.35)
    for i in (0, many["zero"], many["one"], many["t"].size - 1):
        single = bound_slice(history, 2, many["t"][i])
        assert single.log_likelihood == many["log_likelihood"][1, i]
        assert single.bound == many["bound"][1, i]


def test_many_points_in_several_blocks_equal_the_reference(monkeypatch):
    import vizgmm.model.bound as bound

    history = vizgmm.fit(_data(2), 3, init="random-from-data", seed=2, max_iter=2, tol=0)
    whole = bound_slice(history, 2, T)
    # Blocks of a few points each: the sums over blocks must add up to the same numbers.
    monkeypatch.setattr(bound, "BLOCK", bound.T_GROUP * 3 * 3 * 7)
    assert bound._points_per_block(3, 2) == 7
    blocked = bound_slice(history, 2, T)
    want = _reference_slice(history, 2, T)
    np.testing.assert_allclose(blocked.log_likelihood, want[0], rtol=1e-12, atol=0)
    np.testing.assert_allclose(blocked.bound, want[1], rtol=1e-12, atol=0)
    np.testing.assert_allclose(blocked.bound, whole.bound, rtol=1e-13, atol=0)
