"""Issue 20.11: after choosing k (-k auto, a range, --n-init) the animated run starts from "spread" and moves."""

import json

import numpy as np
import pytest
from cli_helpers import run


@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    """Three well-separated 2-D groups (true k = 3) along a band, as longitude/latitude; and three off it."""
    folder = tmp_path_factory.mktemp("select-animated")
    rng = np.random.default_rng(5)
    for name, centres in (("groups", [(165.0, -20.0), (174.0, -22.5), (183.0, -24.0)]),
                          ("triangle", [(165.0, -20.0), (175.0, -15.0), (182.0, -28.0)])):
        xy = np.vstack([rng.normal(c, (1.5, 1.2), (250, 2)) for c in centres])
        (folder / f"{name}.csv").write_text("long,lat\n" + "".join(f"{a:.3f},{b:.3f}\n" for a, b in xy),
                                           encoding="utf-8")
        if name == "groups":
            band = xy
    return folder, band


def _history(folder, out):
    return json.loads((folder / out / "history.json").read_text(encoding="utf-8"))


def _travel(saved, xy):
    """How far the means move from the first snapshot to the last, at most over the components, in data spreads."""
    first = np.array(saved["snapshots"][0]["means"], dtype=float)
    last = np.array(saved["snapshots"][-1]["means"], dtype=float)
    return float((np.abs(last - first) / xy.std(axis=0)).max())


@pytest.mark.parametrize("args", [("-k", "auto"), ("-k", "3", "--n-init", "3"), ("-k", "2-4")])
def test_the_chosen_k_is_animated_from_the_spread_start(groups, args):
    folder, xy = groups
    out = "out-" + "-".join(a.strip("-") for a in args)
    run(folder, "fit", "groups.csv", *args, "--columns", "long,lat", "--seed", "0", "--no-gif", "--no-mp4",
        "--no-html", "--out", out, "-q")
    saved = _history(folder, out)
    assert saved["settings"]["k"] == 3
    assert saved["settings"]["init"] == "spread"
    # k-means++ starts on the answer (a travel of ~0.05 spreads over 2 epochs); the spread start beyond the data.
    assert _travel(saved, xy) > 0.5
    assert len(saved["snapshots"]) >= 5


def test_an_explicit_init_is_kept(groups):
    folder, _ = groups
    run(folder, "fit", "groups.csv", "-k", "2-4", "--init", "kmeans++", "--columns", "long,lat", "--seed", "0",
        "--no-gif", "--no-mp4", "--no-html", "--out", "explicit", "-q")
    assert _history(folder, "explicit")["settings"]["init"] == "kmeans++"


def test_a_worse_spread_run_is_not_shown_and_the_note_says_why(groups):
    """Three groups off one line: the spread start (means along the first principal axis) ends in a worse optimum."""
    folder, _ = groups
    proc = run(folder, "fit", "triangle.csv", "-k", "3", "--n-init", "3", "--columns", "long,lat", "--seed", "0",
               "--no-gif", "--no-mp4", "--no-html", "--out", "triangle")
    assert "more than 1% below the best of 3 k-means++ starts'" in proc.stderr
    assert "showing the k-means++ fit (choose with --init)" in proc.stderr
    assert _history(folder, "triangle")["settings"]["init"] == "kmeans++"
