"""Beamer: two vizgmm animations \\input in one talk compile with pdflatex, each showing its own frames."""

import hashlib
import re
import subprocess
import zlib
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.decks.beamer import beamer
from vizgmm.errors import OutputError

TALK = r"""\pdfobjcompresslevel=0
\documentclass{beamer}
\usepackage{graphicx}
\usepackage{animate}
\begin{document}
\input{em_hard/animation.tex}
\input{em-soft/animation.tex}
\end{document}
"""
SMALL = {"preset": "blog", "size": (160, 120), "hold_first_ms": 0}


@pytest.fixture(scope="module")
def two_fits(walkthrough_data):
    x, _ = walkthrough_data
    hard = vizgmm.fit(x, 2, method="hard", init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=3)
    soft = vizgmm.fit(x, 3, method="soft", seed=1, tol=0, max_iter=2)
    return hard, soft


def _compile(folder, pdflatex):
    # Twice, as a talk is compiled: the second run reads the .aux/.nav the first one wrote.
    for _ in range(2):
        done = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "talk.tex"], cwd=folder,
                              capture_output=True, text=True, errors="replace", timeout=120)
        assert done.returncode == 0, done.stdout[-3000:]
    return (folder / "talk.pdf").read_bytes(), (folder / "talk.log").read_text(errors="replace")


def _image_streams(pdf):
    """The decompressed data of every image XObject (the talk turns off object streams, so each is plain)."""
    streams = []
    for match in re.finditer(rb"<<((?:(?!>>\s*stream).)*?/Subtype\s*/Image.*?)>>\s*stream\r?\n", pdf, re.S):
        length = int(re.search(rb"/Length\s+(\d+)", match.group(1)).group(1))
        data = pdf[match.end():match.end() + length]
        streams.append(zlib.decompress(data) if b"/FlateDecode" in match.group(1) else data)
    return streams


def test_two_animations_in_one_talk_each_show_their_own_frames(two_fits, tmp_path, pdflatex):
    hard, soft = two_fits
    beamer(hard, tmp_path / "em_hard", hold_last_ms=500, **SMALL)  # a folder name with "_", read verbatim
    beamer(soft, tmp_path / "em-soft", hold_last_ms=0, **SMALL)
    (tmp_path / "talk.tex").write_text(TALK)
    pdf, log = _compile(tmp_path, pdflatex)

    # Each snippet is a playing frame plus one overlay page per snapshot.
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == (1 + len(hard)) + (1 + len(soft))
    # pdflatex read every animation's frames from its own folder, the first frame first; animate stores
    # identical frames once (the hold repeats the last frame), so each folder's distinct frames are read.
    read = re.findall(r"<(?:use )?(?:\./)?([\w/.-]+?\.png)", log)
    for folder, history in (("em_hard", hard), ("em-soft", soft)):
        files = sorted((tmp_path / folder / "frames").glob("frame_*.png"))
        assert len({hashlib.sha256(f.read_bytes()).digest() for f in files}) == len(history)
        assert next((n for n in read if n.startswith(folder)), None) == f"{folder}/frames/{files[0].name}"
        assert len({n for n in read if n.startswith(folder)}) == len(history)
        assert {n for n in read if n.startswith(folder)} <= {f"{folder}/frames/{f.name}" for f in files}
    # The PDF holds every frame of both: a second animation shown with the first one's frames
    # (issue 25's \providecommand) would add no image of its own.
    images = _image_streams(pdf)
    assert len(images) == len(hard) + len(soft)
    assert len({hashlib.sha256(data).digest() for data in images}) == len(hard) + len(soft)
    first_hard, first_soft = (sorted((tmp_path / f / "frames").iterdir())[0].read_bytes() for f in ("em_hard", "em-soft"))
    assert first_hard != first_soft


def test_vizgmmdir_set_before_the_input_points_at_a_moved_folder(two_fits, tmp_path, pdflatex):
    hard, soft = two_fits
    beamer(hard, tmp_path / "figures" / "em_hard", **SMALL)
    beamer(soft, tmp_path / "em-soft", **SMALL)
    (tmp_path / "talk.tex").write_text(TALK.replace(r"\input{em_hard/", r"\def\vizgmmdir{figures/em_hard}\input{figures/em_hard/"))
    _, log = _compile(tmp_path, pdflatex)
    assert "figures/em_hard/frames/frame_00000.png" in log
    # The second \input falls back to its own folder's name: the first one's \def ended with its snippet.
    assert "em-soft/frames/frame_00000.png" in log and "figures/em-soft" not in log


def test_folder_names_tex_cannot_read_are_refused_before_anything_is_written(two_fits, tmp_path):
    with pytest.raises(OutputError, match="letters, digits"):
        beamer(two_fits[0], tmp_path / "50%", **SMALL)
    assert not (tmp_path / "50%").exists()


def test_cli_refuses_such_a_beamer_folder_in_one_line_before_the_deck(two_fits, tmp_path):
    two_fits[0].save(tmp_path / "history.json")
    proc = run(tmp_path, "slides", "history.json", "-o", "deck.pptx", "--beamer", "talk/em#1", check=False)
    assert_one_line_error(proc, "--beamer", "em#1", "#")
    assert not (tmp_path / "deck.pptx").exists() and not (tmp_path / "talk").exists()


def test_snippet_undefines_its_folder_macro_at_the_end(two_fits, tmp_path):
    tex = Path(beamer(two_fits[0], tmp_path / "em", **SMALL)[0]).read_text()
    assert r"\ifdefined\vizgmmdir\else\def\vizgmmdir{em}\fi" in tex
    assert tex.rstrip().endswith(r"\let\vizgmmdir\undefined")
    assert r"\providecommand" not in tex
