"""Restarts: N starts of one k, the optima they reach told apart, side by side (issue 23.2)."""

import json

import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run
from sklearn.mixture import GaussianMixture

import vizgmm
from vizgmm.animate.scenes.grid import PanelGrid


def blobs(centres, n=60, sd=0.7, seed=0):
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(c, sd, (n, len(c))) for c in centres])


FOUR = np.array([[0, 0], [6, 0], [0, 6], [6, 6]])


def test_label_switched_fits_from_scikit_learn_are_one_optimum_and_counted_as_relabelled():
    X = blobs(FOUR[:3])
    histories = [vizgmm.from_sklearn(GaussianMixture(3, random_state=rs, init_params="random_from_data"), X)
                 for rs in range(6)]
    finals = [h.final for h in histories]
    # Same optimum, different numbering: scikit-learn does not order its components.
    assert len({tuple(np.argsort(f.means[:, 0] + 10 * f.means[:, 1])) for f in finals}) > 1
    optima = vizgmm.group_optima(histories)
    assert len(optima) == 1 and optima[0].starts == list(range(6))
    first = finals[int(np.argmax([f.log_likelihood for f in finals]))]
    nearest = [tuple(np.linalg.norm(first.means[:, None] - f.means[None], axis=2).argmin(axis=1)) for f in finals]
    assert optima[0].relabelled == sum(order != (0, 1, 2) for order in nearest) > 0


def test_a_start_that_covers_two_blobs_with_one_component_merges_two_clusters():
    X = blobs(FOUR)
    result = vizgmm.restarts(X, 4, n_init=10, init="random-from-data", seed=0)
    assert sum(len(o.starts) for o in result.optima) == 10
    assert [o.rank for o in result.optima] == list(range(1, len(result.optima) + 1))
    lls = [o.log_likelihood for o in result.optima]
    assert lls == sorted(lls, reverse=True)
    best = result.histories[result.best].final
    # The best fit puts one component on each blob.
    assert sorted(np.linalg.norm(best.means[:, None] - FOUR[None], axis=2).argmin(axis=1)) == [0, 1, 2, 3]
    merging = [o for o in result.optima if o.merged]
    assert merging
    for optimum in merging:
        final = result.histories[optimum.starts[0]].final
        for a, b in optimum.merged:
            # Most points of the best fit's components a and b carry the same label in this optimum.
            share_a = np.bincount(final.labels[best.labels == a], minlength=4)
            share_b = np.bincount(final.labels[best.labels == b], minlength=4)
            assert share_a.argmax() == share_b.argmax()
            assert share_a.max() > 0.8 * share_a.sum() and share_b.max() > 0.8 * share_b.sum()
    for optimum in result.optima[1:]:
        if not optimum.merged:  # e.g. two components straddling two blobs: not called a merge
            final = result.histories[optimum.starts[0]].final
            assert len(set(np.linalg.norm(best.means[:, None] - final.means[None], axis=2).argmin(axis=1))) == 4
    summary = result.summary
    assert summary.startswith(f"{len(result.optima[0].starts)} of 10 starts reach the best fit")
    assert "merges two clusters" in summary


def test_every_start_is_the_fit_of_its_seed_and_init():
    X = blobs(FOUR[:3])
    result = vizgmm.restarts(X, 3, n_init=4, init=("kmeans++", "spread"), seed=5)
    assert result.inits == ["kmeans++", "spread", "kmeans++", "spread"]
    for i, h in enumerate(result.histories):
        again = vizgmm.fit(X, 3, init=result.inits[i], seed=h.settings["seed"])
        np.testing.assert_array_equal(again.final.means, h.final.means)
        assert again.epochs == h.epochs
    rows = result.table()
    assert [r["optimum"] for r in rows] == [result.optimum_of(i).rank for i in range(4)]
    assert sum(r["chosen"] for r in rows) == 1 and rows[result.best]["chosen"]


def test_bad_init_is_refused_by_name():
    with pytest.raises(vizgmm.OptionError, match="init must be one of"):
        vizgmm.restarts(blobs(FOUR), 2, init=("kmeans++", "best"))


def test_panels_of_the_same_data_share_their_axes():
    X = blobs(FOUR)
    result = vizgmm.restarts(X, 4, n_init=4, init="random-from-data", seed=0)
    with PanelGrid(result.histories, scale=0.5) as grid:
        limits = {(s.ax.get_xlim(), s.ax.get_ylim()) for s in grid.scenes}
    assert len(limits) == 1
    x = blobs([[0], [5]])
    one_d = [vizgmm.fit(x, 2, seed=s, init="random-from-data") for s in range(3)]
    with PanelGrid(one_d, scale=0.5) as grid:
        assert len({s.ax.get_xlim() for s in grid.scenes}) == 1


def test_cli_restarts_writes_every_start_the_grid_and_a_report_that_names_the_optima(tmp_path):
    X = blobs(FOUR)
    np.savetxt(tmp_path / "four.csv", X, delimiter=",", header="x,y", comments="")
    proc = run(tmp_path, "restarts", "four.csv", "-k", "4", "--n-init", "5", "--init", "random-from-data",
               "--columns", "x,y", "--out", "out", "--seed", "0")
    result = vizgmm.restarts(X, 4, n_init=5, init="random-from-data", seed=0)
    assert result.summary + "." in proc.stdout
    # The ranking's bold row falls back to NanumGothic's 600 weight: matplotlib said so on stderr.
    assert "findfont" not in proc.stderr, proc.stderr
    out = tmp_path / "out"
    for i, h in enumerate(result.histories):
        saved = json.loads((out / "starts" / f"{i + 1:02d}" / "history.json").read_text())
        assert len(saved["snapshots"]) == len(h)
    best = json.loads((out / "history.json").read_text())
    assert len(best["snapshots"]) == len(result.histories[result.best])
    frames = iio.imread(out / "restarts.gif", index=None)
    assert len(frames) == max(len(h) for h in result.histories)
    assert len(iio.imread(out / "race.gif", index=None)) == len(frames) + 1
    assert frames.shape[2] > frames.shape[1]  # the panels side by side
    report = (out / "report.html").read_text()
    assert "<h2>Starts</h2>" in report and result.summary in report.replace("&#8722;", "−")
    assert report.count("random-from-data") >= 5


def test_cli_restarts_refuses_an_unknown_init_in_one_line(tmp_path):
    np.savetxt(tmp_path / "four.csv", blobs(FOUR), delimiter=",")
    proc = run(tmp_path, "restarts", "four.csv", "-k", "4", "--init", "kmeans++,best", "--out", "out", check=False)
    assert_one_line_error(proc, "'best'", "kmeans++")
    assert not (tmp_path / "out").exists()


def test_race_ghosts_are_each_starts_own_means_and_mixture_and_it_ends_on_a_ranking(tmp_path):
    from scipy.stats import norm

    from vizgmm.animate.scenes.race import RaceScene

    result = vizgmm.restarts(blobs(FOUR), 4, n_init=4, init="random-from-data", seed=1)  # three optima
    with RaceScene(result) as race:
        g = 3
        race.frame(g)
        for i, lines, _ in race.ghosts:
            snap = result.histories[i][min(g, len(result.histories[i]) - 1)]
            for j, line in enumerate(lines):  # the trail ends at this start's mean of that epoch
                np.testing.assert_allclose(np.column_stack(line.get_data())[-1], snap.means[j], atol=1e-12)
        assert {i for i, _, _ in race.ghosts} == set(range(4)) - {result.best}
        # A better optimum (where the start settles) is a ghost farther from the worst's red, nearer the text
        # colour; starts in one optimum share a colour however far tol let each climb.
        from matplotlib.colors import to_rgb

        from vizgmm.animate.scenes.race import WORST_GHOST

        ranks = [result.optimum_of(i).rank for i in range(4)]
        away = [np.linalg.norm(np.array(race.ghost_colours[i][:3]) - to_rgb(WORST_GHOST)) for i in range(4)]
        for a in range(4):
            for b in range(4):
                assert (ranks[a] < ranks[b]) == (away[a] > away[b] + 1e-9), (ranks, away)
        assert max(away) > 0.3 and len(set(ranks)) > 1
    x = blobs([[0], [5]])
    one_d = vizgmm.restarts(x, 2, n_init=3, init="random-from-data", seed=2)
    with RaceScene(one_d) as race:
        race.frame(1)
        for i, lines, _ in race.ghosts:
            s = one_d.histories[i][min(1, len(one_d.histories[i]) - 1)]
            grid = lines[0].get_xdata()
            half = (grid[1] - grid[0]) / 2
            # The mixture density averaged over each grid step, as the best start's own curves are drawn.
            mixture = sum(w * (norm.cdf(grid + half, m, np.sqrt(c)) - norm.cdf(grid - half, m, np.sqrt(c))) / (2 * half)
                          for w, m, c in zip(s.weights, s.means[:, 0], s.covariances[:, 0, 0]))
            np.testing.assert_allclose(lines[0].get_ydata(), mixture, rtol=1e-6, atol=1e-12)
            assert lines[0].get_ydata().max() > 0.1 * mixture.max() > 0
    path = vizgmm.animate_race(result, tmp_path / "race.gif")
    frames = iio.imread(path, index=None)
    assert len(frames) == max(len(h) for h in result.histories) + 1  # every epoch, then the ranking
    assert np.abs(frames[-1].astype(int) - frames[-2].astype(int)).mean() > 5


def test_starts_that_settle_in_one_optimum_share_a_ghost_colour_and_rank_together():
    # Penguin bills: four k-means++ starts all settle in the best fit, but tol stopped three of them at
    # -1,640.4 and one at -1,634.5. Coloured by where tol stopped them, three ghosts were the worst's red.
    from matplotlib.colors import to_rgb

    from vizgmm.animate.scenes.race import RaceScene

    rng = np.random.default_rng(0)
    X = np.r_[rng.normal([38.8, 18.3], [2.6, 1.2], (150, 2)), rng.normal([48.8, 18.4], [3.3, 1.1], (68, 2)),
              rng.normal([47.5, 15.0], [3.1, 1.0], (124, 2))]
    result = vizgmm.restarts(X, 3, n_init=4, seed=0)
    finals = [h.final.log_likelihood for h in result.histories]
    assert len(result.optima) == 1 and np.ptp(finals) > 0.01, finals  # one optimum, stopped at other heights
    with RaceScene(result) as race:
        assert len({tuple(c) for c in race.ghost_colours}) == 1
        assert tuple(race.ghost_colours[0][:3]) == pytest.approx(to_rgb(race.colours["foreground"]))


def test_every_start_collapsed_praises_no_best_fit():
    # Collapsed settles rank last; when the first optimum is one, no start found a fit to call "the best".
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(0, 1, 200), np.full(30, 1.5), np.full(30, -1.0), np.full(30, 0.5)])
    r = vizgmm.restarts(X, 4, n_init=4, reg_covar=1e-9, seed=0)
    assert all(o.collapsed for o in r.optima)
    assert r.summary.startswith("all 4 starts collapse a component onto a point (spikes, log-likelihood up to ")
    assert "best fit" not in r.summary and "raise reg_covar" in r.summary


def test_starts_cut_short_by_max_iter_are_said_to_be_stopped_by_max_iter_not_tol():
    from sklearn.datasets import load_iris

    result = vizgmm.restarts(load_iris().data, 3, n_init=4, max_iter=15, seed=0)
    assert result.climbing and not any(result.histories[i].converged for i in result.climbing)
    assert "still climbing when max_iter 15 stopped them" in result.summary
    assert "when tol" not in result.summary
