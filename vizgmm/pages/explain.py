"""A comparison explained in words, with the data's own numbers."""



from vizgmm.model.history import epochs_text


def explain(comparison):
    """Paragraphs that say where the methods of a comparison differ, with this data's numbers.

    Parameters
    ----------
    comparison : Comparison
        From :func:`vizgmm.compare`; its ``facts`` hold every number quoted.

    Returns
    -------
    list of str
    """
    facts = comparison.facts
    n, k = facts["n"], facts["k"]
    epochs, ll = facts["epochs"], facts["log_likelihood"]
    sigma_word = "σ" if facts["d"] == 1 else "σ (geometric mean of the axes' standard deviations)"
    start = "the same initial parameters" + (
        f" (from {facts['init']})" if facts["init"] != "explicit" else " (given explicitly)"
    )
    out = [
        f"Both fits started from {start}, so every difference below comes from the method. "
        f"Soft EM {_ran(epochs['soft'], facts['converged']['soft'])}; "
        f"hard EM {_ran(epochs['hard'], facts['converged']['hard'])}."
    ]
    if k == 1:
        out.append("With k = 1 every point belongs to the one component, so both methods give the same fit.")
        return out
    share = facts["uncertain"] / n
    text = (
        "Labels vs responsibilities: hard EM gives each point wholly to its most probable component; "
        "soft EM lets every point count for every component in proportion to its responsibility. "
        f"Here {facts['uncertain']} of {n} points ({share:.1%}) have no component with responsibility "
        f"of at least {facts['certain_level']:g}"
    )
    if facts["uncertain_range"] is not None and facts["uncertain"]:
        low, high = facts["uncertain_range"]
        text += f" (all between {low:.4g} and {high:.4g}, where the components overlap)"
    text += ": hard EM treats each of them as certain."
    out.append(text)

    rows = []
    for c in facts["components"]:
        rows.append(
            f"component {c['component']}: hard {c['sigma']['hard']:.4g} vs soft {c['sigma']['soft']:.4g} "
            f"({c['sigma_change']:+.1%})"
        )
    narrower = facts["narrower"]
    text = f"Spread {sigma_word} per component — " + "; ".join(rows) + ". "
    if narrower:
        names = ", ".join(str(j) for j in narrower)
        text += (
            f"Hard EM's {sigma_word.split(' ')[0]} is smaller for component{'s' if len(narrower) > 1 else ''} {names}: "
            "hard labels cut each component at the decision boundary, so the tail that reaches into a "
            "neighbour's side is counted in the neighbour and the variance is biased low when components overlap."
        )
    else:
        text += (
            "Hard EM's σ is not smaller here, so the components barely overlap: with few points near a "
            "boundary, truncating the tails costs little."
        )
    gap = facts["mean_gap"]
    if gap is not None and gap["hard"] > gap["soft"]:
        text += f" For the same reason the means are pushed apart: {gap['hard']:.4g} apart under hard EM vs {gap['soft']:.4g} under soft EM."
    out.append(text)

    text = f"The final labels of {facts['labels_differ']} of {n} points differ between the two fits"
    if facts["differ_range"] is not None and facts["labels_differ"]:
        low, high = facts["differ_range"]
        text += f" (between {low:.4g} and {high:.4g})"
    text += "."
    diff = ll["soft"] - ll["hard"]
    places = _matching_places(ll["soft"], ll["hard"])
    text += (
        f" Total log-likelihood of the data under the final parameters: soft {ll['soft']:,.{places}f}, "
        f"hard {ll['hard']:,.{places}f}"
        f" ({'soft higher by' if diff >= 0 else 'hard higher by'} {abs(diff):,.{places}f}); soft EM climbs exactly this "
        "quantity, hard EM climbs the likelihood of the labelled data instead."
    )
    empty = [c["component"] for c in facts["components"] if c["weight"]["hard"] == 0]
    if empty:
        names = ", ".join(str(j) for j in empty)
        text += (
            f" Hard EM emptied component{'s' if len(empty) > 1 else ''} {names}: no point had it as its most "
            "probable component, so its weight φ fell to 0 and it cannot come back; soft EM keeps every "
            "component alive with a small share."
        )
    out.append(text)
    return out


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


def _ran(epochs, converged):
    return f"converged after {epochs_text(epochs)}" if converged else f"ran {epochs_text(epochs)} without converging"

