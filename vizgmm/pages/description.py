"""The fit in words: one paragraph made from the history's numbers.

The same text is the player's description, the ``alt`` of the report's GIF
and ``animation.txt`` beside the animations, so a reader who cannot see the
pictures gets the same story: what was fitted, how the means moved, where
the weights and the log-likelihood ended, and how the fit stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from vizgmm.i18n import words as get_words
from vizgmm.look.names import given_names
from vizgmm.look.notes import rounded_weights
from vizgmm.look.variational import active_sentence, fades, scores
from vizgmm.pages.formatting import format_number

#: Features named, and mean coordinates given, per component; more are summed up ("and 10 more").
SHOWN_FEATURES = 3

if TYPE_CHECKING:  # names for the hints only
    from collections.abc import Sequence

    from vizgmm.i18n import Words
    from vizgmm.model.history import History


def describe_fit(history: History, component_names: Sequence[str] | None = None, lang: str | Words | None = None) -> str:
    """A few sentences describing the fit, from the history alone.

    Parameters
    ----------
    history : History
    component_names : list of str, optional
        Default ``history.meta["component_names"]``; without names components
        are listed in order.
    lang : {"en", "ko"} or None
        The language of the sentences (:func:`vizgmm.i18n.words`).

    Returns
    -------
    str
        One paragraph of plain text (no markup), e.g. "Hard EM fits 2 normal
        components to 1,000 foot sizes (mm); the means move from 210 and 290
        to 240 and 270 in 10 epochs; ...".

    Examples
    --------
    >>> describe_fit(vizgmm.fit(x, 2))  # doctest: +SKIP
    """
    w = get_words(lang)
    first, final = history[0], history.final
    names = given_names(history, component_names)
    d, k = history.d, history.k
    features = history.meta.get("feature_names") or []
    method = str(history.settings.get("method", "soft")).capitalize()
    n = w.number(history.n)
    if d == 1 and features:
        points = w.gettext("{count} values of {feature}").format(count=n, feature=features[0])
    else:
        points = w.gettext("{count} points").format(count=n)
    if d > 1 and len(features) == d:
        listed = ", ".join(str(f) for f in features[:SHOWN_FEATURES])
        if d > SHOWN_FEATURES:
            listed = w.ngettext("{names} and {count} more feature", "{names} and {count} more features",
                                d - SHOWN_FEATURES).format(names=listed, count=d - SHOWN_FEATURES)
        points += " (" + listed + ")"
    named = f" ({_join(names, w)})" if names else ""
    variational = fades(history)
    if variational:
        if d == 1:
            intro = w.ngettext("The variational Bayesian mixture fits {count} normal component{named} to {points}",
                               "The variational Bayesian mixture fits {count} normal components{named} to {points}", k)
        else:
            intro = w.gettext("The variational Bayesian mixture fits {count} {d}-dimensional normal components{named} "
                              "to {points}")
        sentences = [intro.format(count=k, d=d, named=named, points=points)]
    else:
        if d == 1:
            intro = w.ngettext("{method} EM fits {count} normal component{named} to {points}",
                               "{method} EM fits {count} normal components{named} to {points}", k)
        else:
            intro = w.gettext("{method} EM fits {count} {d}-dimensional normal components{named} to {points}")
        sentences = [intro.format(method=method, count=k, d=d, named=named, points=points)]
    epochs = w.ngettext("{count} epoch", "{count} epochs", history.epochs).format(count=history.epochs)
    if history.epochs and d > SHOWN_FEATURES:
        # Thirteen numbers per mean are a wall a listener cannot follow: the first few features, said so.
        sentences.append(w.gettext("the means, in their first {shown} of {d} features, move from {start} to {end} "
                                   "in {epochs}").format(shown=SHOWN_FEATURES, d=d, start=_join(_means(first, w), w),
                                                         end=_join(_means(final, w), w), epochs=epochs))
    elif history.epochs:
        sentences.append(w.gettext("the means move from {start} to {end} in {epochs}").format(
            start=_join(_means(first, w), w), end=_join(_means(final, w), w), epochs=epochs))
    else:
        sentences.append(w.gettext("no epoch was run; the means stay at {start}").format(
            start=_join(_means(first, w), w)))
    if d == 1:
        sentences.append(w.gettext("the standard deviations end at {values}").format(
            values=_join(_numbers(np.sqrt(final.covariances[:, 0, 0]), w), w)))
    # Rounded so the shown φ sum to 1, as the frames' legend and table show them.
    sentences.append(w.gettext("the weights φ end at {values}").format(
        values=_join(_numbers(rounded_weights(final.weights), w, 2, fixed=True), w)))
    values, score = scores(history)  # English: which score, not its words
    elbo = variational and score == "lower bound (ELBO)"
    ll0, ll1 = (float(values[0]), float(values[-1])) if variational else (first.log_likelihood, final.log_likelihood)
    if history.epochs and (np.isfinite(ll0) or not variational):
        if elbo:
            rise = (w.gettext("the lower bound (ELBO) rises from {start} to {end}") if ll1 >= ll0
                    else w.gettext("the lower bound (ELBO) falls from {start} to {end}"))
        else:
            rise = (w.gettext("the total log-likelihood rises from {start} to {end}") if ll1 >= ll0
                    else w.gettext("the total log-likelihood falls from {start} to {end}"))
        sentences.append(rise.format(start=w.numeral(format_number(ll0)), end=w.numeral(format_number(ll1))))
    if variational:
        sentences.append(active_sentence(history, words=w))
    events = _event_summary(history, names, w)
    # The clauses' joint: "; " in English; a language may make each clause a sentence of its own.
    text = w.gettext("; ").join(sentences) + "."
    if events:
        text += " " + events
    if history.converged:
        text += w.gettext(" It converged.") if variational else w.gettext(" EM converged.")
    elif history.epochs:
        text += (w.gettext(" It stopped after {epochs} without reaching its tolerance.") if variational else
                 w.gettext(" EM stopped after {epochs} without reaching its tolerance.")).format(epochs=epochs)
    return text


def _means(snapshot, w):
    if snapshot.means.shape[1] == 1:
        return _numbers(snapshot.means[:, 0], w)
    shown = [", ".join(w.numeral(format_number(v, 3)) for v in mean[:SHOWN_FEATURES]) for mean in snapshot.means]
    more = ", …" if snapshot.means.shape[1] > SHOWN_FEATURES else ""
    return ["(" + text + more + ")" for text in shown]


def _numbers(values, w, digits=4, fixed=False):
    if fixed:
        return [w.number(v, digits) for v in values]
    return [w.numeral(format_number(v, digits)) for v in values]


def _join(items, w):
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return w.gettext("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _event_summary(history, names, w):
    """One sentence per kind of event over the whole fit (collapses, emptied components)."""
    sentences = []
    for kind, sentence in (("collapse", w.gettext("{name} collapsed onto one value at epoch {epoch}.")),
                           ("empty", w.gettext("{name} lost all its points at epoch {epoch}."))):
        hits = {}
        for snap in history:
            for event in snap.events:
                if event.get("type") == kind and "component" in event:
                    hits.setdefault(event["component"], snap.epoch)
        for j, epoch in sorted(hits.items()):
            name = names[j] if names else w.gettext("Component {number}").format(number=j + 1)
            sentences.append(sentence.format(name=name, epoch=epoch))
    return " ".join(sentences)
