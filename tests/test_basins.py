"""The basin map (issue 23.2): which optimum EM reaches from each pair of starting means, 1-D, k = 2."""

from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run
from sklearn.mixture import GaussianMixture

import vizgmm


def three_bumps(seed=0):
    """Three equal normals at 0, 5 and 10: k = 2 must merge two of them, either pair."""
    rng = np.random.default_rng(seed)
    return np.r_[rng.normal(0, 1, 200), rng.normal(5, 1, 200), rng.normal(10, 1, 200)]


@pytest.fixture(scope="module")
def basin():
    return vizgmm.basin_map(three_bumps(), grid=11)


def test_the_map_is_symmetric_the_diagonal_is_the_saddle_and_two_optima_merge_a_different_pair(basin):
    np.testing.assert_array_equal(basin.rank, basin.rank.T)  # μ₁ ↔ μ₂ is the same start
    saddle = basin.saddle
    assert saddle is not None and set(np.diag(basin.rank)) == {saddle}
    for i in np.flatnonzero(np.diag(np.ones(11, bool)).ravel()):
        means = basin.finals[i].means[:, 0]
        assert means[0] == pytest.approx(means[1], abs=1e-9)  # equal components stay equal
    lls = [o.log_likelihood for o in basin.optima]
    assert lls == sorted(lls, reverse=True) and basin.optima[-1].rank == saddle
    # The two best: one merges the bumps at 0 and 5, the other those at 5 and 10.
    ends = [np.sort(basin.finals[o.starts[0]].means[:, 0]) for o in basin.optima[:2]]
    assert sorted(round(float(e[1] - e[0]) / 5) for e in ends) == [1, 1]
    assert {int(np.argmin(np.abs(e - 5))) for e in ends} == {0, 1}
    shares = [basin.percent(o.rank) for o in basin.optima]
    assert sum(shares) == 100 and min(shares) >= 0
    best = f"{lls[0]:,.1f}".replace("-", "−")
    assert basin.summary.startswith(f"EM reaches the best fit (log-likelihood {best}) from {shares[0]}% of")
    assert "saddle" in basin.summary


def test_each_cell_is_what_scikit_learn_reaches_from_those_means(basin):
    x = three_bumps()
    std = x.std()
    g = len(basin.starts)
    for a, b in [(0, 10), (2, 7), (9, 1), (4, 6)]:
        cell = basin.finals[a * g + b]
        gm = GaussianMixture(2, means_init=np.array([[basin.starts[a]], [basin.starts[b]]]),
                             precisions_init=np.full((2, 1, 1), 1 / std**2), weights_init=[0.5, 0.5],
                             tol=1e-10, max_iter=5000, reg_covar=1e-6).fit(x[:, None])
        order = np.argsort(gm.means_[:, 0])
        # The same optimum (they lie ≥ 2 apart); the map stops at tol 1e-6, scikit-learn here runs on to 1e-10.
        np.testing.assert_allclose(np.sort(cell.means[:, 0]), gm.means_[order, 0], atol=0.01)


def test_plot_writes_a_square_map_in_the_optima_colours(basin, tmp_path):
    path = vizgmm.plot_basins(basin, tmp_path / "basins.png")
    image = iio.imread(path)
    assert image.ndim == 3 and image.shape[1] > image.shape[0]
    from matplotlib.colors import to_rgb

    from vizgmm.look.colors import component_colors

    best = (np.array(to_rgb(component_colors("light", 1)[0])) * 255).round()
    assert (np.abs(image[..., :3].astype(int) - best).sum(axis=2) < 6).mean() > 0.05  # the best basin is large


def test_basins_refuse_data_with_two_features():
    with pytest.raises(vizgmm.OptionError, match="1-D data"):
        vizgmm.basin_map(np.random.default_rng(0).normal(size=(50, 2)), grid=5)
    with pytest.raises(vizgmm.OptionError, match="grid"):
        vizgmm.basin_map(three_bumps(), grid=2)


def test_cli_basins_writes_the_map_and_says_the_shares(tmp_path):
    np.savetxt(tmp_path / "three.csv", three_bumps(), header="x", comments="")
    proc = run(tmp_path, "restarts", "three.csv", "-k", "2", "--n-init", "2", "--basins", "7", "--no-mp4",
               "--out", "out")
    expected = vizgmm.basin_map(three_bumps(), grid=7)
    assert expected.summary + "." in proc.stdout
    assert iio.imread(tmp_path / "out" / "basins.png").shape[0] > 100
    refused = run(tmp_path, "restarts", "three.csv", "-k", "3", "--basins", "--out", "k3", check=False)
    assert_one_line_error(refused, "-k 2")
    assert not (tmp_path / "k3").exists()


def test_basin_map_is_published_with_the_run(tmp_path):
    # basins.png and starts/ were published after the run's own set: a failure there left the new
    # history beside the old basin map. Now one staging folder holds them all.
    np.savetxt(tmp_path / "three.csv", three_bumps(), header="x", comments="")
    run(tmp_path, "restarts", "three.csv", "-k", "2", "--n-init", "2", "--basins", "5", "--no-mp4", "--no-gif",
        "--out", "out", "--quiet")
    out = tmp_path / "out"
    assert (out / "starts" / "02" / "history.json").exists()
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (out / "basins.png").unlink()
    (out / "basins.png").mkdir()  # a folder where the map goes: publishing must refuse before any rename
    (out / "basins.png" / "keep").write_text("mine")
    proc = run(tmp_path, "restarts", "three.csv", "-k", "2", "--n-init", "3", "--seed", "5", "--basins", "5",
               "--no-mp4", "--no-gif", "--out", "out", check=False)
    assert_one_line_error(proc, "basins.png")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    del before[Path("basins.png")]
    assert after.pop(Path("basins.png/keep")) == b"mine"
    assert after == before  # the earlier run whole: same history, report, starts
    assert not (out / "starts" / "03").exists()
