"""The 1-D rug (animate/rug.py) draws the pixels matplotlib's one-marker-per-point Line2D rug drew."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import vizgmm
from vizgmm.animate import api as render
from vizgmm.animate.fast.pixelcache import PixelCache
from vizgmm.animate.fast.rug import Rug
from vizgmm.animate.frames import timing
from vizgmm.animate.scenes import make_scene
from vizgmm.animate.scenes.scene1d import RUG_ALPHA
from vizgmm.look import presets

MARKER = {"ls": "none", "marker": "o", "mec": "none", "alpha": RUG_ALPHA}


def frame(history, snapshot, *, old=False, rug=True, theme="light", **opts):
    """One epoch frame's RGBA; ``old`` draws the rug as the k Line2D artists it was before the Rug."""
    scene = make_scene(history, preset=presets.preset(opts.pop("preset", "blog")), theme=presets.theme(theme), **opts)
    if old or not rug:
        scene.rug.set_visible(False)
    if old:
        labels = history[snapshot].labels[scene.sub]
        for j, colour in enumerate(scene.colors):
            xs = scene.sub_x[labels == j]
            line = scene.ax.plot(xs, np.full(xs.shape, scene.rug_y), ms=scene.rug.markersize, mfc=colour,
                                 animated=True, **MARKER)[0]
            scene.layers.add(line, "snapshot")
    pixels = np.array(scene.render(timing.state_at(history, snapshot))).astype(int)
    scene.close()
    return pixels


def assert_same_picture(history, snapshot, edge_levels, inner_levels=4, **opts):
    new, old = frame(history, snapshot, **opts), frame(history, snapshot, old=True, **opts)
    bare = frame(history, snapshot, rug=False, **opts)
    band = np.nonzero(np.abs(old - bare).max(axis=(1, 2)) > 0)[0]
    # The rug is there: a band of rows several pixels tall, coloured across many columns.
    assert 5 <= len(band) <= 15 and band[-1] - band[0] == len(band) - 1
    assert (np.abs(old - bare).max(axis=2) > 60).sum() > 300
    diff = np.abs(new - old).max(axis=2)
    assert diff[: band[0]].max() == 0 and diff[band[-1] + 1:].max() == 0  # nothing else moved
    # Agg rounds each marker's blend down, so the faint top and bottom rows depend on the
    # order the markers come in, in Agg itself too; the rows between are within a few levels.
    assert diff[band[[0, -1]]].max() <= edge_levels
    assert diff[band[1:-1]].max() <= inner_levels
    return diff[band]


@pytest.mark.parametrize("snapshot", [0, 3, -1])
def test_walkthrough_rug_matches_the_line2d_rug(walk, snapshot):
    diff = assert_same_picture(walk, snapshot % len(walk), edge_levels=5)
    assert (diff > 2).mean() < 0.01


@pytest.mark.parametrize("opts", [{"theme": "dark"}, {"preset": "slides"}], ids=["dark", "slides"])
def test_rug_matches_in_the_dark_theme_and_on_slides(walk, opts):
    assert_same_picture(walk, 3, edge_levels=5, **opts)


@pytest.fixture(scope="module")
def dense():
    """100,000 points (the 5,000 drawn pile up ~15 markers per pixel column), three components."""
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 1, 60_000), rng.normal(3, 0.5, 40_000)])
    return vizgmm.fit(x[:, None], 3, seed=0, max_iter=4)


@pytest.mark.slow
def test_dense_rug_matches_within_what_the_markers_order_changes(dense):
    # Measured: Agg's own rug moves these edge rows by up to 10 levels when the same points are
    # drawn in another order; this rug is 9 levels from the original order.
    assert_same_picture(dense, len(dense) - 1, edge_levels=12)


def test_transparent_frames_keep_the_markers_exactly(walk, tmp_path):
    new = frame(walk, 3, transparent=True)
    old = frame(walk, 3, old=True, transparent=True)
    assert np.array_equal(new, old)
    paths = render.render_frames(walk, tmp_path, transparent=True, tween=0)
    from PIL import Image

    png = np.array(Image.open(paths[3]))
    assert png.shape[2] == 4 and np.array_equal(png, new.astype(np.uint8))


def small_canvas(draw):
    fig = Figure(figsize=(2.0, 1.0), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes([0.05, 0.1, 0.9, 0.8])
    ax.set_xlim(0, 10)
    ax.set_ylim(-1, 1)
    ax.set_axis_off()
    canvas.draw()
    draw(ax, canvas.get_renderer())
    return np.asarray(canvas.buffer_rgba()).astype(int)


@pytest.mark.parametrize("x, labels", [
    ([5.0], [0]),                                     # n = 1
    ([5.0, 5.0], [0, 1]),                             # n = 2, one column, the later component on top
    ([2.0, 2.04, 7.0], [1, 1, 1]),                     # component 0 empty
    ([0.0, 10.0, 9.98, 4.0], [0, 2, 2, 1]),           # at the axes' edges: clipped like the markers
], ids=["n=1", "n=2", "empty component", "edges"])
def test_few_points_match_the_markers(x, labels):
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c"]
    x, labels = np.array(x), np.array(labels)

    def rug(ax, renderer):
        artist = Rug(0.0, colors, markersize=np.sqrt(14), alpha=RUG_ALPHA)
        ax.add_artist(artist)
        artist.set_points(x, labels)
        artist.draw(renderer)

    def markers(ax, renderer):
        for j, colour in enumerate(colors):
            xs = x[labels == j]
            ax.plot(xs, np.zeros_like(xs), ms=np.sqrt(14), mfc=colour, **MARKER)[0].draw(renderer)

    new, old, bare = small_canvas(rug), small_canvas(markers), small_canvas(lambda ax, r: None)
    assert (np.abs(old - bare).max(axis=2) > 60).sum() >= 9 * len(np.unique(np.round(x * 10)))
    assert np.abs(new - old).max() <= 1


def test_the_remembered_band_is_used_only_over_the_same_pixels_and_points():
    """The scene's PixelCache keys the rug: it pastes a band only over the same pixels, for the same points."""
    fig = Figure(figsize=(2.0, 1.0), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes([0.05, 0.1, 0.9, 0.8], xlim=(0, 10), ylim=(-1, 1))
    ax.set_axis_off()
    canvas.draw()
    renderer = canvas.get_renderer()
    pixels = np.asarray(canvas.buffer_rgba())
    blank = pixels.copy()
    rug = ax.add_artist(Rug(0.0, ["#1f77b4", "#ff7f0e"], markersize=np.sqrt(14), alpha=RUG_ALPHA))
    cache = PixelCache(canvas)
    x = np.array([2.0, 2.1, 5.0, 5.0, 8.0])

    def drawn(labels, under):
        pixels[...] = under
        rug.set_points(x, labels)
        cache.draw(rug, renderer)
        return pixels.astype(int)

    def markers(labels, under):
        pixels[...] = under
        for j, colour in enumerate(rug.colors):
            xs = x[np.asarray(labels) == j]
            ax.plot(xs, np.zeros_like(xs), ms=np.sqrt(14), mfc=colour, **MARKER)[0].draw(renderer)
            ax.lines[-1].remove()
        return pixels.astype(int)

    grey = blank.copy()
    grey[..., :3] = 150
    first = drawn([0, 0, 0, 1, 1], blank)
    assert np.abs(drawn([0, 0, 0, 1, 1], grey) - markers([0, 0, 0, 1, 1], grey)).max() <= 1
    assert np.abs(drawn([0, 1, 0, 1, 1], blank) - markers([0, 1, 0, 1, 1], blank)).max() <= 1
    assert cache.hits == 0
    assert np.array_equal(drawn([0, 1, 0, 1, 1], blank), drawn([0, 1, 0, 1, 1], blank)) and cache.hits == 2
    assert np.array_equal(drawn([0, 0, 0, 1, 1], blank), first)
