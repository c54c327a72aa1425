"""compare --methods hard,soft,kmeans: three fits from one start, side by side, explained."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris

import vizgmm
from vizgmm.cli.main import main
from vizgmm.model.comparison import compare
from vizgmm.pages.explain import explain


@pytest.fixture(scope="module")
def iris_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("iris") / "iris.csv"
    data = load_iris().data
    lines = ["sepal_length,sepal_width,petal_length,petal_width"] + [",".join(str(float(v)) for v in row) for row in data]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_kmeans_runs_from_the_comparisons_start_and_equals_scikit_learn():
    X = load_iris().data[:, [2, 1]]
    comparison = compare(X, 3, methods="hard,soft,kmeans", seed=0)
    assert comparison.methods == ("hard", "soft", "kmeans")
    km = comparison.histories["kmeans"]
    assert sorted(map(tuple, km[0].means)) == sorted(map(tuple, comparison.initial["means"]))
    reference = KMeans(n_clusters=3, init=km[0].means, n_init=1, algorithm="lloyd", tol=0).fit(X)
    assert np.abs(km.final.means - reference.cluster_centers_).max() < 1e-9
    np.testing.assert_array_equal(km.final.labels, reference.labels_)
    facts = comparison.facts
    assert facts["kmeans"]["inertia"] == pytest.approx(reference.inertia_, rel=1e-12)
    # The first epoch where labels differ, checked by hand on the aligned labels.
    first = facts["first_difference"]
    assert first["epoch"] is not None
    for history in comparison.histories.values():
        marked = [s.epoch for s in history for e in s.events if e["type"] == "differ"]
        assert marked == ([first["epoch"]] if first["epoch"] <= history.epochs else [])
    text = " ".join(explain(comparison))
    assert f"{facts['kmeans']['labels_differ_hard']} of 150 points" in text
    assert f"{reference.inertia_:,.1f}"[:5] in text


def test_first_difference_counts_the_points_that_part():
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(0, 1, 300), rng.normal(3, 2, 200)])
    comparison = compare(x, 2, methods=("hard", "soft", "kmeans"), seed=0)
    first = comparison.facts["first_difference"]
    soft, km = comparison.histories["soft"], comparison.histories["kmeans"]
    epoch = first["pairs"]["soft-kmeans"]
    # Component numbers agree (both ordered by their final mean in 1-D), so labels compare directly.
    for e in range(epoch):
        np.testing.assert_array_equal(soft[min(e, soft.epochs)].labels, km[min(e, km.epochs)].labels)
    differ = soft[min(epoch, soft.epochs)].labels != km[min(epoch, km.epochs)].labels
    assert differ.sum() == first["points_by_pair"]["soft-kmeans"] > 0


def test_cli_writes_three_panels_in_lock_step(iris_csv, tmp_path, capsys):
    import imageio.v3 as iio

    out = tmp_path / "three"
    status = main(["compare", str(iris_csv), "-k", "3", "--columns", "petal_length,sepal_width",
                   "--methods", "hard,soft,kmeans", "--out", str(out), "--no-mp4", "-q"])
    assert status == 0
    for method in ("hard", "soft", "kmeans"):
        assert vizgmm.History.load(out / method / "history.json").settings["method"] == method
    frames = iio.imread(out / "compare.gif", index=None)
    two = tmp_path / "two"
    assert main(["compare", str(iris_csv), "-k", "3", "--columns", "petal_length,sepal_width",
                 "--out", str(two), "--no-mp4", "--no-html", "-q"]) == 0
    pair = iio.imread(two / "compare.gif", index=None)
    # Three panels of the two-panel width each, and as many frames as the longest fit needs.
    assert frames.shape[2] == pair.shape[2] // 2 * 3
    longest = max(vizgmm.History.load(out / m / "history.json").epochs for m in ("hard", "soft", "kmeans"))
    assert frames.shape[0] == longest + 1
    # Each third is a different picture (k-means draws its own circles).
    w = frames.shape[2] // 3
    thirds = [frames[0][:, i * w:(i + 1) * w, :3].astype(int) for i in range(3)]
    assert np.abs(thirds[0] - thirds[2]).mean() > 1
    html = (out / "compare.html").read_text()
    assert "k-means (Lloyd)" in html and "Hard EM, soft EM and k-means" in html


def test_cli_names_the_flag_for_bad_methods(iris_csv, tmp_path, capsys):
    status = main(["compare", str(iris_csv), "-k", "3", "--methods", "hard,kmeans", "--out", str(tmp_path / "x")])
    assert status == 2
    err = capsys.readouterr().err
    assert "--methods must be 2 or 3 different names" in err and "e.g. --methods hard,soft,kmeans" in err
    assert len(err.strip().splitlines()) == 1
