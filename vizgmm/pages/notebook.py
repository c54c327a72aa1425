"""Jupyter display: a History shows itself as a playable animation.

``History._repr_html_`` calls :func:`history_html`, so the last line of a cell
``vizgmm.fit(x, 2)`` shows the fit epoch by epoch. The animation is rendered
at the small "blog" preset and embedded as a data URI, so the notebook keeps
it when saved and shows it offline (GitHub and nbviewer show GIFs too).
"""

import base64
import json
import tempfile
from pathlib import Path

from markupsafe import escape

from vizgmm.errors import OptionError
from vizgmm.files import scratch_prefix
from vizgmm.model.history import epochs_text

FORMATS = {"gif": "image/gif", "mp4": "video/mp4"}


def history_html(history, *, format="gif", preset="blog", **render_opts):
    """An HTML fragment with the fit's animation and a one-line caption.

    Parameters
    ----------
    history : History
    format : {"gif", "mp4"}
        ``"gif"`` plays by itself everywhere; ``"mp4"`` is smaller and has a
        play/pause control.
    preset : str
        Canvas preset (default "blog", 640×480), as in :func:`vizgmm.render_gif`.
    **render_opts
        Passed to the renderer (theme, tween, fps, title, component_names, ...).

    Returns
    -------
    str
        ``<figure>`` with an ``<img>`` or ``<video>`` whose source is a data URI.
    """
    if format not in FORMATS:
        raise OptionError(f"unknown notebook format {format!r}; use one of: {', '.join(FORMATS)}")
    key = _cache_key(history, format, preset, render_opts)
    cached = getattr(history, "_notebook_html", None)
    if cached is not None and cached[0] == key:
        return cached[1]

    from vizgmm.animate import render

    writer = render.render_gif if format == "gif" else render.render_mp4
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("notebook")) as scratch:
        path = Path(writer(history, Path(scratch) / f"animation.{format}", preset=preset, **render_opts))
        data = path.read_bytes()
    uri = f"data:{FORMATS[format]};base64," + base64.b64encode(data).decode("ascii")
    label = escape(caption(history, render_opts.get("title")))
    if format == "gif":
        media = f'<img src="{uri}" alt="{label}" style="max-width:100%;height:auto">'
    else:
        media = (
            f'<video src="{uri}" controls autoplay loop muted playsinline '
            f'style="max-width:100%;height:auto" aria-label="{label}"></video>'
        )
    html = (
        '<figure class="vizgmm-history" style="margin:0">'
        f"{media}"
        f'<figcaption style="font-size:0.85em;color:#555">{label}</figcaption>'
        "</figure>"
    )
    history._notebook_html = (key, html)
    return html


def caption(history, title=None):
    """One line: title, method, k, epochs, points, and the final mean log-likelihood."""
    title = title or history.meta.get("title") or history.meta.get("source") or "vizgmm fit"
    final = history.final
    parts = [
        str(title),
        f"{history.settings.get('method', '?')} EM, k={history.k}",
        f"{epochs_text(history.epochs)}{' (converged)' if history.converged else ''}",
        f"n={history.n:,}" + (f", d={history.d}" if history.d > 1 else ""),
        f"mean log-likelihood per point {final.log_likelihood / history.n:.4f}",
    ]
    return " · ".join(parts)


def _cache_key(history, format, preset, render_opts):
    # The meta and the last snapshot change whenever a user edits or extends the history.
    meta = json.dumps(history.meta, sort_keys=True, default=str, ensure_ascii=False)
    opts = json.dumps(render_opts, sort_keys=True, default=str)
    return (len(history), id(history.final), history.final.log_likelihood, meta, format, preset, opts)
