"""Histogram bins respect rounded data (issue 20, point 5): whole numbers get edges on half-units.

Old Faithful's waiting times are whole minutes (43 to 96); 50 equal bins over that range are
1.06 minutes wide, so some bins hold two possible values and their neighbours one or none: a comb.
"""

import numpy as np

import vizgmm
from vizgmm.look.geometry import data_unit, histogram_edges


def _whole_minutes(seed=0):
    rng = np.random.default_rng(seed)
    return np.round(np.concatenate([rng.normal(54.5, 5.9, 97), rng.normal(80.0, 5.9, 175)]))


def test_whole_numbers_get_bins_on_half_units_each_holding_the_same_number_of_values():
    x = _whole_minutes()
    assert data_unit(x) == 1.0
    edges = histogram_edges(x)
    assert np.allclose((edges - 0.5) % 1, 0)                      # edges on half-units
    widths = np.diff(edges)
    assert np.allclose(widths, widths[0]) and widths[0] >= 1     # a whole number of minutes each
    assert edges[0] < x.min() and edges[-1] > x.max()
    # No comb: every possible value inside the range falls in exactly one bin, and each bin has as many.
    values = np.arange(x.min(), x.max() + 1)
    per_bin = np.histogram(values, bins=edges)[0]
    assert set(per_bin[:-1].tolist()) == {int(round(widths[0]))}


def test_one_decimal_data_get_tenth_units_and_measured_data_keep_equal_bins():
    x = np.round(np.random.default_rng(1).normal(40, 3, 300), 1)
    assert data_unit(x) == 0.1
    assert np.allclose(np.round((histogram_edges(x) - 0.05) * 10) / 10, histogram_edges(x) - 0.05)
    measured = np.random.default_rng(2).normal(0, 1, 300)
    assert data_unit(measured) is None
    assert np.allclose(histogram_edges(measured), np.linspace(measured.min(), measured.max(), 51))


def test_frames_of_whole_number_data_show_no_comb(tmp_path):
    """The drawn histogram's bars (read back from the frame's matplotlib artist) do not alternate."""
    x = _whole_minutes()
    history = vizgmm.fit(x, 2, max_iter=5)
    from vizgmm.animate.scenes.scene1d import Scene1D
    from vizgmm.look import presets

    scene = Scene1D(history, preset=presets.preset("blog"), theme=presets.theme("light"))
    stairs = [a for a in scene.ax.patches if type(a).__name__ == "StepPatch"]
    assert stairs, "no histogram drawn"
    heights, edges = stairs[0].get_data().values, stairs[0].get_data().edges
    assert np.allclose((edges - 0.5) % 1, 0)
    inside = heights[(edges[:-1] > x.min() + 5) & (edges[1:] < x.max() - 5)]
    assert (inside > 0).all(), "empty bins inside the data: a comb"


def _unit_by_reading_everything(x):
    """The rule of data_unit, read off every value at every scale (no sample first)."""
    for decimals in range(7):
        scaled = np.asarray(x, dtype=float) * 10.0**decimals
        if np.abs(scaled).max() > 2**52:
            return None
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return 10.0**-decimals
    return None


def test_the_unit_is_every_values_unit_even_where_the_first_values_read_agree_on_a_coarser_one():
    # 100,000 whole minutes but one, off the sample's stride, that has two decimals: the sample alone
    # says 1, every value says 0.01. Also one decimal, measured values, a huge value and identical ones.
    rng = np.random.default_rng(3)
    whole = rng.integers(40, 100, 100_000).astype(float)
    odd = whole.copy()
    odd[12_345] += 0.25
    cases = {"whole": whole, "one value with two decimals": odd,
             "one decimal": np.round(rng.normal(50, 9, 50_000), 1),
             "measured": rng.normal(50, 9, 50_000), "huge": np.array([1e15, 2e15, 3.5]),
             "identical": np.full(10_000, 4.0)}
    for name, x in cases.items():
        assert data_unit(x) == _unit_by_reading_everything(x), name
    assert data_unit(odd) == 0.01
