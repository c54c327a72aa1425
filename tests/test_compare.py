"""Hard vs soft from one start: the fits, the facts and the explanation's numbers."""

import numpy as np
import pytest

import vizgmm
from vizgmm.model.comparison import compare
from vizgmm.model.comparison_facts import match_components, spread
from vizgmm.pages.explain import explain


@pytest.fixture(scope="module")
def overlapping():
    """Two 1-D components that overlap a lot: N(0, 1) and N(2.5, 1), 2000 points each."""
    rng = np.random.default_rng(3)
    return np.concatenate([rng.normal(0.0, 1.0, 2000), rng.normal(2.5, 1.0, 2000)])


def test_both_methods_start_from_the_same_parameters(overlapping):
    comparison = compare(overlapping, 2, seed=4)
    hard, soft = comparison.histories["hard"], comparison.histories["soft"]
    for name in ("means", "covariances", "weights"):
        np.testing.assert_array_equal(getattr(hard[0], name), getattr(soft[0], name))
        np.testing.assert_array_equal(getattr(hard[0], name), comparison.initial[name])
    assert hard.settings["method"] == "hard" and soft.settings["method"] == "soft"
    assert hard.settings["init_source"] == "kmeans++"
    # Same start, different method: the ends differ.
    assert not np.allclose(hard.final.covariances, soft.final.covariances)


def test_hard_labels_bias_sigma_low_when_components_overlap(overlapping):
    comparison = compare(overlapping, 2, seed=4)
    facts = comparison.facts
    sigma = {m: spread(comparison.histories[m].final.covariances) for m in ("hard", "soft")}
    order = match_components(comparison.histories["soft"].final, comparison.histories["hard"].final)
    hard_sigma = sigma["hard"][order]
    # The true σ is 1 for both; soft EM is close, hard EM clearly too small.
    np.testing.assert_allclose(sigma["soft"], 1.0, atol=0.1)
    assert np.all(hard_sigma < 0.9 * sigma["soft"])
    assert facts["narrower"] == [1, 2]
    assert all(c["sigma_change"] < -0.1 for c in facts["components"])
    # And the hard means are pushed apart from the true gap of 2.5.
    assert facts["mean_gap"]["hard"] > facts["mean_gap"]["soft"] + 0.1
    text = " ".join(explain(comparison))
    assert "biased low" in text
    assert f"hard {facts['components'][0]['sigma']['hard']:.4g} vs soft {facts['components'][0]['sigma']['soft']:.4g}" in text


def test_uncertain_points_and_differing_labels_are_counted_from_the_fits(overlapping):
    comparison = compare(overlapping, 2, seed=4)
    soft = comparison.histories["soft"]
    resp = soft.posterior(-1)
    uncertain = resp.max(axis=1) < 0.9
    facts = comparison.facts
    assert facts["uncertain"] == int(uncertain.sum()) > 500
    low, high = facts["uncertain_range"]
    assert low == overlapping[uncertain].min() and high == overlapping[uncertain].max()
    # The uncertain points sit between the two means.
    means = np.sort(soft.final.means[:, 0])
    assert means[0] < low < high < means[1]
    text = " ".join(explain(comparison))
    assert f"{facts['uncertain']} of 4000 points" in text
    assert f"The final labels of {facts['labels_differ']} of 4000 points differ" in text
    assert facts["log_likelihood"]["soft"] >= facts["log_likelihood"]["hard"]


def test_the_walkthrough_with_its_far_start():
    x, _ = vizgmm.walkthrough_data(seed=0)
    comparison = compare(x, 2, init=vizgmm.WALKTHROUGH_INIT)
    np.testing.assert_array_equal(comparison.initial["means"][:, 0], [210.0, 290.0])
    np.testing.assert_allclose(np.sqrt(comparison.initial["covariances"][:, 0, 0]), [12.0, 15.0])
    assert comparison.init == "explicit"
    facts = comparison.facts
    assert facts["epochs"]["hard"] < facts["epochs"]["soft"]
    assert "given explicitly" in explain(comparison)[0]


def test_two_dimensional_data_and_component_matching():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal([0, 0], 1, (300, 2)), rng.normal([2.5, 0], 1, (300, 2))])
    comparison = compare(X, 2, methods=("soft", "hard"), seed=1)
    assert comparison.methods == ("soft", "hard")
    facts = comparison.facts
    assert facts["uncertain_range"] is None
    assert "geometric mean" in explain(comparison)[2]
    hard = comparison.histories["hard"].final
    order = match_components(comparison.histories["soft"].final, hard)
    # Matched components are the near ones: each pair's means within 0.5.
    for c in facts["components"]:
        assert np.linalg.norm(np.subtract(c["mean"]["hard"], c["mean"]["soft"])) < 0.5
    assert sorted(order.tolist()) == [0, 1]


@pytest.mark.parametrize("methods, message", [
    (("hard",), r"methods must be 2 or 3 different names of hard, soft, kmeans.*got 'hard'"),
    (("soft", "soft"), r"2 or 3 different names.*got 'soft,soft'"),
    (("hard", "fuzzy"), r"got 'hard,fuzzy'; e.g. methods=hard,soft,kmeans"),
    (("hard", "kmeans"), r"among them hard and soft, got 'hard,kmeans'"),
    ("hard,soft,kmeans,soft", r"got 'hard,soft,kmeans,soft'"),
])
def test_bad_methods(methods, message):
    with pytest.raises(vizgmm.OptionError, match=message):
        compare([1.0, 2.0, 3.0, 4.0], 2, methods=methods)


def test_one_component_needs_no_comparison_and_an_emptied_component_is_named():
    rng = np.random.default_rng(0)
    x = rng.normal(size=300)
    single = compare(x, 1, seed=0)
    assert len(explain(single)) == 2 and "k = 1" in explain(single)[-1]
    # A start far from every point: hard EM gives that component no point at all.
    far = compare(x, 3, init={"means": [0.0, 0.1, 8.0], "stds": [1.0, 1.0, 1.0]}, tol=0, max_iter=5)
    assert far.histories["hard"].final.weights[2] == 0.0
    assert far.histories["soft"].final.weights[2] > 0.0
    assert any("Hard EM emptied component 3" in paragraph for paragraph in explain(far))


def test_the_log_likelihood_gap_adds_up_as_printed():
    # The walk-through's two bumps from kmeans++: soft and hard end about 0.11 apart, which
    # one decimal printed as -3,879.5 vs -3,879.7 "higher by 0.1".
    import re

    x, _ = vizgmm.walkthrough_data(seed=0)
    text = " ".join(explain(compare(x, 2, seed=0)))
    found = re.search(r"soft (-[\d,.]+), hard (-[\d,.]+) \((soft|hard) higher by ([\d,.]+)\)", text)
    soft, hard, _, gap = (found.group(i) for i in (1, 2, 3, 4))
    soft, hard, gap_value = (float(v.replace(",", "")) for v in (soft, hard, gap))
    places = len(gap.split(".")[1])
    assert round(abs(soft - hard), places) == gap_value
