"""`vizgmm fit -k auto|1-6 --n-init N --animate-restarts` and `vizgmm compare`, run as a user runs them."""

import json
from pathlib import Path

import html5lib
import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

NS = "{http://www.w3.org/1999/xhtml}"


def section_ids(path):
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(Path(path).read_bytes())
    return [e.get("id") for e in tree.iter(f"{NS}section")]


@pytest.fixture(scope="module")
def three_groups(tmp_path_factory):
    """A CSV of three well-separated 1-D groups (true k = 3) with their labels."""
    folder = tmp_path_factory.mktemp("select-cli")
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(0, 1, 300), rng.normal(6, 1, 300), rng.normal(12, 1.5, 300)])
    labels = np.repeat([0, 1, 2], 300)
    (folder / "three.csv").write_text(
        "x,label\n" + "".join(f"{v!r},{c}\n" for v, c in zip(x.tolist(), labels.tolist())), encoding="utf-8"
    )
    return folder


def test_k_auto_chooses_three_and_says_by_which_criterion(three_groups):
    proc = run(three_groups, "fit", "three.csv", "-k", "auto", "--n-init", "2", "--column", "x",
               "--labels-column", "label", "--seed", "0", "--no-gif", "--no-mp4", "--out", "auto")
    first = proc.stdout.splitlines()[0]
    assert first.startswith("k=3 chosen: lowest BIC (lower is better)")
    assert "k=1: BIC" in proc.stdout and "k=8: BIC" in proc.stdout
    saved = json.loads((three_groups / "auto" / "history.json").read_text(encoding="utf-8"))
    assert saved["settings"]["k"] == 3
    ids = section_ids(three_groups / "auto" / "report.html")
    assert "selection" in ids and "restarts" in ids


def test_a_k_range_with_one_start_adds_only_the_selection(three_groups):
    run(three_groups, "fit", "three.csv", "-k", "2-4", "--column", "x", "--seed", "0",
        "--no-gif", "--no-mp4", "--out", "range", "-q")
    ids = section_ids(three_groups / "range" / "report.html")
    assert "selection" in ids and "restarts" not in ids
    saved = json.loads((three_groups / "range" / "history.json").read_text(encoding="utf-8"))
    assert saved["settings"]["k"] == 3


def test_animate_restarts_writes_the_small_multiples(three_groups):
    proc = run(three_groups, "fit", "three.csv", "-k", "2", "--n-init", "3", "--column", "x", "--seed", "9",
               "--tol", "0", "--max-iter", "5", "--animate-restarts", "--no-mp4", "--no-html", "--out", "restarts")
    assert "3 restarts of k=2" in proc.stdout and "restarts.gif" in proc.stdout
    frames = iio.imread(three_groups / "restarts" / "restarts.gif", index=None)
    # Three restarts in one row of 480x360 panels, one frame per epoch (0..5).
    assert frames.shape[:3] == (6, 360, 1440)
    assert (three_groups / "restarts" / "animation.gif").is_file()


def test_compare_writes_side_by_side_and_explains(three_groups):
    proc = run(three_groups, "compare", "three.csv", "-k", "2", "--method", "hard", "--method", "soft",
               "--column", "x", "--seed", "3", "--no-mp4", "--out", "cmp")
    assert "Labels vs responsibilities" in proc.stdout and "points differ" in proc.stdout
    out = three_groups / "cmp"
    for method in ("hard", "soft"):
        saved = json.loads((out / method / "history.json").read_text(encoding="utf-8"))
        assert saved["settings"]["method"] == method
    hard = json.loads((out / "hard" / "history.json").read_text(encoding="utf-8"))
    soft = json.loads((out / "soft" / "history.json").read_text(encoding="utf-8"))
    assert hard["snapshots"][0]["means"] == soft["snapshots"][0]["means"]
    frames = iio.imread(out / "compare.gif", index=None)
    assert frames.shape[1:3] == (480, 1280)
    ids = section_ids(out / "compare.html")
    assert {"summary", "animation", "differences", "components", "log-likelihood"} <= set(ids)


def test_compare_has_help_with_an_example(tmp_path):
    proc = run(tmp_path, "compare", "--help")
    assert "Example" in proc.stdout and "vizgmm compare" in proc.stdout


@pytest.mark.parametrize("args, words", [
    (["fit", "three.csv", "-k", "3-1"], ["runs backwards"]),
    (["fit", "three.csv", "-k", "two"], ["cannot read k"]),
    (["fit", "three.csv", "-k", "2", "--animate-restarts"], ["--n-init 2"]),
    (["fit", "three.csv", "-k", "1-3", "--means", "1,2", "--stds", "1,1"], ["explicit starting parameters"]),
    (["fit", "three.csv", "-k", "2", "--n-init", "0"], ["--n-init must be at least 1"]),
    (["compare", "three.csv", "-k", "2", "--method", "hard"], ["two different methods"]),
    (["compare", "three.csv", "-k", "2", "--frames"], ["no PNG frames"]),
])
def test_bad_selection_options_are_one_line_errors_and_write_nothing(three_groups, tmp_path, args, words):
    (tmp_path / "three.csv").write_bytes((three_groups / "three.csv").read_bytes())
    proc = run(tmp_path, *args, "--out", "nothing", check=False)
    assert_one_line_error(proc, *words)
    assert not (tmp_path / "nothing").exists()
