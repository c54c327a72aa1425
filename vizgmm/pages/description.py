"""The fit in words: one paragraph made from the history's numbers.

The same text is the player's description, the ``alt`` of the report's GIF
and ``animation.txt`` beside the animations, so a reader who cannot see the
pictures gets the same story: what was fitted, how the means moved, where
the weights and the log-likelihood ended, and how the fit stopped.
"""

import numpy as np

from vizgmm.look.names import given_names
from vizgmm.look.notes import rounded_weights
from vizgmm.look.variational import active_sentence, fades, scores
from vizgmm.model.history import epochs_text
from vizgmm.pages.formatting import format_number


def describe_fit(history, component_names=None):
    """A few sentences describing the fit, from the history alone.

    Parameters
    ----------
    history : History
    component_names : list of str, optional
        Default ``history.meta["component_names"]``; without names components
        are listed in order.

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
    first, final = history[0], history.final
    names = given_names(history, component_names)
    d, k = history.d, history.k
    features = history.meta.get("feature_names") or []
    method = str(history.settings.get("method", "soft")).capitalize()
    what = f"{k} normal component{'' if k == 1 else 's'}" if d == 1 else f"{k} {d}-dimensional normal components"
    points = f"{history.n:,} " + (f"values of {features[0]}" if d == 1 and features else "points")
    if d > 1 and len(features) == d:
        points += " (" + ", ".join(str(f) for f in features) + ")"
    named = f" ({_join(names)})" if names else ""
    variational = fades(history)
    fitter = "The variational Bayesian mixture" if variational else f"{method} EM"
    sentences = [f"{fitter} fits {what}{named} to {points}"]
    if history.epochs:
        moved = f"the means move from {_join(_means(first))} to {_join(_means(final))}"
        sentences.append(f"{moved} in {epochs_text(history.epochs)}")
    else:
        sentences.append(f"no epoch was run; the means stay at {_join(_means(first))}")
    if d == 1:
        sentences.append(f"the standard deviations end at {_join(_numbers(np.sqrt(final.covariances[:, 0, 0])))}")
    # Rounded so the shown φ sum to 1, as the frames' legend and table show them.
    sentences.append(f"the weights φ end at {_join(_numbers(rounded_weights(final.weights), 2, fixed=True))}")
    values, score = scores(history)
    ll0, ll1 = float(values[0]), float(values[-1])
    if history.epochs and np.isfinite(ll0):
        sentences.append(
            f"the {score} {'rises' if ll1 >= ll0 else 'falls'} from {format_number(ll0)} to {format_number(ll1)}"
        )
    if variational:
        sentences.append(active_sentence(history))
    events = _event_summary(history, names)
    text = "; ".join(sentences) + "."
    if events:
        text += " " + events
    stopper = "It" if variational else "EM"
    text += (f" {stopper} converged." if history.converged else
             f" {stopper} stopped after {epochs_text(history.epochs)} without reaching its tolerance." if history.epochs else "")
    return text


def _means(snapshot):
    if snapshot.means.shape[1] == 1:
        return _numbers(snapshot.means[:, 0])
    return ["(" + ", ".join(format_number(v, 3) for v in mean) + ")" for mean in snapshot.means]


def _numbers(values, digits=4, fixed=False):
    if fixed:
        return [f"{float(v):.{digits}f}" for v in values]
    return [format_number(v, digits) for v in values]


def _join(items):
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _event_summary(history, names):
    """One sentence per kind of event over the whole fit (collapses, emptied components)."""
    sentences = []
    for kind, verb in (("collapse", "collapsed onto one value"), ("empty", "lost all its points")):
        hits = {}
        for snap in history:
            for event in snap.events:
                if event.get("type") == kind and "component" in event:
                    hits.setdefault(event["component"], snap.epoch)
        for j, epoch in sorted(hits.items()):
            name = names[j] if names else f"Component {j + 1}"
            sentences.append(f"{name} {verb} at epoch {epoch}.")
    return " ".join(sentences)
