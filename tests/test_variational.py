"""The variational (Bayesian) mixture: scikit-learn's BayesianGaussianMixture in vizgmm's engine."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import vizgmm
from vizgmm.errors import OptionError

sklearn_mixture = pytest.importorskip("sklearn.mixture")

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
PRIOR_TYPES = ("dirichlet_process", "dirichlet_distribution")
ITERATIONS = 15


def _blobs(n, d, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]])[:, :d]
    scales = np.array([[1.0, 0.6], [0.7, 1.4], [1.2, 0.8]])[:, :d]
    labels = rng.integers(0, 3, size=n)
    X = centres[labels] + rng.normal(size=(n, d)) * scales[labels]
    if d == 2:
        X[:, 1] += 0.4 * X[:, 0]  # a correlation, so full and diag differ
    return X


def _start(X, k, seed=1):
    """Soft responsibilities, so the start is not one of sklearn's own."""
    rng = np.random.default_rng(seed)
    resp = rng.random((X.shape[0], k)) + 0.05
    return resp / resp.sum(axis=1, keepdims=True)


class _FromResp(sklearn_mixture.BayesianGaussianMixture):
    """scikit-learn's model started from given responsibilities."""

    resp = None

    def _initialize_parameters(self, X, random_state, xp=None):
        self._initialize(X, self.resp)


def _sklearn(X, resp, **options):
    model = _FromResp(n_components=resp.shape[1], random_state=0, **options)
    model.resp = resp
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        model.fit(X)
    return model


def _relative(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def _full(model, k, d):
    from vizgmm.model.variational import full_covariances

    return full_covariances(np.asarray(model.covariances_), model.covariance_type, k, d)


CASES = [(c, p, 2) for c in COVARIANCE_TYPES for p in PRIOR_TYPES]
CASES[3] = ("tied", "dirichlet_distribution", 1)  # one case in 1-D


@pytest.mark.parametrize("covariance_type,prior_type,d", CASES)
def test_parity_with_scikit_learn(covariance_type, prior_type, d, report=None):
    X = _blobs(300, d)
    k = 4
    resp = _start(X, k)
    options = dict(covariance_type=covariance_type, weight_concentration_prior_type=prior_type,
                   max_iter=ITERATIONS, tol=1e-300)
    model = _sklearn(X, resp, **options)
    history = vizgmm.fit(X, k, method="variational", init=resp, covariance_type=covariance_type,
                         max_iter=ITERATIONS, tol=0,
                         weight_concentration_prior_type=prior_type)
    assert history.epochs == model.n_iter_ == ITERATIONS
    # vizgmm numbers components by their final mean; undo that to compare with scikit-learn's order.
    order = np.lexsort(np.asarray(model.means_).T[::-1])
    final = history.final
    diffs = {
        "weights": _relative(final.weights, model.weights_[order]),
        "means": _relative(final.means, model.means_[order]),
        "covariances": _relative(final.covariances, _full(model, k, d)[order]),
        # scikit-learn's tied lower bound is a (1,) array; ravel it to a number.
        "lower bound": _relative(history.settings["lower_bounds"][-1], np.ravel(model.lower_bound_)[0]),
        "lower bounds": _relative(history.settings["lower_bounds"][1:],
                                  [np.ravel(b)[0] for b in model.lower_bounds_]),
    }
    print(f"{covariance_type:9} {prior_type:22} d={d}: max relative difference {max(diffs.values()):.2e}")
    assert max(diffs.values()) < 1e-6, diffs
    np.testing.assert_array_equal(final.labels, np.argsort(order)[model.predict(X)])


def test_stops_on_the_same_iteration_as_scikit_learn():
    """Both stop when the total ELBO changes by less than tol (never on the first iteration)."""
    X = _blobs(300, 2, seed=3)
    resp = _start(X, 3, seed=4)
    model = _sklearn(X, resp, max_iter=500, tol=1e-3)
    history = vizgmm.fit(X, 3, method="variational", init=resp, max_iter=500, tol=1e-3)
    assert model.converged_ and history.epochs == model.n_iter_ < 500
    assert history.final.events[-1]["type"] == "converged"
    assert history.settings["lower_bounds"][-1] == pytest.approx(model.lower_bound_, rel=1e-9)


@pytest.mark.parametrize("covariance_type", COVARIANCE_TYPES)
def test_the_lower_bound_never_falls(covariance_type):
    X = _blobs(250, 2, seed=5)
    history = vizgmm.fit(X, 5, method="variational", covariance_type=covariance_type, max_iter=60, tol=0,
                         init=_start(X, 5, seed=6), weight_concentration_prior=0.01)
    bounds = np.array(history.settings["lower_bounds"])
    assert len(bounds) == len(history) == 61
    steps = np.diff(bounds)
    assert (steps >= -1e-9 * np.abs(bounds[1:])).all(), steps.min()
    assert bounds[-1] > bounds[0]  # it climbs, not only stays put


@pytest.mark.parametrize("prior_type", PRIOR_TYPES)
def test_unneeded_components_drain(prior_type):
    """Six components on two clusters: the prior empties the ones the data do not need."""
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal([0, 0], 0.5, size=(150, 2)), rng.normal([4, 4], 0.5, size=(150, 2))])
    history = vizgmm.fit(X, 6, method="variational", init="kmeans++", seed=0, max_iter=300,
                         weight_concentration_prior_type=prior_type, weight_concentration_prior=1e-3)
    weights = history.final.weights
    assert (weights < 0.01).sum() >= 3, weights
    assert (weights > 0.3).sum() == 2
    assert weights.sum() == pytest.approx(1.0)
    assert history[0].weights.min() > 0.05  # they start with weight, and lose it


def test_saved_and_loaded_with_its_lower_bound(tmp_path):
    X = _blobs(200, 2)
    history = vizgmm.fit(X, 3, method="variational", max_iter=20, seed=0, mean_precision_prior=0.5,
                         weight_concentration_prior_type="dirichlet_distribution")
    history.save(tmp_path / "history.json")
    loaded = vizgmm.History.load(tmp_path / "history.json")
    assert loaded.settings["lower_bounds"] == history.settings["lower_bounds"]
    assert loaded.settings["method"] == "variational"
    assert loaded.settings["priors"]["mean_precision_prior"] == 0.5
    assert loaded.settings["priors"]["weight_concentration_prior_type"] == "dirichlet_distribution"
    np.testing.assert_array_equal(loaded.final.weights, history.final.weights)
    saved = json.loads((tmp_path / "history.json").read_text(encoding="utf-8"))
    assert len(saved["settings"]["lower_bounds"]) == len(saved["snapshots"])


def test_from_sklearn_records_a_bayesian_mixture():
    X = _blobs(300, 2)
    estimator = sklearn_mixture.BayesianGaussianMixture(n_components=4, random_state=0, max_iter=200)
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        fitted = estimator.fit(X)
    history = vizgmm.from_sklearn(fitted, X)
    assert history.settings["method"] == "variational"
    assert history.epochs == fitted.n_iter_
    np.testing.assert_allclose(history.final.weights, fitted.weights_, rtol=1e-9)
    np.testing.assert_allclose(history.final.means, fitted.means_, rtol=1e-9)
    np.testing.assert_allclose(history.final.covariances, fitted.covariances_, rtol=1e-9)
    np.testing.assert_array_equal(history.final.labels, fitted.predict(X))
    bounds = history.settings["lower_bounds"]
    assert bounds[0] is None and len(bounds) == len(history)
    assert bounds[-1] == pytest.approx(fitted.lower_bound_, rel=1e-9)


@pytest.mark.parametrize("options,words", [
    ({"weight_concentration_prior": 0}, "weight_concentration_prior must be more than 0"),
    ({"weight_concentration_prior": -1.0}, "weight_concentration_prior must be more than 0"),
    ({"mean_precision_prior": float("nan")}, "mean_precision_prior"),
    ({"degrees_of_freedom_prior": 0.5}, "degrees_of_freedom_prior must be more than 1"),
    ({"weight_concentration_prior_type": "dirichlet"}, "weight_concentration_prior_type must be one of"),
    ({"covariance_prior": [[1.0, 2.0], [2.0, 1.0]]}, "covariance_prior for full"),
    ({"mean_prior": [1.0]}, "mean_prior needs 2 values"),
    ({"weight_concentration_priors": 1.0}, "unknown options weight_concentration_priors"),
])
def test_bad_priors_are_one_line_option_errors(options, words):
    X = _blobs(100, 2)
    with pytest.raises(OptionError) as caught:
        vizgmm.fit(X, 2, method="variational", max_iter=5, **options)
    message = str(caught.value)
    assert words in message and "\n" not in message


def test_priors_without_the_variational_method_are_refused():
    with pytest.raises(OptionError, match="variational"):
        vizgmm.fit(_blobs(100, 2), 2, method="soft", weight_concentration_prior=0.1)


def test_bad_initial_responsibilities_are_refused():
    from vizgmm.errors import InitError

    X = _blobs(100, 2)
    with pytest.raises(InitError, match="shape"):
        vizgmm.fit(X, 2, method="variational", init=np.full((100, 3), 1 / 3))
    with pytest.raises(InitError, match="summing to 1"):
        vizgmm.fit(X, 2, method="variational", init=np.full((100, 2), 0.3))


def test_the_command_line_fits_a_variational_mixture(tmp_path):
    X = _blobs(200, 2)
    np.savetxt(tmp_path / "points.csv", X, delimiter=",", header="x,y", comments="")
    proc = subprocess.run(
        [sys.executable, "-m", "vizgmm", "fit", "points.csv", "--columns", "x,y", "-k", "4", "--method", "variational",
         "--weight-concentration-prior", "0.01", "--max-iter", "30", "--no-gif", "--no-mp4", "--no-html",
         "--out", "run"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        # The vizgmm these tests import (a worktree's), not whichever one the venv has installed.
        env={**os.environ, "PYTHONPATH": str(Path(vizgmm.__file__).parents[1])},
    )
    assert proc.returncode == 0, proc.stderr
    saved = json.loads((tmp_path / "run" / "history.json").read_text(encoding="utf-8"))
    assert saved["settings"]["method"] == "variational"
    assert saved["settings"]["priors"]["weight_concentration_prior"] == 0.01
    assert saved["data"]["d"] == 2
    bounds = saved["settings"]["lower_bounds"]
    assert len(bounds) == len(saved["snapshots"]) and all(isinstance(b, float) for b in bounds)
    assert bounds == sorted(bounds)
