"""The live player's drags in Chromium: a point or a mean dragged by known pixels lands at the expected data
coordinates, the next steps are vizgmm's Python fit on the moved data or from the moved start, a drag adds no
point, and the log-likelihood cursor sits on its line's last point."""

import numpy as np
import pytest

import vizgmm
from tests import test_player_live_browser as live_tests
from tests.test_player_live_browser import (
    DESKTOP,
    PHONE,
    browser_test,
    payload,
    python_fit,
    rows_1d,
    rows_2d,
    steps,
    table,
    to_data,
)
from vizgmm.look.notes import format_value

pytest.importorskip("playwright.sync_api")

# The live player tests' fixtures: the same fits, files and browser visits.
walk, soft2d, files, visit = live_tests.walk, live_tests.soft2d, live_tests.files, live_tests.visit


def geometry(player):
    scene = player.locator(".vzp-scene")
    scene.scroll_into_view_if_needed()
    bbox = scene.bounding_box()
    return bbox, bbox["width"] / payload(player)["view"]["w"]


def on_page(geo, sx, sy):
    """The whole CSS pixel nearest scene pixel (sx, sy): the browser delivers whole pixels."""
    bbox, scale = geo
    return round(bbox["x"] + sx * scale), round(bbox["y"] + sy * scale)


def on_scene(geo, x, y):
    bbox, scale = geo
    return (x - bbox["x"]) / scale, (y - bbox["y"]) / scale


def dots(player):
    return np.array(player.locator(".vzp-points circle").evaluate_all(
        "cs => cs.map(c => [+c.getAttribute('cx'), +c.getAttribute('cy')])"))


def nearest(points, sx, sy):
    return int(np.argmin(((points - [sx, sy]) ** 2).sum(axis=1)))


def lonely(points, away_from=()):
    """The drawn point farthest from every other one (and from the given scene pixels)."""
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(d, np.inf)
    gap = d.min(axis=1)
    for a in away_from:
        gap = np.minimum(gap, np.sqrt(((points - a) ** 2).sum(axis=1)))
    return int(np.argmax(gap))


def mouse_drag(page, start, end):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=6)
    page.mouse.up()


def touch_drag(page, start, end):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for t in np.linspace(0, 1, 7)[1:]:
        x, y = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def means_shown(player):
    """The exact means on the markers (data-x, data-y): the 1-D dots on the curves, or the 2-D ✕s."""
    return player.locator(".vzp-handle, .vzp-centre").evaluate_all(
        "ms => ms.map(m => [m.getAttribute('data-x'), m.getAttribute('data-y')])")


def scene_xy(view, x, y):
    x0, x1, y0, y1 = view["box"]
    return np.array([x0 + (x - view["xlim"][0]) / (view["xlim"][1] - view["xlim"][0]) * (x1 - x0),
                     y0 + (y - view["ylim"][0]) / (view["ylim"][1] - view["ylim"][0]) * (y1 - y0)])


def pixel(view):
    return (view["xlim"][1] - view["xlim"][0]) / (view["box"][1] - view["box"][0])


@browser_test
def test_dragging_a_point_in_1d_moves_it_and_the_next_steps_are_pythons_on_the_moved_data(files, walk, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    page, player = v.page, v.page.locator(".vzp")
    P = payload(player)
    view, live, m = P["view"], P["live"], P["m"]
    X = np.asarray(live["X"])
    geo, before = geometry(player), dots(player)
    i = lonely(before)
    start = on_page(geo, *before[i])
    assert nearest(before, *on_scene(geo, *start)) == i
    end = on_page(geo, view["box"][0] + 0.12 * (view["box"][1] - view["box"][0]), view["rug"])
    mouse_drag(page, start, end)
    assert player.get_attribute("data-n") == str(m)  # the drag added no point
    after = dots(player)
    assert len(after) == m
    moved = player.locator(".vzp-points circle").nth(i)
    got = float(moved.get_attribute("data-x"))
    assert abs(got - to_data(view, *on_scene(geo, *end))[0]) < 0.01 * pixel(view)
    assert np.array_equal(np.delete(after, i, axis=0), np.delete(before, i, axis=0))  # no other point moved
    assert player.locator(".vzp-caption").inner_text().startswith(f"Moved a point to x = {format_value(got)}: ")
    assert player.get_attribute("data-stop") == "0"
    X[i] = got
    N = 3
    steps(player, 2 * N)
    h, inverse = python_fit(X[:, None], live["start"], walk, N)
    assert table(player) == rows_1d(h[N], inverse, h[N - 1].counts)
    assert v.clean()


@browser_test
def test_a_finger_drags_a_2d_point_on_a_phone_and_the_steps_are_pythons(files, soft2d, visit):
    v = visit(files["soft2d"], viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page, player = v.page, v.page.locator(".vzp")
    P = payload(player)
    view, live, m = P["view"], P["live"], P["m"]
    X = np.asarray(live["X"]).reshape(-1, 2)
    geo, before = geometry(player), dots(player)
    i = lonely(before, away_from=[scene_xy(view, *mu) for mu in live["start"]["means"]])
    start = on_page(geo, *before[i])
    assert nearest(before, *on_scene(geo, *start)) == i
    box = view["box"]
    end = on_page(geo, box[0] + 0.5 * (box[1] - box[0]), box[3] + 0.1 * (box[2] - box[3]))
    scroll = page.evaluate("window.scrollY")
    touch_drag(page, start, end)
    assert page.evaluate("window.scrollY") == scroll  # the finger moved the point, not the page
    assert player.get_attribute("data-n") == str(m)
    moved = player.locator(".vzp-points circle").nth(i)
    got = [float(moved.get_attribute("data-x")), float(moved.get_attribute("data-y"))]
    want = to_data(view, *on_scene(geo, *end))
    step_y = (view["ylim"][1] - view["ylim"][0]) / (box[3] - box[2])
    assert abs(got[0] - want[0]) < 0.01 * pixel(view) and abs(got[1] - want[1]) < 0.01 * abs(step_y)
    assert player.locator(".vzp-caption").inner_text().startswith(
        f"Moved a point to ({format_value(got[0])}, {format_value(got[1])}): ")
    X[i] = got
    N = 4
    steps(player, 2 * N)
    h, inverse = python_fit(X, live["start"], soft2d, N)
    assert table(player) == rows_2d(h[N], inverse, h[N - 1].counts)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert v.clean()


@browser_test
def test_dragging_a_2d_mean_sets_it_keeps_the_covariance_and_phi_and_steps_from_there(files, soft2d, visit):
    v = visit(files["soft2d"], viewport=DESKTOP)
    page, player = v.page, v.page.locator(".vzp")
    P = payload(player)
    view, live, m = P["view"], P["live"], P["m"]
    X = np.asarray(live["X"]).reshape(-1, 2)
    geo = geometry(player)
    first = [float(a) for a in means_shown(player)[0]]
    assert first == live["start"]["means"][0]
    x0, x1, y0, y1 = view["box"]
    at = scene_xy(view, *first)
    end = on_page(geo, x0 + 0.8 * (x1 - x0), y0 + 0.3 * (y1 - y0))
    mouse_drag(page, on_page(geo, *at), end)
    assert player.get_attribute("data-n") == str(m)
    got = [float(a) for a in means_shown(player)[0]]
    want = to_data(view, *on_scene(geo, *end))
    step_y = (view["ylim"][1] - view["ylim"][0]) / (y1 - y0)
    assert abs(got[0] - want[0]) < 0.01 * pixel(view) and abs(got[1] - want[1]) < 0.01 * abs(step_y)
    assert player.locator(".vzp-caption").inner_text() == (
        f"Moved the mean of component 1 to μ = ({format_value(got[0])}, {format_value(got[1])}), keeping its "
        "covariance and φ: the next E-step starts from there.")
    assert player.get_attribute("data-stop") == "0"
    # The table shows the moved mean with the start's covariance and φ.
    start = dict(live["start"], means=[got, live["start"]["means"][1]])
    sd = np.sqrt(np.diag(start["covs"][0]))
    assert table(player)[0][:4] == [f"({format_value(got[0])}, {format_value(got[1])})",
                                    f"{format_value(sd[0])}, {format_value(sd[1])}",
                                    format_value(start["covs"][0][0][1] / (sd[0] * sd[1])),
                                    f"{start['weights'][0]:.2f}"]
    N = 4
    steps(player, 2 * N)
    h, inverse = python_fit(X, start, soft2d, N)
    assert table(player) == rows_2d(h[N], inverse, h[N - 1].counts)
    assert v.clean()


DRAG_MEAN_NOW = """root => {
  // One task: pick up the dot on component 1's curve and move it 40 px right, between two of the run's steps.
  const scene = root.querySelector('.vzp-scene'), r = root.querySelector('.vzp-handle[data-j="0"]').getBoundingClientRect();
  const x = r.x + r.width / 2, y = r.y + r.height / 2;
  const at = (cx, cy) => ({ bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', isPrimary: true,
                            button: 0, clientX: cx, clientY: cy });
  const n = root.getAttribute('data-n'), was = root.getAttribute('data-stop');
  const from = root.querySelector('.vzp-handle[data-j="0"]').getAttribute('data-x');
  scene.dispatchEvent(new PointerEvent('pointerdown', at(x, y)));
  scene.dispatchEvent(new PointerEvent('pointermove', at(x + 20, y)));
  scene.dispatchEvent(new PointerEvent('pointermove', at(x + 40, y)));
  scene.dispatchEvent(new PointerEvent('pointerup', at(x + 40, y)));
  return [was, root.hasAttribute('data-playing'), root.getAttribute('data-stop'), root.getAttribute('data-n') === n,
          from, root.querySelector('.vzp-handle[data-j="0"]').getAttribute('data-x'),
          root.querySelector('.vzp-caption').textContent];
}"""


@browser_test
def test_dragging_a_1d_mean_during_a_run_restarts_the_run_from_it(files, walk, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    page, player = v.page, v.page.locator(".vzp")
    live = payload(player)["live"]
    X = np.asarray(live["X"])[:, None]
    player.get_by_role("button", name="run").click()
    page.wait_for_function("() => !['0', '1e'].includes(document.querySelector('.vzp').getAttribute('data-stop'))",
                           timeout=20_000)
    was, playing, stop, same_n, before, got, caption = player.evaluate(DRAG_MEAN_NOW)
    assert playing and stop == "0" and same_n  # still running, from a new start, no point added
    got = float(got)
    _, scale = geometry(player)
    assert abs(got - float(before) - 40 / scale * pixel(payload(player)["view"])) < 0.01 * pixel(payload(player)["view"])
    assert caption == (f"Moved the mean of component 1 to μ = {format_value(got)}, keeping its σ and φ: "
                       "the next E-step starts from there.")
    page.wait_for_function("() => !document.querySelector('.vzp').hasAttribute('data-playing')", timeout=30_000)
    assert "converged after" in player.locator(".vzp-caption").inner_text()
    # The run went on from the moved mean and the σ, φ shown when it was picked up: epoch e's parameters at
    # the M-step of epoch e ("e"), epoch e − 1's at its E-step ("ee").
    e = int(was[:-1]) - 1 if was.endswith("e") else int(was)
    he, inverse = python_fit(X, live["start"], walk, e)
    shown = he[e]
    j1 = int(inverse[1])
    covs = shown.covariances[inverse]
    start = {"means": [[got], shown.means[j1].tolist()], "covs": covs.tolist(), "weights": shown.weights[inverse].tolist()}
    h = vizgmm.fit(X, 2, method="hard", tol=live["tol"], max_iter=1000,
                   init={"means": start["means"], "covariances": start["covs"], "weights": start["weights"]})
    order = [int(np.argmin(np.abs(np.asarray(start["means"]) - mu).sum(axis=1))) for mu in h[0].means]
    last = h[len(h) - 1]
    assert table(player) == rows_1d(last, np.argsort(order), last.counts)
    assert v.clean()


@browser_test
def test_the_loglik_cursor_sits_on_the_lines_last_point(files, walk, visit):
    v = visit(files["walk"], viewport=DESKTOP)
    player = v.page.locator(".vzp")

    def chart():
        points = player.locator(".vzp-ll-line").get_attribute("points").split()
        return [p.split(",")[0] for p in points], player.locator(".vzp-cursor").get_attribute("x1")

    for half_steps, stop, n in [(1, "1e", 1), (1, "1", 2), (1, "2e", 2), (1, "2", 3), (4, "4", 5)]:
        steps(player, half_steps)
        assert player.get_attribute("data-stop") == stop
        xs, cursor = chart()
        assert len(xs) == n and cursor == xs[-1], (stop, xs, cursor)
    assert v.clean()


@browser_test
def test_the_korean_live_player_says_what_a_drag_did_in_korean(soft2d, visit, tmp_path):
    path = vizgmm.player(soft2d, tmp_path / "ko.html", live=True, lang="ko")
    v = visit(path, viewport=DESKTOP)
    page, player = v.page, v.page.locator(".vzp")
    P = payload(player)
    view, name = P["view"], P["live"]["names"][0]
    geo = geometry(player)
    x0, x1, y0, y1 = view["box"]
    first = [float(a) for a in means_shown(player)[0]]
    mouse_drag(page, on_page(geo, *scene_xy(view, *first)), on_page(geo, x0 + 0.8 * (x1 - x0), y0 + 0.3 * (y1 - y0)))
    got = [float(a) for a in means_shown(player)[0]]
    assert player.locator(".vzp-caption").inner_text() == (
        f"{name}의 평균을 μ = ({format_value(got[0])}, {format_value(got[1])}) 위치로 옮겼습니다. "
        "공분산과 비율 φ는 그대로입니다. 다음 E 단계는 여기서 시작합니다.")
    before = dots(player)
    i = lonely(before, away_from=[scene_xy(view, *got), scene_xy(view, *P["live"]["start"]["means"][1])])
    geo = geometry(player)  # the longer caption may have moved the picture
    mouse_drag(page, on_page(geo, *before[i]), on_page(geo, x0 + 0.05 * (x1 - x0), y0 + 0.5 * (y1 - y0)))
    moved = player.locator(".vzp-points circle").nth(i)
    where = f"({format_value(float(moved.get_attribute('data-x')))}, {format_value(float(moved.get_attribute('data-y')))})"
    assert player.locator(".vzp-caption").inner_text() == (
        f"점 하나를 {where} 위치로 옮겼습니다. 보이는 파라미터로 새로 실행합니다. 단계를 누르세요.")
    assert "점이나 평균(✕ 표시)을 끌어 옮기세요" in player.locator(".vzp-live-note").inner_text()
    assert v.clean()
