"""The variational mixture under several concentration priors from one start: fits, grid, page and CLI."""

import re

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.model.defaults import ACTIVE_WEIGHT
from vizgmm.model.ordering import order_components
from vizgmm.model.prior_comparison import PriorComparison, match_to_first
from vizgmm.model.starts import initial_parameters
from vizgmm.model.variational import initial_responsibilities

PRIORS = (0.001, 1000.0)


@pytest.fixture(scope="module")
def two_groups():
    """Two clusters and k = 6: a small concentration drains components, a large one keeps all six."""
    rng = np.random.default_rng(11)
    return np.vstack([rng.normal([0, 0], 0.6, size=(90, 2)), rng.normal([5, 3], 0.6, size=(90, 2))])


@pytest.fixture(scope="module")
def compared(two_groups):
    return vizgmm.compare(two_groups, 6, priors=PRIORS, seed=2, max_iter=200,
                          weight_concentration_prior_type="dirichlet_distribution")


def test_every_fit_equals_its_own_fit_from_the_same_responsibilities(two_groups, compared):
    assert isinstance(compared, PriorComparison) and compared.priors == PRIORS
    resp = compared.initial["responsibilities"]
    assert resp.shape == (180, 6)
    # The start is the one fit(method="variational", init="kmeans++", seed=2) would make.
    np.testing.assert_array_equal(resp, initial_responsibilities(
        two_groups, 6, "kmeans++", covariance_type="full", reg_covar=1e-6, seed=2, start=initial_parameters))
    for i, (prior, history) in enumerate(zip(PRIORS, compared.histories)):
        alone = vizgmm.fit(two_groups, 6, method="variational", init=resp.copy(), seed=2, max_iter=200,
                           weight_concentration_prior=prior, weight_concentration_prior_type="dirichlet_distribution")
        if i:
            # Numbered as the first fit's components (test_the_same_cluster_has_the_same_number_in_every_panel).
            order_components(alone, match_to_first(compared.histories[0].final, alone.final, two_groups.std(axis=0)))
        assert history.epochs == alone.epochs
        for a, b in zip(history, alone):
            np.testing.assert_array_equal(a.weights, b.weights)
            np.testing.assert_array_equal(a.means, b.means)
            np.testing.assert_array_equal(a.covariances, b.covariances)
        assert history.settings["lower_bounds"] == alone.settings["lower_bounds"]
        assert history.settings["priors"]["weight_concentration_prior"] == prior


def test_the_facts_count_the_components_each_prior_keeps(compared):
    fits = compared.facts["fits"]
    for f, history in zip(fits, compared.histories):
        assert f["active"] == int((history.final.weights >= 0.01).sum())
    assert fits[0]["active"] < fits[1]["active"] == 6  # 0.001 drains, 1000 keeps all six
    text = " ".join(vizgmm.explain(compared))
    assert f"weight_concentration_prior 0.001 keeps {fits[0]['active']} of 6 components" in text
    assert "weight_concentration_prior 1000 keeps 6 of 6 components, draining none" in text


def test_the_grid_has_one_panel_per_prior_and_the_page_explains(compared, tmp_path):
    import imageio.v3 as iio

    gif = vizgmm.render_comparison(compared, tmp_path / "priors.gif", scale=0.5)
    frames = iio.imread(gif, index=None)
    assert frames.shape[2] == 2 * frames.shape[1] * 4 // 3  # two 4:3 panels side by side
    page = vizgmm.compare_report(compared, tmp_path / "priors.html", animation="gif", gif_path=gif)
    text = " ".join(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")).split())
    active = compared.facts["fits"][0]["active"]
    assert "How many components each prior keeps" in text
    assert f"0.001 keeps {active}; 1000 keeps 6." in text
    assert "priors=[0.001, 1000.0]" in text


@pytest.fixture(scope="module")
def three_groups():
    """Three clusters in 1-D and k = 5: the small concentration drains two components, which park near the
    middle cluster; the large one keeps all five and splits the outer clusters. By ascending mean the middle
    cluster is component 2 in the first fit and component 3 in the second."""
    rng = np.random.default_rng(0)
    return np.r_[rng.normal(-6, 1, 150), rng.normal(0, 1, 100), rng.normal(7, 1.5, 150)]


def test_the_same_cluster_has_the_same_number_in_every_panel(three_groups):
    priors = (0.001, 1000.0)
    compared = vizgmm.compare(three_groups, 5, priors=priors, seed=0,
                              weight_concentration_prior_type="dirichlet_distribution")
    first, second = (h.final for h in compared.histories)
    kept = [h.final.weights >= ACTIVE_WEIGHT for h in compared.histories]
    assert kept[0].sum() == 3 and kept[1].sum() == 5  # what the case needs: drained components in one panel only
    # Every component kept in both panels sits on the same cluster (the clusters are 6 and 7 apart).
    both = np.flatnonzero(kept[0] & kept[1])
    assert len(both) == 3
    assert np.abs(first.means[both, 0] - second.means[both, 0]).max() < 1.0
    # The middle cluster's points get the same component, hence the same colour, in both panels.
    middle = np.abs(three_groups) < 1.5
    component = np.bincount(first.labels[middle]).argmax()
    assert (second.labels[middle] == component).mean() > 0.9
    assert compared.histories[1].settings["component_order"] == "matched to the first prior's components"


def test_priors_and_methods_do_not_mix(two_groups):
    with pytest.raises(vizgmm.OptionError, match="leave methods out"):
        vizgmm.compare(two_groups, 3, methods=("hard", "soft"), priors=[0.01, 1])
    with pytest.raises(vizgmm.OptionError, match="priors must be 2 to 4 different numbers"):
        vizgmm.compare(two_groups, 3, priors=[0.01])


@pytest.fixture(scope="module")
def csv(two_groups, tmp_path_factory):
    folder = tmp_path_factory.mktemp("priors")
    np.savetxt(folder / "two.csv", two_groups, delimiter=",", header="a,b", comments="")
    return folder


def test_the_cli_compares_priors(csv):
    proc = run(csv, "compare", "two.csv", "-k", "6", "--columns", "a,b", "--method", "variational",
               "--priors", "0.001,1000", "--weight-concentration-prior-type", "dirichlet_distribution",
               "--seed", "2", "--max-iter", "200", "--no-mp4", "--no-html", "--out", "out")
    assert "weight_concentration_prior 1000 keeps 6 of 6 components" in proc.stdout
    for folder in ("prior-0.001", "prior-1000"):
        assert (csv / "out" / folder / "history.json").is_file()
    assert (csv / "out" / "compare.gif").is_file()


@pytest.mark.parametrize("args, words", [
    (["--method", "variational", "--priors", "small,1"], ["--priors must be", "got 'small,1'"]),
    (["--method", "variational", "--priors", "0,1"], ["--priors must be", "each more than 0"]),
    (["--method", "variational", "--priors=-1,1"], ["--priors must be", "each more than 0"]),
    (["--method", "variational", "--priors", "0.001,0.01,1,10,100"], ["--priors must be 2 to 4"]),
    (["--priors", "0.001,1"], ["--priors", "--method variational"]),
    (["--method", "hard", "--method", "soft", "--priors", "0.001,1"], ["--priors", "--method variational"]),
    (["--methods", "hard,soft", "--priors", "0.001,1"], ["--priors", "--method variational"]),
    (["--method", "variational"], ["add --priors"]),
    (["--weight-concentration-prior-type", "dirichlet_process"], ["add --method variational"]),
])
def test_bad_priors_are_one_line_errors_and_write_nothing(csv, args, words):
    proc = run(csv, "compare", "two.csv", "-k", "6", "--columns", "a,b", *args, "--out", "bad", check=False)
    assert_one_line_error(proc, *words)
    assert not (csv / "bad").exists()


@pytest.mark.parametrize("options", [{"method": "variational", "priors": [0.01, 1]}, {"method": "hard"}])
def test_a_stray_keyword_is_an_option_error_naming_it_not_a_type_error(options):
    # compare(X, k, method="variational", priors=[...]) reached fit() with method twice: a TypeError.
    X = np.random.default_rng(0).normal(size=(100, 2))
    with pytest.raises(vizgmm.OptionError, match=r"compare\(\) got unknown options method; the priors are"):
        vizgmm.compare(X, 2, seed=0, **options)
