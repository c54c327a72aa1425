"""The player's lower-bound view in Chromium: it moves with the E/M stops and its numbers are bound_slice's."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import vizgmm

pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NUMBER = re.compile(r"[−-]?[\d,]+\.\d+")


@pytest.fixture(scope="module")
def fits(tmp_path_factory):
    x, _ = vizgmm.walkthrough_data(seed=0)
    folder = tmp_path_factory.mktemp("bound-player")
    out = {}
    for method in ("hard", "soft"):
        h = vizgmm.fit(x, 2, method=method, init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=6)
        out[method] = (h, vizgmm.player(h, folder / f"{method}.html", half_steps=True))
    return out


@pytest.fixture
def page_of(browser):
    contexts = []

    def open_page(path, fragment="", **context):
        context.setdefault("reduced_motion", "reduce")
        ctx = browser.new_context(**context)
        contexts.append(ctx)
        page = ctx.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: page.problems.append(str(e)))
        page.goto(Path(path).resolve().as_uri() + fragment, wait_until="load")
        page.wait_for_selector(".vzp[data-stop]")
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


def caption_numbers(page):
    text = page.locator(".vzp-bound-caption").text_content()
    return text, [float(v.replace("−", "-").replace(",", "")) for v in NUMBER.findall(text)]


def decimals(text):
    return len(NUMBER.search(text).group().split(".")[1])


@pytest.mark.parametrize("method", ["soft", "hard"])
def test_bound_view_follows_the_half_steps_and_prints_bound_slice(fits, page_of, method):
    history, path = fits[method]
    page = page_of(path, "#epoch=1e")
    block = page.locator(".vzp-bound-block")
    seen = []
    for epoch in range(1, history.epochs + 1):
        for at, t in (("e", 0.0), ("m", 1.0)):
            assert page.locator(".vzp").get_attribute("data-stop") == f"{epoch}{'e' if at == 'e' else ''}"
            assert block.get_attribute("data-epoch") == str(epoch)
            assert block.get_attribute("data-at") == at
            text, shown = caption_numbers(page)
            log_p, bound = (float(v) for v in vizgmm.bound_slice(history, epoch, t))
            half_unit = 0.5 * 10.0 ** -decimals(text) + 1e-9
            # log p, L, gap at the stop, at the printed precision.
            assert shown[:3] == pytest.approx([log_p, bound, log_p - bound], abs=half_unit), text
            if method == "hard":
                assert f"Hard labels leave a gap of {text.split('gap = ')[1].split('.')[0]}" in text
                assert "classification likelihood, not the likelihood" in text
                assert log_p - bound > 1  # the gap that never closes, also at the E-stop
            elif at == "e":
                assert abs(shown[2]) == 0 and "touches" in text
            marker = page.locator(".vzp-on-path")
            seen.append((float(marker.get_attribute("cx")), float(marker.get_attribute("cy"))))
            page.click(".vzp-next")
    xs = [x for x, _ in seen]
    # The marker walks right along EM's path: an E-stop at x = e − 1, its M-stop one epoch on, where the
    # next E-stop (the same parameters) sits too, up to the pixels' rounding to 0.1.
    places = []
    for x in xs:
        if not places or abs(x - places[-1]) > 0.25:
            places.append(x)
    assert places == sorted(places) and len(places) == history.epochs + 1, xs
    assert xs[1] - xs[0] == pytest.approx(xs[3] - xs[2], abs=0.2)
    assert page.problems == []


def test_the_e_stop_shows_the_lift_from_the_last_peak(fits, page_of):
    history, path = fits["soft"]
    page = page_of(path, "#epoch=3e")
    lift = page.locator(".vzp-lift")

    def shown(locator):  # a vertical line has an empty box, which Playwright's is_visible calls hidden
        return locator.evaluate("e => getComputedStyle(e).display !== 'none'")

    assert shown(lift) and page.locator(".vzp-old-bound").is_visible()
    # SVG y grows downward: the new touch point (y2) lies above the last bound's peak (y1).
    assert float(lift.get_attribute("y2")) <= float(lift.get_attribute("y1"))
    page.click(".vzp-next")
    assert not shown(lift) and not shown(page.locator(".vzp-old-bound")) and page.locator(".vzp-climb").is_visible()


@pytest.mark.parametrize("method", ["soft", "hard"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_nothing_overflows_on_a_phone(fits, page_of, method, theme):
    page = page_of(fits[method][1], "#epoch=2e", viewport=PHONE, color_scheme=theme)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator(".vzp-bound-block").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    caption = page.locator(".vzp-bound-caption").bounding_box()
    assert caption["x"] + caption["width"] <= PHONE["width"]
    assert page.problems == []


def test_no_bound_view_for_kmeans(tmp_path):
    x, _ = vizgmm.walkthrough_data(seed=0)
    means = np.array([[210.0], [290.0]])
    h = vizgmm.kmeans(x, 2, means, max_iter=5)
    html = vizgmm.player(h, tmp_path / "k.html").read_text(encoding="utf-8")
    assert '<div class="vzp-bound-block"' not in html
    soft = vizgmm.fit(x, 2, init=vizgmm.WALKTHROUGH_INIT, max_iter=5)
    assert '<div class="vzp-bound-block"' in vizgmm.player(soft, tmp_path / "s.html").read_text(encoding="utf-8")


def test_the_live_player_leaves_out_the_recorded_fits_bound(fits, tmp_path):
    """The live page runs its own EM from the reader's points: the recorded path's bound would describe another fit.

    Its bound view is the page's own (tests/test_player_live_bound_browser.py): an empty frame the script fills.
    """
    history, _ = fits["soft"]
    html = vizgmm.player(history, tmp_path / "live.html", live=True).read_text(encoding="utf-8")
    assert '<div class="vzp-bound-block" data-method="soft" data-live="">' in html
    data = json.loads(re.search(r'<script type="application/json" class="vzp-data">(.*?)</script>', html, re.S).group(1))
    assert data["bound"]["live"] is True and "ll" not in data["bound"] and "numbers" not in data["bound"]
    assert '<div class="vzp-bound-block"' in vizgmm.player(history, tmp_path / "p.html").read_text(encoding="utf-8")


def zoom_scale(page):
    """The zoomed y axis as (pixel → value): a line through its tick labels' places and values."""
    ticks = page.locator(".vzp-zoom-axes .vzp-ticks text[text-anchor='end']")
    places = [float(ticks.nth(a).get_attribute("y")) - 5 for a in range(ticks.count())]
    values = [float(ticks.nth(a).text_content().replace("−", "-").replace(",", "")) for a in range(ticks.count())]
    assert len(values) >= 2, values
    slope, offset = np.polyfit(places, values, 1)
    return lambda y: slope * y + offset, abs(slope)


def test_the_zoom_shows_one_epoch_at_its_own_scale_and_its_numbers(fits, page_of):
    history, path = fits["soft"]
    page = page_of(path, "#epoch=5e")
    block, lift = page.locator(".vzp-bound-block"), page.locator(".vzp-lift")
    whole_lift = float(lift.get_attribute("y1")) - float(lift.get_attribute("y2"))
    whole_x = float(page.locator(".vzp-on-path").get_attribute("cx"))
    caption = page.locator(".vzp-bound-caption").text_content()
    assert block.get_attribute("data-zoom") == "0"

    page.check(".vzp-bound-zoom input")
    assert block.get_attribute("data-zoom") == "1"
    assert page.locator(".vzp-zoom-axes").is_visible() and not page.locator(".vzp-whole-axes").is_visible()
    zoomed_lift = float(lift.get_attribute("y1")) - float(lift.get_attribute("y2"))
    # The E-step's lift from the last bound's peak fills a good share of the box (about 15 px of the
    # whole path's box here at epoch 5; a pixel or two at epoch 7 of the walk-through's default fit).
    assert zoomed_lift >= 30 and zoomed_lift > 2 * whole_lift, (whole_lift, zoomed_lift)
    assert page.locator(".vzp-bound-caption").text_content() == caption  # the numbers do not change
    value_at, per_pixel = zoom_scale(page)
    log_p, _ = vizgmm.bound_slice(history, 5, 0.0)
    # The drawn touch point reads, off the zoomed axis' own labels, as log p to about a pixel.
    assert value_at(float(page.locator(".vzp-on-path").get_attribute("cy"))) == pytest.approx(
        float(log_p), abs=1.5 * per_pixel)
    x_labels = page.locator(".vzp-zoom-axes .vzp-ticks text[text-anchor='middle']").all_text_contents()
    assert x_labels == ["4", "5"]

    page.click(".vzp-next")  # the M-stop, still zoomed: the marker on the bound at its peak, t = 1
    assert block.get_attribute("data-at") == "m" and block.get_attribute("data-zoom") == "1"
    value_at, per_pixel = zoom_scale(page)
    _, bound = vizgmm.bound_slice(history, 5, 1.0)
    assert value_at(float(page.locator(".vzp-on-bound").get_attribute("cy"))) == pytest.approx(
        float(bound), abs=1.5 * per_pixel)

    page.click(".vzp-prev")
    page.uncheck(".vzp-bound-zoom input")
    assert block.get_attribute("data-zoom") == "0" and page.locator(".vzp-whole-axes").is_visible()
    assert float(page.locator(".vzp-on-path").get_attribute("cx")) == whole_x
    assert page.problems == []
