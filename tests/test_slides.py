"""Slides: a PowerPoint deck python-pptx reads back, and a Beamer folder whose .tex and frames agree."""

import re
import subprocess
import sys

import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.decks.beamer import beamer
from vizgmm.decks.slides import SLIDE_HEIGHT, SLIDE_WIDTH, key_epochs, slides
from vizgmm.pages.description import describe_fit

pptx = pytest.importorskip("pptx")


@pytest.fixture(scope="module")
def walk():
    x, _ = vizgmm.walkthrough_data(seed=0)
    history = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10)
    history.meta.update(title="Foot sizes", feature_names=["foot size (mm)"], component_names=["여자", "남자"])
    return history


@pytest.fixture(scope="module")
def deck(walk, tmp_path_factory):
    path = slides(walk, tmp_path_factory.mktemp("deck") / "talk.pptx", preset="blog")
    return pptx.Presentation(str(path))


def test_key_epochs_are_start_largest_change_and_final(walk):
    picks = dict(key_epochs(walk))
    steps = [abs(walk[i].log_likelihood - walk[i - 1].log_likelihood) for i in range(1, len(walk) - 1)]
    assert picks == {"Start": 0, "Largest change": 1 + steps.index(max(steps)), "Final fit": len(walk) - 1}


def test_deck_has_title_animation_three_epochs_chart_and_table(deck):
    assert len(deck.slides) == 7
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == "Foot sizes"
    assert titles[2].startswith("Start: epoch 0") and titles[4] == "Final fit: epoch 10"
    kinds = [[shape.shape_type for shape in slide.shapes] for slide in deck.slides]
    MSO = pptx.enum.shapes.MSO_SHAPE_TYPE
    assert MSO.MEDIA in kinds[1]
    assert all(MSO.PICTURE in k for k in kinds[2:6])
    table = next(s for s in deck.slides[6].shapes if s.has_table).table
    assert [table.cell(0, c).text for c in range(5)] == ["component", "weight φ", "mean μ", "std σ", "points"]
    assert table.cell(1, 0).text == "여자" and table.cell(2, 0).text == "남자"


def test_animation_slide_embeds_the_mp4_with_a_poster_sized_to_the_slide(deck):
    slide = deck.slides[1]
    movie = next(s for s in slide.shapes if s.shape_type == pptx.enum.shapes.MSO_SHAPE_TYPE.MEDIA)
    parts = {rel.target_part.content_type: rel.target_part for rel in slide.part.rels.values() if not rel.is_external}
    assert parts["video/mp4"].blob[4:8] == b"ftyp"
    assert parts["image/png"].blob[:8] == b"\x89PNG\r\n\x1a\n"  # the poster frame
    assert 0 <= movie.left and movie.left + movie.width <= SLIDE_WIDTH
    assert 0 <= movie.top and movie.top + movie.height <= SLIDE_HEIGHT
    assert movie.width > 0.6 * SLIDE_WIDTH or movie.height > 0.6 * SLIDE_HEIGHT
    assert abs(movie.width / movie.height - 640 / 480) < 0.01


def test_every_slide_has_speaker_notes(walk, deck):
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    assert all(notes)
    assert notes[1].startswith(describe_fit(walk) + "\n")
    # Then the video's captions, one line per epoch with the time it appears (as animation.vtt).
    assert notes[1].splitlines()[2].startswith("0:00.0 Epoch 0 of 10: total log-likelihood")
    assert len(notes[1].splitlines()) == 2 + len(walk)
    assert "Epoch 0: total log-likelihood" in notes[2]


def test_beamer_frames_and_tex_reference_each_other(walk, tmp_path):
    written = beamer(walk, tmp_path / "em-beamer", preset="blog", hold_first_ms=0, hold_last_ms=1000)
    folder = tmp_path / "em-beamer"
    assert written[0] == folder / "animation.tex" and (folder / "README.txt").read_text().count("\n") == 1
    tex = (folder / "animation.tex").read_text()
    assert r"\def\vizgmmdir{em-beamer}" in tex
    files = sorted(p.name for p in (folder / "beamer-frames").iterdir())
    assert len(files) == len(walk) + 2  # the last frame held two more frame times
    rate, base, first, last = re.search(r"\\animategraphics\[[^]]*\]\{([\d.]+)\}\{([^}]*)\}\{(\d+)\}\{(\d+)\}", tex).groups()
    assert rate == "2" and base == r"\vizgmmdir/beamer-frames/frame_"
    assert f"frame_{first}.png" == files[0] and f"frame_{last}.png" == files[-1]
    overlays = re.findall(r"\\only<(\d+)>\{\\includegraphics\[[^]]*\]\{\\vizgmmdir/beamer-frames/([^}]*)\}\}", tex)
    assert [int(n) for n, _ in overlays] == list(range(1, len(walk) + 1))
    assert all((folder / "beamer-frames" / f"{name}.png").is_file() for _, name in overlays)


def test_cli_slides_writes_deck_and_beamer_or_fails_in_one_line(walk, tmp_path):
    walk.save(tmp_path / "history.json")
    run(tmp_path, "slides", "history.json", "-o", "talk/deck.pptx", "--beamer", "talk/beamer", "--preset", "blog")
    assert len(pptx.Presentation(str(tmp_path / "talk" / "deck.pptx")).slides) == 7
    assert (tmp_path / "talk" / "beamer" / "animation.tex").is_file()
    proc = run(tmp_path, "slides", "history.json", "--no-pptx", check=False)
    assert_one_line_error(proc, "--no-pptx", "--beamer")
    proc = run(tmp_path, "slides", "history.json", "-o", "deck.ppt", check=False)
    assert_one_line_error(proc, ".pptx")
    assert not (tmp_path / "deck.ppt").exists()


def _run_without_pptx(cwd, *args):
    """`vizgmm ARGS` in a Python where `import pptx` fails, as on an install without the slides extra."""
    code = "import sys; sys.modules['pptx'] = None; from vizgmm.cli.main import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_cli_beamer_alone_works_without_python_pptx(walk, tmp_path):
    walk.save(tmp_path / "history.json")
    proc = _run_without_pptx(tmp_path, "slides", "history.json", "--beamer", "talk/beamer", "--preset", "blog")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "talk" / "beamer" / "animation.tex").is_file()
    assert "python-pptx" in proc.stderr and "'.[slides]'" in proc.stderr
    assert not list(tmp_path.rglob("*.pptx"))
    # Asking for the deck without python-pptx is still a one-line error naming the install.
    proc = _run_without_pptx(tmp_path, "slides", "history.json", "--pptx")
    assert_one_line_error(proc, "python-pptx", "'.[slides]'")
