"""vizgmm.anneal: soft EM with a shared variance cooled into k-means, checked against scikit-learn."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris

import vizgmm
from vizgmm.cli.main import main
from vizgmm.model.anneal import schedule


def _separated(d, seed):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0] * d, [10.0] * d, [0.0] + [10.0] * (d - 1) if d > 1 else [20.0]])
    return np.concatenate([rng.normal(centres[j], 1.0, size=(100 + 20 * j, d)) for j in range(3)])


def _overlapping(d, seed):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(3, d))
    return np.concatenate([rng.normal(centres[j], 1.0 + j, size=(150 + 40 * j, d)) for j in range(3)])


def _inertia(X, means, labels):
    return float(((X - means[labels]) ** 2).sum())


def test_the_schedule_is_geometric_from_the_overall_variance_to_one_percent():
    X = load_iris().data
    sigma2 = schedule(X)
    overall = np.mean([np.var(X[:, j]) for j in range(X.shape[1])])
    assert len(sigma2) == 30
    assert sigma2[0] == pytest.approx(overall, rel=1e-12)
    assert sigma2[-1] == pytest.approx(0.01 * overall, rel=1e-12)
    ratios = sigma2[1:] / sigma2[:-1]
    np.testing.assert_allclose(ratios, 0.01 ** (1 / 29), rtol=1e-12)


@pytest.mark.parametrize("d", [1, 2])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_on_separated_groups_the_last_labels_are_k_means_from_the_same_start(d, seed):
    X = _separated(d, seed)
    history = vizgmm.anneal(X, 3, seed=seed)
    reference = KMeans(n_clusters=3, init=history[0].means, n_init=1, algorithm="lloyd", tol=0).fit(X)
    np.testing.assert_array_equal(history.final.labels, reference.labels_)
    assert np.abs(history.final.means - reference.cluster_centers_).max() < 1e-9
    assert history.settings["temperatures"][-1] == 0.0 and len(history.settings["temperatures"]) == len(history)


@pytest.mark.parametrize("name", ["iris", "overlapping 1-D", "overlapping 2-D"])
def test_where_groups_overlap_it_ends_on_a_k_means_fixed_point_no_worse_than_k_means_from_the_start(name):
    X = {"iris": load_iris().data, "overlapping 1-D": _overlapping(1, 0), "overlapping 2-D": _overlapping(2, 1)}[name]
    for seed in (0, 1):
        history = vizgmm.anneal(X, 3, seed=seed)
        final = history.final
        # A fixed point of Lloyd's algorithm: scikit-learn started there does not move.
        still = KMeans(n_clusters=3, init=final.means, n_init=1, algorithm="lloyd", tol=0).fit(X)
        np.testing.assert_array_equal(still.labels_, final.labels)
        assert np.abs(still.cluster_centers_ - final.means).max() < 1e-9
        from_start = KMeans(n_clusters=3, init=history[0].means, n_init=1, algorithm="lloyd", tol=0).fit(X)
        assert _inertia(X, final.means, final.labels) <= from_start.inertia_ + 1e-9


def test_responsibilities_harden_as_the_temperature_falls():
    X = load_iris().data[:, [2, 1]]
    history = vizgmm.anneal(X, 3, seed=0)
    certainty = [history.posterior(i).max(axis=1).mean() for i in range(len(history))]
    assert certainty[0] < 0.85
    assert certainty[29] > 0.99
    # Each snapshot's model: equal weights, one shared spherical variance, the schedule's σ².
    for snap, t in zip(history, history.settings["temperatures"]):
        np.testing.assert_allclose(snap.weights, 1 / 3)
        if t > 0:
            np.testing.assert_allclose(snap.covariances, np.repeat(t * np.eye(2)[None], 3, axis=0))


def test_cli_writes_the_annealing_animation_and_a_history_that_loads(tmp_path):
    import imageio.v3 as iio

    data = tmp_path / "iris.csv"
    rows = load_iris().data[:, [2, 1]]
    data.write_text("petal_length,sepal_width\n" + "\n".join(f"{a},{b}" for a, b in rows) + "\n")
    out = tmp_path / "ann"
    assert main(["anneal", str(data), "-k", "3", "--columns", "petal_length,sepal_width", "--steps", "12",
                 "--out", str(out), "--no-mp4", "--no-html", "-q"]) == 0
    history = vizgmm.History.load(out / "history.json")
    assert history.settings["temperatures"][:12] == pytest.approx(list(schedule(rows, 12)), rel=1e-12)
    frames = iio.imread(out / "animation.gif", index=None)
    assert len(frames) == len(history)
    # The points' colours change as they harden: first and last frames differ.
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 1


def test_cli_names_the_flag_of_a_bad_schedule(tmp_path, capsys):
    data = tmp_path / "x.csv"
    data.write_text("\n".join(str(v) for v in range(20)) + "\n")
    assert main(["anneal", str(data), "-k", "2", "--end-fraction", "1", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--end-fraction must be more than 0" in err and "e.g. --end-fraction 0.01" in err


def test_the_player_captions_give_each_snapshots_temperature():
    from vizgmm.pages.player_data import player_payload

    X = load_iris().data[:, [2, 1]]
    history = vizgmm.anneal(X, 3, steps=5, seed=0)
    captions = player_payload(history)["captions"]["full"]
    temperatures = history.settings["temperatures"]
    assert captions[0].startswith(f"temperature σ² = {temperatures[0]:.3g}; total log-likelihood")
    assert captions[-1].startswith("σ² → 0 (k-means); ")
