"""The words a frame and the player put beside a fit: parameter values and event notes."""

import numpy as np

#: Soft EM in the plane colours a point by its responsibilities: this legend entry (frames) and the
#: player's key say a colour between two components' is a point they share, not another group.
BLEND_LABEL = "mixed colour: a shared point"
BLEND_NOTE = ("Soft EM colours each point by its responsibilities: a colour between two components' is a point "
              "they share, not another group.")


def format_value(value):
    """A parameter value as the legend shows it: two decimals, or 3 significant digits when tiny or huge."""
    value = float(value)
    if value == 0 or 0.01 <= abs(value) < 1e5:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3g}"
    return text.replace("-", "\u2212")


def event_notes(events, label, d=1):
    """A snapshot's events as at most four short lines: collapses, emptied components, convergence, differing labels.

    ``label(j)`` names component j; ``d`` is the data's dimension (in 2-D a
    component collapses onto a point or a line). The engine's messages are for logs and
    the report; on a frame, one line per kind of event keeps the note short
    enough to sit beside the legend even when every component collapses.
    """
    by_type = {}
    for event in events:
        by_type.setdefault(event.get("type"), []).append(event)
    notes = []
    for kind, one, several in (
        ("collapse", *(("{} collapsed onto one value (σ at the floor)", "{} collapsed onto one value each")
                       if d == 1 else ("{} collapsed (a variance at the floor)", "{} collapsed (variances at the floor)"))),
        ("empty", "{} lost all its points (φ\u00a0=\u00a00)", "{} lost all their points (φ\u00a0=\u00a00)"),
    ):
        components = [e["component"] for e in by_type.get(kind, []) if "component" in e]
        if len(components) == 1:
            notes.append(one.format(label(components[0])))
        elif components:
            names = [label(j) for j in components]
            if all(name.startswith("component ") for name in names):
                names = ["components " + ", ".join(name.split(" ", 1)[1] for name in names)]
            notes.append(several.format(", ".join(names)))
    notes += [e["message"] for e in by_type.get("converged", []) + by_type.get("stuck", [])]
    # A comparison marks the epoch where its fits' labels first part (vizgmm.model.comparison).
    notes += [e["message"] for e in by_type.get("differ", [])]
    return notes


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
