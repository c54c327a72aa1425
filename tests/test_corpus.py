"""Bad and awkward inputs, each with the behaviour it must get (issue 6).

One table, :data:`CASES`: every input in ``tests/corpus/`` plus a few made on
the spot (a folder given as DATA, an unwritable output folder, a saved
history cut short, damaged or from a newer vizgmm). Each case is run as a
user runs it, ``python -m vizgmm ...`` in a subprocess, and gets one of two
verdicts:

- an error: exit status 2, exactly one line on standard error that names
  the problem, no traceback, and not one file created (no output, no
  ``*.part*`` temporary file);
- a result: exit status 0, a history that loads, no NaN or infinity in the
  history file or the report, and the documented result of that input (for
  example: one point is fitted by a component collapsed onto it, and the
  snapshot records the collapse).

Choices the loader makes, asserted here as documented in vizgmm.loading: a
file that is not UTF-8 is read as Latin-1; decimal commas are read in
';'-separated files; without --column a wide file uses its first numeric
column; an unnamed column is called "column N".
"""

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import imageio.v3 as iio
import numpy as np
import pytest

import vizgmm

CORPUS = Path(__file__).resolve().parent / "corpus"
SIZES = np.loadtxt(CORPUS / "sizes.txt")  # the 100 foot sizes most corpus files hold in some form
FLOOR_STD = np.sqrt(1e-6)  # σ of a component collapsed onto one value: √reg_covar (the default)
# Only the history and the report, and few epochs: each case costs about one interpreter start.
QUICK = ("--no-gif", "--no-mp4", "--max-iter", "5")
# The GIF and the report too, to show that no drawn or written number is NaN.
FULL = ("--no-mp4", "--max-iter", "3")


@dataclass(frozen=True)
class Case:
    """One input and the behaviour it must get.

    ``args`` follow ``vizgmm``; ``corpus/NAME`` is replaced by the corpus
    file's path and ``OUT`` by the output folder. An error case lists
    ``words`` its one line must hold; a result case has a ``check(history,
    proc)`` that asserts the documented result.
    """

    id: str
    args: tuple
    words: tuple = ()
    check: object = None


def fit(data, *options, k="2", outputs=QUICK):
    return ("fit", data, "-k", k, "--out", "OUT", *outputs, *options)


# -- the documented results -----------------------------------------------------------------

def collapsed(history, components):
    """Every snapshot after the start records a collapse of each of ``components``."""
    for snap in history.snapshots[1:]:
        assert sorted(e["component"] for e in snap.events if e["type"] == "collapse") == components, snap.events
    assert history.final.stds == pytest.approx(FLOOR_STD, rel=1e-3)


def one_point(history, proc):
    assert history.n == 1 and history.final.means[0, 0] == pytest.approx(241.5, rel=1e-12)
    collapsed(history, [0])


def two_identical(history, proc):
    assert history.n == 2 and history.final.means[0, 0] == pytest.approx(241.5, rel=1e-12)
    collapsed(history, [0])


def all_identical(history, proc):
    assert history.n == 40 and history.final.means[0, 0] == pytest.approx(250.0, rel=1e-12)
    collapsed(history, [0])


def three_values(history, proc):
    # k equal to the number of distinct values: one component on each value.
    assert sorted(history.final.means[:, 0]) == pytest.approx([1, 2, 3], abs=1e-9)
    collapsed(history, [0, 1, 2])


def tiny_spread(history, proc):
    # A spread of 1e-300 is far below reg_covar: both components sit on "one value".
    x = history.X[:, 0]
    assert np.all((history.final.means >= x.min()) & (history.final.means <= x.max()))
    collapsed(history, [0, 1])


def cancellation(history, proc):
    # 240.000001 ± 1e-9: the means keep their digits (no cancellation to 240 or to garbage).
    assert history.final.means[:, 0] == pytest.approx(240.000001, abs=1e-8)
    assert np.all(history.final.means != 240.0)
    collapsed(history, [0, 1])


def subnormal(history, proc):
    # Below the smallest normal float: the histogram's bins would overflow its density to inf.
    assert history.X[:, 0].tolist() == [1e-320, 2e-320, 3e-320, 5e-320]
    collapsed(history, [0, 1])


def same_sizes(name="foot_size"):
    def check(history, proc):
        assert history.meta["feature_names"] == [name]
        assert np.array_equal(history.X[:, 0], SIZES[: history.n]) and history.n in (20, 100)
    return check


def latin1(history, proc):
    assert "read it as Latin-1" in proc.stderr
    assert history.meta["feature_names"] == ["größe"]  # F6 DF in the file: ö and ß in Latin-1
    assert np.array_equal(history.X[:, 0], SIZES[:20])


def first_numeric_column(name, values):
    def check(history, proc):
        assert f"note: using column {name!r}" in proc.stderr
        assert history.meta["feature_names"] == [name]
        assert np.array_equal(history.X[:, 0], values)
    return check


def two_of_a_thousand(history, proc):
    table = np.loadtxt(CORPUS / "thousand_columns.csv", delimiter=",", skiprows=1)
    assert history.d == 2 and history.meta["feature_names"] == ["c1", "c999"]
    assert np.array_equal(history.X, table[:, [1, 999]])


def same_2d(history, proc):
    # A span of 0 in both directions: the ellipse at the variance floor is drawn around the point.
    assert history.final.means[0] == pytest.approx([3.5, -2.0], rel=1e-12)
    assert np.diag(history.final.covariances[0]) == pytest.approx([1e-6, 1e-6], rel=1e-3)
    assert [e["type"] for e in history.final.events if e["type"] == "collapse"] == ["collapse"]


def collinear_2d(history, proc):
    # Each component flattens onto the line: its smaller variance reaches the floor.
    smallest = np.linalg.eigvalsh(history.final.covariances)[:, 0]
    assert smallest == pytest.approx([1e-6, 1e-6], rel=1e-2)
    assert sorted(e["component"] for e in history.final.events if e["type"] == "collapse") == [0, 1]


THOUSAND_FIRST = np.loadtxt(CORPUS / "thousand_columns.csv", delimiter=",", skiprows=1)[:, 0]

CASES = [
    # -- empty, non-numeric and non-finite data
    Case("empty file", fit("corpus/empty.csv"), ("empty.csv", "is empty")),
    Case("header only", fit("corpus/header_only.csv"), ("header_only.csv", "no data rows")),
    Case("NaN cell", fit("corpus/nan_cells.csv"), ("missing value", "row 11", "--dropna")),
    Case("NA cells and blank labels (penguins)",
         fit("corpus/penguins_head.csv", "--columns", "bill_length_mm,bill_depth_mm", "--labels-column", "sex"),
         ("5 of 20 rows", "'sex' 5", "--dropna")),
    Case("inf cell", fit("corpus/inf_cells.csv"), ("infinite", "row 11")),
    Case("text in a numeric column", fit("corpus/text_in_numeric.csv"), ("line 7", "'abc' is not a number")),
    Case("complex numbers in a .npy", fit("complex.npy"), ("complex.npy", "complex numbers")),
    Case("values near 1e300", fit("corpus/huge_1e300.txt"), ("2.24e+300", "rescale")),
    # -- too few distinct values for k, and k itself
    Case("one point", fit("corpus/one_point.txt", k="1", outputs=FULL), check=one_point),
    Case("two identical points", fit("corpus/two_identical.txt", k="1"), check=two_identical),
    Case("two identical points, k=2", fit("corpus/two_identical.txt"), ("k=2", "distinct points (1)")),
    Case("all values identical", fit("corpus/all_identical.csv", k="1"), check=all_identical),
    Case("all values identical, k=2", fit("corpus/all_identical.csv"), ("k=2", "distinct points (1)")),
    Case("k = distinct values", fit("corpus/three_values.txt", k="3"), check=three_values),
    Case("k > distinct values", fit("corpus/three_values.txt", k="4"), ("k=4", "distinct points (3)")),
    Case("k = 0", fit("corpus/sizes.txt", k="0"), ("at least 1",)),
    Case("k negative", fit("corpus/sizes.txt", k="-1"), ("at least 1", "-1")),
    # -- numerically awkward data that fits: documented collapse, no NaN
    Case("spread near 1e-300", fit("corpus/tiny_spread_1e-300.txt", outputs=FULL), check=tiny_spread),
    Case("240.000001 ± 1e-9", fit("corpus/cancellation.txt", outputs=FULL), check=cancellation),
    Case("subnormal values near 1e-320", fit("subnormal.txt", outputs=FULL), check=subnormal),
    # -- encodings, line endings, separators, decimal marks, shapes
    Case("non-UTF-8 bytes", fit("corpus/non_utf8.csv", "--column", "1"), check=latin1),
    Case("byte-order mark", fit("corpus/bom.csv", "--column", "foot_size"), check=same_sizes()),
    Case("Windows line endings", fit("corpus/crlf.csv"), check=same_sizes()),
    Case("semicolons", fit("corpus/semicolon.csv", "--column", "foot_size"), check=same_sizes()),
    Case("tabs", fit("corpus/tab.tsv", "--column", "foot_size"), check=same_sizes()),
    Case("decimal commas", fit("corpus/decimal_commas.csv", "--column", "foot_size"), check=same_sizes()),
    Case("no header", fit("corpus/no_header.csv"), check=first_numeric_column("column 1", SIZES)),
    Case("a thousand columns", fit("corpus/thousand_columns.csv", k="1"),
         check=first_numeric_column("c0", THOUSAND_FIRST)),
    Case("2-D: identical points", fit("same_2d.csv", "--columns", "x,y", k="1", outputs=FULL), check=same_2d),
    Case("2-D: points on a line", fit("collinear_2d.csv", "--columns", "x,y", outputs=FULL), check=collinear_2d),
    Case("two of a thousand columns", fit("corpus/thousand_columns.csv", "--columns", "c1,c999", k="1"),
         check=two_of_a_thousand),
    Case("a missing column name", fit("unnamed.csv"), check=first_numeric_column("column 1", SIZES)),
    Case("two columns with one name", fit("twice.csv", "--column", "size"), ("2 columns named 'size'", "--column 1")),
    Case("an unknown column name", fit("corpus/bom.csv", "--column", "height"), ("'height' not found", "foot_size")),
    # -- files that are not there or not files
    Case("no such file", fit("missing.csv"), ("missing.csv", "does not exist")),
    Case("a folder as DATA", fit("folder"), ("folder", "is a folder")),
    Case("output under a regular file", ("fit", "corpus/sizes.txt", "-k", "1", "--out", "plain.txt/sub", *QUICK),
         ("plain.txt/sub", "Not a directory")),
    Case("output under /proc", ("fit", "corpus/sizes.txt", "-k", "1", "--out", "/proc/vizgmm-out", *QUICK),
         ("/proc/vizgmm-out", "choose another output folder")),
    # -- explicit starting parameters
    Case("init file: σ = 0", fit("corpus/sizes.txt", "--init-file", "corpus/init_bad_sigma.json"), ("std", "> 0")),
    Case("init file: 3 means for k=2", fit("corpus/sizes.txt", "--init-file", "corpus/init_wrong_length.json"),
         ("k=2", "need 2 means")),
    Case("init file: weights sum to 1.4", fit("corpus/sizes.txt", "--init-file", "corpus/init_weights_not_one.json"),
         ("weights sum to 1.4",)),
    Case("init file: not JSON", fit("corpus/sizes.txt", "--init-file", "corpus/init_not_json.json"),
         ("init_not_json.json", "not valid JSON")),
    Case("--stds 12,0", fit("corpus/sizes.txt", "--means", "210,290", "--stds", "12,0"), ("std", "> 0")),
    Case("--means 1,2,3 with -k 2", fit("corpus/sizes.txt", "--means", "1,2,3", "--stds", "1,2"), ("need 2 means",)),
    Case("--weights 0.7,0.7",
         fit("corpus/sizes.txt", "--means", "210,290", "--stds", "12,15", "--weights", "0.7,0.7"),
         ("weights sum to 1.4",)),
    # -- saved histories that cannot be read
    Case("history truncated", ("render", "truncated/history.json", "--out", "OUT", "--no-mp4"),
         ("truncated or corrupted",)),
    Case("history corrupted", ("report", "corrupted/history.json", "-o", "OUT/report.html"),
         ("truncated or corrupted",)),
    Case("history arrays changed", ("render", "changed-npz/history.json", "--out", "OUT", "--no-mp4"),
         ("history.npz", "changed since it was saved")),
    Case("history from a newer vizgmm", ("render", "newer/history.json", "--out", "OUT", "--no-mp4"),
         ("format version 3", "upgrade vizgmm")),
]


# -- the inputs made on the spot ---------------------------------------------------------------

@pytest.fixture(scope="module")
def saved_history(tmp_path_factory):
    """A real history (history.json + history.npz) to damage: the folder that holds it."""
    folder = tmp_path_factory.mktemp("saved")
    vizgmm.fit(SIZES, 2, max_iter=3, seed=0).save(folder / "history.json")
    return folder


@pytest.fixture()
def workspace(tmp_path, saved_history):
    """A working folder holding every generated input."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain.txt").write_text("a plain file, not a folder\n")
    np.save(tmp_path / "complex.npy", SIZES + 1j)
    (tmp_path / "twice.csv").write_text("size,size\n240,1\n270,2\n250,3\n")
    (tmp_path / "subnormal.txt").write_text("1e-320\n2e-320\n3e-320\n5e-320\n")
    (tmp_path / "same_2d.csv").write_text("x,y\n" + "3.5,-2\n" * 5)
    (tmp_path / "collinear_2d.csv").write_text("x,y\n" + "".join(f"{i},{2 * i}\n" for i in range(1, 7)))
    # A header whose first name is missing: the sizes in that unnamed column, ids after.
    (tmp_path / "unnamed.csv").write_text(
        ",foot_size\n" + "".join(f"{v!r},{i}\n" for i, v in enumerate(SIZES.tolist()))
    )
    text = (saved_history / "history.json").read_text(encoding="utf-8")
    npz = (saved_history / "history.npz").read_bytes()
    doc = json.loads(text)
    damaged = {
        "truncated": (text[: len(text) // 2], npz),
        "corrupted": (text.replace('"snapshots"', '"snapshots" [', 1), npz),
        "changed-npz": (text, npz[: len(npz) // 2] + bytes([npz[len(npz) // 2] ^ 0xFF]) + npz[len(npz) // 2 + 1:]),
        "newer": (json.dumps({**doc, "format_version": doc["format_version"] + 1}), npz),
    }
    for name, (json_text, npz_bytes) in damaged.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "history.json").write_text(json_text, encoding="utf-8")
        (tmp_path / name / "history.npz").write_bytes(npz_bytes)
    return tmp_path


def files_under(folder):
    return {str(p.relative_to(folder)): p.stat().st_size for p in Path(folder).rglob("*")}


def run_case(case, cwd):
    args = [str(CORPUS / a[len("corpus/"):]) if a.startswith("corpus/") else a.replace("OUT", "out")
            for a in case.args]
    return subprocess.run(
        [sys.executable, "-m", "vizgmm", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


NON_FINITE_JSON = re.compile(r"\b(NaN|Infinity)\b")
NON_FINITE_TEXT = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+")


def assert_no_non_finite(out):
    """No NaN or infinity written in the history (JSON allows neither) nor shown in the report."""
    history_text = (out / "history.json").read_text(encoding="utf-8")
    assert not NON_FINITE_JSON.search(history_text)
    json.loads(history_text, parse_constant=lambda name: pytest.fail(f"{name} in history.json"))
    report = out / "report.html"
    if report.exists():
        # Embedded media are base64, where any letters may occur; the rest is what a reader sees.
        page = DATA_URI.sub("", report.read_text(encoding="utf-8"))
        hit = NON_FINITE_TEXT.search(page)
        assert hit is None, page[max(hit.start() - 80, 0): hit.end() + 80]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus(case, workspace):
    if any(a.startswith("/proc/") for a in case.args) and not Path("/proc").is_dir():
        pytest.skip("no /proc on this system")
    before = files_under(workspace)
    proc = run_case(case, workspace)
    if case.check is None:
        assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert lines[0].startswith("vizgmm")
        for word in case.words:
            assert word in lines[0], lines[0]
        # Not one file made: no output folder, no output, no temporary file.
        assert files_under(workspace) == before
        return

    assert proc.returncode == 0, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    out = workspace / "out"
    assert [p.name for p in out.rglob("*") if ".part" in p.name] == []
    history = vizgmm.History.load(out / "history.json")
    assert_no_non_finite(out)
    for snap in history:
        assert np.isfinite(snap.log_likelihood) and np.isfinite(snap.means).all()
        assert np.isfinite(snap.covariances).all() and np.isfinite(snap.weights).all()
    if "--no-gif" not in case.args:
        frames = iio.imread(out / "animation.gif", index=None)
        assert frames.shape[0] >= len(history) and frames.shape[1:3] == (480, 640)
        assert (out / "report.html").stat().st_size > 0
    case.check(history, proc)


def test_every_corpus_file_has_a_case():
    used = {Path(a).name for case in CASES for a in case.args if a.startswith("corpus/")}
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(used)
    assert len(CASES) >= 25
