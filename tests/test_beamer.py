"""Beamer: two vizgmm animations \\input in one talk compile with pdflatex, each showing its own frames."""

import hashlib
import re
import subprocess
import zlib
from pathlib import Path

import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.decks.beamer import FRAMES, beamer
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
        files = sorted((tmp_path / folder / FRAMES).glob("frame_*.png"))
        assert len({hashlib.sha256(f.read_bytes()).digest() for f in files}) == len(history)
        assert next((n for n in read if n.startswith(folder)), None) == f"{folder}/{FRAMES}/{files[0].name}"
        assert len({n for n in read if n.startswith(folder)}) == len(history)
        assert {n for n in read if n.startswith(folder)} <= {f"{folder}/{FRAMES}/{f.name}" for f in files}
    # The PDF holds every frame of both: a second animation shown with the first one's frames
    # (issue 25's \providecommand) would add no image of its own.
    images = _image_streams(pdf)
    assert len(images) == len(hard) + len(soft)
    assert len({hashlib.sha256(data).digest() for data in images}) == len(hard) + len(soft)
    first_hard, first_soft = (sorted((tmp_path / f / FRAMES).iterdir())[0].read_bytes() for f in ("em_hard", "em-soft"))
    assert first_hard != first_soft


def test_vizgmmdir_set_before_the_input_points_at_a_moved_folder(two_fits, tmp_path, pdflatex):
    hard, soft = two_fits
    beamer(hard, tmp_path / "figures" / "em_hard", **SMALL)
    beamer(soft, tmp_path / "em-soft", **SMALL)
    (tmp_path / "talk.tex").write_text(TALK.replace(r"\input{em_hard/", r"\def\vizgmmdir{figures/em_hard}\input{figures/em_hard/"))
    _, log = _compile(tmp_path, pdflatex)
    assert f"figures/em_hard/{FRAMES}/frame_00000.png" in log
    # The second \input falls back to its own folder's name: the first one's \def ended with its snippet.
    assert f"em-soft/{FRAMES}/frame_00000.png" in log and "figures/em-soft" not in log


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


def _frame_files(folder):
    return sorted(p.name for p in (folder / FRAMES).iterdir())


def test_beamer_into_a_fit_folder_leaves_the_fits_frames_alone(tmp_path):
    # issue 26 #4: `slides --beamer out4` rendered into out4/frames/ and then unlinked fit --frames' epoch_*.png.
    (tmp_path / "s.txt").write_text("\n".join(str(i) for i in range(1, 51)) + "\n")
    run(tmp_path, "fit", "s.txt", "-k", "2", "--out", "out4", "--frames", "--no-mp4", "--no-gif", "--quiet")
    fit_frames = {p.name: p.read_bytes() for p in (tmp_path / "out4" / "frames").iterdir()}
    assert fit_frames and all(name.startswith("epoch_") for name in fit_frames)
    run(tmp_path, "slides", "out4/history.json", "--no-pptx", "--beamer", "out4", "--quiet")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out4" / "frames").iterdir()} == fit_frames
    tex = (tmp_path / "out4" / "animation.tex").read_text()
    assert f"\\vizgmmdir/{FRAMES}/frame_" in tex and FRAMES != "frames"
    assert _frame_files(tmp_path / "out4") and all(n.startswith("frame_") for n in _frame_files(tmp_path / "out4"))


def test_a_shorter_rerun_leaves_exactly_its_own_frames(two_fits, tmp_path):
    hard, soft = two_fits
    beamer(hard, tmp_path / "em", hold_last_ms=2000, **SMALL)
    longer = len(_frame_files(tmp_path / "em"))
    beamer(soft, tmp_path / "em", hold_last_ms=0, **SMALL)
    tex = (tmp_path / "em" / "animation.tex").read_text()
    last = int(re.search(r"frame_\}\{0+\}\{(\d+)\}", tex).group(1))
    assert longer > last + 1
    assert _frame_files(tmp_path / "em") == [f"frame_{n:05d}.png" for n in range(last + 1)]
    assert not [p for p in (tmp_path / "em").iterdir() if p.name.startswith(".")]  # no staging left


def test_a_frames_folder_with_someone_elses_files_is_refused_and_kept(two_fits, tmp_path):
    folder = tmp_path / "em" / FRAMES
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="notes.txt"):
        beamer(two_fits[0], tmp_path / "em", **SMALL)
    assert _frame_files(tmp_path / "em") == ["notes.txt"] and not (tmp_path / "em" / "animation.tex").exists()
    folder.rename(tmp_path / "elsewhere")
    (tmp_path / "em" / FRAMES).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError, match="symbolic link"):
        beamer(two_fits[0], tmp_path / "em", **SMALL)
    assert sorted(p.name for p in (tmp_path / "elsewhere").iterdir()) == ["notes.txt"]


def test_a_beamer_folder_name_that_is_not_utf8_is_refused_before_anything_is_written(two_fits, tmp_path):
    import os

    two_fits[0].save(tmp_path / "history.json")
    proc = run(tmp_path, "slides", "history.json", "--no-pptx", "--beamer", os.fsdecode(b"em\xff"), check=False)
    assert_one_line_error(proc, "--beamer", "not UTF-8", "\\xff")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.json", "history.npz"]
