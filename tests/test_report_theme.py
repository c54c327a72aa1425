"""report --theme dark colours the whole page (issue 20, point 9), not only the player's box."""

import pytest

import vizgmm

pytestmark = pytest.mark.browser


def _background(browser, path, scheme):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page.goto(path.as_uri())
        return page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    finally:
        page.close()


def _luma(css):
    r, g, b = (float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_theme_report_is_dark_on_a_light_system_and_light_follows_the_system(browser, walk, tmp_path):
    dark = vizgmm.report(walk, tmp_path / "dark.html", theme="dark", animation="none")
    plain = vizgmm.report(walk, tmp_path / "plain.html", animation="none")
    assert _luma(_background(browser, dark, "light")) < 60
    assert _luma(_background(browser, plain, "light")) > 200
    assert _luma(_background(browser, plain, "dark")) < 60   # no theme: the reader's system decides
