"""Captions: every MP4/WebM gets animation.vtt, one cue per stop, timed as the video plays; pages link it."""

import base64
import re

import html5lib
import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import run

import vizgmm
from vizgmm.animate.frames import timing as frames
from vizgmm.animate.frames.halfsteps import half_step_history
from vizgmm.animate.writers.ffmpeg import count_frames
from vizgmm.pages.captions import caption_cues, stop_sentences

NS = "{http://www.w3.org/1999/xhtml}"
TIMING = re.compile(r"^(\d{2}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2}):([0-5]\d):([0-5]\d)\.(\d{3})$")
# Hard EM from the walk-through's far guess, few epochs: every epoch moves the curves visibly.
FIT = ["-k", "2", "--method", "hard", "--means", "210,290", "--stds", "12,15", "--weights", "0.5,0.5",
       "--tol", "0", "--max-iter", "4", "-q"]


def parse_vtt(text):
    """(start_ms, end_ms, [lines]) per cue of a WebVTT file; AssertionError on anything WebVTT does not allow.

    Strict where vizgmm's files could go wrong: the header, each cue's timing line, text lines that
    would end the cue or start a new one, and cues in order without overlaps.
    """
    blocks = text.replace("\r\n", "\n").split("\n\n")
    assert blocks[0] == "WEBVTT", f"no WEBVTT header: {blocks[0]!r}"
    cues = []
    for block in (b for b in blocks[1:] if b.strip()):
        lines = block.strip("\n").split("\n")
        if "-->" not in lines[0]:
            lines = lines[1:]  # the cue's identifier
            assert lines, block
        match = TIMING.match(lines[0])
        assert match, f"bad cue timing line {lines[0]!r}"
        h1, m1, s1, ms1, h2, m2, s2, ms2 = map(int, match.groups())
        start, end = ((h1 * 60 + m1) * 60 + s1) * 1000 + ms1, ((h2 * 60 + m2) * 60 + s2) * 1000 + ms2
        assert start < end, lines[0]
        text_lines = lines[1:]
        assert text_lines and all(line.strip() and "-->" not in line for line in text_lines), block
        cues.append((start, end, text_lines))
    for (_, end, _), (start, _, _) in zip(cues, cues[1:]):
        assert start >= end, "cues overlap or go backwards"
    return cues


@pytest.fixture(scope="module")
def feet(walkthrough_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("feet")
    x, _ = walkthrough_data
    (folder / "feet.csv").write_text("foot\n" + "".join(f"{v!r}\n" for v in x.tolist()))
    return folder


@pytest.fixture(scope="module")
def half(feet):
    """`vizgmm fit` writing MP4, WebM and the report, with half-steps, in-betweens and a one-second first hold."""
    run(feet, "fit", "feet.csv", *FIT, "--out", "half", "--formats", "mp4,webm", "--half-steps", "--tween", "1",
        "--html")
    return feet / "half"


def test_parser_refuses_what_webvtt_does_not_allow():
    good = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nEpoch 0 of 2\n"
    assert parse_vtt(good) == [(0, 1000, ["Epoch 0 of 2"])]
    for bad in (good.replace("WEBVTT", "WEBVT"), good.replace("00:00:01.000", "00:00:01,000"),
                good.replace("00:00:01.000", "00:00:00.000"),
                good + "\n2\n00:00:00.500 --> 00:00:02.000\nEpoch 1 of 2\n"):
        with pytest.raises(AssertionError):
            parse_vtt(bad)


def test_cli_writes_one_cue_per_half_step_at_the_videos_frame_times(half, walkthrough_data):
    x, _ = walkthrough_data
    history = vizgmm.History.load(half / "history.json")
    cues = parse_vtt((half / "animation.vtt").read_text(encoding="utf-8"))
    # Stops: E and M of each of the 4 epochs, then the final fit.
    assert len(cues) == 2 * (len(history) - 1) + 1 == 9
    assert cues[0][2] == ["Epoch 1 · E-step", stop_sentences(history, ["component 1", "component 2"])["e"][1]]
    assert cues[1][2][0] == "Epoch 1 · M-step" and cues[1][2][1].startswith("M-step: μ₁ 210.00 → ")
    assert cues[-1][2][0] == "Epoch 4 of 4"

    # The writer's timing: each stop is tween + 1 frame states, each repeated as the encoder repeats it.
    timing = frames.make_timing(1)
    shown = half_step_history(history)
    repeats = timing.repeats(frames.frame_count(shown, 1))
    starts = np.cumsum(np.concatenate([[0], repeats]))[:-1:2] * timing.frame_ms
    assert np.all(np.abs(np.array([c[0] for c in cues]) - starts) < timing.frame_ms)
    assert cues[1][0] == pytest.approx(timing.hold_first_ms + 500, abs=1)  # after the held first stop

    # And the files themselves: both videos last exactly as long as the cues, to within one frame ...
    for name in ("animation.mp4", "animation.webm"):
        assert abs(count_frames(half / name) * timing.frame_ms - cues[-1][1]) < timing.frame_ms
    # ... and the picture changes where a cue starts: the frame before each cue differs from the cue's first frame.
    video = np.stack([f.astype(np.int16) for f in iio.imiter(half / "animation.mp4", plugin="FFMPEG")])
    change = np.abs(np.diff(video, axis=0)).mean(axis=(1, 2, 3))
    for start, _, _ in cues[1:]:
        frame = int(round(start / timing.frame_ms))
        assert change[frame - 1] > 0.2, (frame, change[frame - 1])
    held = int(round(cues[0][1] / timing.frame_ms)) - 2  # inside the first hold: copies of one frame
    assert change[:held].max() < 0.2


def test_report_embeds_the_captions_as_a_data_track(half):
    tree = html5lib.parse((half / "report.html").read_text(encoding="utf-8"))
    track = tree.find(f".//{NS}video/{NS}track")
    assert track is not None
    assert (track.get("kind"), track.get("srclang"), track.get("label")) == ("captions", "en", "English")
    head, data = track.get("src").split(",", 1)
    assert head == "data:text/vtt;base64"
    assert base64.b64decode(data).decode("utf-8") == (half / "animation.vtt").read_text(encoding="utf-8")


def test_embed_links_the_captions_and_shows_the_poster_under_reduced_motion(half):
    tree = html5lib.parse((half / "embed.html").read_text(encoding="utf-8"))
    video = tree.find(f".//{NS}video")
    assert "autoplay" not in video.attrib and "controls" in video.attrib
    track = video.find(f"{NS}track")
    assert track.get("kind") == "captions" and (half / track.get("src")).is_file()
    assert (half / video.get("poster")).is_file()
    script = tree.find(f".//{NS}script").text
    assert "prefers-reduced-motion: reduce" in script and ".play()" in script


def test_gif_only_embed_is_a_picture_with_the_poster_for_reduced_motion(feet):
    run(feet, "fit", "feet.csv", *FIT, "--out", "gif", "--formats", "gif", "--no-html")
    assert not (feet / "gif" / "animation.vtt").exists()  # no video, no captions
    tree = html5lib.parse((feet / "gif" / "embed.html").read_text(encoding="utf-8"))
    source = tree.find(f".//{NS}picture/{NS}source")
    assert source.get("media") == "(prefers-reduced-motion: reduce)"
    assert (feet / "gif" / source.get("srcset")).is_file() and source.get("srcset") == "poster.png"
    assert tree.find(f".//{NS}picture/{NS}img").get("src") == "animation.gif"


def test_captions_api_without_half_steps_is_one_cue_per_epoch(walk):
    cues = parse_vtt(vizgmm.captions(walk, duration_ms=200, hold_first_ms=0, hold_last_ms=400))
    assert len(cues) == len(walk)
    assert [c[0] for c in cues] == [200 * i for i in range(len(walk))]
    assert cues[-1][1] == 200 * len(walk) + 400
    assert [c[2][0] for c in cues] == [f"Epoch {s.epoch} of {walk.final.epoch}" for s in walk]
    assert caption_cues(walk)[3][3] == stop_sentences(walk, ["component 1", "component 2"])["full"][3]


def test_captions_are_published_with_the_videos_or_not_at_all(feet):
    # A folder in the way of animation.vtt stops the run at publishing: no video of the new set appears either.
    (feet / "blocked" / "animation.vtt").mkdir(parents=True)
    proc = run(feet, "fit", "feet.csv", *FIT, "--out", "blocked", "--formats", "mp4", "--no-html", check=False)
    assert proc.returncode == 2 and "animation.vtt is a folder" in proc.stderr
    assert sorted(p.name for p in (feet / "blocked").iterdir()) == ["animation.vtt"]


@pytest.mark.browser
def test_chromium_reads_every_cue_of_the_reports_track(half, browser):
    page = browser.new_page()
    try:
        page.goto((half / "report.html").as_uri())
        page.evaluate("() => { document.querySelector('video').textTracks[0].mode = 'hidden'; }")
        page.wait_for_function("document.querySelector('video').textTracks[0].cues?.length > 0", timeout=15_000)
        cues = page.evaluate("""() => Array.from(document.querySelector('video').textTracks[0].cues,
                                                 c => [c.startTime, c.text.split('\\n')[0]])""")
    finally:
        page.close()
    written = parse_vtt((half / "animation.vtt").read_text(encoding="utf-8"))
    assert [(round(t * 1000), title) for t, title in cues] == [(start, lines[0]) for start, _, lines in written]


def test_notebook_video_carries_the_same_captions(walk):
    from vizgmm.pages.notebook import history_html

    tree = html5lib.parse(history_html(walk, format="mp4", duration_ms=200))
    head, data = tree.find(f".//{NS}video/{NS}track").get("src").split(",", 1)
    assert head == "data:text/vtt;base64"
    assert base64.b64decode(data).decode("utf-8") == vizgmm.captions(walk, duration_ms=200)
