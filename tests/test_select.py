"""Choosing k by BIC: scikit-learn parity, true-k recovery, restarts and -k parsing."""

import warnings

import numpy as np
import pytest

import vizgmm
from vizgmm.model.selection import parse_ks, restart_seed, select

sklearn_mixture = pytest.importorskip("sklearn.mixture")


def three_groups_1d(seed=1):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0, 1, 300), rng.normal(6, 1, 300), rng.normal(12, 1.5, 300)])


def three_groups_2d(seed=2):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [8.0, 1.0], [3.0, 9.0]])
    return np.concatenate([rng.normal(c, [1.0, 1.5], size=(250, 2)) for c in centres])


def sklearn_from_snapshot0(history, *, tol, max_iter):
    """scikit-learn's GaussianMixture fitted from the same initial parameters as ``history``."""
    start = history[0]
    with warnings.catch_warnings():
        # tol=0 never "converges" in scikit-learn's loop, which then warns.
        warnings.simplefilter("ignore")
        return sklearn_mixture.GaussianMixture(
            n_components=history.k,
            covariance_type="full",
            means_init=start.means,
            weights_init=start.weights,
            precisions_init=np.linalg.inv(start.covariances),
            tol=tol,
            max_iter=max_iter,
            reg_covar=history.settings["reg_covar"],
            init_params="random_from_data",  # ignored once all three *_init are given
            random_state=0,
        ).fit(history.X)


@pytest.mark.parametrize("data", [three_groups_1d, three_groups_2d], ids=["1d", "2d"])
def test_bic_of_every_restart_equals_sklearn_and_choice_matches_its_argmin(data):
    X = data()
    selection = select(X, "1-5", n_init=2, seed=3, tol=0, max_iter=40)
    sklearn_bic = {}
    for k in selection.ks:
        per_restart = []
        for history in selection.fits[k]:
            gm = sklearn_from_snapshot0(history, tol=0, max_iter=40)
            theirs = gm.bic(history.X)
            assert history.bic() == pytest.approx(theirs, rel=1e-6)
            assert history.aic() == pytest.approx(gm.aic(history.X), rel=1e-6)
            per_restart.append(theirs)
        sklearn_bic[k] = min(per_restart)
        assert selection.bic[k] == pytest.approx(sklearn_bic[k], rel=1e-6)
    assert selection.best_k == min(sklearn_bic, key=sklearn_bic.get) == 3


def test_with_a_tolerance_sklearn_runs_one_more_epoch_to_the_same_model():
    # vizgmm checks the log-likelihood of the new parameters right after each
    # M-step; scikit-learn notices the same change one loop later.
    X = three_groups_1d()
    selection = select(X, [3], n_init=2, seed=5, tol=1e-3)
    for history in selection.fits[3]:
        assert history.converged
        gm = sklearn_from_snapshot0(history, tol=1e-3, max_iter=100)
        assert gm.converged_
        assert gm.n_iter_ == history.epochs + 1
        assert history.bic() == pytest.approx(gm.bic(history.X), rel=1e-4)


@pytest.mark.parametrize(
    "X, centres",
    [(three_groups_1d(11), [[0.0], [6.0], [12.0]]), (three_groups_2d(12), [[0.0, 0.0], [3.0, 9.0], [8.0, 1.0]])],
    ids=["1d-k3", "2d-k3"],
)
def test_recovers_the_true_k_of_well_separated_data(X, centres):
    selection = select(X, "auto", n_init=2, seed=0)
    assert selection.ks == list(range(1, 9))
    assert selection.best_k == len(centres)
    assert selection.best is selection.best_by_k[len(centres)]
    # The chosen model found the groups: its means lie near the true centres.
    means = selection.best.final.means
    means = means[np.lexsort(means.T[::-1])]
    np.testing.assert_allclose(means, centres, atol=0.4)


def test_two_groups_in_2d_choose_two():
    rng = np.random.default_rng(4)
    X = np.concatenate([rng.normal([0, 0], 1, size=(300, 2)), rng.normal([6, 6], 1, size=(200, 2))])
    selection = select(X, "1-4", seed=1)
    assert selection.best_k == 2
    assert sorted(np.round(selection.best.final.weights, 1).tolist()) == [0.4, 0.6]


def test_summary_names_the_criterion_and_its_direction():
    selection = select(three_groups_1d(), "2-4", seed=0)
    assert selection.criterion == "bic"
    assert selection.summary.startswith("k=3 chosen: lowest BIC (lower is better)")
    assert "next best k=" in selection.summary
    rows = selection.table()
    assert [row["k"] for row in rows] == [2, 3, 4]
    assert [row["chosen"] for row in rows] == [False, True, False]
    assert min(row["delta_bic"] for row in rows) == 0.0
    assert all(row["bic"] == selection.bic[row["k"]] for row in rows)


def test_every_restart_is_kept_and_the_best_has_the_highest_final_log_likelihood():
    X = three_groups_1d()
    selection = select(X, [2, 3], n_init=4, seed=9, tol=0, max_iter=30)
    for k in (2, 3):
        restarts = selection.fits[k]
        assert len(restarts) == 4
        assert [h.meta["restart"] for h in restarts] == [0, 1, 2, 3]
        finals = [h.final.log_likelihood for h in restarts]
        assert selection.best_by_k[k].final.log_likelihood == max(finals)
        assert restarts[selection.best_restart[k]] is selection.best_by_k[k]
        # Each restart has its own seed (k-means may still land on the same start).
        assert len({h.settings["seed"] for h in restarts}) == 4
    # k=2 on three groups: some restarts merge a different pair, a worse local optimum.
    finals2 = [h.final.log_likelihood for h in selection.fits[2]]
    assert max(finals2) - min(finals2) > 10


def test_a_restart_is_the_same_whatever_other_k_are_tried():
    X = three_groups_1d()
    alone = select(X, [3], n_init=2, seed=21, max_iter=20)
    among = select(X, [1, 2, 3, 4], n_init=2, seed=21, max_iter=20)
    for a, b in zip(alone.fits[3], among.fits[3]):
        np.testing.assert_array_equal(a.final.means, b.final.means)
        assert a.settings["seed"] == b.settings["seed"] == restart_seed(21, 3, a.meta["restart"])


def test_without_a_seed_the_drawn_root_seed_repeats_the_run():
    X = three_groups_1d()
    first = select(X, [2, 3], n_init=2, max_iter=10)
    again = select(X, [2, 3], n_init=2, max_iter=10, seed=first.seed)
    assert again.bic == first.bic


def test_hard_method_and_other_covariance_types_are_passed_through():
    X = three_groups_2d()
    selection = select(X, [2, 3], method="hard", covariance_type="diag", seed=0)
    assert selection.method == "hard"
    assert all(h.settings["method"] == "hard" and h.settings["covariance_type"] == "diag"
               for fits in selection.fits.values() for h in fits)
    assert selection.best_k == 3


def test_a_k_whose_every_restart_fails_is_left_out_and_said_so():
    # Four values repeated: with reg_covar=0 four hard groups have variance 0.
    X = np.repeat([0.0, 1.0, 5.0, 9.0], 5)
    selection = select(X, [1, 4], method="hard", reg_covar=0, n_init=2, seed=0)
    assert selection.ks == [1] and list(selection.bic) == [1]
    assert [(f["k"], f["restart"]) for f in selection.failures] == [(4, 0), (4, 1)]
    assert "k=4 left out" in selection.summary
    with pytest.raises(vizgmm.FitError, match="every fit failed: component"):
        select(X, [4], method="hard", reg_covar=0, seed=0)


def test_exported_at_the_top_level():
    assert vizgmm.select is select and vizgmm.Selection.__name__ == "Selection"


@pytest.mark.parametrize(
    "text, expected",
    [("3", [3]), ("1-6", [1, 2, 3, 4, 5, 6]), ("2,3,5", [2, 3, 5]), (" 5, 2-3 ", [2, 3, 5]),
     ("auto", list(range(1, 9))), ("AUTO", list(range(1, 9))), (4, [4]), ("3-3", [3])],
)
def test_parse_ks(text, expected):
    assert parse_ks(text) == expected


def test_auto_stops_at_the_number_of_distinct_points():
    assert parse_ks("auto", np.array([1.0, 1.0, 2.0, 3.0])) == [1, 2, 3]


@pytest.mark.parametrize("text", ["", "two", "6-1", "0-3", "1-", "1.5", "-2", "3,,4", None])
def test_parse_ks_rejects_bad_text_with_one_line(text):
    with pytest.raises(vizgmm.OptionError) as info:
        parse_ks(text)
    assert "\n" not in str(info.value)


def test_bad_inputs_fail_before_any_fit():
    X = np.array([1.0, 2.0, 3.0])
    with pytest.raises(vizgmm.OptionError, match="distinct points"):
        select(X, [1, 2, 4])
    with pytest.raises(vizgmm.OptionError, match="n_init"):
        select(X, [1], n_init=0)
    with pytest.raises(vizgmm.OptionError, match="at least one k"):
        select(X, [])
    with pytest.raises(vizgmm.OptionError, match="vizgmm.fit"):
        select(X, [2], init=vizgmm.WALKTHROUGH_INIT)
