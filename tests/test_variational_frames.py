"""A variational fit on screen: the score panel shows its ELBO, components it has emptied are faded."""

import copy

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.scenes.base import FADE_WEIGHT, scores


@pytest.fixture(scope="module")
def drained():
    """Six components on two clusters: several end below 1% weight."""
    rng = np.random.default_rng(7)
    X = np.vstack([rng.normal([0, 0], 0.5, size=(150, 2)), rng.normal([4, 4], 0.5, size=(150, 2))])
    history = vizgmm.fit(X, 6, method="variational", init="kmeans++", seed=0, max_iter=300,
                         weight_concentration_prior=1e-3)
    assert (history.final.weights < FADE_WEIGHT).sum() >= 3
    return history


def test_the_score_panel_draws_the_lower_bound(drained):
    values, title = scores(drained)
    assert title == "lower bound (ELBO)"
    np.testing.assert_array_equal(values, drained.settings["lower_bounds"])
    assert not np.array_equal(values, drained.log_likelihoods)
    soft = vizgmm.fit(drained.X, 2, max_iter=5, seed=0)
    assert scores(soft)[1] == "total log-likelihood"


def test_a_recorded_scikit_learn_fit_leaves_a_gap_at_its_start():
    mixture = pytest.importorskip("sklearn.mixture")
    X = np.random.default_rng(0).normal(size=(200, 2))
    history = vizgmm.from_sklearn(mixture.BayesianGaussianMixture(n_components=3, random_state=0), X, max_iter=5)
    values, title = scores(history)
    assert title == "lower bound (ELBO)" and np.isnan(values[0]) and np.isfinite(values[1:]).all()
    assert vizgmm.render_still(history, 0, panels=("loglik",)).shape[2] == 3  # the gap draws


def test_emptied_components_are_drawn_faded(drained):
    """The same snapshot drawn as hard EM (nothing faded; points by label, as a variational fit draws
    them) and as variational: only the faded components' pixels differ, and they are nearer the light
    background. (Soft EM would add the legend's blend entry.)"""
    plain = copy.copy(drained)
    plain.settings = dict(drained.settings, method="hard")
    options = dict(panels=(), show_loglik=False)
    faded = vizgmm.render_still(drained, -1, **options).astype(float)
    full = vizgmm.render_still(plain, -1, **options).astype(float)
    differ = np.abs(faded - full).sum(axis=2) > 30
    assert differ.sum() > 50
    assert faded[differ].mean() > full[differ].mean() + 20


def test_the_em_bound_panel_is_refused_for_a_variational_fit(drained):
    """It would say "the bound touches" of EM's bound, which this fit does not follow."""
    with pytest.raises(vizgmm.OptionError, match="loglik"):
        vizgmm.render_still(drained, -1, panels=("bound",))


@pytest.mark.parametrize("columns", [slice(0, 1), slice(0, 2)])
def test_drained_components_fade_in_the_legend_too(drained, columns):
    # The legend listed every drained component at full strength ("component 2 φ=0.00"), beside faded
    # ellipses: half the legend named nothing the picture showed.
    from vizgmm.animate.frames import timing
    from vizgmm.animate.scenes import make_scene
    from vizgmm.animate.scenes.base import FADED_ALPHA
    from vizgmm.look import presets

    history = drained if columns.stop == 2 else vizgmm.fit(drained.X[:, 0], 6, method="variational",
                                                           init="kmeans++", seed=0, max_iter=300,
                                                           weight_concentration_prior=1e-3)
    scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"))
    try:
        scene.render(list(timing.frame_states(history, 0))[-1])
        weights = history.final.weights
        for j in range(history.k):
            want = FADED_ALPHA if weights[j] < FADE_WEIGHT else 1.0
            assert scene.legend.get_texts()[j].get_alpha() == want
            assert scene.legend.legend_handles[j].get_alpha() == want
        assert (weights < FADE_WEIGHT).any() and (weights >= FADE_WEIGHT).any()
    finally:
        scene.close()
