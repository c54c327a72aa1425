"""The renderer's files in a real browser (Debian's Chromium): the MP4 plays and the GIF animates."""

import base64

import pytest

import vizgmm

pytestmark = pytest.mark.browser


def test_mp4_and_slides_mp4_play_in_chromium(browser, walk, tmp_path):
    blog = vizgmm.render_mp4(walk, tmp_path / "blog.mp4", tween=1)
    slides = vizgmm.render_mp4(walk, tmp_path / "slides.mp4", preset="slides", hold_first_ms=0, hold_last_ms=0)
    page = browser.new_page()
    try:
        for path, size in ((blog, (640, 480)), (slides, (1920, 1080))):
            uri = "data:video/mp4;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
            page.set_content(f'<video id="v" muted playsinline src="{uri}"></video>')
            played = page.evaluate(
                """() => new Promise((resolve) => {
                    const v = document.getElementById('v');
                    v.addEventListener('error', () => resolve({error: v.error && v.error.code}));
                    const state = () => ({width: v.videoWidth, height: v.videoHeight,
                                          time: v.currentTime, duration: v.duration});
                    // Playing past 0.3 s ends the wait; a busy machine gets 10 s to get there.
                    v.addEventListener('timeupdate', () => { if (v.currentTime > 0.3) resolve(state()); });
                    v.play().catch(e => resolve({error: String(e)}));
                    setTimeout(() => resolve(state()), 10000);
                })"""
            )
            assert "error" not in played, played
            assert (played["width"], played["height"]) == size
            assert played["time"] > 0.3  # it is playing, not stuck on the first frame
    finally:
        page.close()


def test_gif_animates_in_chromium(browser, walk, tmp_path):
    path = vizgmm.render_gif(walk, tmp_path / "walk.gif", duration_ms=200, hold_first_ms=0, hold_last_ms=0)
    uri = "data:image/gif;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    page = browser.new_page(viewport={"width": 700, "height": 520})
    try:
        page.set_content(f'<img id="g" src="{uri}" style="display:block">')
        page.wait_for_function("document.getElementById('g').complete")
        assert page.evaluate("document.getElementById('g').naturalWidth") == 640
        box = page.locator("#g")
        shots = {box.screenshot()}
        for _ in range(20):  # 200 ms frames; a busy machine gets up to 9 s to show a second one
            page.wait_for_timeout(450)
            shots.add(box.screenshot())
            if len(shots) > 1:
                break
        assert len(shots) > 1  # the frames change on screen
    finally:
        page.close()
