"""The comparison page (hard EM, soft EM and k-means): the same base template, partials and media helpers as the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from vizgmm.errors import OptionError
from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.look.colors import colour_index
from vizgmm.model.comparison import METHOD_TITLES
from vizgmm.pages.explain import explain
from vizgmm.pages.side_by_side import reproducibility, side_by_side_media, write_page

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
    from pathlib import Path

    from vizgmm.files import build_time
    from vizgmm.pages.charts import line_chart
    from vizgmm.pages.formatting import format_number
    from vizgmm.pages.media import ANIMATIONS
    from vizgmm.pages.sections import component_palette
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
    media, still = side_by_side_media(histories, titles, path, animation, gif_path, mp4_path, render_opts)
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
        "still": still,
        "fit": {"init": comparison.init},
        "restarts": None,
        "reproducibility": reproducibility(command or compare_call(comparison), comparison.seed, first),
    }
    return write_page(env, COMPARE_TEMPLATE, context, path)


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
