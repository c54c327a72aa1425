"""Animations and stills for a page: rendered or reused, embedded as data URIs or linked."""

import base64
import io
from pathlib import Path

import numpy as np

from vizgmm.errors import OptionError


# -- embedded media ------------------------------------------------------------
def animation_media(draw, animation, gif_path, mp4_path, scratch, report_path, webm_path=None):
    """The animation as data URIs (rendering it if no file was given), with the standalone files' names.

    ``draw(kind, path)`` renders the page's animation ("gif" or "mp4") to
    ``path``: one history for the report, a grid for the comparison page.
    With ``animation="mp4"`` a given GIF goes inside the ``<video>`` as its
    fallback only while both files stay within :data:`FALLBACK_BUDGET`; a
    GIF is never rendered just to be a fallback. A given WebM becomes the
    ``<video>``'s first source (never rendered just for the page either).
    """
    if animation == "none":
        return None
    files = []
    mp4 = gif = None
    if mp4_path is not None:
        mp4 = _existing(mp4_path, "mp4_path")
        files.append(mp4)
    if gif_path is not None:
        gif = _existing(gif_path, "gif_path")
        files.append(gif)
    webm = None
    if webm_path is not None:
        webm = _existing(webm_path, "webm_path")
        files.append(webm)
    if animation == "mp4" and mp4 is None:
        mp4 = Path(draw("mp4", scratch / "animation.mp4"))
    if animation == "gif" and gif is None:
        gif = Path(draw("gif", scratch / "animation.gif"))
    if animation == "gif":
        mp4 = webm = None
    gif_left_out = False
    if mp4 is not None and gif is not None and mp4.stat().st_size + gif.stat().st_size > FALLBACK_BUDGET:
        gif, gif_left_out = None, True
    media = {
        "kind": animation,
        "mp4": None,
        "webm": None,
        "gif": None,
        "gif_left_out": gif_left_out,
        # The <video>'s WebVTT captions as a data URI (the page adds them: pages/build.py).
        "captions": None,
        # The page may put its interactive player first and describe the fit (pages/build.py).
        "player": None,
        "description": None,
        "files": [_file_entry(f, report_path) for f in files],
    }
    if mp4 is not None:
        width, height = _video_size(mp4)
        media["mp4"] = {"uri": _data_uri(mp4.read_bytes(), "video/mp4"), "width": width, "height": height,
                        "bytes": mp4.stat().st_size}
    if webm is not None:
        media["webm"] = {"uri": _data_uri(webm.read_bytes(), "video/webm"), "bytes": webm.stat().st_size}
    if gif is not None:
        from PIL import Image

        with Image.open(gif) as im:
            width, height = im.size
        media["gif"] = {"uri": _data_uri(gif.read_bytes(), "image/gif"), "width": width, "height": height,
                        "bytes": gif.stat().st_size}
    return media


ANIMATIONS = ("mp4", "gif", "none")


# Bytes of MP4 + GIF up to which the GIF also goes inside the <video> as its fallback.
# Base64 adds a third, so this keeps the demo's page under 2 MB with room for the rest.
FALLBACK_BUDGET = 1_200_000


def still_figure(history, render_opts):
    """The final snapshot's figure as a PNG data URI with its size."""
    from PIL import Image

    from vizgmm.animate import api as render
    from vizgmm.animate.options import still_options

    # Only the drawing options apply to a still; file-format ones (loop, quality, ...) do not.
    opts = still_options(render_opts)
    pixels = np.asarray(render.render_still(history, -1, **opts))
    buffer = io.BytesIO()
    Image.fromarray(pixels[..., :3].astype(np.uint8)).save(buffer, format="PNG", optimize=True)
    return {"uri": _data_uri(buffer.getvalue(), "image/png"), "width": pixels.shape[1], "height": pixels.shape[0]}


def _existing(path, option):
    path = Path(path)
    if not path.is_file():
        raise OptionError(f"{option} {path} does not exist; render the animation first or leave {option} out")
    return path


def _file_entry(path, report_path):
    """Display name and a relative link for a standalone file next to (or below) the report."""
    from urllib.parse import quote

    try:
        rel = path.resolve().relative_to(report_path.resolve().parent).as_posix()
    except ValueError:
        rel = None
    # "./" keeps a name such as "javascript:x.gif" a relative path, never a URL scheme.
    return {
        "name": path.name if rel is None else rel,
        "href": None if rel is None else "./" + quote(rel),
        "bytes": path.stat().st_size,
    }


def _video_size(path):
    from vizgmm.animate.writers.ffmpeg import video_size

    return video_size(path)  # an unreadable MP4 is one short line, not ffmpeg's whole log


def data_uri(data, mime):
    """``data:MIME;base64,...`` for ``data`` (bytes): a page's media inside the page itself."""
    return _data_uri(data, mime)


def _data_uri(data, mime):
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def png_uri(pixels):
    """An (H, W, 3) uint8 image as a ``data:image/png;base64,...`` URI (the comparison pages' stills)."""
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
