"""Issue 20.7: frames and player draw the same ranges, every point whole, the frame filled at every aspect."""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets
from vizgmm.pages.player_data import player_payload

# The player's point radius in its own pixels (templates/partials/player.js: r 2.1 in 2-D).
PLAYER_RADIUS = 2.1


def _penguins_like(seed=3):
    """Four features on very different scales, three groups, heavy tails (a few far points per side)."""
    rng = np.random.default_rng(seed)
    mu = np.array([(38.8, 18.3, 190, 3700), (48.8, 18.4, 196, 3730), (47.5, 15.0, 217, 5080)])
    sd = np.array([(2.7, 1.2, 6.5, 460), (3.3, 1.1, 7.1, 380), (3.1, 1.0, 6.5, 500)])
    return np.vstack([m + s * rng.standard_t(4, size=(120, 4)) for m, s in zip(mu, sd)])


def _flat_cloud(seed=4):
    """Longitude/latitude-like: a wide band of several groups, a hundred times wider than tall."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(c, 60, 300) for c in (-600, -200, 250, 650)])
    return np.column_stack([x, rng.normal(0, 4, x.size)])


@pytest.fixture(scope="module")
def fits():
    X = _penguins_like()
    return {
        "1d": vizgmm.fit(X[:, :1], 3, seed=0),
        "2d": vizgmm.fit(X[:, :2], 3, seed=0),
        "4d": vizgmm.fit(X, 3, seed=0),
        "flat": vizgmm.fit(_flat_cloud(), 4, seed=0, init="spread"),
    }


def _scene(history, aspect="auto"):
    return make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"), aspect=aspect)


@pytest.mark.parametrize("name, aspect", [("1d", "auto"), ("2d", "auto"), ("4d", "auto"), ("2d", "equal"),
                                          ("4d", "equal"), ("flat", "equal"), ("flat", "auto")])
def test_player_limits_are_the_frames(fits, name, aspect):
    history = fits[name]
    scene = _scene(history, aspect)
    view = player_payload(history, aspect=aspect, bound=False)["view"]
    np.testing.assert_allclose(view["xlim"], scene.ax.get_xlim(), rtol=1e-12)
    if history.d > 1:
        # In 1-D the y axis is density: the frames add room for their in-plot legend there.
        np.testing.assert_allclose(view["ylim"], scene.ax.get_ylim(), rtol=1e-12)


@pytest.mark.parametrize("name, aspect", [("2d", "auto"), ("4d", "auto"), ("2d", "equal"), ("flat", "equal")])
def test_every_drawn_point_is_whole(fits, name, aspect):
    history = fits[name]
    scene = _scene(history, aspect)
    preset = presets.preset("blog")
    radius = np.sqrt(preset["point_size_2d"]) / 2 * preset["dpi"] / 72
    pixels = scene.ax.transData.transform(scene.sub_xy)
    box = scene.ax.get_window_extent(scene.canvas.get_renderer())
    margin = min((pixels[:, 0] - box.x0).min(), (box.x1 - pixels[:, 0]).min(),
                 (pixels[:, 1] - box.y0).min(), (box.y1 - pixels[:, 1]).min())
    assert margin >= radius, f"a point {margin:.1f} px from the frame's edge, radius {radius:.1f} px"
    view = player_payload(history, aspect=aspect, bound=False)["view"]
    pts = np.array(player_payload(history, aspect=aspect, bound=False)["points"]).reshape(-1, 2)
    x0, x1, y0, y1 = view["box"]
    margin = min((pts[:, 0] - x0).min(), (x1 - pts[:, 0]).min(), (pts[:, 1] - y1).min(), (y0 - pts[:, 1]).min())
    assert margin >= PLAYER_RADIUS, f"a point {margin:.1f} px from the player's edge"


def test_equal_aspect_fills_the_binding_side(fits):
    history = fits["flat"]
    scene = _scene(history, "equal")
    xy = scene.project_points(history.X)
    (x0, x1), (y0, y1) = scene.ax.get_xlim(), scene.ax.get_ylim()
    share = max(np.ptp(xy[:, 0]) / (x1 - x0), np.ptp(xy[:, 1]) / (y1 - y0))
    assert share >= 0.6, f"the data fill {share:.0%} of the axes' binding side"
    # One unit as long on both axes: the pixels per unit agree.
    box = scene.ax.get_window_extent(scene.canvas.get_renderer())
    assert box.width / (x1 - x0) == pytest.approx(box.height / (y1 - y0), rel=1e-6)
    view = player_payload(history, aspect="equal", bound=False)["view"]
    bx0, bx1, by0, by1 = view["box"]
    assert (bx1 - bx0) / (x1 - x0) == pytest.approx((by0 - by1) / (y1 - y0), rel=0.01)


def test_no_empty_band_kept_for_the_legend(fits):
    """The top of the view is where the data end, not a third of the frame kept empty for the legend."""
    history = fits["2d"]
    scene = _scene(history)
    top = scene.project_points(history.X)[:, 1].max()
    y0, y1 = scene.ax.get_ylim()
    assert (y1 - top) / (y1 - y0) <= 0.1


def test_the_1d_data_height_is_one_rule_for_frames_and_player():
    # The frames' top came from curves averaged over each grid step, the player's from its own copy that
    # sampled them at the grid (issue 20.7: the look shared, not copied). Both now read look.view.curve_top;
    # the frames add only their legend's band above it.
    import vizgmm
    from vizgmm.animate.scenes import make_scene
    from vizgmm.look import presets
    from vizgmm.pages.player_data import player_payload

    x, _ = vizgmm.walkthrough_data(seed=0)
    spiky = np.r_[x, np.full(40, 255.0)]  # 40 identical values and a third component
    for history in (vizgmm.fit(x, 2, method="soft", init=vizgmm.WALKTHROUGH_INIT),
                    vizgmm.fit(spiky, 3, method="hard", seed=0, reg_covar=1e-9)):
        top = player_payload(history)["view"]["ylim"][1]
        for preset in ("blog", "slides"):
            scene = make_scene(history, preset=presets.preset(preset), theme=presets.theme("light"))
            try:
                assert scene.content_top == pytest.approx(top, rel=1e-12)
                assert scene.ax.get_ylim()[1] > top  # the legend's band, frames only
            finally:
                scene.close()
