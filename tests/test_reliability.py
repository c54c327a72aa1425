"""Reliability (issue 6): degenerate fits are shown, runs repeat byte for byte, interruptions leave nothing.

- A component that collapses onto one point or loses every point is an
  event of its snapshot, noted on that snapshot's frame and in the report,
  and never stops a render.
- The same command and seed give the same history, GIF and MP4 bytes, and
  one or two render processes give the same GIF.
- SIGTERM while the MP4 is encoded or while the report is written leaves the
  earlier file intact and no temporary file (the GIF case is in test_cli).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import run

import vizgmm
from vizgmm.animate.frames.timing import state_at
from vizgmm.animate.scenes import make_scene
from vizgmm.look import presets

CORPUS = Path(__file__).resolve().parent / "corpus"


def degenerate_history():
    """Hard EM in which, at epoch 1, component 2 collapses onto the lone point at 50 and component 3 empties."""
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(0, 1, 100), [50.0]])
    init = {"means": [0, 50, 200], "stds": [1, 1, 1], "weights": [0.5, 0.25, 0.25]}
    return vizgmm.fit(x, 3, method="hard", init=init, tol=0, max_iter=3)


def event_pixels(rgb):
    """How many pixels in the plot's upper left are the event note's neutral ink (also after a GIF palette).

    The note is drawn in the theme's "event" colour, a grey no component uses, left of the legend.
    """
    ink = np.array([int(presets.THEMES["light"]["event"][i:i + 2], 16) for i in (1, 3, 5)])
    h, w = rgb.shape[:2]
    region = rgb[int(h * 0.08): h // 2, int(w * 0.14): w // 2, :3].astype(int)
    # The ink and its anti-aliased greys (no component is grey).
    grey = region.max(axis=2) - region.min(axis=2) <= 12
    return int((grey & (region.max(axis=2) <= ink.max() + 100)).sum())


def test_collapse_and_empty_are_events_of_their_snapshot():
    history = degenerate_history()
    assert history[0].events == []
    assert [(e["type"], e["component"]) for e in history[1].events] == [("collapse", 1), ("empty", 2)]
    # The collapsed component keeps its point at the variance floor; the empty one keeps weight 0.
    assert history.final.stds[1] == pytest.approx(np.sqrt(1e-6)) and history.final.means[1, 0] == pytest.approx(50.0, rel=1e-12)
    assert history.final.weights[2] == 0.0 and history.final.counts.tolist() == [100, 1, 0]
    # "empty" is recorded once, when it happens; the collapse on every snapshot it lasts.
    assert [[e["type"] for e in s.events] for s in history[2:]] == [["collapse"], ["collapse"]]


def test_degenerate_fit_frames_note_the_events(tmp_path):
    history = degenerate_history()
    scene = make_scene(history, preset=presets.preset("blog"), theme=presets.theme("light"))
    try:
        scene.render(state_at(history, 1, tween=0))
        note = scene.event_text.get_text().replace("\n", " ")
        legend = [t.get_text() for t in scene.legend.get_texts()]
        assert "component 2 collapsed onto one value" in note
        assert "component 3 lost all its points" in note
        assert legend[1].endswith("collapsed") and legend[2].endswith("empty")
        assert "collapsed" not in legend[0]
        # The collapsed component is drawn as a spike of its area φ at its value, not as a flat line.
        spike = scene.curves[1].get_ydata()
        step = scene.grid[1] - scene.grid[0]
        assert abs(scene.grid[spike.argmax()] - 50) <= step
        # (its area may fall across two grid cells: together they make the spike)
        assert np.sort(spike)[-2:].sum() > 0.05 * scene.ax.get_ylim()[1]
        assert spike.sum() * step == pytest.approx(history[1].weights[1], rel=1e-6)
        # The note ends before the legend begins: readable, not drawn under it.
        renderer = scene.canvas.get_renderer()
        assert scene.event_text.get_window_extent(renderer).x1 < scene.legend.get_window_extent(renderer).x0
    finally:
        scene.close()

    still = [vizgmm.render_still(history, snapshot=i) for i in (0, 1)]
    assert event_pixels(still[0]) == 0  # no event at the start, no note
    assert event_pixels(still[1]) > 200
    iio.imwrite(tmp_path / "epoch1.png", still[1])

    gif = vizgmm.render_gif(history, tmp_path / "degenerate.gif")
    frames = iio.imread(gif, index=None)
    assert frames.shape[0] >= len(history)
    assert event_pixels(frames[0]) == 0
    assert event_pixels(frames[-1]) > 200  # the collapse lasts to the end; its note survives the GIF palette


def test_degenerate_fit_report_lists_the_events(tmp_path):
    history = degenerate_history()
    page = vizgmm.report(history, tmp_path / "report.html", animation="gif").read_text(encoding="utf-8")
    assert "component 2 collapsed onto a single value" in page
    assert "component 3 lost all its points" in page
    assert "data:image/gif;base64," in page


# -- determinism ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ("fit", CORPUS / "sizes.txt", "-k", "2", "--max-iter", "6", "--tween", "1", "--out", "out"),
    ("demo", "--out", "out"),
], ids=["fit", "demo"])
def test_same_command_same_bytes(tmp_path, monkeypatch, command):
    # The same command line (history.meta keeps it) in two folders. The
    # report's footer states a date: SOURCE_DATE_EPOCH pins it, as
    # reproducible builds do, so the runs may straddle a minute.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "first", tmp_path / "second"
    for cwd in (first, second):
        cwd.mkdir()
        run(cwd, *command)
    names = ("history.json", "history.npz", "animation.gif", "animation.mp4", "report.html")
    for name in names:
        assert (first / "out" / name).read_bytes() == (second / "out" / name).read_bytes(), name
    # The footer shows the pinned date, not the clock's: so no minute boundary can split the runs.
    assert "2023-11-14 22:13 UTC" in (first / "out" / "report.html").read_text(encoding="utf-8")


def test_one_or_two_render_processes_make_the_same_gif(tmp_path):
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=6)
    one = vizgmm.render_gif(history, tmp_path / "one.gif", tween=3, workers=1)
    two = vizgmm.render_gif(history, tmp_path / "two.gif", tween=3, workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert iio.imread(one, index=None).shape[0] == 7 * 4 - 3


# -- interrupted runs: the MP4 encode, the report, and leftover processes -------------------------

@pytest.fixture(scope="module")
def saved_demo(tmp_path_factory):
    """A demo's history with the animations and report beside it."""
    cwd = tmp_path_factory.mktemp("demo")
    run(cwd, "demo", "--out", "out")
    return cwd / "out"


def temporary_files(*folders):
    return [str(p) for folder in folders for p in Path(folder).rglob("*") if ".part" in p.name or "vizgmm-" in p.name]


def processes_in(folder):
    """Command lines of other processes working in ``folder`` (an orphaned ffmpeg or render process would)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(folder) in cmdline or cwd.startswith(str(folder)):
            found.append(cmdline)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks for leftover processes in /proc")
@pytest.mark.parametrize("args, target, signum, status, word", [
    (("render", "history.json", "--no-gif", "--preset", "slides", "--tween", "20"), "animation.mp4",
     signal.SIGTERM, 143, "terminated"),
    (("report", "history.json", "--rerender", "--preset", "slides", "--tween", "20"), "report.html",
     signal.SIGTERM, 143, "terminated"),
    # The GIF may be drawn by two processes (on an idle machine): Ctrl-C must stop both.
    (("render", "history.json", "--no-mp4", "--preset", "slides", "--tween", "20"), "animation.gif",
     signal.SIGINT, -signal.SIGINT, "interrupted"),  # Ctrl-C ends the process by SIGINT (130 in a shell)
], ids=["mp4-sigterm", "report-sigterm", "gif-sigint"])
def test_interrupt_while_writing_keeps_the_earlier_file(saved_demo, tmp_path, args, target, signum, status, word, interruptible):
    folder = tmp_path / "run"
    scratch = tmp_path / "tmp"  # the report's scratch folder goes here, to be checked
    folder.mkdir()
    scratch.mkdir()
    for name in ("history.json", "history.npz", "animation.gif", "animation.mp4", "report.html"):
        (folder / name).write_bytes((saved_demo / name).read_bytes())
    before = (folder / target).read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vizgmm", *args], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "TMPDIR": str(scratch)},
    )
    # Wait until the output is being written: its temporary file (in the run folder, or the
    # report's scratch folder) exists.
    deadline = time.monotonic() + 120
    while not temporary_files(folder, scratch):
        assert proc.poll() is None, "the run finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)  # well inside the frame loop
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr
    assert stderr.strip().splitlines() == [f"vizgmm: {word}"]
    assert (folder / target).read_bytes() == before
    assert temporary_files(folder, scratch) == []
    deadline = time.monotonic() + 5
    while processes_in(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_in(tmp_path) == []  # no ffmpeg or second render process left running
