"""The live player (player(..., live=True)) in Chromium: clicks add points where the reader clicked,
step/run/reset behave, and the numbers shown are vizgmm's Python fit on the same points from the same start."""

from pathlib import Path

import numpy as np
import pytest

import vizgmm
from vizgmm.errors import OptionError
from vizgmm.look.notes import format_value

pytest.importorskip("playwright.sync_api")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
browser_test = pytest.mark.browser


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    return vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10, seed=0)


@pytest.fixture(scope="module")
def soft2d():
    rng = np.random.default_rng(3)
    a = rng.multivariate_normal([0, 0], [[4, 1.5], [1.5, 2]], 200)
    b = rng.multivariate_normal([6, 30], [[1, -0.8], [-0.8, 9]], 150)
    return vizgmm.fit(np.vstack([a, b]), 2, method="soft", seed=1, max_iter=15, tol=0)


@pytest.fixture(scope="module")
def files(walk, soft2d, tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    out = {"walk": vizgmm.player(walk, folder / "walk.html", live=True),
           "soft2d": vizgmm.player(soft2d, folder / "soft2d.html", live=True, theme="dark")}
    first = vizgmm.player(walk, folder / "a.html", embed=True, live=True).read_text(encoding="utf-8")
    second = vizgmm.player(soft2d, folder / "b.html", embed=True, live=True).read_text(encoding="utf-8")
    blog = folder / "blog.html"
    blog.write_text("<!doctype html><html><head><meta charset=utf-8></head><body>"
                    f"<p>Post.</p>{first}<p>Between.</p>{second}</body></html>", encoding="utf-8")
    out["blog"] = blog
    return out


class Visit:
    def __init__(self, browser, path, **context):
        context.setdefault("reduced_motion", "reduce")
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.console, self.errors, self.requests = [], [], []
        self.page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.url = Path(path).resolve().as_uri()
        self.page.goto(self.url, wait_until="load")
        self.page.wait_for_selector(".vzp[data-stop]")

    def clean(self):
        others = [u for u in self.requests if u.split("#")[0] != self.url]
        return self.errors == [] and [m for m in self.console if m.startswith(("error", "warning"))] == [] and others == []


@pytest.fixture
def visit(browser):
    visits = []

    def open_page(path, **context):
        visits.append(Visit(browser, path, **context))
        return visits[-1]

    yield open_page
    for v in visits:
        v.context.close()


def payload(player):
    return player.locator("script.vzp-data").evaluate("s => JSON.parse(s.textContent)")


def table(player):
    return player.locator(".vzp-table tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))")


def click_scene(page, player, sx, sy, tap=False):
    """Click (or tap) near scene pixel (sx, sy) of the SVG's viewBox; returns the scene pixel clicked.

    The browser delivers whole CSS pixels, so the click goes to the nearest one and the scene pixel
    returned is that one's.
    """
    scene = player.locator(".vzp-scene")
    scene.scroll_into_view_if_needed()
    bbox = scene.bounding_box()
    w = payload(player)["view"]["w"]
    scale = bbox["width"] / w
    x, y = round(bbox["x"] + sx * scale), round(bbox["y"] + sy * scale)
    if tap:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    return (x - bbox["x"]) / scale, (y - bbox["y"]) / scale


def to_data(view, px, py):
    x0, x1, y0, y1 = view["box"]
    return (view["xlim"][0] + (px - x0) / (x1 - x0) * (view["xlim"][1] - view["xlim"][0]),
            view["ylim"][0] + (py - y0) / (y1 - y0) * (view["ylim"][1] - view["ylim"][0]))


def steps(player, n):
    for _ in range(n):
        player.get_by_role("button", name="step").click()


def python_fit(X, start, history, epochs, **kw):
    """vizgmm's Python fit from ``start``, its components put back in the start's order."""
    h = vizgmm.fit(X, len(start["weights"]), method=history.settings["method"],
                   covariance_type=history.settings["covariance_type"], tol=0, max_iter=epochs,
                   init=kw.get("init", {"means": start["means"], "covariances": start["covs"],
                                        "weights": start["weights"]}))
    order = [int(np.argmin(np.abs(np.asarray(start["means"]) - m).sum(axis=1))) for m in h[0].means]
    return h, np.argsort(order)


def rows_1d(snap, inverse, counts):
    return [[format_value(snap.means[j, 0]), format_value(np.sqrt(snap.covariances[j, 0, 0])),
             f"{snap.weights[j]:.2f}", f"{int(c):,}"] for j, c in zip(inverse, counts[inverse])]


def rows_2d(snap, inverse, counts):
    out = []
    for j, c in zip(inverse, counts[inverse]):
        sd = np.sqrt(np.diag(snap.covariances[j]))
        out.append([f"({format_value(snap.means[j, 0])}, {format_value(snap.means[j, 1])})",
                    f"{format_value(sd[0])}, {format_value(sd[1])}",
                    format_value(snap.covariances[j, 0, 1] / (sd[0] * sd[1])), f"{snap.weights[j]:.2f}", f"{int(c):,}"])
    return out


@browser_test
def test_clicks_add_points_where_clicked_and_the_fit_is_pythons_on_them(files, walk, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    page, player = v.page, v.page.locator(".vzp")
    P = payload(player)
    view, live = P["view"], P["live"]
    m = P["m"]
    assert player.get_attribute("data-n") == str(m)
    clicks = [(150.0, 200.0), (420.5, 120.0), (600.0, 300.0)]
    for i, (sx, sy) in enumerate(clicks):
        sx, sy = click_scene(page, player, sx, sy)
        assert player.get_attribute("data-n") == str(m + i + 1)
        x, _ = to_data(view, sx, sy)
        dot = player.locator(".vzp-points circle").nth(m + i)
        got = float(dot.get_attribute("data-x"))
        step = (view["xlim"][1] - view["xlim"][0]) / (view["box"][1] - view["box"][0])
        assert abs(got - x) < 0.01 * step  # a hundredth of a pixel
        assert abs(float(dot.get_attribute("cx")) - sx) < 0.01
        assert f"x = {format_value(got)}" in player.locator(".vzp-caption").inner_text()
    added = [float(c) for c in player.locator(".vzp-points circle[data-x]").evaluate_all(
        "cs => cs.map(c => c.getAttribute('data-x'))")]
    X = np.concatenate([np.asarray(live["X"]), added])[:, None]
    N = 4
    steps(player, 2 * N)
    assert player.get_attribute("data-stop") == str(N)
    h, inverse = python_fit(X, live["start"], walk, N)
    # The M-step of epoch N: epoch N's parameters, the counts of the labels they were estimated from.
    assert table(player) == rows_1d(h[N], inverse, h[N - 1].counts)
    assert v.clean()


@browser_test
def test_step_run_and_reset(files, walk, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    player = v.page.locator(".vzp")
    steps(player, 1)
    assert player.get_attribute("data-stop") == "1e"
    assert player.locator(".vzp-stop").inner_text() == "Epoch 1 · E-step"
    assert player.locator(".vzp-caption").inner_text().startswith("E-step: each of the 1,000 points")
    steps(player, 1)
    assert player.get_attribute("data-stop") == "1"
    assert player.locator(".vzp-caption").inner_text().startswith("M-step: μ₁ 210.00 → ")
    player.get_by_role("button", name="run").click()
    v.page.wait_for_function("() => document.querySelector('.vzp').hasAttribute('data-playing') === false",
                             timeout=20_000)
    assert "converged after" in player.locator(".vzp-caption").inner_text()
    assert player.locator(".vzp-ll-line").get_attribute("points").count(",") >= 3  # the chart grew live
    player.get_by_role("button", name="reset to the recorded fit").click()
    assert player.get_attribute("data-stop") == "0"
    assert table(player) == [
        [format_value(walk[0].means[j, 0]), format_value(np.sqrt(walk[0].covariances[j, 0, 0])),
         f"{walk[0].weights[j]:.2f}", "–"] for j in range(2)]
    # Recorded fit (tol=0, 10 epochs, all 1,000 points): the live steps reproduce it.
    steps(player, 20)
    assert table(player) == rows_1d(walk[10], np.arange(2), walk[9].counts)
    assert v.clean()


@browser_test
def test_2d_soft_steps_equal_python_and_k_changes(files, soft2d, visit):
    v = visit(files["soft2d"], viewport=DESKTOP)
    player = v.page.locator(".vzp")
    live = payload(player)["live"]
    X = np.asarray(live["X"]).reshape(-1, 2)
    steps(player, 10)
    h, inverse = python_fit(X, live["start"], soft2d, 5)
    assert table(player) == rows_2d(h[5], inverse, h[4].counts)
    player.get_by_label("Number of components k").select_option("3")
    assert player.locator(".vzp-table tbody tr").count() == 3
    assert player.locator(".vzp-shapes .vzp-ellipse.one").count() == 3
    steps(player, 6)
    h3 = vizgmm.fit(X, 3, method="soft", init="spread", tol=0, max_iter=3)
    from vizgmm.model.starts import spread_start

    means, _, _ = spread_start(X, 3, 1e-6)
    order = [int(np.argmin(np.abs(means - m).sum(axis=1))) for m in h3[0].means]
    assert table(player) == rows_2d(h3[3], np.argsort(order), h3[2].counts)
    assert "NaN" not in player.inner_text()
    assert v.clean()


@browser_test
def test_two_live_players_on_one_page_are_independent(files, visit):
    v = visit(files["blog"], viewport=DESKTOP)
    page = v.page
    first, second = page.locator(".vzp").nth(0), page.locator(".vzp").nth(1)
    steps(first, 3)
    assert first.get_attribute("data-stop") == "2e" and second.get_attribute("data-stop") == "0"
    n1, n2 = first.get_attribute("data-n"), second.get_attribute("data-n")
    click_scene(page, second, 320, 240)
    assert second.get_attribute("data-n") == str(int(n2) + 1) and first.get_attribute("data-n") == n1
    assert first.get_attribute("data-stop") == "2e"
    assert page.evaluate("Object.keys(window).filter(k => /vzp|player/i.test(k) || k === 'EM')") == []
    assert v.clean()


@browser_test
@pytest.mark.parametrize("name", ["walk", "soft2d"])
def test_phone_nothing_overflows_and_a_tap_adds_a_point(files, visit, name):
    v = visit(files[name], viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page, player = v.page, v.page.locator(".vzp")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    for control in page.locator(".vzp-live button, .vzp-live select").all():
        box = control.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    n = int(player.get_attribute("data-n"))
    click_scene(page, player, 300, 200, tap=True)
    assert player.get_attribute("data-n") == str(n + 1)
    steps(player, 4)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert v.clean()


def test_walkthrough_live_player_stays_small(walk, tmp_path):
    path = vizgmm.player(walk, tmp_path / "live.html", live=True)
    assert path.stat().st_size <= 400_000


def test_live_is_checked_and_refused_where_the_engine_cannot_follow(walk, tmp_path):
    with pytest.raises(OptionError, match="live must be True or False"):
        vizgmm.player(walk, tmp_path / "x.html", live="yes")
    h3 = vizgmm.fit(np.random.default_rng(0).normal(size=(60, 3)), 2, seed=0, max_iter=3)
    with pytest.raises(OptionError, match="1-D or 2-D"):
        vizgmm.player(h3, tmp_path / "y.html", live=True)
