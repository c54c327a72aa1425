"""Issue 11: 2-D frames that fill the axes, ellipses above the points, honest projections and panels."""

import numpy as np
import pytest

import vizgmm
from vizgmm.animate.scenes import make_scene
from vizgmm.animate.scenes.panels import loglik_tick
from vizgmm.look import presets


def two_scales(seed=1):
    """Two clusters, columns of different scales (eruption minutes 1.6-5 vs waiting minutes 43-96)."""
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal([1.8, 54], [0.3, 6], (100, 2)), rng.normal([4.3, 80], [0.4, 6], (170, 2))])


@pytest.fixture(scope="module")
def eruptions():
    history = vizgmm.fit(two_scales(), 2, init="spread")
    history.meta["feature_names"] = ["eruption (min)", "waiting (min)"]
    return history


def scene_for(history, preset="blog", **opts):
    return make_scene(history, preset=presets.preset(preset), theme=presets.theme("light"), **opts)


@pytest.mark.parametrize("preset", sorted(presets.PRESETS))
@pytest.mark.parametrize("panels", [(), ("loglik", "params")])
def test_two_scale_data_fill_at_least_60_percent_of_the_axes_both_ways(eruptions, preset, panels):
    scene = scene_for(eruptions, preset, panels=panels)
    X = eruptions.X
    (x0, x1), (y0, y1) = scene.ax.get_xlim(), scene.ax.get_ylim()
    assert np.ptp(X[:, 0]) / (x1 - x0) >= 0.6
    assert np.ptp(X[:, 1]) / (y1 - y0) >= 0.6
    # ... and every point is inside the frame.
    assert x0 < X[:, 0].min() and X[:, 0].max() < x1 and y0 < X[:, 1].min() and X[:, 1].max() < y1
    scene.close()


def test_equal_aspect_keeps_one_data_unit_per_pixel_on_both_axes(eruptions):
    scene = scene_for(eruptions, aspect="equal")
    box = scene.ax.get_window_extent(scene.canvas.get_renderer())
    (x0, x1), (y0, y1) = scene.ax.get_xlim(), scene.ax.get_ylim()
    assert (x1 - x0) / box.width == pytest.approx((y1 - y0) / box.height, rel=1e-6)
    scene.close()
    with pytest.raises(vizgmm.OptionError, match="aspect"):
        scene_for(eruptions, aspect="square")


def test_ellipses_are_drawn_above_the_points_and_their_halos(eruptions):
    scene = scene_for(eruptions)
    points = scene.points.get_zorder()
    for (one, two), halos in zip(scene.ellipses, scene.halos):
        assert one.get_zorder() > points and two.get_zorder() > points
        assert all(points < h.get_zorder() < one.get_zorder() for h in halos)
    frame = scene.layers.artists["frame"]
    assert [a.get_zorder() for a in frame] == sorted(a.get_zorder() for a in frame)
    scene.close()


def test_ellipses_stay_visible_over_100000_points():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0, 0], 1, (50_000, 2)), rng.normal([3, 1], 1, (50_000, 2))])
    history = vizgmm.fit(X, 2, seed=0, max_iter=20)
    scene = scene_for(history)
    from vizgmm.animate.frames import timing

    state = timing.state_at(history, len(history) - 1, tween=0)
    pixels = np.array(scene.render(state))[..., :3].astype(int)
    # The 1σ ellipse of component 1 is drawn in its exact colour somewhere on the frame.
    colour = (np.array(scene.colors[0][:3]) * 255).round().astype(int)
    exact = (np.abs(pixels - colour).sum(axis=2) <= 6).sum()
    assert exact > 200
    assert scene.points.get_alpha() < 0.5
    scene.close()


def test_standardized_pca_gives_the_second_component_a_real_share():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    X[:, 0] = 500 + 150 * X[:, 0]  # one feature in the hundreds
    X[:150, 1:] += 2.0
    history = vizgmm.fit(X, 2, seed=0, max_iter=10)
    scene = scene_for(history)
    assert scene.variance_share[1] > 0.1
    assert scene.axis_names[0].startswith("PC1 of standardized features")
    raw = scene_for(history, standardize=False)
    assert raw.variance_share[1] < 0.01 and "raw" in raw.axis_names[0]
    # The table shows the mean in the data's own units (the first feature near 500).
    row = scene._table_row(history.final, 0)
    assert row[2].startswith("μ (5") or row[2].startswith("μ (4")
    scene.close()
    raw.close()


def test_loglik_ticks_have_no_offset_and_read_as_numbers():
    assert loglik_tick(-1370.0, span=500) == "\u22121,370"
    assert loglik_tick(-1632.5, span=0.5) == "\u22121,632.5"  # a flat curve still gets distinct ticks
    assert loglik_tick(-13700.0, span=500) == "\u221213.7k"
    assert loglik_tick(-2.5e6, span=5e5) == "\u22122.5M"


def test_event_note_colour_is_never_a_component_colour():
    for name in presets.THEMES:
        theme = presets.theme(name)
        assert theme["event"].lower() not in [c.lower() for c in theme["components"]]


@pytest.mark.parametrize("d", [1, 2])
def test_parameter_table_fits_six_components_at_the_blog_size(d):
    rng = np.random.default_rng(0)
    centres = np.arange(6) * 6.0
    X = np.concatenate([rng.normal(c, 1, (60, d)) for c in centres])
    history = vizgmm.fit(X, 6, seed=0, max_iter=5)
    scene = scene_for(history, panels=("loglik", "params"))
    assert len(scene.table_cells) == 6
    # Every row is inside the figure, below the header.
    renderer = scene.canvas.get_renderer()
    from vizgmm.animate.frames import timing

    scene.render(timing.state_at(history, 0, tween=0))
    lowest = min(cell.get_window_extent(renderer).y0 for row in scene.table_cells for cell in row)
    assert lowest >= 0
    if d == 2:
        assert scene._table_row(history.final, 0)[-1].startswith("σ (")
    scene.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_gif_keeps_the_png_frames_colours(theme, tmp_path):
    from matplotlib.colors import to_rgb
    from PIL import Image, ImageSequence

    # A third component that covers few pixels: the one whose colour used to drift to grey.
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0, 0], 1, (1500, 2)), rng.normal([4, 1], 0.8, (1500, 2)),
                   rng.normal([1, 5], 0.6, (60, 2))])
    history = vizgmm.fit(X, 3, seed=0, max_iter=6)
    gif = vizgmm.render_gif(history, tmp_path / "a.gif", theme=theme, workers=1)
    pngs = vizgmm.render_frames(history, tmp_path / "frames", theme=theme)
    decoded = [np.asarray(f.convert("RGB")).astype(int) for f in ImageSequence.Iterator(Image.open(gif))]
    components = [np.round(np.array(to_rgb(c)) * 255) for c in presets.theme(theme)["components"][:3]]
    for path in pngs:
        png = np.asarray(Image.open(path).convert("RGB")).astype(int)
        frame = min(decoded, key=lambda f: np.abs(f - png).mean())  # GIF frames merge repeats
        distance = np.sqrt(((frame - png) ** 2).sum(axis=2))
        saturated = (png.max(axis=2) - png.min(axis=2)) >= 80
        assert saturated.sum() > 1000
        assert distance[saturated].max() <= 50
        assert np.percentile(distance[saturated], 99) <= 35
        # Every component's own colour (lines, means) stays exactly itself.
        for colour in components:
            exact = np.abs(png - colour).sum(axis=2) == 0
            assert exact.any() and distance[exact].max() == 0


def test_four_feature_table_is_in_data_units():
    # Issue 20.4: for d > 2 the table gave μ in the data's units and σ along the drawn principal components.
    from sklearn.datasets import load_iris

    X = load_iris().data
    history = vizgmm.fit(X, 3, seed=0)
    scene = scene_for(history, panels=("params",))
    final = history.final
    for j in range(3):
        _, _, where, spread = scene._table_row(final, j)
        sd = np.sqrt(np.diag(final.covariances[j]))
        assert where == "μ (" + ", ".join(f"{v:.3g}" for v in final.means[j][:3]) + ", …)"
        assert spread == "σ (" + ", ".join(f"{v:.3g}" for v in sd[:3]) + ", …)"
    assert scene._table_columns()[0][0] == "μ, σ: columns 1–3"
    # The table's φ are the legend's: rounded so that they sum to 1 (0.33, 0.30, 0.37, not 0.36).
    for snap in history:
        shown = [float(scene._table_row(snap, j)[1]) for j in range(3)]
        assert sum(shown) == pytest.approx(1.0, abs=1e-9), shown
    scene.close()
