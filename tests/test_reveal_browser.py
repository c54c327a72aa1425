"""The reveal.js deck in a real browser (Debian's Chromium), opened from file:// as a presenter would (issue 25.3)."""

from pathlib import Path

import pytest

import vizgmm
from vizgmm.decks.reveal import reveal_deck
from vizgmm.pages.captions import caption_cues, stop_sentences

pytestmark = pytest.mark.browser

SLIDE = {"width": 1280, "height": 720}
SMALL = {"preset": "blog"}


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    history.meta.update(title="Foot sizes", feature_names=["foot size (mm)"], component_names=["여자", "남자"])
    return history


@pytest.fixture(scope="module")
def deck(walk, tmp_path_factory):
    return reveal_deck(walk, tmp_path_factory.mktemp("deck") / "talk", **SMALL)


@pytest.fixture
def visit(browser, deck):
    """The deck open in a fresh page at slide size; everything it requested and logged recorded."""
    context = browser.new_context(viewport=SLIDE)
    page = context.new_page()
    record = {"requests": [], "console": [], "errors": []}
    page.on("request", lambda request: record["requests"].append(request.url))
    page.on("console", lambda message: record["console"].append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: record["errors"].append(str(error)))
    page.goto(Path(deck).resolve().as_uri(), wait_until="load")
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    yield page, record
    context.close()


def test_deck_opens_from_file_with_only_its_own_files_and_no_console_errors(visit, deck):
    page, record = visit
    page.wait_for_timeout(300)
    folder = Path(deck).resolve().parent.as_uri()
    assert record["requests"], "the page requested nothing at all"
    outside = [url for url in record["requests"] if not (url.startswith(folder + "/") or url.startswith("data:"))]
    assert not outside, outside
    assert any(url.endswith("/reveal/reveal.js") for url in record["requests"])
    assert not record["errors"], record["errors"]
    assert not [m for m in record["console"] if m.startswith(("error", "warning"))], record["console"]
    assert page.evaluate("Reveal.getTotalSlides()") == 6
    assert page.evaluate("Reveal.hasPlugin('notes')")  # the speaker view (key S) is there


def test_every_slide_has_speaker_notes(visit):
    page, _ = visit
    notes = page.evaluate("Reveal.getSlides().map(s => Reveal.getSlideNotes(s) || '')")
    assert len(notes) == 6 and all(note.strip() for note in notes), notes


def test_arrow_right_steps_through_the_epochs_fragments_and_their_captions(visit, walk):
    page, _ = visit
    sentences = stop_sentences(walk, ["여자", "남자"])["full"]
    page.evaluate("Reveal.slide(2)")
    page.wait_for_timeout(300)

    def shown():
        """The captions a reader sees (opacity > 0.9 once reveal.js's 0.2 s transition is over)."""
        page.wait_for_timeout(450)
        return page.evaluate("""[...Reveal.getCurrentSlide().querySelectorAll('p.caption')]
            .filter(p => parseFloat(getComputedStyle(p).opacity) > 0.9 && getComputedStyle(p).visibility !== 'hidden')
            .map(p => Number(p.dataset.stop))""")

    assert page.evaluate("Reveal.getIndices()")["h"] == 2
    assert shown() == [0]
    for step in range(1, len(walk)):
        page.keyboard.press("ArrowRight")
        indices = page.evaluate("Reveal.getIndices()")
        assert (indices["h"], indices["f"]) == (2, step - 1)
        assert shown() == [step]
        caption = page.evaluate(f"document.querySelector('p.caption[data-stop=\"{step}\"]').textContent")
        assert sentences[step] in caption and f"Epoch {walk[step].epoch} of 10" in caption
        # The still that shows is this epoch's.
        visible = page.evaluate("""[...Reveal.getCurrentSlide().querySelectorAll('.epoch-stills img')]
            .filter(i => i.classList.contains('visible')).length""")
        assert visible == step
    page.keyboard.press("ArrowRight")
    assert page.evaluate("Reveal.getIndices()")["h"] == 3  # past the last epoch: the next slide


def test_video_plays_with_a_captions_track_that_loads_the_fits_cues(visit, walk):
    page, record = visit
    page.evaluate("Reveal.slide(1)")
    page.wait_for_function("document.querySelector('video').readyState >= 1", timeout=10_000)
    page.evaluate("document.querySelector('video').textTracks[0].mode = 'showing'")
    page.wait_for_function("document.querySelector('track').readyState === 2", timeout=10_000)
    track = page.evaluate("""(() => { const t = document.querySelector('video').textTracks[0];
        return {kind: t.kind, cues: [...t.cues].map(c => [c.startTime, c.endTime, c.text])}; })()""")
    cues = caption_cues(walk, **SMALL)
    assert track["kind"] == "captions" and len(track["cues"]) == len(cues) == len(walk)
    for (start, end, text), (s, e, title, sentence) in zip(track["cues"], cues):
        assert start == pytest.approx(s / 1000, abs=1e-3) and end == pytest.approx(e / 1000, abs=1e-3)
        assert text.splitlines() == [title, sentence]
    duration = page.evaluate("document.querySelector('video').duration")
    assert duration == pytest.approx(cues[-1][1] / 1000, abs=0.1)
    assert not record["errors"]


def test_slides_fit_the_slide_and_the_table_is_readable(visit):
    page, _ = visit
    for h in range(6):
        page.evaluate(f"Reveal.slide({h}, 0, 99)")  # every fragment shown: the fullest state of each slide
        page.wait_for_timeout(350)
        overflow = page.evaluate("""(() => { const s = Reveal.getCurrentSlide();
            return [s.scrollHeight, Reveal.getConfig().height]; })()""")
        assert overflow[0] <= overflow[1], (h, overflow)
    page.evaluate("Reveal.slide(5)")
    page.wait_for_timeout(350)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.parameters td')).fontSize)")
    scale = page.evaluate("Reveal.getScale()")
    assert size * scale >= 18, (size, scale)  # px on a 1280×720 screen
