"""Fixtures for the adversarial tests: a saved demo run to attack, copied fresh for each test.

Every test here runs the real `vizgmm` command in a subprocess against real files (and, as
root, a real small filesystem), and proves one attack from issue 15 fails safely.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from cli_helpers import run

# What a default demo or fit run writes (the animations, their words and snippets, the report, the history).
RUN_FILES = ("history.json", "history.npz", "animation.gif", "animation.mp4", "report.html", "animation.txt",
             "embed.html", "embed.md", "poster.png", "animation.vtt")


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """A demo's output folder: history, animations and report (made once, never modified)."""
    cwd = tmp_path_factory.mktemp("adversarial-demo")
    run(cwd, "demo", "--out", "out")
    return cwd / "out"


@pytest.fixture
def run_copy(demo_run, tmp_path):
    """A fresh copy of the demo's output folder to attack."""
    folder = tmp_path / "run"
    shutil.copytree(demo_run, folder)
    return folder


def wait_for(condition, timeout=120, what="the condition"):
    """Poll ``condition()`` every 50 ms until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.fixture
def tmpfs(tmp_path):
    """A real, small filesystem: a 400 KB tmpfs mounted at tmp_path/small (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder, leave_bytes):
    """Fill the filesystem of ``folder`` until about ``leave_bytes`` are free."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    (Path(folder) / "filler").write_bytes(b"\0" * max(0, free - leave_bytes))
