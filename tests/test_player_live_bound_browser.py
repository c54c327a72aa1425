"""The live player's lower-bound view in Chromium: at every live stop its numbers are vizgmm.bound_slice's on
the page's points from the page's start, and it starts over with the reader's changes (here a new k)."""

import numpy as np
import pytest

import vizgmm
from tests import test_player_live_browser as live_tests
from tests.test_player_live_browser import DESKTOP, PHONE, browser_test, payload, python_fit, steps
from vizgmm.pages.player_bound import _caption_numbers

pytest.importorskip("playwright.sync_api")

# The live player tests' fixtures: the same fits, files and browser visits.
walk, soft2d, files, visit = live_tests.walk, live_tests.soft2d, live_tests.files, live_tests.visit


def bound_caption(player):
    return player.locator(".vzp-bound-caption").inner_text()


def numbers(h, epoch):
    """(log p, L, gap) as the caption writes them, at t = 0 (the E-stop) and t = 1 (the M-stop) of ``epoch``."""
    log_p, bound = vizgmm.bound_slice(h, epoch, [0.0, 1.0])
    return _caption_numbers(log_p[0], bound[0]), _caption_numbers(log_p[1], bound[1])


@browser_test
@pytest.mark.parametrize("name", ["walk", "soft2d"])
def test_the_live_bound_is_bound_slices_at_every_stop(files, walk, soft2d, visit, name):
    history = {"walk": walk, "soft2d": soft2d}[name]
    v = visit(files[name], viewport=DESKTOP)
    player = v.page.locator(".vzp")
    live = payload(player)["live"]
    X = np.asarray(live["X"]).reshape(-1, history.d)
    block = player.locator(".vzp-bound-block")
    assert block.count() == 1 and block.is_visible()
    N = 4
    h, _ = python_fit(X, live["start"], history, N)
    at_zero, _ = numbers(h, 1)
    assert bound_caption(player).startswith(f"Start: log p = {at_zero[0]}. ")
    assert block.get_attribute("data-at") == "start"
    for epoch in range(1, N + 1):
        at_zero, at_one = numbers(h, epoch)
        steps(player, 1)
        assert (block.get_attribute("data-epoch"), block.get_attribute("data-at")) == (str(epoch), "e")
        assert bound_caption(player).startswith(
            f"E-step of epoch {epoch}: log p = {at_zero[0]}, bound L = {at_zero[1]}, gap = {at_zero[2]}. ")
        steps(player, 1)
        assert (block.get_attribute("data-epoch"), block.get_attribute("data-at")) == (str(epoch), "m")
        assert bound_caption(player).startswith(
            f"M-step of epoch {epoch}: log p = {at_one[0]}, bound L = {at_one[1]}, gap = {at_one[2]}. "
            f"The M-step climbed the bound from L = {at_zero[1]} to its peak. ")
    if history.settings["method"] == "hard":
        assert "hard EM maximises the classification likelihood" in bound_caption(player)
    else:
        assert at_zero[2] == "0.00"  # soft EM's bound touches at the E-step
    # The path so far: one polyline point per sample of every epoch's segment [0, 1].
    assert len(player.locator(".vzp-bound .vzp-path").get_attribute("points").split()) == 1 + 8 * N
    assert "NaN" not in player.inner_text()
    assert v.clean()


@browser_test
def test_the_live_bound_starts_over_with_the_readers_changes(files, soft2d, visit):
    v = visit(files["soft2d"], viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page, player = v.page, v.page.locator(".vzp")
    block = player.locator(".vzp-bound-block")
    steps(player, 3)
    assert block.get_attribute("data-epoch") == "2"
    player.get_by_label("Number of components k").select_option("3")
    assert block.get_attribute("data-at") == "start"
    steps(player, 2)
    X = np.asarray(payload(player)["live"]["X"]).reshape(-1, 2)
    from vizgmm.model.starts import spread_start

    # vizgmm's "spread" start, as the page's k menu makes it (the bound does not depend on the components' order).
    means, covs, weights = spread_start(X, 3, 1e-6)
    h = vizgmm.fit(X, 3, method="soft", tol=0, max_iter=1, init={"means": means, "covariances": covs, "weights": weights})
    _, at_one = numbers(h, 1)
    assert bound_caption(player).startswith(f"M-step of epoch 1: log p = {at_one[0]}, bound L = {at_one[1]}, ")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert v.clean()


@browser_test
def test_at_desktop_width_the_2d_table_shows_every_column_beside_both_charts(files, soft2d, visit, tmp_path):
    recorded = vizgmm.player(soft2d, tmp_path / "recorded.html")
    for path in (recorded, files["soft2d"]):
        v = visit(path, viewport=DESKTOP)
        wrap = v.page.locator(".vzp-table-wrap")
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")  # no column behind a scroll bar
        rows = {round(v.page.locator(sel).bounding_box()["y"]) for sel in (".vzp-table-wrap", ".vzp-ll-block",
                                                                           ".vzp-bound-block")}
        assert len(rows) == 1  # one row: the table, the log-likelihood, the bound
        assert v.clean()
