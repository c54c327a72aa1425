"""The full-frame bound scene (focus="bound", issue 22.2): the bound fills the frame, the data beside it."""

import numpy as np
import pytest
from PIL import Image

import vizgmm
from tests.cli_helpers import assert_one_line_error, run
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.errors import OptionError
from vizgmm.look import presets
from vizgmm.model.bound import bound_slice


def _scene(history, preset="blog", **opts):
    return make_scene(history, preset=presets.preset(preset), theme=presets.theme("light"), focus="bound", **opts)


@pytest.fixture(scope="module")
def soft():
    x, _ = vizgmm.walkthrough_data()
    return vizgmm.fit(x, 2, method="soft", init=vizgmm.WALKTHROUGH_INIT)


@pytest.fixture(scope="module")
def wine():
    from sklearn.datasets import load_wine

    return vizgmm.fit(load_wine().data[:, [0, 9]], 3, method="soft", seed=1, max_iter=30)


def test_bound_fills_the_frame_left_of_the_data(soft):
    for preset in ("blog", "slides"):
        scene = _scene(soft, preset)
        bound, data = scene.ax_bound.get_position(), scene.ax.get_position()
        # The bound is the frame's main view: wider than the data, left of it, and not overlapping.
        assert bound.width > 1.2 * data.width
        assert bound.x1 < data.x0
        assert bound.height == pytest.approx(data.height)
        # Its labels are the frame's size, not a side panel's.
        assert scene.ax_bound.xaxis.label.get_fontsize() == scene.preset["font_size"]
        scene.close()


@pytest.mark.parametrize("method", ["hard", "soft"])
def test_drawn_bound_is_bound_slice(method):
    x, _ = vizgmm.walkthrough_data()
    history = vizgmm.fit(x, 2, method=method, init=vizgmm.WALKTHROUGH_INIT)
    scene = _scene(history)
    for index in (0, 4, 9):
        state = frames.state_at(history, index, tween=2)
        scene.render(state)
        epoch = min(int(np.floor(state.progress)) + 1, history.epochs)
        bx, by = (np.asarray(a) for a in scene.bound_line.get_data())
        np.testing.assert_allclose(by, bound_slice(history, epoch, bx - (epoch - 1)).bound, rtol=1e-12)
    scene.close()


def _curve_points(scene):
    d = scene.bound_data
    xs = np.concatenate([d["path_x"], d["x"].ravel()])
    ys = np.concatenate([d["path_log_likelihood"], d["bound"].ravel()])
    return scene.ax_bound.transData.transform(np.column_stack([xs, ys]))


@pytest.mark.parametrize("name", ["soft", "wine"])
def test_legend_covers_no_curve(name, request):
    # The curves are drawn per frame, after the legend: the legend goes where no frame draws.
    history = request.getfixturevalue(name)
    for preset in ("blog", "slides"):
        scene = _scene(history, preset)
        legend = scene.ax_bound.get_legend()
        assert [t.get_text() for t in legend.get_texts()][:2] == ["log p on EM's path", "bound L(q, θ)"]
        box = legend.get_window_extent(scene.canvas.get_renderer())
        inside = scene.ax_bound.get_window_extent(scene.canvas.get_renderer())
        points = _curve_points(scene)
        visible = points[[inside.contains(*p) for p in points]]
        assert box.count_contains(visible) == 0
        scene.close()


def test_other_panels_are_refused(soft):
    with pytest.raises(OptionError, match="focus='bound'.*no other side panels"):
        _scene(soft, panels=("params",))
    # The bound panel itself is what the frame shows: asking for it too is fine.
    _scene(soft, panels=("bound",)).close()
    with pytest.raises(OptionError, match="focus"):
        make_scene(soft, preset=presets.preset("blog"), theme=presets.theme("light"), focus="ll")


def test_cli_render_focus_bound(tmp_path, soft):
    soft.save(tmp_path / "h.json")
    run(tmp_path, "render", "h.json", "--focus", "bound", "--out", "out", "--no-mp4", "--quiet")
    with Image.open(tmp_path / "out" / "animation.gif") as gif:
        assert gif.n_frames == len(soft)
        gif.seek(len(soft) - 1)
        last = np.asarray(gif.convert("RGB"))
    # The frame's left half holds the bound view, not the empty margin a data-only frame has there.
    plain = vizgmm.render_still(soft, -1)[..., :3]
    assert np.abs(last[:, :300].astype(int) - plain[:, :300]).mean() > 5
    proc = run(tmp_path, "render", "h.json", "--focus", "bound", "--panels", "params", "--out", "o2", check=False)
    assert_one_line_error(proc, "focus", "panels")
    assert not (tmp_path / "o2").exists()
