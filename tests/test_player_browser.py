"""The epoch player in a real browser (Debian's Chromium): what a reader sees at each stop, and how to get there."""

import re
from pathlib import Path

import numpy as np
import pytest

import vizgmm
from vizgmm.look.notes import format_value

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    h = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    h.meta.update(feature_names=["foot size (mm)"], title="Foot sizes", component_names=["여자", "남자"])
    return h


@pytest.fixture(scope="module")
def soft2d():
    rng = np.random.default_rng(3)
    a = rng.multivariate_normal([0, 0], [[4, 1.5], [1.5, 2]], 400)
    b = rng.multivariate_normal([6, 30], [[1, -0.8], [-0.8, 9]], 300)  # a second column on another scale
    h = vizgmm.fit(np.vstack([a, b]), 2, method="soft", seed=1, max_iter=15, tol=0)
    h.meta.update(feature_names=["width", "height"])
    return h


@pytest.fixture(scope="module")
def files(walk, soft2d, tmp_path_factory):
    folder = tmp_path_factory.mktemp("player")
    out = {
        "walk": vizgmm.player(walk, folder / "walk.html"),
        "soft2d": vizgmm.player(soft2d, folder / "soft2d.html", theme="dark"),
    }
    first = vizgmm.player(walk, folder / "a.html", embed=True).read_text(encoding="utf-8")
    second = vizgmm.player(soft2d, folder / "b.html", embed=True, half_steps=True).read_text(encoding="utf-8")
    blog = folder / "blog.html"
    blog.write_text(
        "<!doctype html><html><head><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        "<style>p { color: rgb(1, 2, 3); } button { color: rgb(4, 5, 6); }</style></head><body>"
        f"<p id=before>A paragraph of the blog.</p>{first}<p>Between the players.</p>{second}"
        "<button id=theirs>the blog's own button</button></body></html>",
        encoding="utf-8",
    )
    out["blog"] = blog
    return out


class Visit:
    def __init__(self, browser, path, fragment="", **context):
        context.setdefault("reduced_motion", "reduce")
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.console, self.errors, self.requests = [], [], []
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.url = Path(path).resolve().as_uri()
        self.page.goto(self.url + fragment, wait_until="load")
        self.page.wait_for_selector(".vzp[data-stop]")

    def clean(self):
        """No error, no warning from the page, and nothing fetched but the file itself."""
        others = [u for u in self.requests if u.split("#")[0] != self.url]
        return self.errors == [] and [m for m in self.console if m.startswith(("error", "warning"))] == [] and others == []


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(path, fragment="", **context):
        v = Visit(browser, path, fragment, **context)
        visits.append(v)
        return v

    yield open_page
    for v in visits:
        v.context.close()


def stop(page, which=0):
    return page.locator(".vzp").nth(which).get_attribute("data-stop")


def table(page, which=0):
    return [[c.strip() for c in row] for row in page.locator(".vzp").nth(which).locator(".vzp-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent))")]


def payload(page, which=0):
    return page.locator(".vzp").nth(which).locator("script.vzp-data").evaluate("s => JSON.parse(s.textContent)")


def to_data(view, px, py):
    x0, x1, y0, y1 = view["box"]
    x = view["xlim"][0] + (px - x0) / (x1 - x0) * (view["xlim"][1] - view["xlim"][0])
    y = view["ylim"][0] + (py - y0) / (y1 - y0) * (view["ylim"][1] - view["ylim"][0])
    return x, y


def curve_peak(page, j):
    """The highest points of component j's drawn curve, read back from its SVG path, in pixels: (x first, x last, y).

    The path keeps 0.01 px, so on a broad top the vertex at the mean can tie with a neighbour.
    """
    d = page.locator(f".vzp-curve.k{j}").get_attribute("d")
    pts = np.array([[float(a), float(b)] for a, b in re.findall(r"[ML]([-\d.]+),([-\d.]+)", d)])
    top = pts[pts[:, 1] == pts[:, 1].min()]
    return top[:, 0].min(), top[:, 0].max(), top[0, 1]


# -- controls and keys ------------------------------------------------------------------------
def test_each_control_and_key_moves_to_the_expected_stop(files, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    page = v.page
    assert stop(page) == "0"
    page.get_by_role("button", name="Step forward").click()
    assert stop(page) == "1"
    page.get_by_role("button", name="Step forward").click()
    assert stop(page) == "2"
    page.get_by_role("button", name="Step back").click()
    assert stop(page) == "1"
    page.get_by_role("button", name="Last stop").click()
    assert stop(page) == "10"
    page.get_by_role("button", name="Step forward").click()
    assert stop(page) == "10"  # nothing after the last
    page.get_by_role("button", name="First stop").click()
    assert stop(page) == "0"
    page.get_by_role("slider", name="Stop").fill("6")
    assert stop(page) == "6"

    page.locator(".vzp-scene").focus()
    page.keyboard.press("ArrowRight")
    assert stop(page) == "7"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert stop(page) == "5"
    page.keyboard.press("End")
    assert stop(page) == "10"
    page.keyboard.press("Home")
    assert stop(page) == "0"

    player = page.locator(".vzp")
    page.keyboard.press(" ")
    assert player.get_attribute("data-playing") is not None
    assert page.get_by_role("button", name="Pause").is_visible()
    # It plays on by itself: two stops on (polled, so not "exactly 2", which a busy machine may skip past).
    page.wait_for_function("() => Number(document.querySelector('.vzp').dataset.stop) >= 2", timeout=10_000)
    page.keyboard.press(" ")
    assert player.get_attribute("data-playing") is None
    held = stop(page)
    page.wait_for_timeout(1200)
    assert stop(page) == held  # paused means paused
    page.get_by_role("button", name="Play").click()
    assert player.get_attribute("data-playing") is not None
    page.get_by_role("button", name="Pause").click()
    assert player.get_attribute("data-playing") is None
    assert v.clean()


def test_without_loop_playing_stops_at_the_last_stop(files, visit):
    page = visit(files["walk"], viewport=DESKTOP).page
    page.get_by_label("loop").uncheck()
    page.get_by_role("combobox", name="Speed").select_option("4")
    page.get_by_role("slider", name="Stop").fill("8")
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".vzp")).not_to_have_attribute("data-playing", "")
    assert stop(page) == "10"


# -- the numbers shown, and where they are drawn ------------------------------------------------
@pytest.mark.parametrize("epoch", [0, 3, 10])
def test_1d_stop_shows_the_history_numbers_and_draws_each_peak_at_its_mean(files, walk, visit, epoch):
    v = visit(files["walk"], f"#epoch={epoch}", viewport=DESKTOP)
    page = v.page
    assert stop(page) == str(epoch)
    snap = walk[epoch]
    stds = np.sqrt(snap.covariances[:, 0, 0])
    assert table(page) == [
        [format_value(snap.means[j, 0]), format_value(stds[j]), f"{snap.weights[j]:.2f}", f"{snap.counts[j]:,}"]
        for j in range(2)
    ]
    assert page.locator(".vzp-table tbody th").all_inner_texts() == ["여자", "남자"]
    view = payload(page)["view"]
    step = (view["xlim"][1] - view["xlim"][0]) / (view["box"][1] - view["box"][0])  # data units per pixel
    for j in range(2):
        first, last, py = curve_peak(page, j)
        (lo, y), (hi, _) = to_data(view, first, py), to_data(view, last, py)
        assert last - first < 3  # a top of at most a few tied vertices
        assert lo - 0.5 * step < snap.means[j, 0] < hi + 0.5 * step  # within half a pixel
        peak = snap.weights[j] / (stds[j] * np.sqrt(2 * np.pi))
        assert abs(y - peak) < 0.02 * (view["ylim"][1] - view["ylim"][0]) / (view["box"][2] - view["box"][3])
    # The points are coloured by this epoch's labels: as many of each colour as the history counts.
    assert [page.locator(f".vzp-points circle.k{j}").count() for j in range(2)] == [int(c) for c in snap.counts]
    assert f"{snap.log_likelihood:,.2f}".replace("-", "\u2212") in page.locator(".vzp-caption").inner_text()
    assert v.clean()


@pytest.mark.parametrize("epoch", [0, 4, 15])
def test_2d_stop_shows_the_history_numbers_and_centres_each_ellipse_on_its_mean(files, soft2d, visit, epoch):
    v = visit(files["soft2d"], f"#epoch={epoch}", viewport=DESKTOP)
    page = v.page
    snap = soft2d[epoch]
    rows = table(page)
    for j in range(2):
        sd = np.sqrt(np.diag(snap.covariances[j]))
        rho = snap.covariances[j, 0, 1] / (sd[0] * sd[1])
        assert rows[j] == [
            f"({format_value(snap.means[j, 0])}, {format_value(snap.means[j, 1])})",
            f"{format_value(sd[0])}, {format_value(sd[1])}", format_value(rho), f"{snap.weights[j]:.2f}",
            f"{snap.counts[j]:,}",
        ]
    view = payload(page)["view"]
    (x0, x1, y0, y1) = view["box"]
    scales = np.array([(x1 - x0) / (view["xlim"][1] - view["xlim"][0]), (y1 - y0) / (view["ylim"][1] - view["ylim"][0])])
    for j in range(2):
        one = page.locator(f".vzp-shapes .k{j} .vzp-ellipse.one")
        cx, cy, rx, ry = (float(one.get_attribute(a)) for a in ("cx", "cy", "rx", "ry"))
        x, y = to_data(view, cx, cy)
        # The centre within a tenth of a pixel of μ on each axis's own scale.
        assert abs(x - snap.means[j, 0]) * scales[0] < 0.1 and abs(y - snap.means[j, 1]) * abs(scales[1]) < 0.1
        # The 1σ ellipse drawn in pixels, read back into data units, is the covariance itself
        # (each axis has its own scale, as in the frames).
        angle = np.radians(float(re.search(r"rotate\(([-\d.]+)", one.get_attribute("transform")).group(1)))
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        drawn = turn @ np.diag([rx * rx, ry * ry]) @ turn.T / np.outer(scales, scales)
        assert np.allclose(drawn, snap.covariances[j], rtol=0.03, atol=0.01 * np.abs(snap.covariances[j]).max())
        two = page.locator(f".vzp-shapes .k{j} .vzp-ellipse.two")
        assert abs(float(two.get_attribute("rx")) - 2 * rx) < 0.02
    assert v.clean()


# -- E-step and M-step apart -----------------------------------------------------------------
def test_half_steps_alternate_e_and_m_with_what_happened(files, walk, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    page = v.page
    page.get_by_role("button", name="Step forward").click()
    page.get_by_role("button", name="Step forward").click()
    assert stop(page) == "2"
    page.get_by_label("E and M apart").check()
    assert stop(page) == "2"  # the M-step of the epoch shown: the same parameters
    page.get_by_role("button", name="First stop").click()
    assert stop(page) == "0"
    assert page.locator(".vzp-points circle.kn").count() == walk.n  # nothing assigned yet
    seen = []
    for _ in range(6):
        page.get_by_role("button", name="Step forward").click()
        seen.append(stop(page))
    assert seen == ["1e", "1", "2e", "2", "3e", "3"]

    captions = {}
    for name in ("2e", "2", "3e", "3"):
        page.goto(v.url + "#epoch=" + name)
        expect(page.locator(".vzp")).to_have_attribute("data-stop", name)
        captions[name] = page.locator(".vzp-caption").inner_text()
        counts = [page.locator(f".vzp-points circle.k{j}").count() for j in range(2)]
        epoch = int(name.rstrip("e"))
        # At both halves of epoch i the points wear the labels of the parameters before it.
        assert counts == [int(c) for c in walk[epoch - 1].counts]
        rows = table(page)
        shown = walk[epoch - 1] if name.endswith("e") else walk[epoch]
        assert [r[0] for r in rows] == [format_value(m) for m in shown.means[:, 0]]
    changed = int(np.count_nonzero(walk[2].labels != walk[1].labels))
    assert captions["3e"] == f"E-step: {changed} points changed component"
    a, b = walk[2], walk[3]
    for j in range(2):
        assert f"μ{str(j + 1).translate(SUBSCRIPT)} {format_value(a.means[j, 0])} → {format_value(b.means[j, 0])}" in captions["3"]
        assert f"φ{str(j + 1).translate(SUBSCRIPT)} {a.weights[j]:.2f} → {b.weights[j]:.2f}" in captions["3"]
    assert captions["2"].startswith("M-step: μ₁")
    assert v.clean()


# -- links, motion, phones -------------------------------------------------------------------
@pytest.mark.parametrize(("fragment", "expected", "half"), [("#epoch=5", "5", False), ("#epoch=5e", "5e", True),
                                                             ("#epoch=7m", "7", True), ("#epoch=99", "10", False)])
def test_the_url_fragment_opens_that_stop_paused(files, visit, fragment, expected, half):
    v = visit(files["walk"], fragment, viewport=DESKTOP, reduced_motion="no-preference")
    page = v.page
    assert stop(page) == expected
    assert page.get_by_label("E and M apart").is_checked() == half
    assert page.locator(".vzp").get_attribute("data-playing") is None
    assert v.clean()


def test_reduced_motion_starts_paused_and_otherwise_it_plays(files, visit):
    still = visit(files["walk"], viewport=DESKTOP, reduced_motion="reduce").page
    assert still.locator(".vzp").get_attribute("data-playing") is None
    still.wait_for_timeout(1200)
    assert stop(still) == "0"
    moving = visit(files["walk"], viewport=DESKTOP, reduced_motion="no-preference").page
    assert moving.locator(".vzp").get_attribute("data-playing") is not None
    expect(moving.locator(".vzp")).not_to_have_attribute("data-stop", "0")


@pytest.mark.parametrize("name", ["walk", "soft2d"])
def test_phone_width_nothing_overflows_and_controls_are_big_enough(files, visit, name, tmp_path):
    v = visit(files[name], viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = v.page
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert page.locator(".vzp").bounding_box()["width"] <= PHONE["width"]
    for control in page.locator(".vzp button, .vzp select, .vzp-slider").all():
        box = control.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, control.get_attribute("class")
    page.locator(".vzp-next").tap()
    assert stop(page) == "1"
    assert v.clean()


# -- several players on one page ----------------------------------------------------------------
def test_two_embedded_players_on_one_page_are_independent(files, visit):
    v = visit(files["blog"], viewport=DESKTOP)
    page = v.page
    expect(page.locator(".vzp[data-stop]")).to_have_count(2)
    assert [stop(page, 0), stop(page, 1)] == ["0", "0"]
    first, second = page.locator(".vzp").nth(0), page.locator(".vzp").nth(1)
    assert first.get_attribute("id") != second.get_attribute("id")
    first.get_by_role("button", name="Step forward").click()
    first.get_by_role("button", name="Step forward").click()
    assert [stop(page, 0), stop(page, 1)] == ["2", "0"]
    second.get_by_role("button", name="Step forward").click()
    assert [stop(page, 0), stop(page, 1)] == ["2", "1e"]  # the second was embedded with half steps
    second.locator(".vzp-scene").focus()
    page.keyboard.press("End")
    assert stop(page, 0) == "2" and stop(page, 1) == "15"
    first.locator(".vzp-table tbody tr").first.hover()
    assert first.get_attribute("data-hl") == "0" and second.get_attribute("data-hl") is None
    # Picked out everywhere in its own player: the other component's curve fades, nothing in the other player does.
    assert float(first.locator(".vzp-curve.k1").evaluate("e => getComputedStyle(e).opacity")) < 0.5
    assert float(first.locator(".vzp-curve.k0").evaluate("e => getComputedStyle(e).opacity")) == 1
    assert float(second.locator(".vzp-shapes .k1").evaluate("e => getComputedStyle(e).opacity")) == 1
    # Each draws its own numbers: the 1-D one curves, the 2-D one ellipses.
    assert first.locator(".vzp-curve").count() == 2 and first.locator("ellipse").count() == 0
    assert second.locator(".vzp-ellipse").count() == 4 and second.locator(".vzp-curve").count() == 0
    # Nothing leaks out: the blog's own paragraphs and buttons keep their styles.
    assert page.evaluate("getComputedStyle(document.getElementById('before')).color") == "rgb(1, 2, 3)"
    assert page.evaluate("getComputedStyle(document.getElementById('theirs')).color") == "rgb(4, 5, 6)"
    assert page.evaluate("getComputedStyle(document.getElementById('theirs')).minHeight") in ("auto", "0px")
    assert page.evaluate("Object.keys(window).filter(k => /vzp|player/i.test(k))") == []
    assert v.clean()


def test_hovering_a_point_in_soft_em_shows_its_responsibilities(files, soft2d, visit):
    page = visit(files["soft2d"], "#epoch=4", viewport=DESKTOP).page
    circle = page.locator(".vzp-points circle").nth(10)
    circle.hover(force=True)  # points overlap; the pointer goes to its centre all the same
    tip = page.locator(".vzp-tip")
    assert tip.is_visible()
    text = tip.inner_text()
    resp = soft2d.posterior(4)[10]  # the parameters the point was labelled with (epoch 4's)
    shown = [float(v) for v in re.findall(r"component \d ([\d.]+)", text)]
    assert shown == pytest.approx(resp, abs=0.006)


def test_soft_2d_points_blend_the_component_colours_as_the_frames_do(files, soft2d, visit):
    from matplotlib.colors import to_rgb

    from vizgmm.look.presets import theme

    page = visit(files["soft2d"], "#epoch=4", viewport=DESKTOP).page  # written with the dark theme
    colours = np.array([to_rgb(c) for c in theme("dark")["components"][:2]]) * 255
    resp = soft2d.posterior(4)
    for i in (0, 10, 500):
        fill = page.locator(".vzp-points circle").nth(i).evaluate("e => getComputedStyle(e).fill")
        shown = np.array([float(v) for v in re.findall(r"[\d.]+", fill)[:3]])
        assert np.abs(shown - resp[i] @ colours).max() <= 3, (i, fill)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_on_a_phone_the_picture_does_not_jump_from_stop_to_stop(walk, visit, tmp_path, lang):
    # The status line above the picture took two lines at one stop and four at the next (390 px, E and M
    # apart), so the picture jumped by 39 px under the reader's thumb at every step.
    path = vizgmm.player(walk, tmp_path / "p.html", half_steps=True, lang=lang)
    v = visit(path, viewport=PHONE)
    page, tops, heights = v.page, set(), set()
    picture = page.locator(".vzp svg").first
    for _ in range(2 * walk.epochs + 1):
        tops.add(round(picture.bounding_box()["y"] + page.evaluate("window.scrollY"), 1))
        heights.add(round(page.locator(".vzp-status").bounding_box()["height"], 1))
        page.click(".vzp-next")
    assert len(tops) == 1 and len(heights) == 1, (tops, heights)
    assert v.clean()


def test_long_component_names_wrap_so_the_numbers_stay_in_view_on_a_phone(soft2d, visit, tmp_path):
    # penguins_raw's species as names: at 390 px the table was 635 px wide in a 340 px box, and μ, φ
    # and the count were behind a sideways scroll.
    names = ["Adelie Penguin (Pygoscelis adeliae)", "Chinstrap penguin (Pygoscelis antarctic…"]
    path = vizgmm.player(soft2d, tmp_path / "names.html", component_names=names)
    v = visit(path, viewport=PHONE)
    scroll, box = v.page.evaluate(
        "() => { const t = document.querySelector('.vzp-table'); return [t.scrollWidth, t.parentElement.clientWidth]; }")
    assert scroll <= box, (scroll, box)
    assert v.page.locator(".vzp-table tbody th").first.text_content().strip().startswith("Adelie Penguin")
    wide = visit(path, viewport={"width": 1280, "height": 900})
    rows = wide.page.locator(".vzp-table tbody th")
    assert rows.first.bounding_box()["height"] < 30  # one line where there is room
    assert v.clean() and wide.clean()
