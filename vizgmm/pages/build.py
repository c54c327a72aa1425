"""The self-contained HTML report: one file with the fit, its animation and its scores.

:func:`report` reads a :class:`~vizgmm.model.history.History` (it never refits),
turns it into plain numbers and chart geometry, and renders the Jinja2
templates of the top-level ``templates/`` folder (shipped in the wheel as
``vizgmm/templates``) into one HTML file. Everything is inline: the animation
and the final figure as base64 data URIs, the charts as SVG, the styles in a
``<style>`` element, and a Content-Security-Policy that forbids every fetch,
so the file opens offline and makes no network request at all.

Every string that comes from the user (title, file and column names,
component names, the command) reaches the page through Jinja's autoescaping;
the templates run with ``StrictUndefined`` so a misspelt variable is an error
rather than an empty cell.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from vizgmm.animate.api import render
from vizgmm.errors import DataError, OptionError
from vizgmm.files import build_time, scratch_prefix, write_text
from vizgmm.i18n import words as get_words
from vizgmm.look.colors import colour_index
from vizgmm.pages.captions import VTT_MIME, captions
from vizgmm.pages.charts import bound_chart, loglik_chart
from vizgmm.pages.description import describe_fit
from vizgmm.pages.media import ANIMATIONS, animation_media, data_uri, still_figure
from vizgmm.pages.player import player_fragment, player_style, script_hash
from vizgmm.pages.scores import label_scores
from vizgmm.pages.sections import (
    _report_versions,
    component_names,
    component_palette,
    default_title,
    fit_call,
    fit_summary,
    reproducibility_seeds,
    restarts_summary,
    selection_summary,
    snapshot_rows,
)
from vizgmm.pages.templates import template_environment
from vizgmm.text import check_user_text

if TYPE_CHECKING:  # names for the hints only
    import os
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

    from vizgmm.model.history import History
    from vizgmm.model.selection import Selection

PAGE_TEMPLATE = "report.html"







def report(
    history: History,
    path: str | os.PathLike,
    *,
    title: str | None = None,
    animation: str = "mp4",
    gif_path: str | os.PathLike | None = None,
    mp4_path: str | os.PathLike | None = None,
    webm_path: str | os.PathLike | None = None,
    captions_path: str | os.PathLike | None = None,
    true_labels: ArrayLike | None = None,
    template_dir: str | os.PathLike | None = None,
    selection: Selection | None = None,
    restarts: Sequence[History] | None = None,
    command: str | None = None,
    player: bool = True,
    **render_opts: Any) -> Path:
    """Write one self-contained HTML report of a fit to ``path`` and return its Path.

    Parameters
    ----------
    history : History
    path : str or Path
        The HTML file to write (atomically).
    title : str, optional
        Default ``history.meta["title"]``, else a title made from the fit.
    animation : {"mp4", "gif", "none"}
        ``"mp4"`` embeds a ``<video>`` with the GIF inside as fallback when a
        GIF is given; ``"gif"`` embeds the GIF alone; ``"none"`` leaves the
        animation out.
    gif_path, mp4_path : str or Path, optional
        Already rendered animations to embed (and name as standalone files).
        Without them the animation is rendered into a temporary folder with
        :func:`vizgmm.render_mp4` / :func:`vizgmm.render_gif`.
    webm_path : str or Path, optional
        A rendered WebM (:func:`vizgmm.render_webm`): with ``animation="mp4"``
        the ``<video>`` lists it before the MP4, so browsers that play WebM
        take the smaller file.
    captions_path : str or Path, optional
        The video's WebVTT captions (``animation.vtt``) to embed as its ``<track>``; by default they are made
        from the history and ``render_opts`` (:func:`vizgmm.captions`), timed as a video rendered with them.
    true_labels : array, shape (n,), optional
        Default ``history.true_labels``. Adds accuracy after optimal label
        matching, the adjusted Rand index and the confusion matrix.
    template_dir : str or Path, optional
        A folder whose templates override the defaults by name.
    selection : Selection, optional
        A model selection over several k (fields ``criterion``, ``ks``,
        ``fits``, ``best_by_k``, ``bic``, ``aic``, ``best_k``, ``best``):
        adds the BIC/AIC table and curve.
    restarts : list of History, optional
        Several restarts for one k: adds their log-likelihood trajectories.
    player : bool
        Show the interactive epoch player (:func:`vizgmm.player`) as the
        animation, with the MP4/GIF as its fallback where scripts do not run.
        Ignored with ``animation="none"``.
    command : str, optional
        The command or call that made the fit. Default
        ``history.meta["command"]``, else a ``vizgmm.fit(...)`` call rebuilt
        from the settings.
    **render_opts
        Passed to the render functions (preset, theme, tween, fps, ...).
    """
    from vizgmm.model.history import History

    if not isinstance(history, History):
        raise OptionError(
            f"expected a vizgmm History (from vizgmm.fit or History.load), got {type(history).__name__}"
        )
    if animation not in ANIMATIONS:
        raise OptionError(f"unknown animation {animation!r}; use one of: {', '.join(ANIMATIONS)}")
    if len(history) == 0:
        raise DataError("the history has no snapshots; fit the data first")
    path = Path(path)
    env = template_environment(template_dir, render_opts.get("lang"))
    if true_labels is None:
        true_labels = history.true_labels
    if title is None:
        title = history.meta.get("title")
    title = check_user_text(title) or default_title(history, render_opts.get("lang"))
    if command is None:
        command = history.meta.get("command") or fit_call(history)
    names = component_names(history, render_opts.get("component_names"))
    palette = component_palette(render_opts.get("theme", "light"))

    context = {
        "title": str(title),
        "generated": build_time(),
        "fit": fit_summary(history, render_opts.get("lang")),
        "palette": palette,
        # A named light or dark theme colours the whole page, not only the animation and player.
        "page_theme": render_opts.get("theme") if render_opts.get("theme") in ("light", "dark") else None,
        "components": [{"name": name, "colour": colour_index(j)} for j, name in enumerate(names)],
        "snapshots": snapshot_rows(history, render_opts.get("lang")),
        "loglik_chart": loglik_chart(history, render_opts.get("lang")),
        "bound": bound_chart(history, lang=render_opts.get("lang")),
        "labels": None if true_labels is None else label_scores(history, true_labels, names),
        "selection": None if selection is None else selection_summary(selection, render_opts.get("lang")),
        "restarts": None if not restarts else restarts_summary(restarts, render_opts.get("lang")),
        "reproducibility": {
            "command": str(command),
            **reproducibility_seeds(history),
            "fit_versions": sorted(history.versions.items()),
            "report_versions": sorted(_report_versions().items()),
        },
    }
    with tempfile.TemporaryDirectory(prefix=scratch_prefix()) as scratch:
        context["animation"] = animation_media(
            partial(_draw, history, render_opts), animation, gif_path, mp4_path, Path(scratch), path,
            webm_path=webm_path,
        )
        context["still"] = still_figure(history, render_opts)
    context["script_hashes"] = []
    if context["animation"] is not None:
        context["animation"]["description"] = describe_fit(history, render_opts.get("component_names"),
                                                                 render_opts.get("lang"))
        if context["animation"]["mp4"] is not None:
            # A data: video gets data: captions: the page stays one file.
            text = Path(captions_path).read_text(encoding="utf-8") if captions_path else captions(history, **render_opts)
            # The track says the captions' language (the History's fit settings do not: it is the reader's).
            w = get_words(render_opts.get("lang"))
            context["animation"]["captions"] = {"uri": data_uri(text.encode("utf-8"), VTT_MIME), "lang": w.lang,
                                                "label": w.name}
        context["animation"]["player"] = None
        if player:
            context["animation"]["player"] = player_fragment(history, **player_style(render_opts))
            context["script_hashes"] = [script_hash()]
    try:
        html = env.get_template(PAGE_TEMPLATE).render(context)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if getattr(exc, "lineno", None) else ""  # type: ignore[attr-defined]  # a TemplateSyntaxError's
        message = (exc.message or type(exc).__name__).splitlines()[0]
        advice = "fix or remove your template" if template_dir is not None else "please report this vizgmm bug"
        raise OptionError(f"the report template failed{where}: {message}; {advice}") from None
    write_text(path, html)
    return path


def _draw(history, render_opts, kind, path):
    return render(history, path, kind, **render_opts)
