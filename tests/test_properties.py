"""Properties of the engine that must hold for any data (hypothesis)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import vizgmm
from vizgmm.model.history import History, Snapshot

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def datasets(draw):
    """Data with a few clusters, some points repeated, in shapes (n,) or (n, d)."""
    d = draw(st.integers(1, 3))
    k = draw(st.integers(1, 4))
    n = draw(st.integers(max(k, 2), 80))
    centres = draw(arrays(float, (k, d), elements=st.floats(-50, 50)))
    scales = draw(arrays(float, (k,), elements=st.floats(0.05, 10)))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    which = rng.integers(k, size=n)
    X = centres[which] + rng.normal(size=(n, d)) * scales[which, None]
    assume(len(np.unique(X, axis=0)) >= k)
    return (X[:, 0] if d == 1 and draw(st.booleans()) else X), k, seed


COVARIANCE_TYPES = st.sampled_from(["full", "diag", "spherical", "tied"])
INITS = st.sampled_from(["kmeans++", "random-split", "random-from-data"])


@SETTINGS
@given(datasets(), COVARIANCE_TYPES, INITS)
def test_soft_em_never_lowers_the_log_likelihood(data, covariance_type, init):
    X, k, seed = data
    history = vizgmm.fit(X, k, init=init, covariance_type=covariance_type, seed=seed, tol=0, max_iter=15)
    lls = history.log_likelihoods
    assert np.isfinite(lls).all()
    # EM is monotone; reg_covar nudges each M-step off the exact maximum by a hair.
    slack = 1e-6 * np.abs(lls[:-1]) + 1e-6 * history.n
    assert (np.diff(lls) >= -slack).all(), np.diff(lls).min()


@SETTINGS
@given(datasets(), COVARIANCE_TYPES, INITS, st.sampled_from(["soft", "hard"]))
def test_weights_sum_to_one_and_covariances_are_spd(data, covariance_type, init, method):
    X, k, seed = data
    history = vizgmm.fit(X, k, method=method, init=init, covariance_type=covariance_type, seed=seed,
                         tol=0, max_iter=8)
    for snap in history:
        assert (snap.weights >= 0).all()
        assert snap.weights.sum() == pytest.approx(1.0, abs=1e-12)
        np.testing.assert_array_equal(snap.covariances, np.swapaxes(snap.covariances, 1, 2))
        assert (np.linalg.eigvalsh(snap.covariances) > 0).all()
        assert snap.counts.sum() == history.n


@SETTINGS
@given(datasets(), INITS)
def test_hard_em_labels_are_the_argmax_of_the_posterior(data, init):
    X, k, seed = data
    history = vizgmm.fit(X, k, method="hard", init=init, seed=seed, tol=0, max_iter=8)
    for i, snap in enumerate(history):
        posterior = history.posterior(i)
        chosen = posterior[np.arange(history.n), snap.labels]
        # Equal to the largest posterior (ties may pick either component).
        np.testing.assert_allclose(chosen, posterior.max(axis=1), rtol=0, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 50),
    d=st.integers(1, 4),
    k=st.integers(1, 6),
    epochs=st.integers(0, 5),
    keep=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_history_save_load_round_trips_for_any_shape(tmp_path_factory, n, d, k, epochs, keep, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 10 ** rng.uniform(-5, 5)
    snapshots = []
    for epoch in range(epochs + 1):
        weights = rng.dirichlet(np.ones(k))
        A = rng.normal(size=(k, d, d))
        labels = rng.integers(k, size=n).astype(np.uint8)
        snapshots.append(Snapshot(
            epoch=epoch,
            means=rng.normal(size=(k, d)),
            covariances=A @ np.swapaxes(A, 1, 2) + np.eye(d),
            weights=weights,
            labels=labels,
            log_likelihood=float(rng.normal() * 1e3),
            counts=np.bincount(labels, minlength=k).astype(np.int64),
            events=[{"type": "collapse", "component": 0, "message": "x"}] if epoch % 2 else [],
            responsibilities=rng.dirichlet(np.ones(k), size=n).astype(np.float32) if keep else None,
        ))
    history = History(X=X, settings={"k": k, "method": "soft", "covariance_type": "full", "seed": seed},
                      snapshots=snapshots, meta={"title": "발 ✓"})
    folder = tmp_path_factory.mktemp("h")
    path, _ = history.save(folder / "history.json")
    loaded = History.load(path)
    np.testing.assert_array_equal(loaded.X, X)
    assert loaded.settings == history.settings and loaded.meta == history.meta
    for a, b in zip(history, loaded, strict=True):
        assert a.epoch == b.epoch and a.log_likelihood == b.log_likelihood and a.events == b.events
        for name in ("means", "covariances", "weights", "labels", "counts", "responsibilities"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
