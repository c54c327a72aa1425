"""Security round three (issue 26 #10, #13): one rule for user text; arguments and file names that are not UTF-8.

Run as a user runs vizgmm: a subprocess, with arguments given as bytes where the attack is in the bytes.
"""

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_one_line_error

import vizgmm
from vizgmm.errors import OptionError

VALUES = "".join(f"{v}\n" for v in np.r_[np.linspace(1, 20, 25), np.linspace(30, 50, 25)])
FIT = ("fit", "s.txt", "-k", "2", "--out", "out", "--no-mp4", "--no-gif", "--quiet")


def vizgmm_bytes(cwd, *args, env=None):
    """`python -m vizgmm ARGS`, each argument passed as its bytes (str arguments as UTF-8 or their surrogate escapes)."""
    argv = [a if isinstance(a, bytes) else os.fsencode(str(a)) for a in args]
    proc = subprocess.run([sys.executable, "-m", "vizgmm", *argv], cwd=cwd, capture_output=True, timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})
    proc.raw_stderr = proc.stderr
    proc.stdout, proc.stderr = (s.decode("utf-8", "replace") for s in (proc.stdout, proc.stderr))
    return proc


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "s.txt").write_text(VALUES)
    return tmp_path


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    x = np.r_[np.linspace(1, 20, 25), np.linspace(30, 50, 25)]
    vizgmm.fit(x, 2, seed=0, max_iter=5).save(folder / "history.json")
    return folder / "history.json"


# -- #10: arguments and file names that are not UTF-8 ------------------------------------
@pytest.mark.parametrize("flag, value", [("--title", b"bad\xff"), ("--component-names", b"a\xff,b"),
                                         ("--column", b"x\xff")])
def test_a_text_argument_that_is_not_utf8_is_refused_before_the_fit(folder, flag, value):
    proc = vizgmm_bytes(folder, *FIT, flag, value)
    line = assert_one_line_error(proc, flag, "not UTF-8", "\\xff")
    assert "internal error" not in line
    assert not (folder / "out").exists()  # refused before any work: nothing fitted, nothing written


def test_report_title_that_is_not_utf8_is_refused_before_drawing(saved):
    proc = vizgmm_bytes(saved.parent, "report", "history.json", "--title", b"x\xffy", "-o", "r.html")
    assert_one_line_error(proc, "--title", "not UTF-8")
    assert not (saved.parent / "r.html").exists()


def test_a_data_file_whose_name_is_not_utf8_works_and_is_shown_escaped(folder):
    name = os.fsdecode(b"caf\xe9.txt")  # the bytes a Latin-1 system gives a file called café.txt
    (folder / "s.txt").rename(folder / name)
    proc = vizgmm_bytes(folder, "fit", name, "-k", "2", "--no-mp4", "--no-gif")
    assert proc.returncode == 0, proc.stderr
    out = folder / "outputs" / os.fsdecode(b"caf\xe9")  # the folder is named with the file's own bytes
    history = vizgmm.History.load(out / "history.json")
    assert history.meta["source"] == "caf\\xe9.txt"
    assert "vizgmm fit 'caf\\xe9.txt'" in history.meta["command"]
    assert "from caf\\xe9.txt" in proc.stdout and "Open outputs/caf\\xe9/report.html" in proc.stdout
    assert "caf\\xe9.txt" in (out / "report.html").read_text(encoding="utf-8")
    proc = vizgmm_bytes(out, "player", "history.json", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert (out / "player.html").stat().st_size > 0


# -- #13: one rule for user text -----------------------------------------------------------
def test_control_characters_in_a_header_are_refused_and_never_reach_the_terminal(folder):
    (folder / "t.csv").write_bytes(b"\x1b]0;PWNED\x07x,y\n1,2\n3,4\n5,6\n7,8\n")
    for extra in ((), ("--column", "q")):
        proc = vizgmm_bytes(folder, "fit", "t.csv", "-k", "2", "--out", "out", "--no-mp4", "--no-gif", *extra)
        assert_one_line_error(proc, "column 1", "t.csv", "U+001B", "\\x1b]0;PWNED\\x07x")
        assert b"\x1b" not in proc.raw_stderr and b"\x07" not in proc.raw_stderr
        assert not (folder / "out").exists()


def test_control_characters_in_labels_are_refused(folder):
    (folder / "l.csv").write_bytes(b"x,kind\n1,a\n2,\x1b[31mb\n3,a\n30,b\n31,b\n")
    proc = vizgmm_bytes(folder, "fit", "l.csv", "-k", "2", "--labels-column", "kind", "--out", "out",
                        "--no-mp4", "--no-gif")
    assert_one_line_error(proc, "label", "'kind'", "U+001B")
    assert b"\x1b" not in proc.raw_stderr


@pytest.mark.parametrize("field, value, words", [
    ("title", "\x1b]0;x\x07", ("meta.title", "U+001B")),
    ("title", "t" * 2_000_000, ("meta.title", "200 characters")),
    ("component_names", ["a\nb", "c"], ("meta.component_names[0]", "U+000A")),
])
def test_a_saved_history_gets_the_same_rule(saved, tmp_path, field, value, words):
    doc = json.loads(saved.read_text())
    doc["meta"][field] = value
    (tmp_path / "history.json").write_text(json.dumps(doc))
    (tmp_path / "history.npz").write_bytes(saved.with_suffix(".npz").read_bytes())
    for command in ("player", "report"):
        proc = vizgmm_bytes(tmp_path, command, "history.json", "--quiet")
        assert_one_line_error(proc, *words)
        assert b"\x1b" not in proc.raw_stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json", "history.npz"]


def test_one_title_rule_for_player_report_and_slides(saved, tmp_path):
    history = vizgmm.History.load(saved)
    long_title = "t" * 2_000_000
    for make in (lambda: vizgmm.player(history, tmp_path / "p.html", title=long_title),
                 lambda: vizgmm.report(history, tmp_path / "r.html", title=long_title, animation="none"),
                 lambda: vizgmm.player(history, tmp_path / "p.html", title="a\x1bb")):
        with pytest.raises(OptionError, match="title"):
            make()
    proc = vizgmm_bytes(saved.parent, "player", "history.json", "--title", "t" * 1000, "-o", str(tmp_path / "p.html"))
    assert_one_line_error(proc, "title", "1,000 characters", "200")
    assert not list(tmp_path.iterdir())


def test_an_ascii_terminal_gets_escapes_and_exit_0(folder):
    proc = vizgmm_bytes(folder, "fit", "s.txt", "-k", "2", "--out", "out", "--no-mp4", "--no-gif",
                        env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 0, proc.stderr
    assert "\\u03bc = " in proc.stdout and "Open out/report.html" in proc.stdout


@pytest.mark.parametrize("text, line", [(b'"x,y\n1,2\n3,4\n5,6\n', 1), (b'x,y\n1,2\n3,4\n5,"6\n', 4),
                                        (b'x,y\n1,2\n3,"4\n5,6\n7,8\n', 3)])
def test_an_unterminated_quote_is_named_with_its_line(folder, text, line):
    (folder / "q.csv").write_bytes(text)
    proc = vizgmm_bytes(folder, "fit", "q.csv", "-k", "2", "--column", "x", "--out", "out", "--no-mp4", "--no-gif")
    assert_one_line_error(proc, f"line {line} of q.csv", "quote")


def test_quoted_fields_that_close_on_their_line_still_read(folder):
    (folder / "q.csv").write_text('x,name\n1,"a, b"\n3,"c ""q"""\n5,d\n30,e\n31,f\n')
    x, names, labels, _ = vizgmm.load_data(folder / "q.csv", column="x", labels_column="name")
    assert list(x) == [1, 3, 5, 30, 31] and list(labels) == ["a, b", 'c "q"', "d", "e", "f"]


def test_report_o_in_a_shared_folder_locks_and_sweeps_only_its_own_names(saved, tmp_path):
    shared = tmp_path / "shared"  # like /tmp: other programs', other runs' files
    shared.mkdir()
    theirs = shared / ".notes.99999999.abcdefgh.part.html"  # another program's (a gone pid)
    mine = shared / ".r.99999999.abcdefgh.part.html"  # what a killed report -o shared/r.html left
    for path in (theirs, mine):
        path.write_text("x")
    (shared / ".vizgmm-stage-abcdefgh").mkdir()
    with open(shared / ".vizgmm.lock", "w") as held:  # a run writing into the folder itself holds its lock
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = vizgmm_bytes(saved.parent, "report", "history.json", "-o", str(shared / "r.html"),
                            "--animation", "none", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert (shared / "r.html").stat().st_size > 0
    assert theirs.exists() and (shared / ".vizgmm-stage-abcdefgh").is_dir() and not mine.exists()
    assert not Path(shared / ".r.html.vizgmm.lock").exists()
