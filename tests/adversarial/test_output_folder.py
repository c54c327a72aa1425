"""Attacks 7 and 8: runs into one --out folder, a run killed half-way, and a folder that cannot be written."""

import json
import os
import signal
import subprocess
import sys

from cli_helpers import assert_one_line_error, run
from conftest import RUN_FILES, wait_for


def vizgmm(cwd, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "vizgmm", *map(str, args)], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def lock_holder(folder):
    try:
        return (folder / ".vizgmm.lock").read_text().strip()
    except OSError:
        return ""


def test_second_run_into_the_same_out_fails_naming_the_first(tmp_path):
    first = vizgmm(tmp_path, "demo", "--out", "out", "--preset", "slides", "--tween", "4")
    try:
        # Once the first run holds the folder, freeze it (a real SIGSTOP) so it is certainly still
        # running while the second one starts: no race against the clock.
        wait_for(lambda: lock_holder(tmp_path / "out") == str(first.pid) or first.poll() is not None,
                 what="the first run to lock its folder")
        assert first.poll() is None, first.communicate()
        os.kill(first.pid, signal.SIGSTOP)
        second = run(tmp_path, "demo", "--out", "out", "--component-names", "A,B", check=False)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert_one_line_error(second, "another vizgmm run", f"pid {first.pid}", "--out")
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    # The first run's files alone: none of them names the second run's components.
    doc = json.loads((tmp_path / "out" / "history.json").read_text(encoding="utf-8"))
    assert "component_names" not in doc["meta"]
    assert "A,B" not in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(RUN_FILES)


def test_killed_rerun_leaves_the_earlier_set_whole(run_copy, tmp_path):
    """SIGKILL of a k = 3 rerun while its MP4 is encoded: every file is still the k = 2 run's."""
    before = {name: (run_copy / name).read_bytes() for name in RUN_FILES}
    data = tmp_path / "sizes.txt"
    data.write_text("\n".join(str(v) for v in [230, 231, 235, 240, 241, 250, 252, 255, 260, 261, 270, 275] * 20))
    rerun = vizgmm(tmp_path, "fit", data, "-k", "3", "--out", run_copy, "--preset", "slides", "--tween", "10")
    try:
        wait_for(lambda: rerun.poll() is not None or any(run_copy.rglob(".animation.*.part.mp4")),
                 what="the rerun to start its MP4")
        assert rerun.poll() is None, rerun.communicate()
    finally:
        rerun.kill()
        rerun.communicate()
    assert {name: (run_copy / name).read_bytes() for name in RUN_FILES} == before


def test_unwritable_out_fails_before_reading_the_data(tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    # The data comes from a pipe that is never closed: a run that reads (or fits) before
    # checking the folder would wait forever, and the timeout would fail this test.
    reader, writer = os.pipe()
    try:
        proc = subprocess.run([sys.executable, "-m", "vizgmm", "fit", "-", "-k", "2", "--out", tmpfs / "out"],
                              stdin=reader, capture_output=True, text=True, timeout=120)
    finally:
        os.close(reader)
        os.close(writer)
    assert_one_line_error(proc, str(tmpfs / "out"))
