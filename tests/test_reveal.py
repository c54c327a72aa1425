"""The reveal.js deck as files: what it writes, that it loads only its own files, and the CLI's refusals (issue 25.3)."""

import re
from html.parser import HTMLParser

import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.decks.reveal import MAX_STOPS, VENDORED, reveal_deck, stop_indices
from vizgmm.pages.captions import caption_cues, stop_sentences
from vizgmm.pages.templates import default_template_dir

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


class Page(HTMLParser):
    """Every URL the page names (src, href) and its sections, notes and fragments, in order."""

    def __init__(self, text):
        super().__init__()
        self.urls, self.sections, self.notes, self.fragments, self.captions = [], [], 0, [], []
        self._caption = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.urls += [attrs[name] for name in ("src", "href", "poster") if attrs.get(name)]
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "aside" and "notes" in attrs.get("class", "").split():
            self.notes += 1
        if "fragment" in (attrs.get("class") or "").split():
            self.fragments.append((tag, attrs))
        if tag == "p" and "caption" in (attrs.get("class") or "").split():
            self._caption = []
            self.captions.append(self._caption)

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)

    def handle_endtag(self, tag):
        if tag == "p":
            self._caption = None


def test_deck_folder_holds_the_page_its_media_and_reveal_js_under_its_licence(deck):
    folder = deck.parent
    assert deck.name == "index.html"
    assert (folder / "animation.mp4").read_bytes()[4:8] == b"ftyp"
    assert (folder / "animation.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    vendored = default_template_dir() / "reveal"
    for name in VENDORED:
        assert (folder / "reveal" / name).read_bytes() == (vendored / name).read_bytes(), name
    assert "MIT" in (folder / "reveal" / "LICENSE").read_text() or "Permission is hereby granted" in (
        folder / "reveal" / "LICENSE").read_text()
    assert not list(folder.glob(".vizgmm-stage-*")), "the staging folder was left behind"
    # The vendored copy stays modest: no web fonts, no source maps.
    size = sum(p.stat().st_size for p in (folder / "reveal").iterdir())
    assert size < 300_000, size


def test_the_page_names_only_files_beside_it_and_data_uris(deck):
    page = Page(deck.read_text(encoding="utf-8"))
    assert page.urls
    for url in page.urls:
        if url.startswith("data:"):
            assert url.startswith("data:text/vtt;base64,"), url[:40]
            continue
        assert not re.match(r"^[a-z]+:|^//", url), url  # no http:, https:, file: or protocol-relative URL
        assert (deck.parent / url).is_file(), url
    text = deck.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text


def test_slides_title_animation_epochs_charts_table_each_with_notes(deck):
    page = Page(deck.read_text(encoding="utf-8"))
    assert page.sections == ["title", "animation", "epochs", "log-likelihood", "lower-bound", "parameters"]
    assert page.notes == len(page.sections)
    text = deck.read_text(encoding="utf-8")
    assert "<h1>Foot sizes</h1>" in text
    assert '<track kind="captions"' in text
    assert "<td><span class=\"swatch\"" in text and "여자" in text and "남자" in text


def test_each_epoch_is_a_fragment_with_the_players_and_captions_sentence(walk, deck):
    page = Page(deck.read_text(encoding="utf-8"))
    sentences = stop_sentences(walk, ["여자", "남자"])
    assert len(page.captions) == len(walk)
    for i, caption in enumerate(page.captions):
        text = "".join(caption)
        assert sentences["full"][i] in text
        if i:
            assert sentences["e"][i] in text and sentences["m"][i] in text
    # One image and one caption per epoch after the first, sharing a fragment index; the bound's two sentences.
    indices = [int(a["data-fragment-index"]) for tag, a in page.fragments if "data-fragment-index" in a]
    images = [a for tag, a in page.fragments if tag == "img"]
    assert len(images) == len(walk) - 1
    assert sorted(set(indices)) == list(range(len(walk) - 1))


def test_the_captions_file_is_the_videos_and_the_track_carries_the_same_cues(walk, deck):
    import base64

    vtt = (deck.parent / "animation.vtt").read_text(encoding="utf-8")
    assert vtt.count(" --> ") == len(caption_cues(walk, **SMALL)) == len(walk)
    uri = re.search(r'<track [^>]*src="data:text/vtt;base64,([^"]+)"', deck.read_text(encoding="utf-8"))[1]
    assert base64.b64decode(uri).decode("utf-8") == vtt


def test_a_collapse_gets_a_what_went_wrong_slide_with_its_frame(tmp_path):
    fits = vizgmm.collapse_demo(seed=0, method="soft")
    collapsed = next(h for h in fits.values() if any(e["type"] == "collapse" for s in h for e in s.events))
    clean = next(h for h in fits.values() if h is not collapsed)
    text = reveal_deck(collapsed, tmp_path / "bad", **SMALL).read_text(encoding="utf-8")
    trouble = text[text.index('<section id="trouble">'):]
    trouble = trouble[:trouble.index("</section>")]
    first = next(i for i, s in enumerate(collapsed) if any(e["type"] == "collapse" for e in s.events))
    assert f"stills/snapshot_{first:04d}.png" in trouble
    assert "collapsed" in trouble and '<aside class="notes">' in trouble
    assert 'id="trouble"' not in reveal_deck(clean, tmp_path / "good", **SMALL).read_text(encoding="utf-8")
    # With few stops allowed, the frame the slide shows is still one of them.
    picked = stop_indices(collapsed, limit=6)
    assert first in picked and len(picked) <= 6


def test_a_long_fit_shows_at_most_about_max_stops_epochs_keeping_the_key_ones(walk):
    from vizgmm.decks.slides import key_epochs

    x, _ = vizgmm.walkthrough_data(seed=0)
    long = vizgmm.fit(x, 2, method="soft", tol=0, max_iter=80, seed=0)
    picked = stop_indices(long)
    assert len(long) > MAX_STOPS and len(picked) <= MAX_STOPS
    assert {index for _, index in key_epochs(long)} <= set(picked)
    assert picked == sorted(set(picked)) and picked[0] == 0 and picked[-1] == len(long) - 1
    assert stop_indices(walk) == list(range(len(walk)))


def test_a_failed_rewrite_leaves_the_earlier_deck_whole_and_no_stage(walk, tmp_path):
    folder = tmp_path / "deck"
    index = reveal_deck(walk, folder, **SMALL)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(vizgmm.OptionError):
        reveal_deck(walk, folder, no_such_option=1, **SMALL)  # fails while rendering, inside the stage
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert index.is_file() and not list(folder.glob(".vizgmm-stage-*"))


def test_bad_input_is_refused_before_anything_is_written(walk, tmp_path):
    with pytest.raises(vizgmm.OptionError, match="fitted History"):
        reveal_deck([1, 2, 3], tmp_path / "x")
    with pytest.raises(vizgmm.OptionError, match="is a folder"):
        reveal_deck(walk, tmp_path / "talk.html")
    assert not (tmp_path / "x").exists() and not (tmp_path / "talk.html").exists()


def test_public_api_names_the_deck():
    assert vizgmm.reveal_deck is reveal_deck
    assert "reveal_deck" in vizgmm.__all__


# -- the command line -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def saved(walk, tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    walk.save(folder / "fit" / "history.json")
    return folder


def test_cli_writes_the_deck_alone_with_no_pptx(saved):
    proc = run(saved, "slides", "fit/history.json", "--no-pptx", "--reveal", "talk/deck", "--preset", "blog")
    assert "talk/deck/index.html" in proc.stdout
    page = Page((saved / "talk/deck/index.html").read_text(encoding="utf-8"))
    assert page.notes == len(page.sections) >= 6
    assert not (saved / "fit" / "slides.pptx").exists()


def test_cli_shares_one_mp4_between_the_deck_and_the_pptx(saved):
    pptx = pytest.importorskip("pptx")
    run(saved, "slides", "fit/history.json", "-o", "both.pptx", "--reveal", "both", "--preset", "blog", "-q")
    movie = (saved / "both" / "animation.mp4").read_bytes()
    parts = [rel.target_part for slide in pptx.Presentation(str(saved / "both.pptx")).slides
             for rel in slide.part.rels.values() if not rel.is_external]
    assert any(part.content_type == "video/mp4" and part.blob == movie for part in parts)


@pytest.mark.parametrize("args, words", [
    (["--no-pptx"], ["--no-pptx", "--reveal DIR"]),
    (["--no-pptx", "--reveal", "talk.html"], ["--reveal", "talk.html", "folder"]),
    (["--no-pptx", "--reveal", "fit"], ["--reveal", "history's own folder"]),
    (["--no-pptx", "--reveal", "fit/history.json"], ["history.json", "not a folder"]),
])
def test_cli_refusals_are_one_line_exit_2_and_write_nothing(saved, args, words):
    before = sorted(p.relative_to(saved) for p in saved.rglob("*"))
    proc = run(saved, "slides", "fit/history.json", *args, check=False)
    assert_one_line_error(proc, *words)
    assert sorted(p.relative_to(saved) for p in saved.rglob("*")) == before



def test_a_hostile_title_and_names_stay_text(walk, tmp_path):
    hostile = "<script>alert(1)</script> 발 크기"
    text = reveal_deck(walk, tmp_path / "deck", title=hostile, component_names=["<b>a</b>", "b&c"],
                       **SMALL).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; 발 크기" in text
    assert "<b>a</b>" not in text and "&lt;b&gt;a&lt;/b&gt;" in text
