"""The animation for LaTeX Beamer: PNG frames, ``animation.tex`` and a README, in one folder.

``animation.tex`` holds two frames: one with ``\\animategraphics`` (the
``animate`` package), which plays in Acrobat Reader and a few other
viewers, and a fallback that shows one epoch per overlay (``\\only<n>``),
so the talk still steps through the fit in any PDF viewer. Paths go
through ``\\vizgmmdir``: the folder's name unless the talk defined it just
before the ``\\input``, and undefined again at the snippet's end, so each
``\\input`` of a talk shows its own folder's frames (issue 25: a
``\\providecommand`` kept the first folder's path for every later one).

The frames live in a subfolder of their own, ``beamer-frames/``, which a run
replaces whole: ``--beamer`` into a ``fit --frames`` folder once rendered
into its ``frames/`` and unlinked the fit's ``epoch_*.png``, and a shorter
rerun left the longer run's last ``frame_NNNNN.png`` behind (issue 26 #4).
A ``beamer-frames/`` holding anything but such frames, or a link, is refused.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

from vizgmm.errors import OutputError
from vizgmm.files import check_destination, check_not_stopped, ensure_folder, process_gone, staging_folder, write_text
from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.model.history import History
from vizgmm.pages.description import describe_fit
from vizgmm.text import check_user_text, shown, undecodable

FRAMES = "beamer-frames"
#: The only names a frames folder vizgmm replaces may hold: its own numbered frames.
FRAME_FILE = re.compile(r"^frame_\d{5,}\.png$")
STAGE_PREFIX = ".vizgmm-beamer-"
TEX_NAME = "animation.tex"
README_NAME = "README.txt"


def beamer(history: History, folder: str | os.PathLike, *, title: str | None = None, progress: bool = False, **render_opts: Any) -> list[Path]:
    """Write PNG frames, ``animation.tex`` and ``README.txt`` into ``folder``; returns the written paths.

    Parameters
    ----------
    history : History
    folder : str or Path
    title : str, optional
        The Beamer frames' title; default ``history.meta["title"]`` or "How EM moved" (in ``lang``).
    progress : bool
        Show a progress bar while rendering.
    **render_opts
        Drawing and timing options (preset, default ``"slides"``; theme, tween, duration_ms, ...); ``lang``
        ("en", "ko") is also the language of the frames' titles, the comments of ``animation.tex`` and the README.

    Examples
    --------
    >>> beamer(history, "talk/em-demo")  # then \\input{em-demo/animation.tex} in talk.tex  # doctest: +SKIP
    """
    from vizgmm.animate import api as render
    from vizgmm.animate.frames import timing as frames
    from vizgmm.animate.options import resolve
    from vizgmm.animate.writers import registry

    dirname = tex_path(Path(folder).name)  # before the folder is made: a refused name leaves nothing
    w = get_words(render_opts.get("lang"))
    title = _tex_escape(str(check_user_text(title or history.meta.get("title")) or w.gettext("How EM moved")))
    _check_frames_folder(Path(folder) / FRAMES)  # before rendering: a refusal costs no time and writes nothing
    folder = ensure_folder(folder)
    render_opts = {"preset": "slides", **render_opts}
    # The frames' clock, from the same resolved options render_frames draws with (tween, fps or duration, holds).
    timing = frames.timing_of(resolve(render_opts, "png", registry.get("png").options))
    # render_frames writes one file per snapshot and in-between, named by epoch; \animategraphics
    # plays numbered files at one rate, so the holds become repeated numbered files here.
    with _staged_frames(folder) as stage:
        epochs = render.render_frames(history, stage / "epochs", progress=progress, **render_opts)
        pngs, first_files = _numbered_sequence(history, epochs, timing, timing.tween, stage / FRAMES)
        _replace_frames(stage / FRAMES, folder / FRAMES, stage)
    fps = 1000.0 / timing.frame_ms
    digits = len(Path(pngs[0]).stem.split("_")[-1])
    tex = TEX_TEMPLATE.format(
        header=_tex_comment_lines(w.gettext(TEX_HEADER).format(frames=FRAMES, dirname=dirname)),
        plays=_tex_comment_lines(w.gettext("Plays in Acrobat Reader (and other viewers with JavaScript): loops, with controls.")),
        fallback=_tex_comment_lines(w.gettext("Fallback for every other PDF viewer: one epoch per overlay, advance with the "
                                              "slide clicker.")),
        stepped=w.gettext("{title} (epoch by epoch)").format(title=title),
        dirname=dirname, title=title, fps=f"{fps:.6g}", frames=FRAMES,
        first=f"{0:0{digits}d}", last=f"{len(pngs) - 1:0{digits}d}",
        overlays="\n".join(
            f"  \\only<{n}>{{\\includegraphics[width=\\linewidth]{{\\vizgmmdir/{FRAMES}/{Path(pngs[i]).stem}}}}}%"
            for n, i in enumerate(first_files, start=1)
        ),
        description=_tex_comment(describe_fit(history, lang=w)),
    )
    write_text(folder / TEX_NAME, tex)
    write_text(folder / README_NAME, w.gettext(README).format(dirname=folder.name, count=len(pngs),
                                                              epochs=len(first_files)))
    return [folder / TEX_NAME, folder / README_NAME, folder / FRAMES]


def _numbered_sequence(history, epoch_files, timing, tween, frames_folder):
    """``frame_00000.png``, … at one frame rate (holds repeated), from the epoch-named files.

    Returns the numbered paths and the index of the file that starts each snapshot's epoch.
    The epoch-named files are removed once numbered.
    """
    from vizgmm.animate.api import frame_name
    from vizgmm.animate.frames.timing import state_at
    from vizgmm.files import write_bytes

    by_name = {Path(p).name: Path(p) for p in epoch_files}
    count = len(history) * (tween + 1)
    durations = timing.durations(count)
    sequence, starts, current = [], [], None
    for index in range(count):
        name = frame_name(history, state_at(history, index, tween), tween)
        current = by_name[name] if name is not None else current
        if index % (tween + 1) == 0:
            starts.append(len(sequence))
        sequence += [current] * max(1, int(round(durations[index] / timing.frame_ms)))
    cache, numbered = {}, []
    for n, source in enumerate(sequence):
        if source not in cache:
            cache[source] = source.read_bytes()
        numbered.append(frames_folder / f"frame_{n:05d}.png")
        write_bytes(numbered[-1], cache[source])
    for path in by_name.values():
        path.unlink()
    return numbered, starts


def _check_frames_folder(target):
    """OutputError unless ``target`` is absent or a real folder of vizgmm's numbered frames only."""
    check_destination(target, True, "choose another Beamer folder")
    if not os.path.lexists(target):
        return
    foreign = sorted(entry.name for entry in os.scandir(target)
                     if not (FRAME_FILE.match(entry.name) and entry.is_file(follow_symlinks=False)))
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputError(f"{target} holds files vizgmm did not write ({shown}), which a rerun would delete; "
                          "move them or choose another Beamer folder")


@contextlib.contextmanager
def _staged_frames(folder):
    """A hidden folder in ``folder`` to render into, removed however the run ends (a killed run's by the next)."""
    for entry in folder.glob(STAGE_PREFIX + "*"):
        pid = entry.name[len(STAGE_PREFIX):].split("-")[0]
        if pid.isdigit() and process_gone(int(pid)) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
    with staging_folder(folder, f"{STAGE_PREFIX}{os.getpid()}-", "choose another Beamer folder") as stage:
        yield stage


def _replace_frames(new, target, stage):
    """Put the staged frames at ``target``, the earlier run's (checked again: only its frames) removed whole."""
    check_not_stopped()
    _check_frames_folder(target)
    if target.exists():
        os.replace(target, stage / "old")
    os.replace(new, target)


def tex_path(name, option="folder"):
    """The folder's name as TeX reads it inside a file path: verbatim, so refused if TeX would not.

    Escaping is wrong here (``em\\_demo`` is no file name; ``\\_`` inside
    ``\\includegraphics`` stops pdflatex), and ``_`` needs none in a path.
    """
    if undecodable(name):
        raise OutputError(
            f"{option} '{shown(name)}': the Beamer folder's name has bytes that are not UTF-8, which TeX cannot "
            "read in a file path; choose a folder name of letters, digits, - and _"
        )
    bad = sorted(set(name) & set("\\%#{}~^$&"))
    if bad:
        raise OutputError(
            f"{option} {name!r}: the Beamer folder's name has {' '.join(bad)}, which TeX cannot read in a file path; "
            "choose a folder name of letters, digits, - and _"
        )
    return name


def _tex_escape(text):
    special = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
               "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(special.get(c, c) for c in text)


def _tex_comment_lines(text):
    """Each line of ``text`` as a TeX comment, as written (the catalogue's lines)."""
    return "\n".join("% " + line for line in text.split("\n"))


def _tex_comment(text):
    import textwrap

    return "\n".join("% " + line for line in textwrap.wrap(text, 96))


#: The comment at the top of animation.tex (a message of the catalogue: a Korean talk's file says it in Korean).
TEX_HEADER = N_(r"""vizgmm: the animation of a fit for LaTeX Beamer (see README.txt).
Preamble: \usepackage{{graphicx}} and \usepackage{{animate}}.
Frames are read from \vizgmmdir/{frames}/: this folder's name, {dirname}, relative to the talk's .tex,
unless \vizgmmdir is defined just before the \input (\def\vizgmmdir{{path/to/{dirname}}}).
This file undefines \vizgmmdir at its end, so a second animation in the same talk
(\input{{other/animation.tex}}) reads its own frames, never this one's.""")

TEX_TEMPLATE = r"""{header}
{description}
\ifdefined\vizgmmdir\else\def\vizgmmdir{{{dirname}}}\fi

{plays}
\begin{{frame}}{{{title}}}
  \centering
  \animategraphics[autoplay,loop,controls,width=\linewidth]{{{fps}}}{{\vizgmmdir/{frames}/frame_}}{{{first}}}{{{last}}}
\end{{frame}}

{fallback}
\begin{{frame}}{{{stepped}}}
  \centering
{overlays}
\end{{frame}}
\let\vizgmmdir\undefined
"""

README = N_("""\
This folder holds an animation of an EM fit for LaTeX Beamer, made by vizgmm: {count} PNG frames in beamer-frames/ and \
animation.tex with two Beamer frames, one that plays the frames with \\animategraphics (the animate package; it \
plays in Acrobat Reader and other viewers with JavaScript) and one that steps through the {epochs} epochs on \
successive overlays with \\only<n> for every other PDF viewer. To use it, put this folder beside your talk's .tex \
file, add \\usepackage{{graphicx}} and \\usepackage{{animate}} to the preamble, and write \\input{{{dirname}/animation.tex}} \
where the two frames belong; if the folder lives elsewhere, write \\def\\vizgmmdir{{path/to/{dirname}}} just before \
that \\input. Each animation.tex forgets \\vizgmmdir at its end, so several vizgmm folders can be \\input in one talk, \
each showing its own frames. Compile with pdflatex as usual.
""")
