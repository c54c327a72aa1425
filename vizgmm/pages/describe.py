"""A fit in words: the alt text of an animation, the speaker notes of a deck.

One function, :func:`describe`, so that every place that needs the text
(blog snippets, slides) takes it from here and a richer description can
replace this one in one place.
"""

from vizgmm.pages.formatting import format_number


def describe(history):
    """A few plain sentences on what the animation of ``history`` shows, for alt text and speaker notes.

    Parameters
    ----------
    history : History

    Returns
    -------
    str
        E.g. "Animation of hard EM fitting 2 Gaussian components to 1,000 values of foot size (mm),
        one frame per epoch over 10 epochs. The means move from 210 and 290 to 239.9 and 269.5; …"

    Examples
    --------
    >>> describe(vizgmm.fit(x, 2))  # doctest: +SKIP
    """
    from vizgmm.model.history import epochs_text

    first, final = history[0], history.final
    names = _names(history)
    k, d = history.k, history.d
    features = history.meta.get("feature_names") or []
    if d == 1:
        what = f"{history.n:,} values" + (f" of {features[0]}" if features else "")
    else:
        columns = f" ({', '.join(map(str, features[:d]))})" if features else ""
        what = f"{history.n:,} points with {d} columns{columns}"
    method = history.settings.get("method", "soft")
    sentences = [
        f"Animation of {method} EM fitting {k} Gaussian component{'s' if k != 1 else ''} to {what}, "
        f"one step per epoch over {epochs_text(history.epochs)}."
    ]
    if d == 1:
        sentences.append(
            f"The means of {names} move from {_join(_nums(first.means[:, 0]))} "
            f"to {_join(_nums(final.means[:, 0]))}, with standard deviations ending at {_join(_nums(final.stds))}."
        )
    else:
        sentences.append(f"The ellipses of {names} move and reshape until the fit settles.")
    sentences.append(f"The weights end at {_join(_nums(final.weights, 2))}.")
    sentences.append(
        f"The total log-likelihood {'rises' if final.log_likelihood >= first.log_likelihood else 'falls'} "
        f"from {format_number(first.log_likelihood)} to {format_number(final.log_likelihood)}"
        f"{' and the fit converged' if history.converged else ''}."
    )
    return " ".join(sentences)


def _names(history):
    """The components as a sentence names them: their given names, else "components 1 and 2"."""
    names = history.meta.get("component_names")
    if names and len(names) == history.k:
        return _join(str(name) for name in names)
    if history.k == 1:
        return "the component"
    return "components " + _join(str(j + 1) for j in range(history.k))


def _nums(values, digits=4):
    return [format_number(float(v), digits) for v in values]


def _join(items):
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
