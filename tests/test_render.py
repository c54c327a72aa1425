"""The renderer: frame counts, timing, files that play, fixed axes and colours, ellipse geometry."""

import re
import subprocess
import warnings

import imageio_ffmpeg
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

import vizgmm
from vizgmm.animate import api as render
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.scenes import make_scene
from vizgmm.errors import OptionError
from vizgmm.look import presets
from vizgmm.look.geometry import ellipse_geometry
from vizgmm.model.history import History, Snapshot


@pytest.fixture(scope="module")
def blobs():
    """Three tilted 2-D clusters, soft EM with a few epochs."""
    rng = np.random.default_rng(1)
    X = np.vstack([
        rng.multivariate_normal([0, 0], [[2, 1.2], [1.2, 1]], 300),
        rng.multivariate_normal([4, 3], [[0.5, -0.3], [-0.3, 1.5]], 200),
        rng.multivariate_normal([-2, 4], [[0.6, 0], [0, 0.3]], 150),
    ])
    return vizgmm.fit(X, 3, method="soft", seed=3, max_iter=6, tol=0)


def rgb255(color):
    return tuple(int(round(255 * c)) for c in to_rgb(color))


def ffmpeg_info(path):
    done = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True)
    return done.stderr


# -- frame counts and timing ------------------------------------------------
def test_png_frames_are_one_per_snapshot_and_in_between_named_by_epoch(walk, tmp_path):
    # Holds do not make copies: a user gets one file per picture, named by its epoch.
    paths = render.render_frames(walk, tmp_path / "f", tween=2, duration_ms=300,
                                 hold_first_ms=600, hold_last_ms=900)
    assert len(paths) == (len(walk) - 1) * 3 + 1
    assert [p.name for p in paths[:4]] == ["epoch_000.png", "epoch_000_t1.png", "epoch_000_t2.png", "epoch_001.png"]
    assert paths[-1].name == f"epoch_{walk.final.epoch:03d}.png"
    sizes = {Image.open(p).size for p in paths}
    assert sizes == {(640, 480)}
    # The first in-between already moves on from epoch 0.
    assert not np.array_equal(np.asarray(Image.open(paths[0])), np.asarray(Image.open(paths[1])))


def test_png_rerun_removes_stale_frames_of_a_longer_run(walk, tmp_path):
    render.render_frames(walk, tmp_path, tween=1, hold_first_ms=0, hold_last_ms=0)
    paths = render.render_frames(walk, tmp_path, tween=0, hold_first_ms=0, hold_last_ms=0)
    assert len(paths) == len(walk)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [p.name for p in paths]


def test_transparent_png_has_clear_background(walk, tmp_path):
    paths = render.render_frames(walk, tmp_path, transparent=True, hold_first_ms=0, hold_last_ms=0)
    pixels = np.asarray(Image.open(paths[0]))
    assert pixels.shape == (480, 640, 4)
    assert pixels[2, 2, 3] == 0  # figure corner
    assert pixels[:, :, 3].max() == 255  # the drawing itself is opaque


def test_gif_loops_forever_with_the_asked_delays(walk, tmp_path):
    path = render.render_gif(walk, tmp_path / "walk.gif", tween=1, duration_ms=250,
                             hold_first_ms=1000, hold_last_ms=2000)
    with Image.open(path) as im:
        assert im.info["loop"] == 0
        delays = []
        for i in range(im.n_frames):
            im.seek(i)
            delays.append(im.info["duration"])
        assert im.size == (640, 480)
    # every delay is something GIF can store, and together they last what was asked:
    # 11 snapshots × 250 ms + the two holds (identical frames are stored once, delays summed)
    assert all(d % 10 == 0 and d >= 20 for d in delays)
    assert abs(sum(delays) - (len(walk) * 250 + 3000)) <= 10 * len(delays)
    assert delays[0] >= 1000 + 120
    assert delays[-1] >= 2000 + 120
    raw = path.read_bytes()
    assert raw.count(b"NETSCAPE2.0") == 1


def test_gif_without_loop_plays_once(walk, tmp_path):
    path = render.render_gif(walk, tmp_path / "once.gif", loop=None, gifsicle=False)
    assert b"NETSCAPE2.0" not in path.read_bytes()
    with Image.open(path) as im:
        assert "loop" not in im.info


def test_gif_delays_round_to_10_ms_without_drifting(walk, tmp_path):
    # 30 fps: 33.3 ms per frame, which GIF cannot store; the rounding error is carried
    path = render.render_gif(walk, tmp_path / "r.gif", fps=30, tween=2, hold_first_ms=0, hold_last_ms=0,
                             gifsicle=False)
    with Image.open(path) as im:
        delays = []
        for i in range(im.n_frames):
            im.seek(i)
            delays.append(im.info["duration"])
    assert set(delays[1:6]) <= {30, 40}
    assert all(d % 10 == 0 for d in delays)
    assert abs(sum(delays) - len(walk) * 3 * 1000 / 30) <= 10


def test_gif_colours_do_not_flicker(walk, tmp_path):
    """One shared palette: a pixel that never changes in the drawing has one colour in every decoded frame."""
    path = render.render_gif(walk, tmp_path / "walk.gif", tween=2, gifsicle=False)
    decoded = []
    with Image.open(path) as im:
        for i in range(im.n_frames):
            im.seek(i)
            decoded.append(np.asarray(im.convert("RGB")))
    decoded = np.stack(decoded)
    # the x tick labels and axis label never change
    strip = decoded[:, 440:480, :]
    assert (strip == strip[0]).all()
    # the histogram's middle bar keeps one colour while curves pass elsewhere
    assert len({tuple(f[300, 5]) for f in decoded}) == 1


def test_gif_is_smaller_than_per_frame_palettes(walk, tmp_path):
    """The same RGB frames stitched by imageio (a palette per frame) make a larger file."""
    import imageio.v3 as iio

    opts = dict(tween=2, hold_first_ms=0, hold_last_ms=0)
    ours = render.render_gif(walk, tmp_path / "ours.gif", gifsicle=False, **opts)
    pngs = render.render_frames(walk, tmp_path / "png", **opts)
    naive = tmp_path / "naive.gif"
    iio.imwrite(naive, [iio.imread(p) for p in pngs], duration=100, loop=0)
    assert ours.stat().st_size < 0.7 * naive.stat().st_size


def test_gifsicle_pass_keeps_a_valid_gif(walk, tmp_path):
    import shutil

    if not shutil.which("gifsicle"):
        pytest.skip("gifsicle is not installed")
    plain = render.render_gif(walk, tmp_path / "plain.gif", gifsicle=False)
    squeezed = render.render_gif(walk, tmp_path / "squeezed.gif", gifsicle=True)
    assert squeezed.stat().st_size <= plain.stat().st_size
    with Image.open(plain) as a, Image.open(squeezed) as b:
        assert a.info["loop"] == b.info["loop"] == 0
        a.seek(a.n_frames - 1)
        b.seek(b.n_frames - 1)
        assert np.array_equal(np.asarray(a.convert("RGB")), np.asarray(b.convert("RGB")))


# -- MP4 --------------------------------------------------------------------
def test_mp4_is_h264_yuv420p_faststart_with_every_frame(walk, tmp_path):
    path = render.render_mp4(walk, tmp_path / "walk.mp4", tween=1, duration_ms=200,
                             hold_first_ms=500, hold_last_ms=1000)
    info = ffmpeg_info(path)
    assert re.search(r"Video: h264 .*yuv420p.*640x480", info), info
    count, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert count == len(walk) * 2 + 5 + 10
    raw = path.read_bytes()
    assert raw.index(b"moov") < raw.index(b"mdat")  # +faststart: playable while downloading
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = gen.__next__()
    first = np.frombuffer(next(gen), np.uint8).reshape(480, 640, 3)
    gen.close()
    assert meta["size"] == (640, 480)
    # decoded pixels look like the frame: a white background corner
    assert first[5, 5].min() > 240


def test_mp4_slides_are_exactly_1920x1080_and_odd_sizes_padded_not_stretched(walk, tmp_path):
    path = render.render_mp4(walk, tmp_path / "slides.mp4", preset="slides", theme="dark",
                             hold_first_ms=0, hold_last_ms=0)
    info = ffmpeg_info(path)
    assert re.search(r"Video: h264 .*yuv420p.*1920x1080\b", info), info
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = gen.__next__()
    assert tuple(meta["size"]) == (1920, 1080)
    frame = np.frombuffer(next(gen), np.uint8).reshape(1080, 1920, 3)
    gen.close()
    background = np.array(rgb255(presets.THEMES["dark"]["background"]))
    # The picture reaches the edge: no padded band, the figure's own background there.
    assert np.abs(frame[:2].astype(int) - background).max() <= 6
    odd = render.render_mp4(walk, tmp_path / "odd.mp4", size=(641, 481), hold_first_ms=0, hold_last_ms=0)
    assert re.search(r"Video: h264 .*yuv420p.*642x482\b", ffmpeg_info(odd))


def test_mp4_quality_is_never_lossless(walk, tmp_path):
    with pytest.raises(OptionError, match="lossless"):
        render.render_mp4(walk, tmp_path / "x.mp4", crf=0)
    with pytest.raises(OptionError, match="quality"):
        render.render_mp4(walk, tmp_path / "x.mp4", quality=11)
    assert not (tmp_path / "x.mp4").exists()
    small = render.render_mp4(walk, tmp_path / "low.mp4", quality=2, hold_first_ms=0, hold_last_ms=0)
    large = render.render_mp4(walk, tmp_path / "high.mp4", quality=10, hold_first_ms=0, hold_last_ms=0)
    assert small.stat().st_size < large.stat().st_size


# -- what stays still -----------------------------------------------------------
def scene_frames(history, tween=1, **opts):
    scene = make_scene(history, preset=presets.preset(opts.pop("preset", "blog")),
                       theme=presets.theme(opts.pop("theme", "light")), **opts)
    out = []
    for state in frames.frame_states(history, tween):
        pixels = np.array(scene.render(state)[..., :3])
        out.append((pixels, scene.ax.get_xlim(), scene.ax.get_ylim()))
    return scene, out


def test_1d_axes_fit_every_epoch_and_never_move(walk):
    scene, out = scene_frames(walk)
    limits = {(xl, yl) for _, xl, yl in out}
    assert len(limits) == 1
    (xlo, xhi), (ylo, yhi) = limits.pop()
    # the far start's means (210, 290), the data, and the later epochs' curves (μ ± 2.5σ) are inside;
    # an early guess's wide tails may run off the sides rather than shrink the data
    assert xlo < 210 and xhi > 290
    assert xlo < walk.X.min() and xhi > walk.X.max()
    for snap in walk.snapshots[len(walk) // 2:]:
        sd = np.sqrt(snap.covariances[:, 0, 0])
        assert xlo <= (snap.means[:, 0] - 2.5 * sd).min() and (snap.means[:, 0] + 2.5 * sd).max() <= xhi
    # the tallest curve of any epoch is below the top
    grid = np.linspace(xlo, xhi, 2000)
    for snap in walk:
        sd = np.sqrt(snap.covariances[:, 0, 0])
        dens = snap.weights[:, None] * np.exp(-0.5 * ((grid - snap.means) / sd[:, None]) ** 2) / (sd[:, None] * np.sqrt(2 * np.pi))
        assert dens.sum(axis=0).max() < yhi
    # axis ticks and labels: identical pixels in every frame
    strips = np.stack([pixels[440:, :] for pixels, _, _ in out])
    assert (strips == strips[0]).all()


def test_each_component_keeps_its_colour(walk, blobs):
    for history in (walk, blobs):
        scene, out = scene_frames(history)
        palette = presets.THEMES["light"]["components"]
        for j in range(history.k):
            colour = np.array(rgb255(palette[j]))
            for pixels, _, _ in out:
                # the legend's line sample is drawn in the exact colour in every frame
                assert (np.abs(pixels.astype(int) - colour).sum(axis=2) == 0).sum() > 20


def test_1d_legend_shows_the_walkthroughs_values(walk):
    scene = make_scene(walk, preset=presets.preset("blog"), theme=presets.theme("light"))
    scene.render(frames.state_at(walk, 3))
    texts = [t.get_text() for t in scene.legend.get_texts()]
    snap = walk[3]
    sd = np.sqrt(snap.covariances[:, 0, 0])
    assert texts[0].startswith(f"N({snap.means[0, 0]:.2f}, {sd[0]:.2f})")
    assert texts[1].startswith(f"N({snap.means[1, 0]:.2f}, {sd[1]:.2f})")
    assert scene.title_text.get_text().startswith("Epoch 3")
    # the walk-through's own numbers at epoch 3
    assert "239.10" in texts[0] and "267.57" in texts[1]


def test_in_between_frames_say_they_are_between_epochs(walk):
    scene = make_scene(walk, preset=presets.preset("blog"), theme=presets.theme("light"))
    scene.render(frames.state_at(walk, 2 * 4 + 1, tween=3))
    # the legend still shows epoch 2's numbers, so the title must not claim the frame is epoch 2
    assert scene.title_text.get_text() == "Epoch 2 \u2192 3"
    scene.render(frames.state_at(walk, 3 * 4, tween=3))
    assert scene.title_text.get_text().startswith("Epoch 3")
    assert "\u2192" not in scene.title_text.get_text()


def test_points_follow_the_epochs_labels(walk):
    scene = make_scene(walk, preset=presets.preset("blog"), theme=presets.theme("light"))
    for i in (0, 3):
        scene.render(frames.state_at(walk, i))
        assert list(scene.rug.counts()) == list(np.bincount(walk[i].labels, minlength=2))


# -- tweening -----------------------------------------------------------------
def test_tween_covariances_are_valid_and_hit_the_epochs(blobs):
    states = list(frames.frame_states(blobs, tween=3))
    assert len(states) == frames.frame_count(blobs, 3) == len(blobs) * 4
    for state in states:
        assert np.all(np.linalg.eigvalsh(state.covariances) > 0)
        assert np.isclose(state.weights.sum(), 1)
        assert np.allclose(state.covariances, np.swapaxes(state.covariances, 1, 2))
    for i, snap in enumerate(blobs):
        epoch = states[i * 4]
        assert epoch.is_epoch_frame and epoch.snapshot == i
        assert np.array_equal(epoch.means, snap.means)
        assert np.array_equal(epoch.covariances, snap.covariances)
    # the in-betweens lie between the epochs (means move monotonically along the segment)
    a, b = blobs[0].means, blobs[1].means
    steps = [np.linalg.norm(s.means - a) for s in states[:5]]
    assert steps == sorted(steps) and np.isclose(steps[-1], np.linalg.norm(b - a))


def test_gif_delays_carry_their_rounding_and_hold_the_first_frame(walk, tmp_path):
    # 30 fps is 33.3 ms a frame; GIF stores centiseconds, so the writer must carry the error:
    # the file's delays (read back) are 10 ms steps whose running sum never drifts from the clock.
    path = vizgmm.render_gif(walk, tmp_path / "a.gif", tween=2, fps=30, hold_first_ms=1000, hold_last_ms=0,
                             gifsicle=False)
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        delays = [frame.info["duration"] for frame in ImageSequence.Iterator(im)]
    assert all(d % 10 == 0 for d in delays)
    assert delays[0] >= 1000
    clock = np.cumsum(delays)
    exact = 1000 + np.arange(1, len(walk) * 3 + 1) * (1000 / 30)
    # Identical frames are merged, so compare the total and the first frame's hold.
    assert abs(clock[-1] - exact[-1]) < 10
    assert abs(delays[0] - (1000 + 1000 / 30)) < 10


def test_tween_of_1d_interpolates_sigma_not_variance():
    fa = frames.covariance_factor(np.array([[[4.0]]]))
    fb = frames.covariance_factor(np.array([[[16.0]]]))
    mid = frames.interpolate_covariances(fa, fb, 0.5)
    assert np.isclose(np.sqrt(mid[0, 0, 0]), 3.0)


def test_timing_options():
    assert frames.make_timing(tween=4, duration_ms=500).frame_ms == 100
    assert frames.make_timing(fps=25).frame_ms == 40
    with pytest.raises(OptionError, match="not both"):
        frames.make_timing(fps=10, duration_ms=100)
    with pytest.raises(OptionError, match="tween"):
        frames.make_timing(tween=-1)


# -- 2-D ----------------------------------------------------------------------------
def boundary_mahalanobis(patch, mean, cov):
    """Squared Mahalanobis distance of points on the drawn ellipse's outline."""
    t = np.linspace(0, 2 * np.pi, 50)
    pts = patch.get_patch_transform().transform(np.c_[np.cos(t), np.sin(t)])  # the unit circle, as drawn
    diff = pts - mean
    return np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)


def test_ellipses_match_the_eigen_decomposition(blobs):
    scene = make_scene(blobs, preset=presets.preset("blog"), theme=presets.theme("light"))
    state = frames.state_at(blobs, 7, tween=2)  # an in-between frame
    scene.render(state)
    for j in range(blobs.k):
        mean, cov = state.means[j], state.covariances[j]
        vals, vecs = np.linalg.eigh(cov)
        one, two = scene.ellipses[j]
        assert np.isclose(one.width, 2 * np.sqrt(vals[1])) and np.isclose(one.height, 2 * np.sqrt(vals[0]))
        assert np.isclose(two.width, 4 * np.sqrt(vals[1])) and np.isclose(two.height, 4 * np.sqrt(vals[0]))
        direction = np.array([np.cos(np.radians(one.angle)), np.sin(np.radians(one.angle))])
        assert np.isclose(abs(direction @ vecs[:, 1]), 1.0)
        assert np.allclose(one.center, mean)
        assert np.allclose(boundary_mahalanobis(one, mean, cov), 1.0)
        assert np.allclose(boundary_mahalanobis(two, mean, cov), 4.0)
    # and the helper agrees on a hand-made case: axis-aligned, σ = 3 and 1
    centre, width, height, angle = ellipse_geometry([1, 2], [[1.0, 0], [0, 9.0]], 2.0)
    assert centre == (1.0, 2.0) and np.isclose(width, 12) and np.isclose(height, 4)
    assert np.isclose(abs(angle), 90)


def test_2d_axes_are_fixed_and_hold_the_later_epochs_ellipses_and_equal_aspect_keeps_circles(blobs):
    scene, out = scene_frames(blobs, aspect="equal")
    assert len({(xl, yl) for _, xl, yl in out}) == 1
    (xlo, xhi), (ylo, yhi) = out[0][1], out[0][2]
    bbox = scene.ax.get_position()
    px_x = (xhi - xlo) / (bbox.width * 640)
    px_y = (yhi - ylo) / (bbox.height * 480)
    assert np.isclose(px_x, px_y)  # circles stay circles
    # The later half of the epochs, where the fit settles (an early guess may leave the frame).
    for snap in blobs.snapshots[len(blobs) // 2:]:
        reach = 2 * np.sqrt(np.diagonal(snap.covariances, axis1=1, axis2=2))
        assert (snap.means - reach).min(axis=0)[0] >= xlo and (snap.means + reach).max(axis=0)[0] <= xhi
        assert (snap.means - reach).min(axis=0)[1] >= ylo and (snap.means + reach).max(axis=0)[1] <= yhi


def test_soft_points_blend_colours_by_responsibility(blobs):
    scene = make_scene(blobs, preset=presets.preset("blog"), theme=presets.theme("light"))
    scene.render(frames.state_at(blobs, 0))
    colours = scene.points.get_facecolors()[:, :3]
    resp = blobs.posterior(0)
    palette = np.array([to_rgb(c) for c in presets.THEMES["light"]["components"][:3]])
    assert np.allclose(colours, resp @ palette, atol=1e-6)


def test_higher_dimensions_project_on_principal_components_or_chosen_features(blobs):
    rng = np.random.default_rng(0)
    X = np.hstack([blobs.X, rng.normal(size=(blobs.n, 2))])
    h = vizgmm.fit(X, 3, seed=1, max_iter=3)
    scene = make_scene(h, preset=presets.preset("blog"), theme=presets.theme("light"))
    assert scene.axis_names[0].startswith("PC1")
    W = scene.W
    # Principal axes of the z-scores: orthonormal once the features are scaled by their stds.
    scaled = W * h.X.std(axis=0)[:, None]
    assert np.allclose(scaled.T @ scaled, np.eye(2))
    assert np.allclose(make_scene(h, preset=presets.preset("blog"), theme=presets.theme("light"),
                                  standardize=False).W.T @ make_scene(
        h, preset=presets.preset("blog"), theme=presets.theme("light"), standardize=False).W, np.eye(2))
    cov = h.final.covariances
    assert np.allclose(scene.project_covariances(cov), W.T @ cov @ W)
    chosen = make_scene(h, preset=presets.preset("blog"), theme=presets.theme("light"), features=(0, 3))
    assert np.allclose(chosen.project_covariances(cov), cov[:, [0, 3]][:, :, [0, 3]])
    assert np.allclose(chosen.project_means(h.final.means), h.final.means[:, [0, 3]])
    pixels = render.render_still(h, features=(0, 3))
    assert pixels.shape == (480, 640, 3)
    with pytest.raises(OptionError, match="features"):
        render.render_still(h, features=(0, 9))


# -- presets, themes, names, events -------------------------------------------------
@pytest.mark.parametrize("name", ["blog", "slides", "square"])
def test_presets_give_their_canvas(walk, name):
    pixels = render.render_still(walk, panels=("loglik", "params"), preset=name)
    w, h = presets.PRESETS[name]["size"]
    assert pixels.shape == (h, w, 3)


def test_dark_theme_background(walk):
    pixels = render.render_still(walk, theme="dark")
    assert tuple(pixels[3, 3]) == rgb255(presets.THEMES["dark"]["background"])


def test_korean_component_names_render_without_warning(walk):
    from vizgmm.animate.fast import fonts

    if "NanumGothic" not in fonts.installed_families():
        pytest.skip("fonts-nanum is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = render.render_still(walk, component_names=["여자", "남자"])
    scene = make_scene(walk, preset=presets.preset("blog"), theme=presets.theme("light"),
                       component_names=["여자", "남자"])
    scene.render(frames.state_at(walk, 3))
    assert scene.legend.get_texts()[0].get_text().startswith("여자: N(239.10, 6.33)")
    # the names take room: the legend is wider than with the plain N(μ, σ) labels
    assert not np.array_equal(plain, render.render_still(walk))


def test_missing_glyphs_are_reported_once(walk):
    from vizgmm.animate.fast import fonts

    odd = "\U00013000"  # an Egyptian hieroglyph: no fallback font has it
    fonts._reported.discard(odd)
    with pytest.warns(UserWarning, match="fonts-nanum") as caught:
        render.render_still(walk, component_names=[odd, "b"])
        render.render_still(walk, component_names=[odd, "c"])
    assert sum("U+13000" in str(w.message) for w in caught) == 1


def test_empty_component_and_events_do_not_crash(walk):
    snaps = [walk[0], walk[1]]
    empty = Snapshot(
        epoch=2, means=walk[1].means, covariances=walk[1].covariances, weights=np.array([1.0, 0.0]),
        labels=np.zeros(walk.n, np.uint8), log_likelihood=walk[1].log_likelihood,
        counts=np.array([walk.n, 0]),
        events=[{"type": "empty", "component": 1, "message": "component 2 lost all its points; kept with weight 0"}],
    )
    h = History(walk.X, walk.settings, snaps + [empty], meta={})
    scene = make_scene(h, preset=presets.preset("blog"), theme=presets.theme("light"), panels=("params",))
    for state in frames.frame_states(h, tween=2):
        scene.render(state)
    assert "lost all its points" in scene.event_text.get_text()
    assert not scene.curves[1].get_visible()
    assert "empty" in scene.legend.get_texts()[1].get_text()


def test_large_n_draws_a_fixed_subsample_but_histograms_everything():
    x, _ = vizgmm.simulate([(240, 7, 140_000), (270, 6, 60_000)], seed=0)
    h = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=2)
    scene = make_scene(h, preset=presets.preset("blog"), theme=presets.theme("light"))
    assert len(scene.sub) == presets.PRESETS["blog"]["max_points"]
    again = make_scene(h, preset=presets.preset("blog"), theme=presets.theme("light"))
    assert np.array_equal(scene.sub, again.sub)
    pixels = scene.render(frames.state_at(h, 2))
    assert pixels.shape == (480, 640, 4)


# -- options and errors ---------------------------------------------------------------
def test_unknown_and_wrong_options_are_one_line_errors(walk, tmp_path):
    cases = [
        (lambda: render.render_gif(walk, tmp_path / "a.gif", colour="red"), "unknown option 'colour'"),
        (lambda: render.render_gif(walk, tmp_path / "a.gif", preset="poster"), "unknown preset"),
        (lambda: render.render_gif(walk, tmp_path / "a.gif", theme="neon"), "unknown theme"),
        (lambda: render.render_gif(walk, tmp_path / "a.gif", transparent=True), "PNG"),
        (lambda: render.render_gif(walk, tmp_path / "a.gif", panels=("table",)), "unknown panel"),
        (lambda: render.render_gif(walk, tmp_path / "a.gif", component_names=["a"]), "2 components"),
        (lambda: render.render_still(walk, snapshot=99), "snapshot 99"),
        (lambda: render.render_gif("history", tmp_path / "a.gif"), "History"),
    ]
    for call, message in cases:
        with pytest.raises(OptionError, match=message) as info:
            call()
        assert "\n" not in str(info.value)
    assert not (tmp_path / "a.gif").exists()
    assert list(tmp_path.iterdir()) == []


def test_failed_render_keeps_the_previous_file(walk, tmp_path):
    target = tmp_path / "walk.gif"
    target.write_bytes(b"old")
    with pytest.raises(OptionError):
        render.render_gif(walk, target, component_names=["only one"])
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["walk.gif"]


def test_two_render_processes_make_the_same_gif(walk, tmp_path):
    one = render.render_gif(walk, tmp_path / "one.gif", tween=2, gifsicle=False, workers=1)
    two = render.render_gif(walk, tmp_path / "two.gif", tween=2, gifsicle=False, workers=2)
    assert one.read_bytes() == two.read_bytes()
    with pytest.raises(OptionError, match="workers"):
        render.render_gif(walk, tmp_path / "three.gif", workers=3)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["gif", "mp4", "png"])
def test_memory_does_not_grow_with_the_number_of_frames(walk, tmp_path, kind):
    """Four times the frames, about the same peak memory: frames stream to the writer."""
    import tracemalloc

    write = {"gif": render.render_gif, "mp4": render.render_mp4, "png": render.render_frames}[kind]
    target = {"gif": "a.gif", "mp4": "a.mp4", "png": "frames"}[kind]
    peaks = []
    for tween in (1, 7):
        tracemalloc.start()
        write(walk, tmp_path / f"{tween}-{target}", tween=tween, hold_first_ms=0, hold_last_ms=0, workers=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    frame_bytes = 640 * 480 * 4
    # 66 more frames held in memory would add 80 MB. A few frames of slack: on a busy machine the
    # PNG thread lags, so the longer run reaches its two files in flight (pixels, image, zlib
    # buffer each) where the short one may not.
    assert peaks[1] < peaks[0] + 6 * frame_bytes, peaks


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_gif_frames_keep_the_true_colours(walk, tmp_path, theme):
    """Flat areas and component colours come out of the GIF exactly as rendered."""
    path = render.render_gif(walk, tmp_path / "walk.gif", theme=theme, gifsicle=False)
    still = render.render_still(walk, 3, theme=theme).astype(int)
    with Image.open(path) as im:
        assert im.n_frames == len(walk)
        im.seek(3)
        decoded = np.asarray(im.convert("RGB")).astype(int)
    exact = (decoded == still).all(axis=2)
    assert exact.mean() > 0.95
    assert tuple(decoded[3, 3]) == rgb255(presets.THEMES[theme]["background"])
    for colour in presets.THEMES[theme]["components"][:2]:
        target = np.array(rgb255(colour))
        assert (decoded == target).all(axis=2).sum() >= 0.9 * (still == target).all(axis=2).sum() > 0


# -- one epoch in the user's own figure ------------------------------------------------------------

def test_plot_snapshot_draws_one_epoch_into_the_given_axes(walk):
    from matplotlib.figure import Figure

    fig = Figure()
    axes = fig.subplots(1, 2)
    out = vizgmm.plot_snapshot(walk, 0, ax=axes[0])
    assert out is axes[0]
    vizgmm.plot_snapshot(walk, -1, ax=axes[1])
    snap = walk.snapshots[-1]
    # Each component's curve peaks where its mean is, at the height of φ·N(μ | μ, σ).
    curves = [line for line in axes[1].get_lines() if line.get_label().startswith("component")]
    assert len(curves) == walk.k
    for j, line in enumerate(curves):
        x, y = line.get_data()
        sigma = np.sqrt(snap.covariances[j, 0, 0])
        assert abs(x[np.argmax(y)] - snap.means[j, 0]) < 2 * (x[1] - x[0])
        assert np.isclose(y.max(), snap.weights[j] / (sigma * np.sqrt(2 * np.pi)), rtol=1e-3)
    assert axes[0].get_title() == "Epoch 0" and axes[1].get_title() == f"Epoch {snap.epoch}"


def test_plot_snapshot_2d_puts_each_ellipse_on_its_mean():
    from matplotlib.patches import Ellipse

    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal([0, 0], [1, 5], (200, 2)), rng.normal([8, 40], [1, 5], (200, 2))])
    history = vizgmm.fit(X, 2, seed=0)
    ax = vizgmm.plot_snapshot(history)
    centres = sorted(tuple(np.round(p.center, 6)) for p in ax.patches if isinstance(p, Ellipse))
    expected = sorted(tuple(np.round(m, 6)) for m in history.final.means for _ in range(2))
    assert centres == expected
