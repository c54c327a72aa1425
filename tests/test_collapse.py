"""Collapse: detected during the fit, explained, and never the reason a k is chosen (issue 23.1)."""

import re
import warnings

import imageio.v3 as iio
import numpy as np
import pytest
from cli_helpers import run

import vizgmm
from vizgmm.model.collapse import COLLAPSE_FACTOR, COLLAPSE_FRACTION, tie_share


def rounded_eruptions(seed=0):
    """Eruption-like durations: two clusters, and many values recorded as exactly 2.0 and 4.0 minutes."""
    rng = np.random.default_rng(seed)
    values = np.r_[rng.normal(2.0, 0.3, 70), rng.normal(4.3, 0.4, 130), np.full(25, 2.0), np.full(45, 4.0)]
    return values.round(3)


def test_auto_k_skips_collapsed_fits_and_says_which_and_why():
    x = rounded_eruptions()
    with pytest.warns(UserWarning, match=r"repeat a value .* raise reg_covar"):
        selection = vizgmm.select(x, "auto", n_init=3, seed=1)
    # Before: k = 7 won on BIC with two components at σ ≈ 0.001 on 2.0 and 4.0 and a positive log-likelihood.
    assert selection.best_k == 2
    assert selection.skipped and 7 in selection.skipped
    assert f"k={','.join(map(str, selection.skipped))} skipped" in selection.summary
    assert "collapsed" in selection.summary
    for k in selection.ks:  # no scored fit has a collapsed component
        assert all(e["type"] != "collapse" for h in selection.fits[k] for e in h.final.events)
    for spike in selection.collapsed:  # and every unscored one does, on one of the repeated values
        assert spike["k"] not in selection.fits or all(h.meta["restart"] != spike["restart"]
                                                       for h in selection.fits[spike["k"]])
        assert re.search(r"the repeated value [24] \(\d+ points\)", spike["message"]), spike["message"]


def test_collapse_event_appears_at_the_first_epoch_a_variance_reaches_the_floor():
    x = rounded_eruptions()
    history = vizgmm.fit(x, 7, seed=3, reg_covar=1e-6)
    floor = COLLAPSE_FACTOR * 1e-6
    for snap in history:
        by_definition = {j for j in range(7) if snap.weights[j] > 0 and snap.covariances[j].min() <= floor}
        recorded = {e["component"] for e in snap.events if e["type"] == "collapse"}
        assert recorded == by_definition, snap.epoch
    first = next(s.epoch for s in history if any(e["type"] == "collapse" for e in s.events))
    assert 0 < first < history.final.epoch
    # The log-likelihood is what the collapse buys: it rises after the first collapse.
    assert history.final.log_likelihood > history[first - 1].log_likelihood
    event = next(e for e in history.final.events if e["type"] == "collapse")
    j = event["component"]
    value = float(history.final.means[j, 0])
    held = int(np.sum(history.final.labels == j))
    assert round(value, 3) in (2.0, 4.0)
    assert f"component {j + 1} collapsed onto the repeated value {value:.4g} ({held} points)" in event["message"]
    assert "reg_covar (now 1e-06)" in event["message"]


def test_a_spike_in_large_units_is_a_collapse_although_its_variance_is_above_the_floor():
    rng = np.random.default_rng(2)
    spread = rng.normal(0.0, 1000.0, 300)
    spike = 5000.0 + rng.normal(0.0, 0.01, 40)  # σ 1e-5 of the data's, far above reg_covar's floor
    x = np.r_[spread, spike]
    history = vizgmm.fit(x, 2, init={"means": [0.0, 5000.0], "stds": [800.0, 100.0], "weights": [0.5, 0.5]})
    sigma = np.sqrt(history.final.covariances[:, 0, 0])
    spiky = int(np.argmin(sigma))
    assert sigma[spiky] < COLLAPSE_FRACTION * x.std() and sigma[spiky] ** 2 > COLLAPSE_FACTOR * 1e-6
    assert [e["component"] for e in history.final.events if e["type"] == "collapse"] == [spiky]


def test_distinct_data_neither_warn_nor_skip():
    rng = np.random.default_rng(4)
    x = np.r_[rng.normal(0, 1, 150), rng.normal(6, 1, 150)]
    assert tie_share(x[:, None]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        selection = vizgmm.select(x, "1-4", n_init=2, seed=0)
    assert selection.collapsed == [] and selection.skipped == [] and selection.warning is None
    assert selection.best_k == 2


def test_cli_names_the_skipped_k_and_warns_once(tmp_path):
    np.savetxt(tmp_path / "eruptions.csv", rounded_eruptions(), header="eruptions", comments="", fmt="%.3f")
    proc = run(tmp_path, "fit", "eruptions.csv", "-k", "auto", "--n-init", "3", "--seed", "1",
               "--no-gif", "--no-mp4", "--no-html", "--out", "out")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("k=2 chosen")
    assert re.search(r"k=[\d,]*7[\d,]* skipped: every restart collapsed", proc.stdout)
    assert re.search(r"^  k=7: 3 of 3 restarts not scored; e\.g\. component \d collapsed onto the repeated value",
                     proc.stdout, re.M)
    warning_lines = [line for line in proc.stderr.splitlines() if line.startswith("vizgmm: warning:")]
    assert len(warning_lines) == 1 and "repeat a value" in warning_lines[0]


def test_collapse_demo_scene_writes_both_fits_side_by_side(tmp_path):
    proc = run(tmp_path, "demo", "--scene", "collapse", "--no-mp4", "--out", "out", "-q")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    tiny = vizgmm.History.load(out / "collapses" / "history.json")
    sensible = vizgmm.History.load(out / "sensible" / "history.json")
    assert tiny.settings["reg_covar"] == 1e-6 and sensible.settings["reg_covar"] == 1e-2
    # One start, two floors: the same initial parameters, and only the tiny floor collapses.
    np.testing.assert_array_equal(tiny[0].means, sensible[0].means)
    assert any(e["type"] == "collapse" for e in tiny.final.events)
    assert not any(e["type"] == "collapse" for s in sensible for e in s.events)
    first = next(s.epoch for s in tiny if any(e["type"] == "collapse" for e in s.events))
    assert tiny.meta["title"] == f"reg_covar 1e-06: collapses at epoch {first}"
    frames = iio.imread(out / "collapse.gif", index=None)
    assert frames.shape[0] == max(len(tiny), len(sensible)) and frames.shape[2] == 2 * 640
    assert not (out / "collapse.mp4").exists()
