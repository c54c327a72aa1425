"""The Korean player in a real browser (Debian's Chromium): every word it shows comes from the catalogue."""

import re
from pathlib import Path

import pytest

import vizgmm

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

#: Latin words a Korean player may show: the method, EM and its E/M, log p, the bound's L, units, keys.
ALLOWED = {"Hard", "EM", "log", "mm", "Home", "End"}


@pytest.fixture(scope="module")
def korean_player(tmp_path_factory):
    x, _ = vizgmm.walkthrough_data(seed=0)
    h = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    h.meta.update(feature_names=["발 사이즈 (mm)"], title="발 사이즈", component_names=["여자", "남자"])
    return vizgmm.player(h, tmp_path_factory.mktemp("ko") / "player.html", lang="ko")


def _words_on(page):
    """The player's visible text, and every label a screen reader or a tooltip says."""
    return page.locator(".vzp").evaluate(
        """root => [root.innerText].concat([...root.querySelectorAll('[aria-label],[title],[aria-roledescription]')]
             .flatMap(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('aria-roledescription')])
             .filter(Boolean)).join('\\n')""")


def test_the_korean_player_says_every_stop_in_korean(browser, korean_player, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(Path(korean_player).resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".vzp[data-stop]")
    seen = [_words_on(page)]
    assert page.locator(".vzp-stop").inner_text() == "초기 추정 (총 10번 반복)"
    page.locator(".vzp-scene").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator(".vzp-stop").inner_text() == "3번째 반복 (총 10번)"
    seen.append(_words_on(page))
    page.locator(".vzp-half").check()
    page.keyboard.press("ArrowRight")
    assert re.fullmatch(r"\d+번째 반복 · [EM] 단계", page.locator(".vzp-stop").inner_text())
    seen.append(_words_on(page))
    page.locator(".vzp-play").click()
    assert page.locator(".vzp-play").get_attribute("aria-label") == "일시 정지"
    page.locator(".vzp-play").click()
    page.screenshot(path=str(tmp_path / "ko-player.png"))
    text = "\n".join(seen)
    latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED
    assert not latin, (sorted(latin), text)
    assert "E 단계" in text and "하한 L" in text and "로그우도" in text
    assert errors == []
    context.close()


def test_the_korean_live_player_steps_in_korean(browser, tmp_path):
    x, _ = vizgmm.walkthrough_data(seed=0)
    h = vizgmm.fit(x[:200], 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=5)
    path = vizgmm.player(h, tmp_path / "live.html", live=True, lang="ko")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".vzp[data-stop]")
    assert page.locator(".vzp-lstep").inner_text() == "단계"
    page.locator(".vzp-lstep").click()
    assert page.locator(".vzp-stop").inner_text() == "1번째 반복 · E 단계"
    assert page.locator(".vzp-caption").inner_text().startswith("E 단계: 200개의 점을 각각 확률이 가장 큰 집단으로 라벨링합니다")
    page.locator(".vzp-lstep").click()
    page.locator(".vzp-lstep").click()
    caption = page.locator(".vzp-caption").inner_text()
    assert re.match(r"E 단계: \d+개 점의 집단이 바뀌었습니다; 전체 로그우도 ", caption), caption
    text = _words_on(page)
    latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED
    assert not latin, (sorted(latin), text)
    assert errors == []
    context.close()
