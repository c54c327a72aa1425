"""The weights side panel (issue 23.3): one bar per component, φ as it moves, drained ones faint."""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.animate.scenes.base import FADE_WEIGHT, FADED_ALPHA
from vizgmm.look import presets


def scene_of(history, **opts):
    return make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"), **opts)


def test_bars_follow_the_weights_on_every_frame_in_between_frames_too():
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, init=vizgmm.WALKTHROUGH_INIT, max_iter=4)
    scene = scene_of(history, panels=("weights", "params"))
    try:
        moved = set()
        for state in frames.frame_states(history, tween=2):
            scene.render(state)
            widths = [bar.get_width() for bar in scene.weights_panel.bars]
            np.testing.assert_allclose(widths, state.weights, rtol=0, atol=1e-12)
            moved.add(round(widths[0], 6))
        assert len(moved) > len(history)  # the in-between frames move the bars as well
    finally:
        scene.close()


def test_a_variational_fit_drains_bars_and_draws_them_faint():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0, 0], 0.5, (150, 2)), rng.normal([4, 4], 0.5, (150, 2))])
    history = vizgmm.fit(X, 6, method="variational", seed=0, weight_concentration_prior=1e-3, max_iter=300)
    final = history.final
    assert (final.weights < FADE_WEIGHT).sum() >= 3  # the prior empties what two clusters do not need
    scene = scene_of(history, panels=("loglik", "weights"))
    try:
        scene.render(frames.state_at(history, len(history) - 1))
        for j, bar in enumerate(scene.weights_panel.bars):
            assert bar.get_width() == pytest.approx(final.weights[j], abs=1e-12)
            assert bar.get_alpha() == (FADED_ALPHA if final.weights[j] < FADE_WEIGHT else 1.0)
    finally:
        scene.close()


def test_an_unknown_panel_names_the_weights_one():
    x, _ = vizgmm.walkthrough_data(seed=0)
    with pytest.raises(vizgmm.OptionError, match="weights"):
        vizgmm.render_gif(vizgmm.fit(x, 2, max_iter=2), "unused.gif", panels=("wieghts",))
