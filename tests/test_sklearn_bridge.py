"""from_sklearn: a scikit-learn GaussianMixture recorded epoch by epoch equals its normal fits."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import vizgmm
from vizgmm.model.sklearn_bridge import from_sklearn

mixture = pytest.importorskip("sklearn.mixture")
GaussianMixture = mixture.GaussianMixture


@pytest.fixture(scope="module")
def X():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    X[:100] += 3
    X[100:200, 0] -= 3
    return X


def full(covariances, covariance_type, k, d):
    cov = np.asarray(covariances)
    return {
        "full": lambda: cov,
        "tied": lambda: np.repeat(cov[None], k, axis=0),
        "diag": lambda: np.array([np.diag(c) for c in cov]),
        "spherical": lambda: cov[:, None, None] * np.eye(d),
    }[covariance_type]()


def fitted(X, iterations, **params):
    """scikit-learn's normal fit stopped after ``iterations`` iterations."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not converge" is expected here
        return GaussianMixture(**(params | {"max_iter": iterations})).fit(X)


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_every_snapshot_equals_sklearn_fitted_for_that_many_iterations(X, covariance_type):
    params = dict(n_components=3, covariance_type=covariance_type, random_state=4, tol=1e-4)
    history = from_sklearn(GaussianMixture(**params), X)
    reference = GaussianMixture(**params).fit(X)
    assert history.converged and reference.converged_
    assert history.epochs == reference.n_iter_
    # lower_bounds_[j] is the mean log-likelihood under snapshot j's parameters.
    np.testing.assert_allclose(history.mean_log_likelihoods[:-1], reference.lower_bounds_, rtol=1e-10)
    for epoch in range(1, len(history)):
        step = fitted(X, epoch, **params)
        snapshot = history[epoch]
        np.testing.assert_allclose(snapshot.means, step.means_, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(snapshot.weights, step.weights_, rtol=1e-12)
        np.testing.assert_allclose(
            snapshot.covariances, full(step.covariances_, covariance_type, 3, 2), rtol=1e-12, atol=1e-15
        )
        np.testing.assert_array_equal(snapshot.labels, step.predict(X))
    assert history.final.log_likelihood == pytest.approx(reference.score(X) * len(X), rel=1e-12)
    assert history.bic() == pytest.approx(reference.bic(X), rel=1e-12)
    assert history.settings["covariance_type"] == covariance_type


def test_snapshot0_is_the_start_sklearn_steps_from(X):
    # One scikit-learn iteration from snapshot 0's parameters gives snapshot 1.
    history = from_sklearn(GaussianMixture(3, random_state=7, max_iter=5, tol=0), X)
    start = history[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = GaussianMixture(
            3, means_init=start.means, weights_init=start.weights,
            precisions_init=np.linalg.inv(start.covariances), max_iter=1,
        ).fit(X)
    np.testing.assert_allclose(history[1].means, one.means_, rtol=1e-10)
    np.testing.assert_allclose(history[1].covariances, one.covariances_, rtol=1e-10)
    assert history.epochs == 5 and not history.converged
    assert history.settings["init"] == "scikit-learn kmeans"


@pytest.mark.parametrize("covariance_type, precisions", [
    ("full", np.array([np.eye(2) * 0.5] * 3)),
    ("diag", np.full((3, 2), 0.5)),
    ("spherical", np.full(3, 0.5)),
    ("tied", np.eye(2) * 0.5),
])
def test_explicit_init_is_snapshot0(X, covariance_type, precisions):
    means = [[0.0, 0.0], [3.0, 3.0], [-3.0, 0.0]]
    estimator = GaussianMixture(
        3, covariance_type=covariance_type, means_init=means, weights_init=[0.2, 0.3, 0.5],
        precisions_init=precisions, max_iter=3, tol=0,
    )
    history = from_sklearn(estimator, X)
    np.testing.assert_allclose(history[0].means, means)
    np.testing.assert_allclose(history[0].weights, [0.2, 0.3, 0.5])
    np.testing.assert_allclose(history[0].covariances, np.array([np.eye(2) * 2.0] * 3))
    assert history.settings["init"] == "explicit"
    reference = fitted(X, 3, **estimator.get_params())
    np.testing.assert_allclose(history.final.means, reference.means_, rtol=1e-12)
    assert history.epochs == 3


def test_one_dimensional_data_and_the_walkthrough_sizes():
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = from_sklearn(GaussianMixture(2, random_state=0), x)
    assert history.d == 1 and history.converged
    order = np.argsort(history.final.means[:, 0])
    np.testing.assert_allclose(history.final.means[order, 0], [240, 270], atol=1.5)
    np.testing.assert_allclose(history.final.stds[order], [7, 6], atol=1.0)


def test_the_users_estimator_is_left_untouched(X):
    estimator = GaussianMixture(2, random_state=1)
    from_sklearn(estimator, X, max_iter=2)
    assert not hasattr(estimator, "means_")
    assert estimator.max_iter == 100 and estimator.warm_start is False


def test_without_random_state_the_drawn_seed_repeats_the_history(X):
    first = from_sklearn(GaussianMixture(3), X, max_iter=10)
    again = from_sklearn(GaussianMixture(3, random_state=first.settings["seed"]), X, max_iter=10)
    np.testing.assert_array_equal(first.final.means, again.final.means)


def test_saved_and_loaded_like_any_history(X, tmp_path):
    history = from_sklearn(GaussianMixture(2, covariance_type="diag", random_state=2), X)
    history.save(tmp_path / "h.json")
    loaded = vizgmm.History.load(tmp_path / "h.json")
    assert len(loaded) == len(history)
    np.testing.assert_array_equal(loaded.final.covariances, history.final.covariances)
    assert loaded.settings["engine"].startswith("scikit-learn")


def test_other_estimators_and_bad_settings_are_refused(X):
    # A BayesianGaussianMixture is recorded now (tests/test_variational.py); other estimators are not.
    from sklearn.cluster import KMeans

    with pytest.raises(vizgmm.OptionError, match="GaussianMixture or BayesianGaussianMixture"):
        from_sklearn(KMeans(n_clusters=2), X)
    with pytest.raises(vizgmm.OptionError, match="distinct points"):
        from_sklearn(GaussianMixture(5), [1.0, 2.0, 3.0])
    with pytest.raises(vizgmm.OptionError, match="scikit-learn refuses"):
        from_sklearn(GaussianMixture(2, weights_init=[0.9, 0.9]), X)
    with pytest.raises(vizgmm.OptionError, match="max_iter"):
        from_sklearn(GaussianMixture(2), X, max_iter=-1)


def test_a_clear_error_when_scikit_learn_is_not_installed():
    # A fresh interpreter where importing sklearn fails, as when it is not installed.
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "import vizgmm, vizgmm.model.sklearn_bridge\n"
        "try:\n"
        "    vizgmm.model.sklearn_bridge.from_sklearn(object(), [1.0, 2.0])\n"
        "except vizgmm.OptionError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code],
                         capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "from_sklearn needs scikit-learn: pip install 'vizgmm[sklearn]'", out.stderr
