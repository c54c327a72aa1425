"""The comparison page (hard EM, soft EM and k-means): the same base template, partials and media helpers as the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from vizgmm.animate.scenes.grid import GRID_DRAWING, render_side_by_side, still_side_by_side
from vizgmm.errors import OptionError
from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.look.colors import colour_index
from vizgmm.model.comparison import METHOD_TITLES
from vizgmm.pages.explain import explain

if TYPE_CHECKING:  # names for the hints only
    import os
    from pathlib import Path

    from vizgmm.model.comparison import Comparison
    from vizgmm.model.prior_comparison import PriorComparison

# -- the comparison's report --------------------------------------------------
COMPARE_TEMPLATE = "compare.html"
#: Each method's line on the log-likelihood chart (CSS classes of style.css).
CHART_COLOURS = {"soft": "accent", "hard": "aic", "kmeans": "bic"}
#: Each method's short name in the component table's headers ("μ soft").
METHOD_SHORT = {"soft": N_("soft"), "hard": N_("hard"), "kmeans": N_("kmeans")}


def compare_report(comparison: Comparison | PriorComparison, path: str | os.PathLike, *, title: str | None = None, animation: str = "mp4", gif_path: str | os.PathLike | None = None, mp4_path: str | os.PathLike | None = None,
                   template_dir: str | os.PathLike | None = None, command: str | None = None, **render_opts: Any) -> Path:
    """Write one self-contained HTML page comparing the methods; returns its Path.

    The page (``templates/compare.html``, extending the report's
    ``base.html``) holds the side-by-side animation, the explanation with
    this data's numbers, the per-component table, both log-likelihood
    trajectories on one chart, and how to repeat the run.

    Parameters
    ----------
    comparison : Comparison
    path : str or Path
    title : str, optional
    animation : {"mp4", "gif", "none"}
    gif_path, mp4_path : str or Path, optional
        An already rendered side-by-side animation to embed (and link, when it
        lies beside the page) instead of rendering it again.
    template_dir : str or Path, optional
        A folder whose templates override the defaults by name.
    command : str, optional
        The command that made the comparison (shown for reproducibility).
    **render_opts
        Passed to :func:`render_side_by_side`.
    """
    import tempfile
    from pathlib import Path

    import jinja2

    from vizgmm.files import build_time, scratch_prefix, write_text
    from vizgmm.pages.charts import line_chart
    from vizgmm.pages.formatting import format_number
    from vizgmm.pages.media import ANIMATIONS, animation_media
    from vizgmm.pages.sections import _report_versions, component_palette
    from vizgmm.pages.templates import template_environment

    if getattr(comparison, "priors", None) is not None:
        from vizgmm.pages.compare_priors import compare_priors_report

        return compare_priors_report(comparison, path, title=title, animation=animation, gif_path=gif_path,
                                     mp4_path=mp4_path, template_dir=template_dir, command=command, **render_opts)
    comparison = cast("Comparison", comparison)  # a PriorComparison has its own page (above)
    if animation not in ANIMATIONS:
        raise OptionError(f"unknown animation {animation!r}; use one of: {', '.join(ANIMATIONS)}")
    path = Path(path)
    w = get_words(render_opts.get("lang"))
    env = template_environment(template_dir, w.lang)
    facts = comparison.facts
    palette = component_palette(render_opts.get("theme", "light"))
    first = comparison.histories[comparison.methods[0]]
    names = {m: w.gettext(METHOD_TITLES[m]) for m in comparison.methods}
    if title is None:
        source = first.meta.get("source")
        what = (w.gettext("Hard EM, soft EM and k-means, k={k}") if "kmeans" in comparison.methods
                else w.gettext("Hard vs soft EM, k={k}")).format(k=comparison.k)
        title = what + (w.gettext(", on {source}").format(source=source) if source else "")

    methods = []
    for m in comparison.methods:
        h = comparison.histories[m]
        methods.append({
            "key": m, "name": names[m], "epochs": h.epochs, "converged": h.converged,
            "log_likelihood": h.final.log_likelihood, "bic": float(h.bic()), "aic": float(h.aic()),
        })

    def vector(values):
        values = list(values)
        if len(values) == 1:
            return format_number(values[0])
        return "(" + ", ".join(format_number(v) for v in values) + ")"

    components = [
        {
            "component": c["component"],
            "colour": colour_index(c["component"] - 1),
            "mean": {m: vector(c["mean"][m]) for m in comparison.methods},
            "sigma": {m: c["sigma"][m] for m in comparison.methods},
            "weight": {m: c["weight"][m] for m in comparison.methods},
            "sigma_change": c["sigma_change"],
        }
        for c in facts["components"]
    ]
    chart = line_chart(
        [
            {"name": names[m], "x": [s.epoch for s in comparison.histories[m]],
             "y": list(comparison.histories[m].log_likelihoods),
             "colour": CHART_COLOURS[m], "highlight": True}
            for m in comparison.methods
        ],
        x_label=w.gettext("epoch"),
        y_label=w.gettext("total log-likelihood"),
        integer_x=True,
    )
    histories = [comparison.histories[m] for m in comparison.methods]
    titles = [names[m] for m in comparison.methods]
    # The still shows the grid as the animation draws it (columns, size, panels, ...), not the movie's own options.
    still_opts = {k: v for k, v in render_opts.items() if k in GRID_DRAWING}
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("compare")) as scratch:
        media = animation_media(
            lambda kind, movie: render_side_by_side(histories, movie, titles=titles, **render_opts),
            animation, gif_path if animation == "gif" else None, mp4_path if animation == "mp4" else None,
            Path(scratch), path,
        )
    still = still_side_by_side(histories, titles=titles, **still_opts)
    context = {
        "title": str(title),
        "generated": build_time(),
        "palette": palette,
        "facts": facts,
        "source": first.meta.get("source") or w.gettext("an array passed to vizgmm.compare"),
        "methods": methods,
        "method_keys": list(comparison.methods),
        "method_names": names,
        "method_list": _join([names[m] for m in comparison.methods], w),
        "method_short": {m: w.gettext(METHOD_SHORT[m]) for m in comparison.methods},
        "explanation": explain(comparison, lang=w),
        "components": components,
        "loglik_chart": chart,
        "animation": media,
        "still": {"uri": _png_uri(still), "width": still.shape[1], "height": still.shape[0]},
        "fit": {"init": comparison.init},
        "restarts": None,
        "reproducibility": {
            "command": str(command or compare_call(comparison)),
            "seed": comparison.seed,
            "restart_seed": None,
            "fit_versions": sorted(first.versions.items()),
            "report_versions": sorted(_report_versions().items()),
        },
    }
    try:
        html = env.get_template(COMPARE_TEMPLATE).render(context)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if getattr(exc, "lineno", None) else ""  # type: ignore[attr-defined]  # a TemplateSyntaxError's
        raise OptionError(f"the compare template failed{where}: {exc.message}; fix or remove the override") from None
    write_text(path, html)
    return path


def compare_call(comparison):
    """A ``vizgmm.compare(...)`` call string that repeats the comparison."""
    s = comparison.histories[comparison.methods[0]].settings
    init = repr(comparison.init) if comparison.init != "explicit" else repr({
        "means": comparison.initial["means"].tolist(),
        "covariances": comparison.initial["covariances"].tolist(),
        "weights": comparison.initial["weights"].tolist(),
    })
    return (
        f"vizgmm.compare(X, {comparison.k}, methods={comparison.methods!r}, init={init}, "
        f"covariance_type={s['covariance_type']!r}, max_iter={s['max_iter']!r}, tol={s['tol']!r}, "
        f"reg_covar={s['reg_covar']!r}, seed={comparison.seed!r})"
    )


def _join(items, w):
    """"a and b", "a, b and c" in ``w``'s words."""
    if len(items) <= 1:
        return "".join(items)
    return w.gettext("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _png_uri(pixels):
    from vizgmm.pages.media import png_uri

    return png_uri(pixels)
