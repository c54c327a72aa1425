"""vizgmm.animation: a matplotlib Animation, frame for frame the renderer's (issue 24.4)."""

import base64
import io
import re
import runpy
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

import vizgmm
from vizgmm.animate.frames import timing as frames

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    return vizgmm.fit(x, 2, init=vizgmm.WALKTHROUGH_INIT, max_iter=5)


def test_to_jshtml_holds_every_frame_as_the_png_frames_draw_them(walk, tmp_path):
    html = vizgmm.animation(walk, tween=1).to_jshtml()
    # matplotlib's HTMLWriter breaks the base64 over lines with a JavaScript line continuation ("\\" newline).
    shots = [re.sub(r"[\\\s]", "", s) for s in re.findall(r'data:image/png;base64,([^"]+)"', html)]
    timing = frames.make_timing(1)
    count = frames.frame_count(walk, 1)
    assert len(shots) == int(timing.repeats(count).sum())  # holds are repeated frames
    written = vizgmm.render_frames(walk, tmp_path / "frames", tween=1)
    first = iio.imread(io.BytesIO(base64.b64decode(shots[0])))[..., :3].astype(int)
    last = iio.imread(io.BytesIO(base64.b64decode(shots[-1])))[..., :3].astype(int)
    assert first.shape == iio.imread(written[0])[..., :3].shape
    assert np.abs(first - iio.imread(written[0])[..., :3]).mean() < 1.0
    assert np.abs(last - iio.imread(written[-1])[..., :3]).mean() < 1.0
    assert np.abs(first - last).mean() > 1.0


def test_save_with_pillow_writes_a_gif_of_the_fit(walk, tmp_path):
    path = tmp_path / "em.gif"
    vizgmm.animation(walk, preset="slides").save(path, writer="pillow")
    decoded = iio.imread(path, index=None)
    assert decoded.shape[1:3] == (1080, 1920)
    assert len(decoded) >= len(walk)  # pillow merges repeated frames into longer ones


def test_a_size_budget_is_refused():
    x, _ = vizgmm.walkthrough_data(seed=0)
    with pytest.raises(vizgmm.OptionError, match="max_bytes"):
        vizgmm.animation(vizgmm.fit(x, 2, max_iter=2), max_bytes=10_000)


def test_the_gallery_example_runs_and_leaves_an_animation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = runpy.run_path(str(ROOT / "examples" / "plot_em_animation.py"))
    anim = namespace["anim"]
    assert len(re.findall(r"data:image/png;base64,", anim.to_jshtml())) > 5
