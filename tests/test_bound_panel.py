"""The bound panel draws what bound_slice computes (issue 22)."""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.frames.halfsteps import half_step_history
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets
from vizgmm.model.bound import bound_slice


def _scene(history, panels=("bound",)):
    return make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"), panels=panels)


@pytest.fixture(scope="module")
def hard():
    x, _ = vizgmm.walkthrough_data()
    return vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT)


@pytest.mark.parametrize("method", ["hard", "soft"])
def test_drawn_lines_are_bound_slice(method):
    x, _ = vizgmm.walkthrough_data()
    history = vizgmm.fit(x, 2, method=method, init=vizgmm.WALKTHROUGH_INIT)
    scene = _scene(history, panels=("bound", "params"))
    tween = 3
    for index in (0, 5, 9, 2 * (tween + 1) + 2):
        state = frames.state_at(history, index, tween=tween)
        pixels = scene.render(state)
        assert pixels.shape == (480, 640, 4)
        epoch = min(int(np.floor(state.progress)) + 1, history.epochs)
        bx, by = (np.asarray(a) for a in scene.bound_line.get_data())
        # The drawn bound is the epoch's bound_slice at the drawn positions along its segment.
        log_p, bound = bound_slice(history, epoch, bx - (epoch - 1))
        np.testing.assert_allclose(by, bound, rtol=1e-12)
        # The log-likelihood line follows EM's own path: on segment e it is epoch e's bound_slice log p.
        px, py = (np.asarray(a) for a in scene.bound_path_line.get_data())
        assert px[-1] == pytest.approx(state.progress)
        for x_, y_ in zip(px[::7], py[::7]):
            e = min(int(np.floor(x_ - 1e-12)) + 1, history.epochs) if x_ > 0 else 1
            assert y_ == pytest.approx(float(bound_slice(history, e, x_ - (e - 1)).log_likelihood), rel=1e-12)
        # Touch and peak: the bound at the segment's ends.
        tx, ty = scene.bound_touch.get_data()
        assert ty[0] == pytest.approx(float(bound_slice(history, epoch, 0.0).bound), rel=1e-12)
        if method == "soft":
            assert ty[0] == pytest.approx(history[epoch - 1].log_likelihood, rel=1e-10)
        caption = scene.bound_text.get_text()
        gap = float(bound_slice(history, epoch, 0.0).gap)
        assert f"E-step gap {gap if abs(gap) >= 0.05 else 0.0:,.1f}" in caption
    scene.close()


def test_hard_caption_says_the_gap_stays_open(hard):
    scene = _scene(hard)
    scene.render(frames.state_at(hard, 2, tween=0))
    gap = float(bound_slice(hard, 3, 0.0).gap)
    assert gap > 1
    assert scene.bound_text.get_text() == f"E-step gap {gap:,.1f} at epoch 3\nhard labels never close it"
    scene.close()


def test_half_steps_rise_then_slide(hard):
    halves = half_step_history(hard)
    scene = _scene(halves)
    # The M-stop of epoch 2 (index 3) sits at the bound's peak; the E-stop of epoch 3 (index 4) touches anew.
    scene.render(frames.state_at(halves, 3, tween=0))
    assert scene.bound_point.get_data()[1][0] == pytest.approx(float(bound_slice(hard, 2, 1.0).bound), rel=1e-12)
    scene.render(frames.state_at(halves, 4, tween=0))
    assert scene.bound_point.get_data()[1][0] == pytest.approx(float(bound_slice(hard, 3, 0.0).bound), rel=1e-12)
    # Between them (an E-step tween) the new bound rises: below its touching height, above the old peak.
    scene.render(frames.state_at(halves, 3 * 3 + 1, tween=2))
    y = scene.bound_point.get_data()[1][0]
    assert float(bound_slice(hard, 2, 1.0).bound) < y < float(bound_slice(hard, 3, 0.0).bound)
    scene.close()


def test_unknown_panel_names_bound():
    x, _ = vizgmm.walkthrough_data()
    history = vizgmm.fit(x, 2, init=vizgmm.WALKTHROUGH_INIT, max_iter=2)
    with pytest.raises(vizgmm.OptionError, match="loglik, bound, weights, params"):
        _scene(history, panels=("bounds",))


def test_report_section_says_the_runs_numbers(hard, tmp_path):
    path = tmp_path / "report.html"
    vizgmm.report(hard, path, animation="none")
    html = path.read_text()
    assert "Why the log-likelihood can only rise" in html
    gap = float(bound_slice(hard, 3, 0.0).gap)
    assert f"Hard labels leave a gap of {gap:,.1f} at epoch 3: hard EM maximises the classification likelihood" in html
