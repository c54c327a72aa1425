"""-k auto/ranges say when the chosen k is the top of the range tried (issue 20, point 12)."""

import numpy as np
from cli_helpers import run


def test_choosing_the_largest_k_tried_suggests_a_wider_range(tmp_path):
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(100 * j, 1, 80) for j in range(5)])  # five far-apart groups
    np.savetxt(tmp_path / "five.txt", x)
    proc = run(tmp_path, "fit", "five.txt", "-k", "1-3", "--no-gif", "--no-mp4", "--no-html", "--out", "out")
    assert "k=3 is the largest k tried (1-3)" in proc.stderr and "-k 1-6" in proc.stderr
    proc = run(tmp_path, "fit", "five.txt", "-k", "3-7", "--no-gif", "--no-mp4", "--no-html", "--out", "out2")
    assert "largest k tried" not in proc.stderr
