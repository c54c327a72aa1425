"""Shown weights φ sum to 1 (issue 20, point 14): 0.56 + 0.43 was rounding each weight alone."""

import re

import numpy as np

import vizgmm
from vizgmm.look import presets
from vizgmm.look.notes import rounded_weights


def test_rounded_weights_sum_to_one_and_stay_within_a_unit():
    rng = np.random.default_rng(0)
    for _ in range(200):
        w = rng.dirichlet(np.ones(rng.integers(2, 9)))
        shown = rounded_weights(w)
        assert round(shown.sum(), 9) == 1.0
        assert np.all(np.abs(shown - w) < 0.01 + 1e-12)
    assert np.round([1 / 3] * 3, 2).sum() != 1  # the naive rounding this replaces
    assert rounded_weights([1 / 3] * 3).tolist() == [0.34, 0.33, 0.33]


def test_frame_legends_show_weights_that_sum_to_one():
    from vizgmm.animate.scenes.scene1d import Scene1D

    rng = np.random.default_rng(3)
    # Three equal, far-apart groups: every weight is 1/3, which rounds alone to 0.33 + 0.33 + 0.33.
    x = np.concatenate([rng.normal(0, 1, 100), rng.normal(100, 1, 100), rng.normal(200, 1, 100)])
    history = vizgmm.fit(x, 3, method="hard", max_iter=10)
    scene = Scene1D(history, preset=presets.preset("blog"), theme=presets.theme("light"))
    for i in range(len(history)):
        scene._update_snapshot_scene(type("S", (), {"snapshot": i})())
        phis = [float(m) for t in scene.legend.get_texts() for m in re.findall(r"φ=([0-9.]+)", t.get_text())]
        assert len(phis) == 3 and round(sum(phis), 9) == 1.0, phis
