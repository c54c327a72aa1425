"""Issue 11: the same model gets the same component numbers, honest stops, class names kept."""

import numpy as np
import pytest

import vizgmm
from vizgmm.model.ordering import order_by_classes
from vizgmm.model.showcase import fit_to_show


def two_scales(n=(100, 170), seed=1):
    """Two clusters on columns of different scales (like eruption minutes vs waiting minutes)."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal([1.8, 54], [0.3, 6], (n[0], 2)), rng.normal([4.3, 80], [0.4, 6], (n[1], 2))])


def three_classes(seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([5, 3.4], 0.3, (50, 2)), rng.normal([6, 2.8], 0.3, (50, 2)),
                   rng.normal([6.6, 3.0], 0.3, (50, 2))])
    X[50:, 1] += np.repeat([0.0, 1.5], 50)  # keep the last two apart in the second feature
    labels = np.repeat(["setosa", "versicolor", "virginica"], 50)
    return X, labels


def test_component_order_is_the_same_across_seeds_restarts_and_k_auto():
    X = two_scales()
    orders = []
    for seed in range(4):
        orders.append(vizgmm.fit(X, 2, seed=seed).final.means)
        orders.append(vizgmm.select(X, [2], n_init=3, seed=seed).best.final.means)
    orders.append(vizgmm.select(X, "auto", n_init=3, seed=0).best.final.means)
    orders.append(vizgmm.fit(X, 2, init="spread").final.means)
    for means in orders:
        np.testing.assert_allclose(means, orders[0], rtol=1e-3)
    assert orders[0][0, 0] < orders[0][1, 0]  # ascending along the first feature


def test_order_holds_in_every_snapshot_so_colours_do_not_swap():
    # Start the right-hand component on the left: the fit must renumber every snapshot alike.
    X = two_scales()
    start = {"means": [[4.0, 80.0], [2.0, 55.0]], "covariances": [np.cov(X.T)] * 2}
    history = vizgmm.fit(X, 2, init=start)
    assert history[0].means[0, 0] == 2.0 and history[0].means[1, 0] == 4.0
    assert history.settings["init_parameters"]["means"][0] == [2.0, 55.0]
    for snap in history:
        assert snap.means[0, 0] < snap.means[1, 0]
        assert np.bincount(snap.labels, minlength=2).tolist() == snap.counts.tolist()
        assert (snap.labels[:100] == 0).mean() > 0.9


def test_components_match_text_classes_and_take_their_names():
    X, labels = three_classes()
    history = vizgmm.fit(X, 3, seed=0)
    names = order_by_classes(history, labels)
    assert names == ["setosa", "versicolor", "virginica"]
    for j, name in enumerate(names):
        assert (history.final.labels[labels == name] == j).mean() > 0.9


def test_text_class_names_reach_the_report(tmp_path):
    X, labels = three_classes()
    history = vizgmm.fit(X, 3, seed=0, max_iter=5)
    history.true_labels = labels
    history.meta["component_names"] = order_by_classes(history, labels)
    page = vizgmm.report(history, tmp_path / "r.html", animation="none").read_text(encoding="utf-8")
    for name in ("setosa", "versicolor", "virginica"):
        assert name in page
    assert "class 0" not in page


def test_a_symmetric_start_is_reported_stuck_not_converged(tmp_path):
    X = two_scales()
    same = {"means": [X.mean(axis=0)] * 2, "covariances": [np.cov(X.T)] * 2}
    history = vizgmm.fit(X, 2, init=same)
    assert history.stuck and not history.converged
    assert history.final.events[-1]["message"].startswith("stuck: the start put every component at the same place")
    page = vizgmm.report(history, tmp_path / "r.html", animation="none").read_text(encoding="utf-8")
    assert "stuck after" in page and "a saddle EM cannot leave" in page


@pytest.mark.parametrize("seed", range(4))
def test_random_split_leaves_the_group_means_apart_and_finds_the_clusters(seed):
    X = two_scales()
    best = vizgmm.fit(X, 2, seed=0).final.log_likelihood
    history = vizgmm.fit(X, 2, init="random-split", seed=seed)
    start = history[0].means
    assert abs(start[0, 0] - start[1, 0]) > 0.1 * X[:, 0].std()
    assert not history.stuck
    assert history.final.log_likelihood >= best - 0.01 * abs(best)


def test_the_cli_default_start_shows_at_least_four_epochs_of_motion_and_ends_as_well_as_kmeans():
    X = two_scales()
    history = fit_to_show(X, 2, seed=0)
    assert history.settings["init"] == "spread"
    best = vizgmm.fit(X, 2, seed=0).final.log_likelihood
    assert history.final.log_likelihood >= best - 0.01 * abs(best)
    span = X.max(axis=0) - X.min(axis=0)
    moves = [np.abs((b.means - a.means) / span).max() for a, b in zip(history, history[1:])]
    # "Visible": a mean moves by at least 1% of the data's span, i.e. several pixels on any preset.
    assert sum(m >= 0.01 for m in moves) >= 4


def test_a_default_cli_fit_of_two_clusters_moves_for_four_epochs_names_text_classes_and_writes_epoch_frames(tmp_path):
    from cli_helpers import run

    X = two_scales()
    labels = np.where(np.arange(len(X)) < 100, "short", "long")
    rows = [f"{i + 1},{x:.4f},{y:.3f},{c}" for i, ((x, y), c) in enumerate(zip(X, labels))]
    (tmp_path / "faithful.csv").write_text("rownames,eruptions,waiting,kind\n" + "\n".join(rows) + "\n")
    proc = run(tmp_path, "fit", "faithful.csv", "--columns", "eruptions,waiting", "--labels-column", "kind",
               "-k", "2", "--no-mp4", "--no-gif", "--frames", "--out", "out")
    assert "components 1-2 matched to the classes long, short" in proc.stdout
    history = vizgmm.History.load(tmp_path / "out" / "history.json")
    assert history.settings["init"] == "spread"
    span = X.max(axis=0) - X.min(axis=0)
    moves = [np.abs((b.means - a.means) / span).max() for a, b in zip(history, history[1:])]
    assert sum(m >= 0.01 for m in moves) >= 4
    # Matched to the sorted classes ("long", "short") and named after them.
    assert history.meta["component_names"] == ["long", "short"]
    assert (history.final.labels[labels == "long"] == 0).mean() > 0.9
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "short" in page and "class 0" not in page
    names = sorted(p.name for p in (tmp_path / "out" / "frames").glob("*.png"))
    assert names == [f"epoch_{e:03d}.png" for e in range(len(history))]


def test_with_more_than_two_features_components_are_numbered_left_to_right_in_the_picture():
    # Wine, 13 features: by alcohol (the first feature) the order would be the middle group, then the
    # left, then the right one of the frames' picture; numbered along the picture's x axis (the first
    # principal component of z-scores), component 1 is the leftmost.
    from sklearn.datasets import load_wine

    from vizgmm.look.geometry import projection
    from vizgmm.model.ordering import ORDER_BY_PC

    history = vizgmm.fit(load_wine().data, 3, seed=0)
    plane = projection(history)
    along = ((history.final.means - plane.centre) @ plane.W)[:, 0]
    assert np.all(np.diff(along) > 0), along
    assert not np.all(np.diff(history.final.means[:, 0]) > 0)  # the first feature would have told another order
    assert history.settings["component_order"] == ORDER_BY_PC
    assert np.all(np.diff(((vizgmm.fit(load_wine().data, 3, seed=5).final.means - plane.centre) @ plane.W)[:, 0]) > 0)
