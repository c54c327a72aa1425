"""The words a frame and the player put beside a fit: parameter values and event notes.

The engine records its events' messages in English (a saved History is data,
read the same everywhere); :func:`event_notes` says them in the reader's
language, re-reading the engine's few fixed sentences by :data:`ENGINE_MESSAGES`.
A message not in that table is shown as recorded.
"""

import re

import numpy as np

from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words

#: Soft EM in the plane colours a point by its responsibilities: this legend entry (frames) and the
#: player's key say a colour between two components' is a point they share, not another group.
#: How many of a mean's coordinates a parameter table shows for d > 2 (the frames' and the player's).
TABLE_COORDS = 3
BLEND_LABEL = N_("mixed colour: a shared point")
BLEND_NOTE = N_("Soft EM colours each point by its responsibilities: a colour between two components' is a "
                "point they share, not another group.")


def format_value(value):
    """A parameter value as the legend shows it: two decimals, or 3 significant digits when tiny or huge."""
    value = float(value)
    if value == 0 or 0.01 <= abs(value) < 1e5:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return text.replace("-", "\u2212")


def event_notes(events, label, d=1, words=None):
    """A snapshot's events as at most four short lines: collapses, emptied components, convergence, differing labels.

    ``label(j)`` names component j; ``d`` is the data's dimension (in 2-D a
    component collapses onto a point or a line); ``words`` the language
    (:func:`vizgmm.i18n.words`). The engine's messages are for logs and
    the report; on a frame, one line per kind of event keeps the note short
    enough to sit beside the legend even when every component collapses.
    """
    w = get_words(words)
    by_type = {}
    for event in events:
        by_type.setdefault(event.get("type"), []).append(event)
    notes = []
    for kind, one, several in (
        ("collapse", *((w.gettext("{name} collapsed onto one value (σ at the floor)"),
                        w.gettext("{names} collapsed onto one value each"))
                       if d == 1 else (w.gettext("{name} collapsed (a variance at the floor)"),
                                       w.gettext("{names} collapsed (variances at the floor)")))),
        ("empty", w.gettext("{name} lost all its points (φ\u00a0=\u00a00)"),
         w.gettext("{names} lost all their points (φ\u00a0=\u00a00)")),
    ):
        components = [e["component"] for e in by_type.get(kind, []) if "component" in e]
        if len(components) == 1:
            notes.append(one.format(name=label(components[0])))
        elif components:
            names = [label(j) for j in components]
            default = [w.gettext("component {number}").format(number=j + 1) for j in components]
            if names == default:
                names = [w.gettext("components {numbers}").format(numbers=", ".join(str(j + 1) for j in components))]
            notes.append(several.format(names=", ".join(names)))
    notes += [engine_message(e["message"], w) for e in by_type.get("converged", []) + by_type.get("stuck", [])]
    # A comparison marks the epoch where its fits' labels first part (vizgmm.model.comparison).
    notes += [engine_message(e["message"], w) for e in by_type.get("differ", [])]
    return notes


#: The engine's fixed sentences (vizgmm.model: em, starts, anneal, sklearn_bridge) as patterns, each with
#: its catalogue sentence for a count (written out here so that extraction finds both plural forms).
ENGINE_MESSAGES = (
    (r"converged after (?P<count>\d+) epochs?",
     lambda w, n: w.ngettext("converged after {count} epoch", "converged after {count} epochs", n)),
    (r"converged after (?P<count>\d+) epochs? \(scikit-learn's rule: lower bound changed by < tol\)",
     lambda w, n: w.ngettext("converged after {count} epoch (scikit-learn's rule: lower bound changed by < tol)",
                             "converged after {count} epochs (scikit-learn's rule: lower bound changed by < tol)", n)),
    (r"stuck: the start put every component at the same place; use another --init \(after (?P<count>\d+) epochs?\)",
     lambda w, n: w.ngettext(
         "stuck: the start put every component at the same place; use another --init (after {count} epoch)",
         "stuck: the start put every component at the same place; use another --init (after {count} epochs)", n)),
    (r"σ² → 0: k-means after (?P<count>\d+) Lloyd steps?",
     lambda w, n: w.ngettext("σ² → 0: k-means after {count} Lloyd step", "σ² → 0: k-means after {count} Lloyd steps", n)),
    (r"converged after (?P<count>\d+) epochs \(the lower bound changed by less than tol=(?P<tol>\S+)\)",
     lambda w, n: w.ngettext("converged after {count} epoch (the lower bound changed by less than tol={tol})",
                             "converged after {count} epochs (the lower bound changed by less than tol={tol})", n)),
    (r"labels first differ here: (?P<count>[\d,]+) points \((?P<pairs>.*)\)",
     lambda w, n: w.ngettext("labels first differ here: {count} point ({pairs})",
                             "labels first differ here: {count} points ({pairs})", n)),
)


def engine_message(message, words=None):
    """One of the engine's recorded messages in the reader's language (as recorded when it is not a known one)."""
    w = get_words(words)
    if w.lang == "en":
        return message
    for pattern, sentence in ENGINE_MESSAGES:
        found = re.fullmatch(pattern, message)
        if found:
            fields = found.groupdict()
            count = int(fields.pop("count").replace(",", ""))
            return sentence(w, count).format(count=w.number(count), **fields)
    return message


def event_components(events, kind):
    """The components that have an event of ``kind`` ("collapse", "empty") in a snapshot."""
    return {e["component"] for e in events if e.get("type") == kind and "component" in e}


def rounded_weights(weights, decimals=2):
    """Weights φ rounded to ``decimals`` so that the shown values still sum to 1, shape (k,).

    Largest-remainder rounding: each weight is rounded down, then the units
    still missing go to the weights that lost most. Rounding each on its own
    shows 0.56 + 0.43 for weights that sum to 1.

    Parameters
    ----------
    weights : array, shape (k,)
        Non-negative, summing to 1 (up to float error).
    decimals : int
    """
    w = np.clip(np.asarray(weights, dtype=float), 0, None)
    if w.sum() <= 0:
        return w
    scale = 10**decimals
    units = w / w.sum() * scale
    down = np.floor(units + 1e-9)
    missing = int(round(scale - down.sum()))
    order = np.argsort(-(units - down), kind="stable")
    down[order[:missing]] += 1
    return down / scale
