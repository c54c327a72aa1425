"""A comparison explained in words, with the data's own numbers.

The words are the template ``templates/explain.txt`` (a user's template folder
may override it); its sentences go through vizgmm's catalogue, so ``lang="ko"``
writes them in Korean from the same template. This module gives it the numbers
and the few helpers it needs, and splits its text into paragraphs.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from vizgmm.i18n import words as get_words
from vizgmm.model.comparison import METHOD_WORDS
from vizgmm.pages.templates import template_environment

if TYPE_CHECKING:  # names for the hints only
    import os

    from vizgmm.i18n import Words
    from vizgmm.model.comparison import Comparison

EXPLAIN_TEMPLATE = "explain.txt"


def explain(comparison: Comparison, template_dir: str | os.PathLike | None = None,
            lang: str | Words | None = None) -> list[str]:
    """Paragraphs that say where the methods of a comparison differ, with this data's numbers.

    Parameters
    ----------
    comparison : Comparison
        From :func:`vizgmm.compare`; its ``facts`` hold every number quoted.
    template_dir : str or Path, optional
        A folder whose ``explain.txt`` replaces the default wording.
    lang : {"en", "ko"} or None
        The language of the paragraphs (:func:`vizgmm.i18n.words`; default the user's locale's).

    Returns
    -------
    list of str

    Examples
    --------
    >>> for paragraph in vizgmm.explain(vizgmm.compare(x, 2, seed=0)):  # doctest: +SKIP
    ...     print(paragraph)
    """
    if getattr(comparison, "priors", None) is not None:
        from vizgmm.pages.compare_priors import explain_priors

        return explain_priors(comparison, template_dir, lang)
    w = get_words(lang)
    env = template_environment(template_dir, w.lang)
    env.filters.update(g4=lambda v: f"{v:.4g}", g=lambda v: f"{v:g}", fixed=lambda v, places: f"{v:,.{places}f}")
    text = env.get_template(EXPLAIN_TEMPLATE).render(facts=comparison.facts, ran=partial(_ran, w=w),
                                                      matching_places=_matching_places,
                                                      method_word={m: w.gettext(word) for m, word in METHOD_WORDS.items()})
    return [" ".join(paragraph.split()) for paragraph in text.split("\n\n") if paragraph.strip()]


def _matching_places(a, b, most=6):
    """Decimal places (1 to ``most``) at which the rounded a and b differ by the rounded a − b.

    At one place, -3,879.46 and -3,879.69 print as -3,879.5 and -3,879.7 with
    a difference of 0.2: a reader's subtraction would not match.
    """
    for places in range(1, most + 1):
        shown = round(round(a, places) - round(b, places), places)
        if shown == round(a - b, places) and (a == b or round(a - b, places) != 0):
            return places
    return most


def _ran(epochs, converged, w):
    """"converged after 5 epochs", "ran 10 epochs without converging", in ``w``'s words."""
    if converged:
        return w.ngettext("converged after {count} epoch", "converged after {count} epochs", epochs).format(count=epochs)
    return w.ngettext("ran {count} epoch without converging", "ran {count} epochs without converging", epochs).format(
        count=epochs)

