"""k-means as a recorded method: Lloyd's algorithm equals scikit-learn's from the same centres."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris

from vizgmm.model.kmeans import kmeans


def _blobs(d, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(3, d))
    return np.concatenate([rng.normal(c, 1.0 + j, size=(150 + 40 * j, d)) for j, c in enumerate(centres)])


def _data():
    return {
        "1-D": _blobs(1, 0),
        "2-D": _blobs(2, 1),
        "iris": load_iris().data,
    }


@pytest.mark.parametrize("name", ["1-D", "2-D", "iris"])
@pytest.mark.parametrize("start", [0, 1, 2])
def test_kmeans_equals_scikit_learn_from_the_same_centres(name, start):
    # tol=0: scikit-learn then stops, as vizgmm does, only when no label changes (its default
    # tol also stops when the centres move little, which can end a slow run a few epochs early).
    X = _data()[name]
    rng = np.random.default_rng(start)
    init = X[rng.choice(len(X), size=3, replace=False)]
    history = kmeans(X, 3, init)
    # Components are renumbered by their final centre; snapshot 0 holds the same centres in that order.
    assert sorted(map(tuple, history[0].means)) == sorted(map(tuple, init))
    reference = KMeans(n_clusters=3, init=history[0].means, n_init=1, algorithm="lloyd", tol=0).fit(X)
    assert np.abs(history.final.means - reference.cluster_centers_).max() < 1e-9
    np.testing.assert_array_equal(history.final.labels, reference.labels_)
    assert history.settings["inertia"][-1] == pytest.approx(reference.inertia_, rel=1e-12)
    assert history.converged
    assert history.settings["method"] == "kmeans"


def test_every_snapshot_labels_points_by_their_nearest_centre_and_its_own_mixture_agrees():
    X = _data()["2-D"]
    history = kmeans(X, 3, X[:3])
    for snap in history:
        distance = ((X[:, None, :] - snap.means[None]) ** 2).sum(axis=2)
        np.testing.assert_array_equal(snap.labels, distance.argmin(axis=1))
        # Equal weights and one shared spherical variance: the posterior's argmax is the nearest centre.
        np.testing.assert_array_equal(history.posterior(snap.epoch).argmax(axis=1), snap.labels)
        np.testing.assert_allclose(snap.weights, 1 / 3)
    # Lloyd's inertia never rises.
    assert np.all(np.diff(history.settings["inertia"]) <= 1e-9)


def test_one_iteration_of_lloyd_matches_scikit_learn_max_iter_one():
    X = _data()["iris"]
    init = X[[0, 60, 120]]
    history = kmeans(X, 3, init, max_iter=1, tol=0)
    reference = KMeans(n_clusters=3, init=history[0].means, n_init=1, algorithm="lloyd", max_iter=1).fit(X)
    assert np.abs(history[1].means - reference.cluster_centers_).max() < 1e-9
