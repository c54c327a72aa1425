"""WebM and animated WebP: files that decode, play in Chromium, loop, and keep the asked timing."""

import re
import subprocess

import imageio_ffmpeg
import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run
from PIL import Image

import vizgmm
from vizgmm.animate import api as render
from vizgmm.errors import OptionError, OutputError


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    return vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)


def ffmpeg_stderr(*args):
    done = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", *map(str, args)],
                          capture_output=True, text=True)
    return done.returncode, done.stderr


def webp_frames(path):
    """Every frame's pixels and duration as Pillow reads them, and the loop count."""
    with Image.open(path) as im:
        frames, durations = [], []
        for i in range(im.n_frames):
            im.seek(i)
            im.load()
            frames.append(np.array(im.convert("RGB")))
            durations.append(im.info["duration"])
        return frames, durations, im.info.get("loop"), im.is_animated


def test_webm_is_vp9_yuv420p_and_decodes_every_frame(walk, tmp_path):
    path = render.render_webm(walk, tmp_path / "walk.webm", duration_ms=250, hold_first_ms=500, hold_last_ms=0)
    status, info = ffmpeg_stderr("-i", path, "-f", "null", "-")
    assert status == 0, info
    assert "Video: vp9" in info and "yuv420p" in info and "640x480" in info
    # 11 epochs at 4 fps, the first held 2 frames longer: 13 frames decoded.
    assert int(re.findall(r"frame=\s*(\d+)", info)[-1]) == 13


def test_webm_odd_canvas_is_padded_to_even_sides(walk, tmp_path):
    path = render.render_webm(walk, tmp_path / "odd.webm", size=(641, 481), hold_first_ms=0, hold_last_ms=0)
    _, info = ffmpeg_stderr("-i", path)
    assert "642x482" in info


def test_webm_quality_changes_the_size_and_is_checked(walk, tmp_path):
    low = render.render_webm(walk, tmp_path / "low.webm", quality=2)
    high = render.render_webm(walk, tmp_path / "high.webm", quality=9)
    assert low.stat().st_size < high.stat().st_size
    with pytest.raises(OptionError, match="quality must be a number from 1 to 10"):
        render.render_webm(walk, tmp_path / "x.webm", quality=0)
    with pytest.raises(OptionError, match="crf for WebM"):
        render.render_webm(walk, tmp_path / "x.webm", crf=99)
    assert not (tmp_path / "x.webm").exists()


def test_webp_is_animated_loops_forever_with_the_asked_durations(walk, tmp_path):
    path = render.render_webp(walk, tmp_path / "walk.webp", duration_ms=300, hold_first_ms=600, hold_last_ms=900)
    frames, durations, loop, animated = webp_frames(path)
    assert animated and loop == 0
    assert len(frames) == len(walk)
    assert durations == [900] + [300] * (len(walk) - 2) + [1200]


def test_lossless_webp_has_the_gifs_pixels(walk, tmp_path):
    gif = render.render_gif(walk, tmp_path / "walk.gif", gifsicle=False)
    webp = render.render_webp(walk, tmp_path / "walk.webp")
    frames, _, _, _ = webp_frames(webp)
    with Image.open(gif) as im:
        im.seek(4)
        gif_frame = np.array(im.convert("RGB"))
    assert np.array_equal(frames[4], gif_frame)
    assert len(np.unique(frames[4].reshape(-1, 3), axis=0)) <= 64


def test_lossy_webp_plays_once_when_asked_and_quality_matters(walk, tmp_path):
    once = render.render_webp(walk, tmp_path / "once.webp", lossless=False, quality=3, loop=1)
    best = render.render_webp(walk, tmp_path / "best.webp", lossless=False, quality=9)
    assert webp_frames(once)[2] == 1
    assert once.stat().st_size < best.stat().st_size
    status, info = ffmpeg_stderr("-i", once, "-f", "null", "-")
    assert status == 0 and "Video: webp" in info


def test_ffmpeg_failure_is_an_output_error_and_keeps_the_old_file(walk, tmp_path, monkeypatch):
    target = tmp_path / "keep.webm"
    target.write_bytes(b"old")
    # An encoder ffmpeg refuses: the exit status is checked, not trusted.
    from vizgmm.animate.writers.webm import WebmWriter

    monkeypatch.setattr(WebmWriter, "codec_args", lambda self: ["-c:v", "no-such-codec", "-f", "webm"])
    with pytest.raises(OutputError, match="ffmpeg"):
        render.render_webm(walk, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.webm"]


@pytest.mark.browser
def test_webm_plays_in_chromium(walk, tmp_path, browser):
    render.render_webm(walk, tmp_path / "walk.webm", duration_ms=200)
    page_path = tmp_path / "play.html"
    page_path.write_text('<video src="walk.webm" autoplay muted loop playsinline></video>')
    page = browser.new_page()
    try:
        page.goto(page_path.as_uri())
        page.wait_for_function("document.querySelector('video').readyState >= 2", timeout=15_000)
        first = page.evaluate("document.querySelector('video').currentTime")
        # It plays: its time moves on (polled; a busy machine gets 10 s).
        page.wait_for_function(f"document.querySelector('video').currentTime > {first}", timeout=10_000)
        state = page.evaluate("""() => { const v = document.querySelector('video');
            return {time: v.currentTime, width: v.videoWidth, error: v.error && v.error.code}; }""")
    finally:
        page.close()
    assert state["error"] is None
    assert state["width"] == 640
    assert state["time"] > first


def test_report_video_lists_webm_then_mp4_with_a_poster(walk, tmp_path):
    webm = render.render_webm(walk, tmp_path / "a.webm")
    mp4 = render.render_mp4(walk, tmp_path / "a.mp4")
    page = vizgmm.report(walk, tmp_path / "r.html", webm_path=webm, mp4_path=mp4).read_text()
    video = page[page.index("<video"):page.index("</video>")]
    assert video.index('type="video/webm"') < video.index('type="video/mp4"')
    assert "a.webm" in page  # named as a standalone file
    # Behind the player the video is the no-script fallback and carries no poster (the same still is the
    # Final clustering figure); a page without the player gives its video the poster.
    assert "poster=" not in video
    plain = vizgmm.report(walk, tmp_path / "p.html", webm_path=webm, mp4_path=mp4, player=False).read_text()
    video = plain[plain.index("<video"):plain.index("</video>")]
    assert 'poster="data:image/png;base64,' in video
    assert video.index('type="video/webm"') < video.index('type="video/mp4"')


def test_cli_formats_writes_the_named_animations_only(tmp_path):
    run(tmp_path, "demo", "--out", "d", "--formats", "webm,webp", "--no-html")
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    # The WebM brings its captions (animation.vtt); no GIF or MP4.
    assert names == ["animation.vtt", "animation.webm", "animation.webp", "embed.html", "embed.md", "history.json",
                     "history.npz", "poster.png"]
    proc = run(tmp_path, "demo", "--out", "e", "--formats", "gif,avi", check=False)
    assert_one_line_error(proc, "--formats", "unknown format 'avi'")
    assert not (tmp_path / "e").exists()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["webm", "webp"])
def test_memory_does_not_grow_with_the_number_of_frames(walk, tmp_path, kind):
    """Four times the frames, about the same peak memory in this process: frames stream into ffmpeg."""
    import tracemalloc

    write = {"webm": render.render_webm, "webp": render.render_webp}[kind]
    peaks = []
    for tween in (1, 7):
        tracemalloc.start()
        write(walk, tmp_path / f"{tween}.{kind}", tween=tween, hold_first_ms=0, hold_last_ms=0)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] + 3 * 640 * 480 * 4, peaks
