"""The report in a real browser (Debian's Chromium): it plays, fetches nothing, runs nothing hostile."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import vizgmm
from vizgmm.animate.api import render_gif, render_mp4

pytestmark = pytest.mark.browser

HOSTILE_TITLE = "<script>alert(1)</script> 발 크기 <img src=x onerror=alert(2)>"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def walk_report(tmp_path_factory):
    """The walk-through's report with every section: MP4 + GIF, true labels, selection, restarts, hostile names."""
    folder = tmp_path_factory.mktemp("report")
    x, sexes = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    history.true_labels = sexes
    history.meta.update(
        source="feet<script>alert(3)</script>.csv",
        feature_names=["발 크기 (mm) <b onmouseover=alert(4)>"],
        component_names=["여자 <i>", "남자 </td>"],
    )
    selection = vizgmm.select(x, [1, 2, 3], n_init=2, seed=0)
    gif = render_gif(history, folder / "walk.gif")
    mp4 = render_mp4(history, folder / "walk.mp4")
    path = vizgmm.report(
        history, folder / "report.html", title=HOSTILE_TITLE, gif_path=gif, mp4_path=mp4,
        selection=selection, restarts=selection.restarts,
    )
    return history, Path(path)


class Visit:
    """A page with everything it did recorded: console messages, page errors, requests, dialogs."""

    def __init__(self, browser, path, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.console, self.errors, self.requests, self.dialogs = [], [], [], []
        self.failed = {}
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("dialog", self._dialog)
        self.page.on("requestfailed", lambda req: self.failed.__setitem__(req.url, req.failure))
        self.url = Path(path).resolve().as_uri()
        self.page.goto(self.url, wait_until="load")

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def fetched(self):
        """Every request except the report itself and inline data: URIs."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(path, **context):
        v = Visit(browser, path, **context)
        visits.append(v)
        return v

    yield open_page
    for v in visits:
        v.close()


def wait_until_playable(page):
    # HAVE_CURRENT_DATA (2): a frame is decoded and can be shown.
    page.wait_for_function("document.querySelector('video').readyState >= 2", timeout=15_000)


def test_report_plays_fetches_nothing_and_runs_nothing_hostile(walk_report, visit, tmp_path):
    history, path = walk_report
    v = visit(path, viewport=DESKTOP)
    page = v.page
    page.wait_for_selector(".vzp[data-stop]")
    page.wait_for_timeout(300)  # give any injected script time to open a dialog

    assert v.errors == []
    assert [m for m in v.console if m.startswith("error")] == []
    assert v.fetched() == []
    assert v.requests[0] == v.url
    assert v.dialogs == []

    # The player is the animation; the video is its fallback, hidden while the player runs.
    player = page.locator(".vzp")
    assert player.is_visible()
    box = page.locator(".vzp-scene").bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    assert page.locator("video").is_hidden()
    # The only scripts are the player's own: its numbers (JSON) and its code.
    assert page.locator("script").count() == page.locator(".vzp > script").count() == 2

    assert page.locator("table.snapshots > tbody > tr:not(.events)").count() == len(history) == 11
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert page.title().startswith(HOSTILE_TITLE)
    assert "남자 </td>" in page.locator("#snapshots").inner_text()
    assert "남자 </td>" in page.locator(".vzp-table").inner_text()

    shot = tmp_path / "report-desktop.png"
    page.screenshot(path=str(shot), full_page=True)
    assert Image.open(shot).width == DESKTOP["width"]


def test_without_scripts_the_video_plays_instead(walk_report, visit):
    _, path = walk_report
    v = visit(path, viewport=DESKTOP, java_script_enabled=False)
    page = v.page
    wait_until_playable(page)
    assert v.fetched() == [] and v.errors == []
    video = page.locator("video")
    assert video.is_visible()
    box = video.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    size = page.evaluate("(() => { const v = document.querySelector('video'); return [v.videoWidth, v.videoHeight]; })()")
    assert size[0] > 0 and size[1] > 0
    # The video shows a picture, not an empty box: its pixels vary.
    frame = np.asarray(Image.open(io.BytesIO(video.screenshot())).convert("L"), dtype=float)
    assert frame.std() > 10


def test_phone_width_keeps_the_page_inside_the_screen(walk_report, visit, tmp_path):
    _, path = walk_report
    v = visit(path, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = v.page
    page.wait_for_selector(".vzp[data-stop]")
    assert v.fetched() == [] and v.errors == []
    # Only the wide tables scroll sideways, inside their own box; the page itself does not.
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    box = page.locator(".vzp-scene").bounding_box()
    assert 300 < box["width"] <= PHONE["width"] and box["height"] > 150
    for chart in page.locator("svg.chart").all():
        assert chart.bounding_box()["width"] <= PHONE["width"]
    font_px = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"))
    assert font_px >= 14
    page.screenshot(path=str(tmp_path / "report-phone.png"), full_page=True)


def test_dark_scheme_gives_a_dark_page_with_light_text(walk_report, visit):
    _, path = walk_report

    def luminance(css):
        r, g, b = [int(c) for c in css[css.index("(") + 1: css.index(")")].split(",")[:3]]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    colours = {}
    for scheme in ("light", "dark"):
        page = visit(path, viewport=DESKTOP, color_scheme=scheme).page
        colours[scheme] = page.evaluate(
            "(() => { const s = getComputedStyle(document.body); return [s.backgroundColor, s.color]; })()"
        )
    assert luminance(colours["light"][0]) > 200 and luminance(colours["light"][1]) < 80
    assert luminance(colours["dark"][0]) < 50 and luminance(colours["dark"][1]) > 180


def test_print_hides_navigation_and_keeps_the_figures(walk_report, visit):
    _, path = walk_report
    page = visit(path, viewport=DESKTOP).page
    page.emulate_media(media="print")
    assert page.locator("nav.toc").is_hidden()
    assert page.locator("#clustering img").is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in ("rgb(255, 255, 255)",)


def test_gif_only_report_shows_a_decoded_animation(walk_report, visit, tmp_path):
    history, _ = walk_report
    path = vizgmm.report(history, tmp_path / "gif.html", animation="gif", title="GIF only", player=False)
    v = visit(path, viewport=DESKTOP)
    page = v.page
    assert page.locator("video").count() == 0
    gif = page.locator("img.animation")
    page.wait_for_function("document.querySelector('img.animation').complete")
    assert gif.is_visible()
    natural = page.evaluate("(() => { const i = document.querySelector('img.animation'); return [i.naturalWidth, i.naturalHeight]; })()")
    assert natural[0] > 0 and natural[1] > 0
    assert v.fetched() == [] and v.errors == [] and v.dialogs == []
    assert [m for m in v.console if m.startswith("error")] == []


def test_the_content_security_policy_blocks_what_a_careless_template_adds(walk_report, visit, tmp_path):
    """Belt and braces: even a user template that tries to fetch or run something gets nowhere."""
    history, _ = walk_report
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "clustering.html").write_text(
        '<section id="clustering"><img id="remote" src="https://example.com/x.png" alt="remote">'
        '<img id="beside" src="walk.gif" alt="beside"><script>alert("inline")</script></section>\n'
    )
    path = vizgmm.report(history, tmp_path / "careless.html", animation="none", template_dir=tmp_path / "mine")
    v = visit(path, viewport=DESKTOP)
    v.page.wait_for_timeout(300)
    tried = v.fetched()
    assert len(tried) == 2  # the remote image and the file beside the report ...
    assert all(v.failed.get(url) == "csp" for url in tried)  # ... both stopped by the policy, before any fetch
    assert v.dialogs == []
    assert v.page.evaluate("document.getElementById('remote').naturalWidth") == 0
    assert any("Content Security Policy" in m for m in v.console)


def test_four_feature_epoch_table_fits_the_column(visit, tmp_path):
    # Issue 20.9: iris's 4-D table was wider than the 960 px column at 1280 px and cut its events.
    from sklearn.datasets import load_iris

    history = vizgmm.fit(load_iris().data, 3, method="hard", seed=0)
    assert any(s.events for s in history)
    path = vizgmm.report(history, tmp_path / "iris.html")
    page = visit(path, viewport=DESKTOP).page
    box = page.locator("#snapshots .table-scroll")
    width = box.evaluate("b => [b.clientWidth, b.scrollWidth]")
    assert width[1] <= width[0], width
    # The events sit on their own line inside the table's box, whole.
    event = page.locator("#snapshots tr.events .event").last
    assert event.inner_text().startswith("converged after")
    right = box.bounding_box()["x"] + box.bounding_box()["width"]
    assert event.bounding_box()["x"] + event.bounding_box()["width"] <= right + 0.5
    assert page.locator("#snapshots thead th").all_inner_texts()[3] == "σ per axis"
