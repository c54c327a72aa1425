"""Blog snippets beside the animations: ``embed.html`` and ``embed.md`` to paste into a post.

``embed.html`` is a ``<video loop muted playsinline controls>`` with the
WebM first, the MP4 next, the captions (``animation.vtt``) as a ``<track>``
and the GIF inside as the fallback, a poster frame, and the fit's
description as its ``aria-label`` and the GIF's ``alt``. It has no
``autoplay``: a two-line script beside it plays it like a GIF unless the
reader asked for reduced motion (``prefers-reduced-motion: reduce``), who
sees the poster and the play control; where a host strips scripts, the
poster and the control are what everyone sees. A GIF or WebP alone is a
``<picture>`` whose first source is the poster under reduced motion.
``embed.md`` is the GIF (or the WebP without a GIF, or the poster without
either) as a Markdown image with the same description, for Markdown-only hosts. Both name the files
relatively, so they work wherever the files are uploaded together.

The poster is the final epoch's frame: a reader who never starts the video
or asked for reduced motion still sees the fitted mixture.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from vizgmm.animate.options import STILL, resolve, still_options
from vizgmm.errors import OptionError
from vizgmm.files import write_bytes, write_text
from vizgmm.i18n import words as get_words
from vizgmm.pages.description import describe_fit
from vizgmm.pages.templates import template_environment

if TYPE_CHECKING:  # names for the hints only
    import os

    from vizgmm.model.history import History

VIDEO_TYPES = {"webm": "video/webm", "mp4": "video/mp4"}
POSTER_NAME = "poster.png"


def embed_snippets(history: History, folder: str | os.PathLike, *, gif: str | os.PathLike | None = None, mp4: str | os.PathLike | None = None, webm: str | os.PathLike | None = None, webp: str | os.PathLike | None = None, captions: str | os.PathLike | None = None, alt: str | None = None, poster: bool = True,
                   template_dir: str | os.PathLike | None = None, **render_opts: Any) -> list[Path]:
    """Write ``embed.html`` and ``embed.md`` (and ``poster.png``) for the given animations; returns their paths.

    Parameters
    ----------
    history : History
    folder : str or Path
        Where the snippets go: the animations' own folder, so links stay relative.
    gif, mp4, webm, webp : str or Path, optional
        The rendered animations to link (at least one).
    captions : str or Path, optional
        The videos' WebVTT captions (:func:`vizgmm.captions`), linked as the ``<video>``'s ``<track>``.
    alt : str, optional
        The description; default :func:`vizgmm.pages.description.describe_fit` of the history.
    poster : bool
        Write the final epoch's frame as ``poster.png`` (default True): the video's poster, and what a
        reader who asked for reduced motion sees instead of the GIF or WebP.
    template_dir : str or Path, optional
        A folder whose ``embed.html.j2`` / ``embed.md.j2`` override the defaults.
    **render_opts
        Drawing options for the poster (preset, theme, ...), as the animations had.

    Examples
    --------
    >>> embed_snippets(history, "out", gif="out/animation.gif", mp4="out/animation.mp4")  # doctest: +SKIP
    """
    folder = Path(folder)
    given = {kind: Path(path) for kind, path in (("gif", gif), ("mp4", mp4), ("webm", webm), ("webp", webp)) if path}
    if not given:
        raise OptionError("embed_snippets needs at least one animation: pass gif=, mp4=, webm= or webp=")
    alt = " ".join(str(alt if alt is not None else describe_fit(history, lang=render_opts.get("lang"))).split())
    width, height = _size(history, render_opts)
    written = []
    poster_name = None
    videos = [{"src": _relative(given[kind], folder), "type": VIDEO_TYPES[kind]} for kind in ("webm", "mp4")
              if kind in given]
    if poster:
        written.append(_write_poster(history, folder / POSTER_NAME, render_opts))
        poster_name = POSTER_NAME
    fallback = _relative(given["gif"], folder) if "gif" in given else None
    webp_name = _relative(given["webp"], folder) if "webp" in given else None
    track = _relative(captions, folder) if captions and videos else None
    # The files the HTML links: the videos, captions and poster, else the WebP; and the GIF.
    files = [v["src"] for v in videos] + ([track] if track else []) + ([poster_name] if poster_name else []) + \
        ([webp_name] if webp_name and not videos else []) + ([fallback] if fallback else [])
    env = template_environment(template_dir)
    context = {
        "alt": alt, "width": width, "height": height, "videos": videos, "poster": poster_name,
        "fallback": fallback, "webp": webp_name, "files": files, "captions": track,
        "captions_lang": get_words(render_opts.get("lang")).lang, "captions_label": get_words(render_opts.get("lang")).name,
        "alt_markdown": _markdown_text(alt), "image": fallback or webp_name or poster_name or videos[0]["src"],
    }
    for name in ("embed.html", "embed.md"):
        target = folder / name
        write_text(target, env.get_template(name + ".j2").render(context))
        written.append(target)
    return written


def _size(history, render_opts):
    # The canvas the animations were drawn on: the options' own lookup of preset and size.
    return resolve(still_options(render_opts), STILL).canvas["size"]


def _write_poster(history, path, render_opts):
    import io

    from PIL import Image

    from vizgmm.animate import api as render

    opts = still_options(render_opts)
    buffer = io.BytesIO()
    Image.fromarray(render.render_still(history, -1, **opts)).save(buffer, format="PNG", optimize=True)
    write_bytes(path, buffer.getvalue())
    return path


def _relative(path, folder):
    """The file's name as a link from ``folder`` (a path below it, or else its bare name)."""
    try:
        return Path(path).resolve().relative_to(Path(folder).resolve()).as_posix()
    except ValueError:
        return Path(path).name


def _markdown_text(text):
    """Alt text safe inside ``![...]``: brackets and backslashes escaped."""
    for char in ("\\", "[", "]"):
        text = text.replace(char, "\\" + char)
    return text
