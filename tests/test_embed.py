"""Blog snippets: embed.html plays like a GIF in a browser, embed.md shows the GIF, both say what the fit did."""

import html5lib
import pytest

import vizgmm
from vizgmm.animate import api as render
from vizgmm.pages.description import describe_fit
from vizgmm.pages.embed import embed_snippets

NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    history.meta.update(feature_names=["foot size (mm)"], component_names=["여자", "남자 [m]"])
    return history


@pytest.fixture(scope="module")
def blog(walk, tmp_path_factory):
    folder = tmp_path_factory.mktemp("blog")
    paths = {kind: getattr(render, f"render_{kind}")(walk, folder / f"animation.{kind}") for kind in ("gif", "mp4", "webm")}
    embed_snippets(walk, folder, **paths)
    return folder


def test_description_has_the_fits_numbers(walk):
    text = describe_fit(walk)
    assert "Hard EM fits 2 normal components (여자 and 남자 [m]) to 1,000 values of foot size (mm)" in text
    assert "10 epochs" in text and "여자 and 남자 [m]" in text
    final = walk.final
    assert f"{final.means[0, 0]:.1f}" in text and f"{final.means[1, 0]:.1f}" in text
    assert "rises" in text


def test_embed_html_is_a_muted_looping_video_with_sources_poster_and_gif_fallback(walk, blog):
    tree = html5lib.parse((blog / "embed.html").read_text())
    video = tree.find(f".//{NS}video")
    for attribute in ("loop", "muted", "playsinline", "controls"):
        assert attribute in video.attrib
    # No autoplay attribute: the script beside it plays the video unless the reader asked for reduced motion.
    assert "autoplay" not in video.attrib
    assert video.get("aria-label") == describe_fit(walk)
    assert (blog / video.get("poster")).is_file()
    sources = [(s.get("src"), s.get("type")) for s in video.findall(f"{NS}source")]
    assert sources == [("animation.webm", "video/webm"), ("animation.mp4", "video/mp4")]
    img = video.find(f"{NS}picture/{NS}img")
    assert img.get("src") == "animation.gif" and img.get("alt") == describe_fit(walk)
    for name, _ in sources:
        assert (blog / name).is_file()


def test_embed_md_is_the_gif_with_escaped_alt_text(walk, blog):
    text = (blog / "embed.md").read_text()
    assert text.startswith("![Hard EM fits 2 normal components") and text.rstrip().endswith("](animation.gif)")
    assert "남자 \\[m\\]" in text


def test_webp_without_video_is_a_picture_with_the_gif_fallback(walk, tmp_path):
    gif = render.render_gif(walk, tmp_path / "a.gif")
    webp = render.render_webp(walk, tmp_path / "a.webp")
    embed_snippets(walk, tmp_path, gif=gif, webp=webp)
    tree = html5lib.parse((tmp_path / "embed.html").read_text())
    sources = tree.findall(f".//{NS}picture/{NS}source")
    assert [(s.get("media"), s.get("srcset")) for s in sources] == [
        ("(prefers-reduced-motion: reduce)", "poster.png"), (None, "a.webp")]
    assert tree.find(f".//{NS}picture/{NS}img").get("src") == "a.gif"
    assert (tmp_path / "poster.png").is_file()  # what a reader who asked for reduced motion sees


def test_video_only_markdown_shows_the_poster(walk, tmp_path):
    webm = render.render_webm(walk, tmp_path / "a.webm")
    embed_snippets(walk, tmp_path, webm=webm)
    assert (tmp_path / "embed.md").read_text().rstrip().endswith("](poster.png)")


@pytest.mark.browser
def test_embed_html_plays_the_webm_in_chromium(blog, browser):
    page = browser.new_page()
    try:
        page.goto((blog / "embed.html").as_uri())
        page.wait_for_function("document.querySelector('video').readyState >= 2", timeout=15_000)
        first = page.evaluate("document.querySelector('video').currentTime")
        # It plays: its time moves on (polled; a busy machine gets 10 s).
        page.wait_for_function(f"document.querySelector('video').currentTime > {first}", timeout=10_000)
        state = page.evaluate("""() => { const v = document.querySelector('video');
            return {time: v.currentTime, src: v.currentSrc, paused: v.paused}; }""")
    finally:
        page.close()
    assert state["src"].endswith("animation.webm")
    assert not state["paused"] and state["time"] > first


@pytest.mark.browser
def test_embed_html_stays_on_the_poster_under_reduced_motion(blog, browser):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto((blog / "embed.html").as_uri())
        page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=15_000)
        state = page.evaluate("() => { const v = document.querySelector('video'); return {time: v.currentTime, paused: v.paused}; }")
    finally:
        context.close()
    # play() sets paused at once, and the inline script has run by the time the video has metadata.
    assert state == {"time": 0, "paused": True}
