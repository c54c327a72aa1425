"""The pixel and glyph caches change no pixel: frames drawn with them equal frames drawn without."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import vizgmm
from vizgmm.animate.fast import glyphcache
from vizgmm.animate.fast.pixelcache import PixelCache
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets

# Agg is deterministic: the caches paste exactly the pixels it drew. One level
# of slack would still be invisible; a stale legend or title is hundreds.
TOLERANCE = 1


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.multivariate_normal([0, 0], [[2, 1.2], [1.2, 1]], 300),
                   rng.multivariate_normal([4, 3], [[0.5, -0.3], [-0.3, 1.5]], 200)])
    return vizgmm.fit(X, 2, method="soft", seed=3, max_iter=8, tol=0)


def all_frames(history, tween, cache, **options):
    scene = make_scene(history, preset=presets.preset(options.pop("preset", "blog")),
                       theme=presets.theme(options.pop("theme", "light")), **options)
    scene.layers.cache.enabled = cache
    pixels = [np.array(scene.render(state)) for state in frames.frame_states(history, tween)]
    hits = scene.layers.cache.hits
    scene.close()
    return pixels, hits


@pytest.mark.parametrize("tween, options", [
    (0, {}),
    (2, {"panels": ("loglik", "params"), "component_names": ["left", "right"]}),
    (0, {"theme": "dark", "title": "Foot sizes"}),
])
def test_1d_frames_are_the_same_with_and_without_the_caches(walk, tween, options):
    plain, _ = all_frames(walk, tween, cache=False, **dict(options))
    cached, hits = all_frames(walk, tween, cache=True, **dict(options))
    assert hits > len(walk) // 2  # the legend, points and repeated titles were pasted, not drawn
    for i, (a, b) in enumerate(zip(plain, cached)):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= TOLERANCE, f"frame {i} differs"


def test_2d_frames_are_the_same_with_and_without_the_caches(blobs):
    plain, _ = all_frames(blobs, 1, cache=False, panels=("params",))
    cached, hits = all_frames(blobs, 1, cache=True, panels=("params",))
    assert hits > 0
    for i, (a, b) in enumerate(zip(plain, cached)):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= TOLERANCE, f"frame {i} differs"


def canvas_with_text(**text_options):
    fig = Figure(figsize=(3, 2), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    text = fig.text(0.3, 0.5, "Epoch 7  ·  −1,234.5", animated=True, **text_options)
    return canvas, fig, text


def draw_with(canvas, text, cache, background=None):
    renderer = canvas.get_renderer()
    pixels = np.asarray(canvas.buffer_rgba())
    pixels[...] = 255
    if background is not None:
        pixels[background] = (200, 30, 30, 255)
    cache.draw(text, renderer)
    return pixels.copy()


def test_a_remembered_text_is_redrawn_when_what_lies_under_it_changed():
    canvas, _, text = canvas_with_text(fontsize=14, color="navy")
    cache = PixelCache(canvas)
    under = (slice(80, 120), slice(80, 200))
    first = draw_with(canvas, text, cache)
    again = draw_with(canvas, text, cache)
    over_red = draw_with(canvas, text, cache, background=under)
    assert cache.hits == 1 and np.array_equal(first, again)
    plain_canvas, _, plain_text = canvas_with_text(fontsize=14, color="navy")
    expected = draw_with(plain_canvas, plain_text, PixelCache(plain_canvas, enabled=False), background=under)
    assert np.array_equal(over_red, expected)
    assert not np.array_equal(over_red, first)


def test_a_changed_string_or_colour_is_not_pasted_stale():
    canvas, _, text = canvas_with_text(fontsize=14, color="navy")
    cache = PixelCache(canvas)
    first = draw_with(canvas, text, cache)
    text.set_color("orange")
    orange = draw_with(canvas, text, cache)
    text.set_text("Epoch 8  ·  −1,234.5")
    other = draw_with(canvas, text, cache)
    assert cache.hits == 0
    assert not np.array_equal(first, orange) and not np.array_equal(orange, other)


@pytest.mark.parametrize("options", [{"rotation": 30}, {"rotation": 90, "fontsize": 7}, {"antialiased": False},
                                     {"fontsize": 11.3, "ha": "center"}])
def test_glyph_cache_draws_what_matplotlib_draws(options):
    canvas, fig, text = canvas_with_text(**options)
    renderer = canvas.get_renderer()
    if not glyphcache.supported(renderer):
        pytest.skip("this matplotlib has no glyph-level text API")
    plain = draw_with(canvas, text, PixelCache(canvas, enabled=False))
    cache = PixelCache(canvas)
    for dx in (0.13, 0.5, 1.0):  # the glyphs at other sub-pixel offsets are remembered first
        text.set_x(0.3 + dx / 300)
        draw_with(canvas, text, cache)
    text.set_x(0.3)
    for _ in range(2):  # its glyphs new, then remembered (not the whole string's pixels: entries cleared)
        cache._entries.clear()
        assert np.array_equal(draw_with(canvas, text, cache), plain)
