"""Soft EM's blended points are explained, never taken for another group (issue 20.8)."""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets
from vizgmm.look.notes import BLEND_LABEL, BLEND_NOTE


def _two_blobs(method):
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal([0, 0], 1.0, (150, 2)), rng.normal([2.5, 1], 1.0, (150, 2))])
    return vizgmm.fit(X, 2, method=method, seed=0, max_iter=8, tol=0)


@pytest.mark.parametrize("method", ["soft", "hard"])
def test_frame_legend_has_a_blend_entry_only_for_soft(method):
    history = _two_blobs(method)
    scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"))
    scene.render(frames.state_at(history, 2, tween=0))
    texts = [t.get_text() for t in scene.legend.get_texts()]
    if method == "soft":
        assert texts[-1] == BLEND_LABEL and len(texts) == 3
        # Its marker is the half-and-half blend of the first two components' colours, as a shared point is drawn.
        marker = scene.legend.legend_handles[-1].get_markerfacecolor()
        expect = (np.asarray(scene.colors[0][:3]) + np.asarray(scene.colors[1][:3])) / 2
        np.testing.assert_allclose(marker[:3], expect)
        # The drawn points really are blends: some lie between the two colours.
        rgb = scene.points.get_facecolor()[:, :3]
        between = np.linalg.norm(rgb - expect, axis=1) < 0.1
        assert between.any()
    else:
        assert len(texts) == 2 and BLEND_LABEL not in texts
    # The components' entries still follow the snapshot (φ), the blend entry stays as it is.
    from vizgmm.look.notes import rounded_weights

    phi = rounded_weights(history[2].weights)
    assert f"φ={phi[0]:.2f}" in texts[0]
    scene.close()


@pytest.mark.parametrize("method", ["soft", "hard"])
def test_player_says_what_a_blend_is(method, tmp_path):
    path = vizgmm.player(_two_blobs(method), tmp_path / "p.html")
    html = path.read_text(encoding="utf-8")
    assert (BLEND_NOTE in html) == (method == "soft")


def test_description_weights_sum_to_one():
    # Issue 20.14: rounding each φ on its own printed 0.33 + 0.30 + 0.36 for iris.
    import re

    from sklearn.datasets import load_iris

    from vizgmm.pages.description import describe_fit

    history = vizgmm.fit(load_iris().data, 3, seed=0)
    assert [round(w, 2) for w in history.final.weights] == [0.33, 0.3, 0.36]  # each rounded alone: 0.99
    text = describe_fit(history)
    phi = [float(v) for v in re.search(r"weights φ end at ([0-9., and]+)", text).group(1).replace(" and", ",").split(", ")]
    assert sum(phi) == pytest.approx(1.0)
