"""Attacks 5 and 6: user text is drawn as typed (no mathtext), checked before the fit; labels keep their identity."""

import html

import numpy as np
from cli_helpers import assert_one_line_error, run
from PIL import Image


def two_clusters_csv(path, header, labels):
    rng = np.random.default_rng(0)
    rows = [f"{header},label"]
    for centre, label in zip((230.0, 270.0), labels):
        rows += [f"{v!r},{label}" for v in rng.normal(centre, 4.0, 150).tolist()]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_mathtext_in_title_names_and_header_does_not_fail_after_the_fit(tmp_path):
    # Each of these made matplotlib's mathtext raise, with exit 1, after the whole fit.
    two_clusters_csv(tmp_path / "data.csv", r"size $\foo$", ("a", "b"))
    run(tmp_path, "fit", "data.csv", "-k", "2", "--max-iter", "3", "--no-mp4", "--no-html",
        "--title", r"costs $\foo$ and $6", "--component-names", r"$\bar$,$5",  "--out", "out")
    assert (tmp_path / "out" / "animation.gif").stat().st_size > 0


def test_dollars_are_drawn_as_typed(run_copy):
    """A title of dollar signs draws dollar signs: the frame differs from one titled with spaces."""
    def title_band(title, folder):
        run(run_copy, "render", "history.json", "--no-gif", "--no-mp4", "--frames", "--title", title, "--out", folder)
        pixels = np.asarray(Image.open(run_copy / folder / "frames" / "epoch_000.png").convert("L"))
        return pixels[: pixels.shape[0] * 6 // 100]  # the title line, above the epoch line

    dollars, spaces = title_band("$$$$", "dollars"), title_band("    ", "spaces")
    assert (dollars < 128).sum() > 20, "no dollar sign was drawn"
    assert (spaces < 128).sum() == 0


def test_title_checked_before_the_fit(tmp_path):
    two_clusters_csv(tmp_path / "data.csv", "x", ("a", "b"))
    proc = run(tmp_path, "fit", "data.csv", "-k", "2", "--component-names", "A," + "B" * 10_000,
               "--out", "out", check=False)
    assert_one_line_error(proc, "component name 2", "10,000 characters")
    assert not (tmp_path / "out").exists()


def test_labels_beyond_float_precision_keep_their_identity(tmp_path):
    # As float64 both became -9223372036854775808: one class, accuracy 50 %.
    two_clusters_csv(tmp_path / "data.csv", "x", ("10000000000000000000", "20000000000000000000"))
    run(tmp_path, "fit", "data.csv", "-k", "2", "--column", "x", "--labels-column", "label",
        "--no-gif", "--no-mp4", "--out", "out")
    page = html.unescape((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    assert "100.0 %" in page
    assert "10000000000000000000" in page and "20000000000000000000" in page
    assert "-9223372036854775808" not in page
