"""Jupyter display: a History shows itself as the interactive epoch player.

``History._repr_html_`` calls :func:`history_html`, so the last line of a cell
``vizgmm.fit(x, 2)`` shows the fit epoch by epoch in the player (JupyterLab,
VS Code and the classic notebook run its script). ``format="gif"`` or
``"mp4"`` embeds a rendered animation instead, at the small "blog" preset, as
a data URI, for viewers that run no script (GitHub shows GIFs).
"""

import base64
import json
import tempfile
import weakref
from pathlib import Path

from markupsafe import escape

from vizgmm.errors import OptionError
from vizgmm.files import scratch_prefix
from vizgmm.model.history import register_notebook_view

FORMATS = {"player": None, "gif": "image/gif", "mp4": "video/mp4"}

# Rendered animations by History (id), kept while the History lives: shown again, not rendered again.
# Here rather than on the History, which is the model's record and no cache of a higher stage.
_SHOWN: dict = {}


def history_html(history, *, format="player", preset="blog", **render_opts):
    """An HTML fragment with the fit's animation and a one-line caption.

    Parameters
    ----------
    history : History
    format : {"player", "gif", "mp4"}
        ``"player"`` (default) is the interactive epoch player
        (:func:`vizgmm.player`); ``"gif"`` plays by itself everywhere, even
        where no script runs; ``"mp4"`` is smaller and has a play/pause control.
    preset : str
        Canvas preset (default "blog", 640×480), as in :func:`vizgmm.render_gif`.
    **render_opts
        Passed to the renderer (theme, tween, fps, title, component_names, ...);
        the player takes theme, component_names, features and duration_ms.

    Returns
    -------
    str
        ``<figure>`` with the player, or an ``<img>`` or ``<video>`` whose source is a data URI.
    """
    if format not in FORMATS:
        raise OptionError(f"unknown notebook format {format!r}; use one of: {', '.join(FORMATS)}")
    if format == "player":
        # Not cached: it takes milliseconds, and each display needs an id of its own.
        return _player_html(history, escape(caption(history, render_opts.get("title"), render_opts.get("lang"))), render_opts)
    key = _cache_key(history, format, preset, render_opts)
    cached = _SHOWN.get(id(history))
    if cached is not None and cached[0] == key:
        return cached[1]

    from vizgmm.animate.api import render

    with tempfile.TemporaryDirectory(prefix=scratch_prefix("notebook")) as scratch:
        path = Path(render(history, Path(scratch) / f"animation.{format}", format, preset=preset, **render_opts))
        data = path.read_bytes()
    uri = f"data:{FORMATS[format]};base64," + base64.b64encode(data).decode("ascii")
    label = escape(caption(history, render_opts.get("title"), render_opts.get("lang")))
    if format == "gif":
        media = f'<img src="{uri}" alt="{label}" style="max-width:100%;height:auto">'
    else:
        from vizgmm.i18n import words as get_words
        from vizgmm.pages.captions import VTT_MIME, captions

        words = get_words(render_opts.get("lang"))
        track = f"data:{VTT_MIME};base64," + base64.b64encode(captions(history, **render_opts).encode()).decode("ascii")
        media = (
            f'<video src="{uri}" controls autoplay loop muted playsinline '
            f'style="max-width:100%;height:auto" aria-label="{label}">'
            f'<track kind="captions" srclang="{words.lang}" label="{words.name}" src="{track}"></video>'
        )
    html = (
        '<figure class="vizgmm-history" style="margin:0">'
        f"{media}"
        f'<figcaption style="font-size:0.85em;color:#555">{label}</figcaption>'
        "</figure>"
    )
    if id(history) not in _SHOWN:
        weakref.finalize(history, _SHOWN.pop, id(history), None)
    _SHOWN[id(history)] = (key, html)
    return html



register_notebook_view(history_html)
# fit(..., live=True) shows the widget; importing the module registers its view (anywidget loads only then).
import vizgmm.pages.widget  # noqa: E402,F401


def _player_html(history, label, render_opts):
    import uuid

    from vizgmm.pages.player import player_fragment, player_style

    # A fresh id per display: the same history shown in two cells gives two independent players.
    fragment = player_fragment(history, player_id=f"vzp-{uuid.uuid4().hex[:12]}", title=render_opts.get("title"),
                               **player_style(render_opts))
    return (
        '<figure class="vizgmm-history" style="margin:0">'
        f"{fragment}"
        f'<figcaption style="font-size:0.85em;color:#555">{label}</figcaption>'
        "</figure>"
    )


def caption(history, title=None, lang=None):
    """One line: title, method, k, epochs, points, and the final mean log-likelihood (in ``lang``)."""
    from vizgmm.i18n import words as get_words

    w = get_words(lang)
    title = title or history.meta.get("title") or history.meta.get("source") or w.gettext("vizgmm fit")
    final = history.final
    epochs = w.ngettext("{count} epoch", "{count} epochs", history.epochs).format(count=history.epochs)
    parts = [
        str(title),
        f"{history.settings.get('method', '?')} EM, k={history.k}",
        epochs + (w.gettext(" (converged)") if history.converged else ""),
        f"n={w.number(history.n)}" + (f", d={history.d}" if history.d > 1 else ""),
        w.gettext("mean log-likelihood per point {value}").format(
            value=w.numeral(f"{final.log_likelihood / history.n:.4f}")),
    ]
    return " · ".join(parts)


def _cache_key(history, format, preset, render_opts):
    # The meta and the last snapshot change whenever a user edits or extends the history.
    meta = json.dumps(history.meta, sort_keys=True, default=str, ensure_ascii=False)
    opts = json.dumps(render_opts, sort_keys=True, default=str)
    return (len(history), id(history.final), history.final.log_likelihood, meta, format, preset, opts)
