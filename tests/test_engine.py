"""The EM engine against scikit-learn, the walk-through, and bad input."""

import json
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

import vizgmm
from vizgmm import DataError, InitError, OptionError
from vizgmm.model.starts import initial_parameters

COVARIANCE_TYPES = ["full", "diag", "spherical", "tied"]


def two_d_data(seed=3):
    rng = np.random.default_rng(seed)
    a = rng.multivariate_normal([0, 0], [[2.0, 0.8], [0.8, 1.0]], size=300)
    b = rng.multivariate_normal([4, 3], [[1.0, -0.5], [-0.5, 1.5]], size=200)
    c = rng.multivariate_normal([-3, 4], [[0.5, 0.0], [0.0, 0.5]], size=100)
    return np.vstack([a, b, c])


def one_d_data(seed=4):
    x, _ = vizgmm.walkthrough_data(seed)
    return x


def sklearn_precisions(covariances, covariance_type):
    """scikit-learn's precisions_init for full (k, d, d) covariances of each type."""
    precisions = np.linalg.inv(covariances)
    if covariance_type == "full":
        return precisions
    if covariance_type == "tied":
        return precisions[0]
    if covariance_type == "diag":
        return np.diagonal(precisions, axis1=1, axis2=2).copy()
    return precisions[:, 0, 0].copy()  # spherical


def sklearn_full_covariances(gm, d):
    cov = gm.covariances_
    k = gm.n_components
    if gm.covariance_type == "full":
        return cov
    if gm.covariance_type == "tied":
        return np.repeat(cov[None], k, axis=0)
    if gm.covariance_type == "diag":
        return np.stack([np.diag(c) for c in cov])
    return cov[:, None, None] * np.eye(d)


def assert_rel(actual, expected, rtol=1e-6):
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=1e-9 * np.abs(expected).max())


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
@pytest.mark.parametrize("dims", [1, 2])
def test_soft_em_matches_sklearn_epoch_by_epoch(covariance_type, dims):
    X = one_d_data()[:, None] if dims == 1 else two_d_data()
    k = 2 if dims == 1 else 3
    rng = np.random.default_rng(11)
    # Start well away from the answer so that every epoch moves visibly.
    means, covariances, weights = initial_parameters(
        X, k, "random-from-data", covariance_type=covariance_type, rng=rng
    )
    init = {"means": means, "covariances": covariances, "weights": weights}
    epochs = 8
    history = vizgmm.fit(X, k, init=init, covariance_type=covariance_type, tol=0, max_iter=epochs)
    assert len(history) == epochs + 1

    moved = 0.0
    for i in range(1, epochs + 1):
        gm = GaussianMixture(
            n_components=k,
            covariance_type=covariance_type,
            means_init=means,
            weights_init=weights,
            precisions_init=sklearn_precisions(covariances, covariance_type),
            tol=0,
            max_iter=i,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm.fit(X)
        snap = history[i]
        assert_rel(snap.means, gm.means_)
        assert_rel(snap.weights, gm.weights_)
        assert_rel(snap.covariances, sklearn_full_covariances(gm, X.shape[1]))
        moved = max(moved, np.abs(snap.means - history[i - 1].means).max())
    # lower_bounds_[j] is the mean log-likelihood under snapshot j's parameters.
    assert_rel(history.mean_log_likelihoods[:epochs], np.array(gm.lower_bounds_), rtol=1e-9)
    assert moved > 1e-3, "the parity check must follow a fit that actually moves"


def test_hard_em_reaches_walkthrough_answer_within_five_epochs():
    rng = np.random.default_rng(2024)
    x = np.concatenate([rng.normal(240, 7, 700), rng.normal(270, 6, 300)])
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=5)
    final = history[5]
    np.testing.assert_allclose(final.means.ravel(), [240, 270], atol=1.0)
    np.testing.assert_allclose(final.weights, [0.7, 0.3], atol=0.03)
    # The start is the walk-through's guess, far from the data.
    np.testing.assert_array_equal(history[0].means.ravel(), [210, 290])
    np.testing.assert_array_equal(history[0].stds, [12, 15])


def test_hard_em_m_step_is_group_mean_population_std_and_share():
    x = one_d_data()
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=3,
                         reg_covar=0.0)
    for prev, snap in zip(history.snapshots[:-1], history.snapshots[1:]):
        for j in range(2):
            group = x[prev.labels == j]
            assert snap.means[j, 0] == pytest.approx(group.mean(), rel=1e-12)
            assert snap.stds[j] == pytest.approx(group.std(), rel=1e-12)
            assert snap.weights[j] == pytest.approx(len(group) / len(x), rel=1e-12)


def test_snapshot_labels_counts_and_loglik_are_under_its_own_parameters():
    X = two_d_data()
    history = vizgmm.fit(X, 3, seed=5, tol=0, max_iter=4)
    for i, snap in enumerate(history):
        resp = history.posterior(i)
        np.testing.assert_array_equal(snap.labels, resp.argmax(axis=1))
        np.testing.assert_array_equal(snap.counts, np.bincount(snap.labels, minlength=3))
        assert snap.labels.dtype == np.uint8
        assert snap.epoch == i


def test_tol_zero_runs_exactly_max_iter_and_tol_stops_early_with_event():
    x = one_d_data()
    fixed = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    assert fixed.epochs == 10 and not fixed.converged
    early = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=1e-3, max_iter=50)
    assert early.epochs < 10 and early.converged
    assert [e["type"] for e in early.final.events] == ["converged"]
    # Hard EM also stops as soon as no label changes, before the likelihood rule would.
    strict = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=1e-300, max_iter=50)
    assert strict.converged and strict.epochs < 50
    np.testing.assert_array_equal(strict[-1].labels, strict[-2].labels)
    assert not np.array_equal(strict[-2].labels, strict[-3].labels)
    soft = vizgmm.fit(x, 2, tol=1e-3, max_iter=200, seed=0)
    lls = soft.mean_log_likelihoods
    assert soft.converged and abs(lls[-1] - lls[-2]) < 1e-3 and abs(lls[-2] - lls[-3]) >= 1e-3


def test_no_seed_draws_one_and_records_it_so_the_run_repeats():
    x = one_d_data()
    first = vizgmm.fit(x, 2, max_iter=5)
    again = vizgmm.fit(x, 2, max_iter=5, seed=first.settings["seed"])
    assert isinstance(first.settings["seed"], int)
    np.testing.assert_array_equal(first.final.means, again.final.means)


@pytest.mark.parametrize("init", ["kmeans++", "random-split", "random-from-data"])
def test_inits_are_seeded_and_deterministic(init):
    X = two_d_data()
    a = vizgmm.fit(X, 3, init=init, seed=7, max_iter=5)
    b = vizgmm.fit(X, 3, init=init, seed=7, max_iter=5)
    c = vizgmm.fit(X, 3, init=init, seed=8, max_iter=5)
    np.testing.assert_array_equal(a[0].means, b[0].means)
    np.testing.assert_array_equal(a.final.covariances, b.final.covariances)
    assert not np.array_equal(a[0].means, c[0].means)


def test_far_data_gives_no_nan():
    # Every point is hundreds of standard deviations from every component:
    # densities underflow to 0 in linear space, but not in log space.
    x = np.concatenate([np.full(50, 1e4), np.full(50, -1e4)]) + np.arange(100) * 1e-3
    history = vizgmm.fit(x, 2, init={"means": [0, 1], "stds": [1, 1], "weights": [0.5, 0.5]},
                         tol=0, max_iter=3)
    for snap in history:
        assert np.isfinite(snap.means).all() and np.isfinite(snap.covariances).all()
        assert np.isfinite(snap.log_likelihood)
    assert sorted(history.final.means.ravel().round()) == [-1e4, 1e4]


def test_hard_em_empty_component_is_kept_with_zero_weight_and_recorded():
    x = np.concatenate([np.random.default_rng(0).normal(0, 1, 200)])
    # Component 2 starts so far away that no point ever chooses it.
    init = {"means": [0.0, 1000.0], "stds": [1.0, 1.0], "weights": [0.5, 0.5]}
    history = vizgmm.fit(x, 2, method="hard", init=init, tol=0, max_iter=3)
    assert history[1].weights[1] == 0.0
    assert history[1].means[1, 0] == 1000.0
    assert any(e["type"] == "empty" and e["component"] == 1 for e in history[1].events)
    for snap in history:
        assert np.isfinite(snap.means).all() and np.isfinite(snap.log_likelihood)
        assert snap.weights.sum() == pytest.approx(1.0)


def test_collapsed_component_floors_at_reg_covar_and_is_recorded():
    x = np.concatenate([np.full(30, 5.0), np.random.default_rng(1).normal(0, 1, 300)])
    init = {"means": [5.0, 0.0], "stds": [0.5, 1.0], "weights": [0.1, 0.9]}
    history = vizgmm.fit(x, 2, method="hard", init=init, tol=0, max_iter=3, reg_covar=1e-6)
    # Components are numbered by ascending mean: the one collapsed at 5.0 is the second.
    assert history.final.covariances[1, 0, 0] == pytest.approx(1e-6)
    assert any(e["type"] == "collapse" and e["component"] == 1 and "component 2" in e["message"]
               for e in history.final.events)


def test_history_save_load_round_trips_exactly(tmp_path):
    X = two_d_data()
    history = vizgmm.fit(X, 3, seed=2, max_iter=6, keep_responsibilities=True)
    history.meta["title"] = "발 사이즈 <b>"
    history.true_labels = np.repeat([0, 1, 2], [300, 200, 100])
    json_path, side = history.save(tmp_path / "history.json")
    assert side.name == "history.npz" and side.exists()
    loaded = vizgmm.History.load(json_path)
    assert loaded.settings == history.settings and loaded.meta == history.meta
    np.testing.assert_array_equal(loaded.X, history.X)
    np.testing.assert_array_equal(loaded.true_labels, history.true_labels)
    assert len(loaded) == len(history)
    for a, b in zip(history, loaded):
        for name in ("means", "covariances", "weights", "labels", "counts", "responsibilities"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
            assert getattr(a, name).dtype == getattr(b, name).dtype
        assert a.log_likelihood == b.log_likelihood and a.events == b.events
    # The parameters are readable by a person.
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["format"] == "vizgmm-history"
    assert doc["snapshots"][2]["means"] == history[2].means.tolist()
    assert doc["settings"]["seed"] == 2 and doc["data"] == {"n": 600, "d": 2}


def test_history_1d_json_has_stds(tmp_path):
    history = vizgmm.fit(one_d_data(), 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, max_iter=2, tol=0)
    path, _ = history.save(tmp_path / "h.json")
    doc = json.loads(path.read_text())
    assert doc["snapshots"][0]["stds"] == [12.0, 15.0]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda j, s: j.write_text(j.read_text()[:200]), "truncated or corrupted"),
        (lambda j, s: s.write_bytes(s.read_bytes()[:-10]), "truncated or changed"),
        (lambda j, s: s.unlink(), "missing"),
        (lambda j, s: j.write_text(j.read_text().replace('"format_version": 2', '"format_version": 99')),
         "newer than this vizgmm reads"),
        (lambda j, s: j.write_bytes(b"\xff\xfe garbage"), "truncated or corrupted"),
    ],
)
def test_damaged_history_files_are_refused_clearly(tmp_path, damage, message):
    history = vizgmm.fit(one_d_data(), 2, seed=0, max_iter=3)
    json_path, side = history.save(tmp_path / "history.json")
    damage(json_path, side)
    with pytest.raises(vizgmm.HistoryFileError, match=message) as info:
        vizgmm.History.load(json_path)
    assert "\n" not in str(info.value)


def test_save_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    h1 = vizgmm.fit(one_d_data(), 2, seed=0, max_iter=2)
    h1.save(tmp_path / "history.json")
    h2 = vizgmm.fit(one_d_data(), 2, seed=1, max_iter=2)
    h2.save(tmp_path / "history.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json", "history.npz"]
    assert vizgmm.History.load(tmp_path / "history.json").settings["seed"] == 1


@pytest.mark.slow
def test_history_memory_at_one_million_points_over_100_epochs():
    # Labels cost n bytes per snapshot; nothing else grows with n and epochs.
    x = np.random.default_rng(0).normal(size=1_000_000)
    history = vizgmm.fit(x, 2, seed=0, tol=0, max_iter=100)
    assert len(history) == 101
    assert history.nbytes() <= 150 * 2**20


@pytest.mark.parametrize(
    "X, k, kwargs, error, fragment",
    [
        ([], 2, {}, DataError, "empty"),
        ([1.0, np.nan, 3.0], 1, {}, DataError, "NaN"),
        ([1.0, np.inf, 3.0], 1, {}, DataError, "infinite"),
        (["a", "b"], 1, {}, DataError, "not numbers"),
        ([[1.0, 2.0], [3.0]], 1, {}, DataError, "rows have different lengths"),
        (np.zeros((2, 2, 2)), 1, {}, DataError, "dimensions"),
        ([1.0, 2.0, 3.0], 0, {}, OptionError, "at least 1"),
        ([1.0, 2.0, 3.0], -1, {}, OptionError, "at least 1"),
        ([1.0, 1.0, 2.0], 3, {}, OptionError, "distinct"),
        ([1.0, 2.0, 3.0], 2.5, {}, OptionError, "whole number"),
        ([1.0, 2.0, 3.0], 2, {"method": "fuzzy"}, OptionError, "method must be one of: hard, soft"),
        ([1.0, 2.0, 3.0], 2, {"init": "magic"}, OptionError, "unknown init"),
        ([1.0, 2.0, 3.0], 2, {"covariance_type": "round"}, OptionError, "covariance_type must be one of: full, diag"),
        ([1.0, 2.0, 3.0], 2, {"init": {"means": [1, 2, 3], "stds": [1, 1], "weights": [.5, .5]}},
         InitError, "means"),
        ([1.0, 2.0, 3.0], 2, {"init": {"means": [1, 2], "stds": [1, 0], "weights": [.5, .5]}},
         InitError, "std must be > 0"),
        ([1.0, 2.0, 3.0], 2, {"init": {"means": [1, 2], "stds": [1, 1], "weights": [.6, .6]}},
         InitError, "sum to 1.2"),
        ([1.0, 2.0, 3.0], 2, {"init": {"means": [1, 2], "stds": [1, 1], "weights": [1.5, -.5]}},
         InitError, ">= 0"),
        ([[1.0, 2.0], [2.0, 1.0], [3, 3]], 2,
         {"init": {"means": [1, 2], "covariances": [[[1, 0], [0, 1]]] * 2, "weights": [.5, .5]}},
         InitError, "means"),
        ([[1.0, 2.0], [2.0, 1.0], [3, 3]], 2,
         {"init": {"means": [[1, 2], [2, 1]], "covariances": [[[1, 2], [2, 1]]] * 2, "weights": [.5, .5]}},
         InitError, "positive definite"),
        ([1e200, 2.0], 1, {}, DataError, "rescale"),
        ([1.0, 2.0, 3.0], 1, {"max_iter": 10**9}, OptionError, "use max_iter <= "),
    ],
)
def test_bad_input_raises_one_line_vizgmm_error(X, k, kwargs, error, fragment):
    with pytest.raises(error, match=fragment) as info:
        vizgmm.fit(X, k, **kwargs)
    assert isinstance(info.value, vizgmm.VizgmmError)
    assert "\n" not in str(info.value)


def test_wide_fits_use_one_blas_thread_and_give_the_others_back(monkeypatch):
    """d > 2 fits run BLAS on one thread (faster there, model/gaussian.py) and restore the caller's setting."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from vizgmm.model import em

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    seen = []
    original = em.weighted_log_prob

    def watching(*args, **kwargs):  # the real E-step, noting the BLAS threads it runs with
        seen.append(blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(em, "weighted_log_prob", watching)
    X = np.random.default_rng(0).normal(size=(500, 3))
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        vizgmm.fit(X, 2, seed=0, max_iter=3)
        assert blas_threads() == before
    assert len(seen) == 4 and all(threads == [1] * len(before) for threads in seen)
