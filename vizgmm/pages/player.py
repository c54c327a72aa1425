"""The interactive epoch player: one self-contained HTML file (or fragment) that steps through a fit.

The player draws each epoch as SVG from the history's numbers (see
:mod:`vizgmm.pages.player_data`): no raster frames, no network, no library.
Its markup, styles and script are the templates ``partials/player.html``,
``partials/player.css`` and ``partials/player.js``; ``player.html`` wraps the
fragment into a page. The script is the same text for every player, so a
page's Content-Security-Policy can allow it by its hash alone, and it finds
its own player through ``document.currentScript``: several players on one
page, each with its own id, never touch each other.

With ``live=True`` the same file also carries the EM engine
(``partials/em.js``) and the live controls (``partials/player_live.js``,
included inside the player's script so it draws with the same functions,
with ``partials/player_drag.js`` for the reader's drags and
``partials/bound_live.js`` for the lower bound of the page's own steps):
the reader adds and drags points, drags means, steps E and M, runs, changes
k and resets, and the page fits the Python engine's way
(:mod:`vizgmm.pages.player_live`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from vizgmm.errors import OptionError
from vizgmm.files import write_text
from vizgmm.i18n import words as get_words
from vizgmm.look.notes import BLEND_NOTE
from vizgmm.look.trails import trail_rule
from vizgmm.pages.description import describe_fit
from vizgmm.pages.player_bound import live_bound_frame
from vizgmm.pages.player_data import MAX_POINTS, player_payload
from vizgmm.pages.player_live import check_live, live_payload
from vizgmm.pages.player_words import live_words
from vizgmm.pages.templates import template_environment
from vizgmm.params import Interval, ParameterError, check
from vizgmm.text import check_user_text

if TYPE_CHECKING:  # names for the hints only
    import os

    from vizgmm.model.history import History

THEMES = ("light", "dark", "auto")


def player(history: History, path: str | os.PathLike, *, embed: bool = False, live: bool = False, **style: Any) -> Path:
    """Write the interactive epoch player of a fit to ``path``; returns its Path.

    One HTML file with inline SVG, CSS and JavaScript, no network: play and
    pause, step, scrub, speed, loop, a half-step mode that shows E-step and
    M-step apart, the log-likelihood with a cursor and the parameter table of
    the current stop. ``#epoch=5`` (or ``#epoch=5e`` for the E-step of epoch 5)
    in the URL opens that stop.

    Parameters
    ----------
    history : History
    path : str or Path
        The HTML file to write (atomically).
    embed : bool
        Write only the player's fragment (a ``<div>`` with its scoped
        ``<style>`` and ``<script>``) to paste into a blog page.
    live : bool
        Put EM itself in the page (1-D and 2-D soft or hard fits): the reader
        clicks or taps to add points, drags points and means (a moved mean
        keeps its σ and φ; the next E-step runs from it), steps one E-step then
        one M-step, runs, changes k (1–8) and resets to the recorded start; the
        table, the log-likelihood and the lower-bound view follow. Large data
        start from the drawn subsample.
    **style
        theme : {"light", "dark", "auto"}
            The frames' colours; "auto" follows the reader's system setting.
        title : str
        component_names : list of str
        features : (int, int)
            Two feature indices to draw for d > 2 (default: principal components).
        aspect : {"auto", "equal"}
            2-D: each axis scaled to its data (default), or one unit as long on both (the frames' option).
        trails : {"fade", "full", "off"}
            2-D: the means' paths, by the frames' rule (:mod:`vizgmm.look.trails`).
        duration_ms : float
            Milliseconds per stop when playing (default 500, as the frames).
        half_steps : bool
            Start in half-step mode (E and M stops).
        loop : bool
            Start over after the last stop (default True).
        lang : {"en", "ko"}
            The language of the captions (default: the user's locale when vizgmm has it, else English).

    Examples
    --------
    >>> vizgmm.player(vizgmm.fit(x, 2), "player.html")  # doctest: +SKIP
    """
    live = check("live", live)
    # The labels' one rule (vizgmm.text), as the report and frames apply it: a 2,000,000-character title passed here.
    title = check_user_text(style.get("title") or history.meta.get("title"))
    html = player_fragment(history, live=live, **style)
    if not embed:
        env = template_environment()
        title = title or "vizgmm epoch player"
        html = env.get_template("player.html").render(
            title=str(title), player=html, script_hashes=[script_hash(live=live)]
        )
    path = Path(path)
    write_text(path, html)
    return path


def player_fragment(history, *, player_id=None, theme="light", title=None, component_names=None, features=None,
                    duration_ms=500, half_steps=False, loop=True, live=False, script=True, bound=True, aspect="auto",
                    trails="fade", lang=None):
    """The player as an HTML fragment (Markup): one ``<div>`` with scoped style and script.

    ``player_id`` must be unique on the page; default a hash of the content,
    so the same history gives the same bytes. ``script=False`` leaves the
    ``<script>`` out, for a host that runs the player's script itself (the
    notebook widget, :mod:`vizgmm.pages.widget`); ``bound=False`` leaves the
    lower-bound view out (the widget, while a fit streams in).
    """
    from vizgmm.model.history import History

    if not isinstance(history, History):
        raise OptionError(
            f"expected a vizgmm History (from vizgmm.fit or History.load), got {type(history).__name__}"
        )
    if theme not in THEMES:
        raise OptionError(f"unknown theme {theme!r} for the player; use one of: {', '.join(THEMES)}")
    # The player steps at most once per 10 ms and waits at most a minute per epoch.
    duration_ms = float(check("duration_ms", duration_ms))
    if not 10 <= duration_ms <= 60_000:
        raise ParameterError("duration_ms", duration_ms, Interval(float, 10, 60_000, example="500"))
    if component_names is not None and len(component_names) != history.k:
        raise OptionError(
            f"component_names has {len(component_names)} names for {history.k} components; give exactly {history.k}"
        )
    live = check("live", live)
    if live:
        check_live(history)
        if features is not None and tuple(features) != (0, 1):
            raise OptionError("live mode draws the data's own two columns; leave features out")
    payload = player_payload(history, component_names=component_names, features=features, max_points=MAX_POINTS,
                             bound=bound and not live, aspect=check("aspect", aspect), lang=lang)
    if live:
        payload["live"] = live_payload(history, MAX_POINTS, lang)
        payload["words"].update(live_words(lang))
        # The recorded fit's bound would mislead beside the page's own EM: the page draws the bound of its own steps.
        payload["bound"] = live_bound_frame(payload["loglik"], payload["live"]["method"]) if bound else None
        if component_names is not None:
            payload["live"]["names"][: history.k] = [str(n) for n in component_names]
    payload.update(
        title=str(check_user_text(title or history.meta.get("title")) or ""),
        description=describe_fit(history, component_names, lang),
        # The points blend colours by responsibility in soft 2-D fits (player.js): say what a blend is.
        blend_note=get_words(lang).gettext(BLEND_NOTE) if payload["method"] == "soft" and history.d == 2 else None,
        trails=trail_rule(check("trails", trails)),
        duration=duration_ms, half=bool(half_steps), loop=bool(loop),
    )
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if player_id is None:
        player_id = "vzp-" + hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]
    env = template_environment()
    html = env.get_template("partials/player.html").render(
        id=player_id, p=payload, theme=theme, themes=_themes(), data=Markup(_script_safe(data)),
        script=Markup(player_script(live=live)) if script else None, themes_k=max(history.k, payload["live"]["max_k"] if live else 0),
    )
    return Markup(html)


def player_style(render_opts):
    """The player's options among a renderer's drawing options (theme, names, features, duration)."""
    style = {name: render_opts[name] for name in ("component_names", "features", "duration_ms", "half_steps", "aspect",
                                                  "trails", "lang")
             if render_opts.get(name) is not None}
    theme = render_opts.get("theme", "light")
    style["theme"] = theme if isinstance(theme, str) and theme in THEMES else "light"
    return style


def player_script(live=False):
    """The player's JavaScript: the same text for every player (so one CSP hash allows them all).

    With ``live=True``, the live player's: the same script with the EM engine and live controls inside.
    """
    return template_environment().get_template("partials/player.js").render(live=bool(live), module=False)


def widget_script():
    """The notebook widget's ES module: :func:`player_script` as a module, wired to the widget's model."""
    return template_environment().get_template("partials/widget.js").render(module=True, live=False)


def script_hash(live=False):
    """``sha256-…`` of :func:`player_script`, for a Content-Security-Policy's script-src."""
    digest = hashlib.sha256(player_script(live).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _script_safe(text):
    # Inside <script> only "</" (and <!--) can end the element early; \u003c is the same JSON string.
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _themes():
    from matplotlib.colors import to_hex

    from vizgmm.look import presets

    out = {}
    for name in ("light", "dark"):
        t = presets.theme(name)
        out[name] = {
            "background": t["background"], "axes": t["axes"], "foreground": t["foreground"],
            "muted": t["muted"], "grid": t["grid"], "histogram": t["histogram"],
            "histogram_alpha": t["histogram_alpha"], "mixture": t["mixture"], "cursor": t["cursor"],
            "event": t["event"], "components": [to_hex(c) for c in t["components"]],
        }
    return out
