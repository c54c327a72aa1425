"""Side-by-side animations: hard vs soft in one GIF/MP4, restarts as small multiples."""

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import pytest

import vizgmm
from vizgmm.animate.scenes.grid import animate_restarts, render_comparison, still_side_by_side


@pytest.fixture(scope="module")
def walkthrough_comparison():
    x, _ = vizgmm.walkthrough_data(seed=0)
    return vizgmm.compare(x, 2, init=vizgmm.WALKTHROUGH_INIT)


def test_gif_shows_both_methods_and_the_faster_one_waits(walkthrough_comparison, tmp_path):
    comparison = walkthrough_comparison
    hard, soft = comparison.histories["hard"], comparison.histories["soft"]
    assert len(hard) < len(soft)
    path = render_comparison(comparison, tmp_path / "compare.gif")
    frames = iio.imread(path, index=None)[..., :3]
    # One frame per epoch of the longer fit, two 640x480 panels side by side.
    assert frames.shape == (len(soft), 480, 1280, 3)
    left, right = frames[:, :, :640], frames[:, :, 640:]
    # Hard EM converged first: its panel stays on its last epoch while soft EM goes on.
    for g in range(len(hard) - 1, len(soft)):
        np.testing.assert_array_equal(left[g], left[len(hard) - 1])
    assert not np.array_equal(right[len(hard) - 1], right[-1])
    # Same start: the two panels differ only in their titles at epoch 0.
    below_titles = slice(60, None)
    assert np.mean(left[0, below_titles] != right[0, below_titles]) < 0.01
    assert np.mean(left[-1] != right[-1]) > 0.001


def test_mp4_plays_with_the_held_first_and_last_frames(walkthrough_comparison, tmp_path):
    path = render_comparison(walkthrough_comparison, tmp_path / "compare.mp4", duration_ms=250)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frames = sum(1 for _ in reader)
    assert tuple(meta["size"]) == (1280, 480)
    epochs = len(walkthrough_comparison.histories["soft"])
    # 250 ms per epoch at 4 fps, plus 1 s (4 frames) first and 2 s (8 frames) last.
    assert frames == epochs + 4 + 8


def test_restarts_as_small_multiples_with_the_best_framed(tmp_path):
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(0, 1, 300), rng.normal(6, 1, 300), rng.normal(12, 1.5, 300)])
    selection = vizgmm.select(x, [2], n_init=4, seed=9, tol=0, max_iter=8)
    finals = [h.final.log_likelihood for h in selection.restarts]
    best = int(np.argmax(finals))
    path = animate_restarts(selection.restarts, tmp_path / "restarts.gif")
    frames = iio.imread(path, index=None)[..., :3]
    # 2x2 panels at 0.75 of 640x480.
    assert frames.shape == (9, 720, 960, 3)
    r, c = divmod(best, 2)
    red = np.array([0xD6, 0x27, 0x28])
    edge = frames[-1, r * 360 + 1, c * 480 + 100: c * 480 + 380].astype(int)
    assert np.abs(edge - red).max() <= 12
    for other in set(range(4)) - {best}:
        r, c = divmod(other, 2)
        assert np.abs(frames[-1, r * 360 + 1, c * 480 + 200].astype(int) - red).max() > 60


def test_still_grid_and_a_missing_cell(walkthrough_comparison):
    histories = [walkthrough_comparison.histories[m] for m in ("hard", "soft")] * 2
    image = still_side_by_side(histories[:3], titles=["a", "b", "c"], columns=2, scale=0.5)
    assert image.shape == (480, 640, 3)
    # The fourth cell is empty background.
    assert (image[240:, 320:] == 255).all()
    assert (image[:240, :320] != 255).any()


def test_bad_requests_write_nothing(walkthrough_comparison, tmp_path):
    with pytest.raises(vizgmm.OptionError, match=r"\.gif or \.mp4"):
        render_comparison(walkthrough_comparison, tmp_path / "compare.webm")
    with pytest.raises(vizgmm.OptionError, match="one title per history"):
        still_side_by_side(list(walkthrough_comparison.histories.values()), titles=["only one"])
    with pytest.raises(vizgmm.OptionError, match="at least one history"):
        animate_restarts([], tmp_path / "r.gif")
    with pytest.raises(vizgmm.OptionError, match="tween"):
        render_comparison(walkthrough_comparison, tmp_path / "compare.gif", tween=-1)
    assert list(tmp_path.iterdir()) == []
