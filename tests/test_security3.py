"""Security round three (issue 26, part A): planted links and files in the output folder, outputs over inputs."""

import os

import numpy as np
import pytest

from vizgmm.cli.main import main


@pytest.fixture()
def data(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("".join(f"{v}\n" for v in np.r_[np.linspace(1, 20, 25), np.linspace(30, 50, 25)]))
    return path


def _fit(data, out, *extra):
    return main(["fit", str(data), "-k", "2", "--out", str(out), "--no-mp4", "--no-gif", "--quiet", *extra])


def _one_line(capsys, *words):
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_symlinked_lock_does_not_truncate_its_target(tmp_path, data, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out1"
    out.mkdir()
    (out / ".vizgmm.lock").symlink_to(victim)
    assert _fit(data, out) == 2
    _one_line(capsys, ".vizgmm.lock", "symbolic link")
    assert victim.read_text() == "precious\n"
    assert (out / ".vizgmm.lock").is_symlink()  # the planted link is the user's to remove, not unlinked
    assert not (out / "history.json").exists()


def test_dangling_lock_link_creates_nothing(tmp_path, data, capsys):
    out = tmp_path / "out1"
    out.mkdir()
    target = tmp_path / "created-by-vizgmm"
    (out / ".vizgmm.lock").symlink_to(target)
    assert _fit(data, out) == 2
    _one_line(capsys, "symbolic link")
    assert not target.exists()


def test_hard_linked_lock_is_refused(tmp_path, data, capsys):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out1"
    out.mkdir()
    os.link(victim, out / ".vizgmm.lock")
    assert _fit(data, out) == 2
    _one_line(capsys, ".vizgmm.lock")
    assert victim.read_text() == "precious\n"


def test_fifo_lock_is_refused_without_hanging(tmp_path, data, capsys):
    out = tmp_path / "out1"
    out.mkdir()
    os.mkfifo(out / ".vizgmm.lock")
    assert _fit(data, out) == 2
    _one_line(capsys, ".vizgmm.lock")


def test_plain_lock_left_by_a_dead_run_is_reused(tmp_path, data):
    out = tmp_path / "out1"
    out.mkdir()
    (out / ".vizgmm.lock").write_text("999999\n")
    assert _fit(data, out) == 0
    assert (out / "history.json").exists()
    assert not (out / ".vizgmm.lock").exists()
