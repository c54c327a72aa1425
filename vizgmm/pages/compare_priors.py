"""The page of a prior comparison: the variational mixture under 2–4 concentration priors, how many components each keeps.

Same base template, partials and media helpers as the methods' comparison
page (:mod:`vizgmm.pages.compare`); the words are ``templates/explain_priors.txt``
and the page ``templates/compare_priors.html``.
"""

from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.look.variational import PRIOR_TYPE_WORDS
from vizgmm.pages.side_by_side import reproducibility, side_by_side_media, write_page
from vizgmm.pages.templates import template_environment

PRIORS_TEMPLATE = "compare_priors.html"
EXPLAIN_PRIORS_TEMPLATE = "explain_priors.txt"
#: One line colour per prior on the ELBO chart (CSS classes of style.css).
CHART_COLOURS = ("accent", "aic", "bic", "muted")


def explain_priors(comparison, template_dir=None, lang=None):
    """Paragraphs that say how many components each prior keeps, with this data's numbers (list of str), in ``lang``."""
    w = get_words(lang)
    env = template_environment(template_dir, w.lang)
    env.filters.update(g=lambda v: f"{v:g}", elbo1=lambda v: f"{v:.1f}", pct=lambda share: _percent(share, w))
    text = env.get_template(EXPLAIN_PRIORS_TEMPLATE).render(
        facts=comparison.facts, prior_type=_prior_type(comparison.facts["prior_type"], w, "weight"))
    return [" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip()]


def _prior_type(kind, w, unknown):
    """"Dirichlet-process" in ``w``'s words (``unknown`` for a type vizgmm does not know)."""
    return w.gettext(PRIOR_TYPE_WORDS[kind]) if kind in PRIOR_TYPE_WORDS else unknown


def _percent(share, w=None):
    """0.014 -> "1.4 %"; a share too small for one decimal reads "less than 0.1 %", not "0.0 %"."""
    if 0 < share < 0.0005:
        return get_words(w).gettext("less than {limit}").format(limit="0.1 %")
    return f"{100 * share:.1f} %"


def compare_priors_report(comparison, path, *, title=None, animation="mp4", gif_path=None, mp4_path=None,
                          template_dir=None, command=None, **render_opts):
    """Write one self-contained HTML page comparing the priors of a :class:`PriorComparison`; returns its Path.

    As :func:`vizgmm.pages.compare.compare_report` (which calls this for a prior comparison): the
    side-by-side animation (one panel per prior), the explanation with this data's numbers, the
    weights of every fit, their ELBO per epoch on one chart, and how to repeat the run.
    """
    from pathlib import Path

    from vizgmm.files import build_time
    from vizgmm.pages.charts import line_chart
    from vizgmm.pages.media import ANIMATIONS
    from vizgmm.pages.sections import component_palette

    if animation not in ANIMATIONS:
        raise OptionError(f"unknown animation {animation!r}; use one of: {', '.join(ANIMATIONS)}")
    path = Path(path)
    w = get_words(render_opts.get("lang"))
    env = template_environment(template_dir, w.lang)
    facts = comparison.facts
    first = comparison.histories[0]
    source = first.meta.get("source")
    if title is None:
        title = w.gettext("Variational mixture, k={k}, under {count} concentration priors").format(
            k=comparison.k, count=len(comparison.priors)) + (
            w.gettext(", on {source}").format(source=source) if source else "")
    titles = comparison.titles
    chart = line_chart(
        [{"name": t, "x": [s.epoch for s in h], "y": list(h.settings["lower_bounds"]),
          "colour": CHART_COLOURS[i % len(CHART_COLOURS)], "highlight": True}
         for i, (t, h) in enumerate(zip(titles, comparison.histories))],
        x_label=w.gettext("epoch"), y_label=w.gettext("lower bound (ELBO)"), integer_x=True,
    )
    media, still = side_by_side_media(comparison.histories, titles, path, animation, gif_path, mp4_path, render_opts)
    context = {
        "title": str(title),
        "generated": build_time(),
        "palette": component_palette(render_opts.get("theme", "light")),
        "facts": facts,
        "prior_type": _prior_type(facts["prior_type"], w, facts["prior_type"]),
        "source": source or w.gettext("an array passed to vizgmm.compare"),
        "explanation": explain_priors(comparison, template_dir, w),
        "ranks": list(range(comparison.k)),
        "loglik_chart": chart,
        "animation": media,
        "still": still,
        "fit": {"init": comparison.init},
        "restarts": None,
        "reproducibility": reproducibility(command or compare_priors_call(comparison), comparison.seed, first),
    }
    return write_page(env, PRIORS_TEMPLATE, context, path)


def compare_priors_call(comparison):
    """A ``vizgmm.compare(..., priors=...)`` call string that repeats the comparison."""
    s = comparison.histories[0].settings
    init = repr(comparison.init) if comparison.init != "explicit" else "<the (n, k) responsibilities>"
    return (
        f"vizgmm.compare(X, {comparison.k}, priors={list(comparison.priors)!r}, init={init}, "
        f"weight_concentration_prior_type={comparison.weight_concentration_prior_type!r}, "
        f"covariance_type={s['covariance_type']!r}, max_iter={s['max_iter']!r}, tol={s['tol']!r}, "
        f"reg_covar={s['reg_covar']!r}, seed={comparison.seed!r})"
    )
