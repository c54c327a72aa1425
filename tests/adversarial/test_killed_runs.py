"""Attacks 4 and 9: killed and hung-up runs leave no process and, after the next run, no temporary file.

Real processes and real signals: SIGKILL (which no clean-up survives, so the kernel and the next
run must do it) and SIGHUP (a closed terminal).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import wait_for

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds processes through /proc")


def children(pid):
    """{pid: command line} of the processes whose parent is ``pid``."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def temporary_files(*folders):
    return sorted(str(p) for folder in folders for p in Path(folder).rglob("*")
                  if ".part" in p.name or p.name.startswith(("vizgmm-", ".vizgmm-stage-")))


# The second GIF render process is forced with the Python API (workers=2); the CLI picks it only on an idle machine.
GIF_TWO_PROCESSES = (
    "import vizgmm\n"
    "h = vizgmm.History.load('history.json')\n"
    "vizgmm.render_gif(h, 'animation.gif', preset='slides', tween=20, workers=2, gifsicle=False)\n"
)
HELPERS = {
    "second-render-process": ([sys.executable, "-c", GIF_TWO_PROCESSES], "python"),
    "gifsicle": ([sys.executable, "-m", "vizgmm", "render", "history.json", "--no-mp4", "--preset", "slides",
                  "--tween", "10"], "gifsicle"),
    "ffmpeg": ([sys.executable, "-m", "vizgmm", "render", "history.json", "--no-gif", "--preset", "slides",
                "--tween", "20"], "rawvideo"),  # the encoder (not imageio-ffmpeg's brief "ffmpeg -version" check)
    # Issue 26 #13: the WebM and WebP encoders are ffmpeg children too, and must die with the render.
    "ffmpeg-webm": ([sys.executable, "-m", "vizgmm", "render", "history.json", "--formats", "webm", "--preset",
                     "slides", "--tween", "20"], "libvpx"),
    "ffmpeg-webp": ([sys.executable, "-m", "vizgmm", "render", "history.json", "--formats", "webp", "--preset",
                     "slides", "--tween", "20"], "libwebp"),
}


@pytest.mark.parametrize("helper", sorted(HELPERS))
def test_sigkill_of_a_render_leaves_no_helper_process(run_copy, helper):
    command, name = HELPERS[helper]
    if name == "gifsicle" and not Path("/usr/bin/gifsicle").exists():
        pytest.skip("gifsicle is not installed")
    proc = subprocess.Popen(command, cwd=run_copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found = {}
    try:
        found = wait_for(lambda: proc.poll() is not None or {
            pid: line for pid, line in children(proc.pid).items() if name in line}, what=f"{helper} to start")
        assert proc.poll() is None, f"the render finished before {helper} started"
        # Freeze a program first: then only the kernel can end it (one that merely notices its
        # closed pipe and exits on its own would pass by luck). Its command line shows it has
        # been exec'd, so its death signal is already set. The forked render process is not
        # frozen: it may not have asked for its death signal yet (it then sees its parent gone
        # and exits), and unfixed it blocks for ever on its own.
        if name != "python":
            for pid in found:
                os.kill(pid, signal.SIGSTOP)
        proc.kill()
        proc.wait()
        # The kernel kills the helper when its parent dies; allow it a moment to be reaped.
        survivors = {pid: found[pid][:80] for pid in found if alive(pid)}
        wait_for(lambda: not any(alive(pid) for pid in found), timeout=20,
                 what=f"{helper} to die with its parent: {survivors}")
    finally:
        for pid in found:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)  # an orphan of the unfixed code: do not leave it running


def test_sighup_stops_like_sigterm_and_keeps_the_earlier_file(run_copy, tmp_path):
    before = (run_copy / "animation.mp4").read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "vizgmm", "render", "history.json", "--no-gif", "--preset", "slides", "--tween", "20"],
        cwd=run_copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    wait_for(lambda: proc.poll() is not None or any(run_copy.rglob("*.part.mp4")), what="the MP4 to be written")
    assert proc.poll() is None, "the run finished before it could be hung up"
    proc.send_signal(signal.SIGHUP)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGHUP, stderr
    assert stderr.strip().splitlines() == ["vizgmm: hung up"]
    assert (run_copy / "animation.mp4").read_bytes() == before
    assert temporary_files(run_copy) == []


def test_next_run_sweeps_what_killed_runs_left(run_copy, tmp_path):
    scratch = tmp_path / "tmp"  # the report's scratch folder goes here
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    for args in (("render", "history.json", "--no-gif", "--preset", "slides", "--tween", "20"),
                 ("report", "history.json", "--rerender", "--preset", "slides", "--tween", "20")):
        proc = subprocess.Popen([sys.executable, "-m", "vizgmm", *args], cwd=run_copy, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda proc=proc: proc.poll() is not None or any(
            p.name.endswith(".part.mp4") for p in [*run_copy.rglob("*"), *scratch.rglob("*")]),
            what="the MP4 to be written")
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.kill()
        proc.wait()
    assert temporary_files(run_copy, scratch), "SIGKILL left nothing behind to sweep"
    # A run that writes into the folder sweeps it (a report -o FILE sweeps only FILE's leftovers: issue 26 #13).
    again = subprocess.run([sys.executable, "-m", "vizgmm", "report", "history.json", "--out", "."],
                           cwd=run_copy, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert temporary_files(run_copy, scratch) == []
