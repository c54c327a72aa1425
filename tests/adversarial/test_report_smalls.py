"""Attack 11, the smaller ones: bidi overrides, the CSP, an unreadable MP4, report -q, an ill-conditioned 2-D set."""

import os
import re
import subprocess
import sys

import html5lib
import numpy as np
from cli_helpers import assert_one_line_error, run

RLO, FSI, PDI = "\u202e", "\u2068", "\u2069"


def test_bidi_override_in_a_file_name_stays_inside_its_isolate(tmp_path):
    """A U+202E in the data's file name may reverse only the name, never the rest of its line."""
    name = f"sizes{RLO}vsc.txt"
    rng = np.random.default_rng(0)
    (tmp_path / name).write_text("\n".join(map(repr, rng.normal(250, 10, 200).tolist())) + "\n", encoding="utf-8")
    run(tmp_path, "fit", name, "-k", "2", "--max-iter", "3", "--no-gif", "--no-mp4", "--out", "out")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    document = html5lib.parse(page, namespaceHTMLElements=False)
    texts = [t for node in document.iter() for t in (node.text, node.tail, *node.attrib.values()) if t]
    with_override = [t for t in texts if RLO in t]
    assert with_override, "the file name is not in the report"
    for text in with_override:
        # Every override sits between an isolate's start and its end, so it ends there.
        for match in re.finditer(RLO, text):
            before, after = text[: match.start()], text[match.end():]
            assert before.rfind(FSI) > before.rfind(PDI), text
            assert PDI in after, text


def test_report_csp_forbids_forms_and_base(run_copy):
    page = (run_copy / "report.html").read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["form-action"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]


def test_unreadable_mp4_beside_the_history_is_a_short_error(run_copy):
    (run_copy / "animation.mp4").write_bytes(b"\0not a video" * 1000)
    os.utime(run_copy / "animation.mp4")  # newer than the history: the report would embed it
    proc = run(run_copy, "report", "history.json", "-o", "again.html", check=False)
    line = assert_one_line_error(proc, "animation.mp4")
    assert len(line) < 300, f"{len(line)} characters: {line[:200]}"


def test_report_accepts_quiet(run_copy):
    proc = run(run_copy, "report", "history.json", "-o", "quiet.html", "-q")
    assert proc.stdout == "" and proc.stderr == ""
    assert (run_copy / "quiet.html").stat().st_size > 0


def test_far_apart_2d_set_is_not_called_collapsed(tmp_path):
    """600 distinct points in two clusters 1e15 apart: numerically singular, not "collapsed onto too few points".

    Whether float rounding makes this covariance fail Cholesky depends on the data's low bits;
    seed 1 does with one BLAS thread (pinned, since the thread count changes the rounding).
    """
    rng = np.random.default_rng(1)
    points = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(1e15, 1, (300, 2))])
    (tmp_path / "far.csv").write_text("x,y\n" + "".join(f"{a!r},{b!r}\n" for a, b in points.tolist()),
                                      encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "vizgmm", "fit", "far.csv", "-k", "1", "--columns", "x,y", "--no-gif", "--no-mp4",
         "--no-html", "--out", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"},
    )
    line = assert_one_line_error(proc, "standardise")
    assert "collapsed" not in line and "distinct points" not in line
