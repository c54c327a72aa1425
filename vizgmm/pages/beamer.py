"""The animation for LaTeX Beamer: PNG frames, ``animation.tex`` and a README, in one folder.

``animation.tex`` holds two frames: one with ``\\animategraphics`` (the
``animate`` package), which plays in Acrobat Reader and a few other
viewers, and a fallback that shows one epoch per overlay (``\\only<n>``),
so the talk still steps through the fit in any PDF viewer. Paths go
through ``\\vizgmmdir`` (the folder's name by default), so the folder can
sit beside the talk's .tex file or anywhere a ``\\renewcommand`` points.
"""

from pathlib import Path

from vizgmm.files import ensure_folder, write_text
from vizgmm.pages.description import describe_fit

FRAMES = "frames"
TEX_NAME = "animation.tex"
README_NAME = "README.txt"


def beamer(history, folder, *, title=None, progress=False, **render_opts):
    """Write PNG frames, ``animation.tex`` and ``README.txt`` into ``folder``; returns the written paths.

    Parameters
    ----------
    history : History
    folder : str or Path
    title : str, optional
        The Beamer frames' title; default ``history.meta["title"]`` or "How EM moved".
    progress : bool
        Show a progress bar while rendering.
    **render_opts
        Drawing and timing options (preset, default ``"slides"``; theme, tween, duration_ms, ...).

    Examples
    --------
    >>> beamer(history, "talk/em-demo")  # then \\input{em-demo/animation.tex} in talk.tex  # doctest: +SKIP
    """
    from vizgmm.animate import render
    from vizgmm.animate import timing as frames

    folder = ensure_folder(folder)
    render_opts = {"preset": "slides", **render_opts}
    pngs = render.render_frames(history, folder / FRAMES, progress=progress, **render_opts)
    timing = frames.make_timing(render_opts.get("tween", 0), render_opts.get("fps"), render_opts.get("duration_ms"),
                                render_opts.get("hold_first_ms"), render_opts.get("hold_last_ms"))
    first_files = _first_file_of_each_epoch(history, timing, render_opts.get("tween", 0))
    title = _tex_escape(str(title or history.meta.get("title") or "How EM moved"))
    fps = 1000.0 / timing.frame_ms
    digits = len(Path(pngs[0]).stem.split("_")[-1])
    tex = TEX_TEMPLATE.format(
        dirname=_tex_escape(folder.name), title=title, fps=f"{fps:.6g}", frames=FRAMES,
        first=f"{0:0{digits}d}", last=f"{len(pngs) - 1:0{digits}d}",
        overlays="\n".join(
            f"  \\only<{n}>{{\\includegraphics[width=\\linewidth]{{\\vizgmmdir/{FRAMES}/{Path(pngs[i]).stem}}}}}%"
            for n, i in enumerate(first_files, start=1)
        ),
        description=_tex_comment(describe_fit(history)),
    )
    write_text(folder / TEX_NAME, tex)
    write_text(folder / README_NAME, README.format(dirname=folder.name, count=len(pngs), epochs=len(first_files)))
    return [folder / TEX_NAME, folder / README_NAME, folder / FRAMES]


def _first_file_of_each_epoch(history, timing, tween):
    """The index of the PNG file that starts each snapshot's epoch frame (holds are repeated files)."""
    count = len(history) * (tween + 1)
    durations = timing.durations(count)
    starts, position = [], 0
    for state in range(count):
        if state % (tween + 1) == 0:
            starts.append(position)
        position += max(1, int(round(durations[state] / timing.frame_ms)))
    return starts


def _tex_escape(text):
    special = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
               "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(special.get(c, c) for c in text)


def _tex_comment(text):
    import textwrap

    return "\n".join("% " + line for line in textwrap.wrap(text, 96))


TEX_TEMPLATE = r"""% vizgmm: the animation of a fit for LaTeX Beamer (see README.txt).
% Preamble: \usepackage{{graphicx}} and \usepackage{{animate}}.
{description}
\providecommand{{\vizgmmdir}}{{{dirname}}}

% Plays in Acrobat Reader (and other viewers with JavaScript): loops, with controls.
\begin{{frame}}{{{title}}}
  \centering
  \animategraphics[autoplay,loop,controls,width=\linewidth]{{{fps}}}{{\vizgmmdir/{frames}/frame_}}{{{first}}}{{{last}}}
\end{{frame}}

% Fallback for every other PDF viewer: one epoch per overlay, advance with the slide clicker.
\begin{{frame}}{{{title} (epoch by epoch)}}
  \centering
{overlays}
\end{{frame}}
"""

README = """\
This folder holds an animation of an EM fit for LaTeX Beamer, made by vizgmm: {count} PNG frames in frames/ and \
animation.tex with two Beamer frames, one that plays the frames with \\animategraphics (the animate package; it \
plays in Acrobat Reader and other viewers with JavaScript) and one that steps through the {epochs} epochs on \
successive overlays with \\only<n> for every other PDF viewer. To use it, put this folder beside your talk's .tex \
file, add \\usepackage{{graphicx}} and \\usepackage{{animate}} to the preamble, and write \\input{{{dirname}/animation.tex}} \
where the two frames belong; if the folder lives elsewhere, first write \\newcommand{{\\vizgmmdir}}{{path/to/{dirname}}}. \
Compile with pdflatex as usual.
"""
