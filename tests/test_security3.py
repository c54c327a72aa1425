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


def _published_set(out):
    return {p.name: p.lstat().st_mtime_ns for p in out.iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize("plant", ["file", "symlink-to-folder", "symlink-to-file", "dangling-symlink"])
def test_planted_frames_leaves_the_earlier_run_whole(tmp_path, data, capsys, plant):
    out = tmp_path / "out3"
    assert main(["fit", str(data), "-k", "2", "--out", str(out), "--no-mp4", "--quiet"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep\n")
    frames = out / "frames"
    if plant == "file":
        frames.write_text("junk\n")
    elif plant == "symlink-to-folder":
        frames.symlink_to(elsewhere)
    elif plant == "symlink-to-file":
        frames.symlink_to(elsewhere / "keep.txt")
    else:
        frames.symlink_to(tmp_path / "nowhere")
    before = _published_set(out)
    history = (out / "history.json").read_bytes()
    capsys.readouterr()
    code = main(["fit", str(data), "-k", "3", "--out", str(out), "--no-mp4", "--frames", "--quiet"])
    assert code == 2
    line = _one_line(capsys, str(frames))
    assert ".vizgmm-stage-" not in line
    assert _published_set(out) == before  # nothing of the k = 3 run published
    assert (out / "history.json").read_bytes() == history
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert (elsewhere / "keep.txt").read_text() == "keep\n"
    assert not [p for p in out.iterdir() if p.name.startswith(".vizgmm-stage-")]


def test_symlink_at_a_published_file_name_is_refused(tmp_path, data, capsys):
    out = tmp_path / "out5"
    out.mkdir()
    victim = tmp_path / "victim.json"
    victim.write_text("precious\n")
    (out / "history.json").symlink_to(victim)
    assert _fit(data, out) == 2
    _one_line(capsys, str(out / "history.json"), "symbolic link")
    assert victim.read_text() == "precious\n"
    assert not (out / "report.html").exists()


@pytest.fixture()
def saved(tmp_path, data):
    out = tmp_path / "d2"
    assert main(["fit", str(data), "-k", "2", "--out", str(out), "--no-mp4", "--no-gif", "--no-html", "--quiet"]) == 0
    return out


def _unchanged(saved):
    return {name: (saved / name).read_bytes() for name in ("history.json", "history.npz")}


@pytest.mark.parametrize("command,target", [
    (["player"], "history.json"),
    (["player"], "history.npz"),
    (["report"], "history.npz"),
    (["report"], "history.json"),
    (["slides"], "history.json"),
])
def test_output_naming_its_own_input_is_refused(saved, capsys, command, target):
    before = _unchanged(saved)
    capsys.readouterr()
    code = main([*command, str(saved / "history.json"), "-o", str(saved / ".." / saved.name / target)])
    assert code == 2
    _one_line(capsys, target, "input")
    assert _unchanged(saved) == before


def test_output_hard_linked_to_the_input_is_refused(saved, tmp_path, capsys):
    os.link(saved / "history.npz", tmp_path / "alias.html")
    before = _unchanged(saved)
    capsys.readouterr()
    assert main(["player", str(saved / "history.json"), "-o", str(tmp_path / "alias.html")]) == 2
    _one_line(capsys, "alias.html", "input")
    assert _unchanged(saved) == before


def test_output_through_a_symlinked_folder_is_refused(saved, tmp_path, capsys):
    (tmp_path / "link").symlink_to(saved)
    before = _unchanged(saved)
    capsys.readouterr()
    assert main(["report", str(saved / "history.json"), "-o", str(tmp_path / "link" / "history.json")]) == 2
    _one_line(capsys, "input")
    assert _unchanged(saved) == before
