"""What a variational fit shows differently: its score (the ELBO) and the components its prior drained.

A variational (Bayesian) mixture does not remove a component; its prior
drains the weight of those the data do not need. Frames, the weights panel,
the player and the report all call a component *faded* when its weight is
below :data:`FADE_WEIGHT` and draw it at :data:`FADED_ALPHA`, so they agree
on how many components stay active.
"""

import numpy as np

from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.model.defaults import ACTIVE_WEIGHT

#: In a variational fit a component whose weight is below this is one the prior has all but emptied
#: (the model's ACTIVE_WEIGHT, so the compare page counts what the pictures fade).
FADE_WEIGHT = ACTIVE_WEIGHT
#: The opacity a faded component is drawn with (frames, weights panel and player alike).
FADED_ALPHA = 0.25

PRIOR_TYPE_WORDS = {"dirichlet_process": N_("Dirichlet-process"), "dirichlet_distribution": N_("Dirichlet-distribution")}
# The prior in words, per weight_concentration_prior_type (None: a type vizgmm does not know).
_PRIOR_PHRASES = {"dirichlet_process": N_("the Dirichlet-process prior{value}"),
                  "dirichlet_distribution": N_("the Dirichlet-distribution prior{value}"),
                  None: N_("the weight prior{value}")}


def scores(history, words=None):
    """What the score chart draws per snapshot, and its title (in ``words``' language, default English).

    A variational fit maximises its lower bound (ELBO), not the log-likelihood, so
    that is its score; a snapshot without one (snapshot 0 of a recorded scikit-learn
    fit) is NaN, a gap in the line.
    """
    w = get_words(words)
    bounds = history.settings.get("lower_bounds")
    if fades(history) and bounds is not None and len(bounds) == len(history):
        return np.array([np.nan if b is None else b for b in bounds], dtype=float), w.gettext("lower bound (ELBO)")
    return history.log_likelihoods, w.gettext("total log-likelihood")


def fades(history):
    """True for a fit whose components fade (a variational fit); EM's empty components are simply gone."""
    return history.settings.get("method") == "variational"


def faded(weights):
    """Per component: True when its weight is below :data:`FADE_WEIGHT`, shape (k,) bool."""
    return np.asarray(weights, dtype=float) < FADE_WEIGHT


def prior_words(settings, words=None):
    """"the Dirichlet-process prior (weight_concentration_prior 0.01)" from a variational fit's settings, in ``words``' language."""
    priors = settings.get("priors") or {}
    kind = priors.get("weight_concentration_prior_type")
    phrase = _PRIOR_PHRASES.get(kind if kind in PRIOR_TYPE_WORDS else None)
    alpha = priors.get("weight_concentration_prior")
    value = f" (weight_concentration_prior {alpha:g})" if alpha is not None else ""
    return get_words(words).gettext(phrase).format(value=value)


def active_count(weights):
    """How many components keep weight at or above :data:`FADE_WEIGHT`."""
    return int((~faded(weights)).sum())


def active_sentence(history, snapshot=-1, prior=True, words=None):
    """"4 of 6 components keep weight above 1 %; 2 were drained by the Dirichlet-process prior (…)".

    For ``history[snapshot]`` (default the final one), in ``words``' language
    (default English); ``prior=False`` leaves the clause naming the prior out
    (a stop of the player, the frames). None for a fit whose components do
    not fade (see :func:`fades`).
    """
    if not fades(history):
        return None
    w = get_words(words)
    weights = history[snapshot].weights
    k, active = len(weights), active_count(weights)
    limit = w.numeral(f"{FADE_WEIGHT:.0%}".replace("%", " %"))
    if active == k:
        if prior:
            return w.gettext("all {k} components keep weight above {limit}: {prior} drained none").format(
                k=k, limit=limit, prior=prior_words(history.settings, w))
        return w.gettext("all {k} components keep weight above {limit}").format(k=k, limit=limit)
    drained = k - active
    if k == 1:
        text = w.gettext("{active} of {k} component keep weight above {limit}")
    else:
        text = w.ngettext("{active} of {k} components keeps weight above {limit}",
                          "{active} of {k} components keep weight above {limit}", active)
    if prior:
        clause = w.ngettext("; {count} was drained by {prior}", "; {count} were drained by {prior}", drained)
    else:
        clause = w.ngettext("; {count} was drained", "; {count} were drained", drained)
    return (text.format(active=active, k=k, limit=limit)
            + clause.format(count=drained, prior=prior_words(history.settings, w) if prior else ""))
