"""The player's own words (controls, headings, the script's titles and tips), from the one catalogue.

:func:`player_words` puts them into the player's data (``P.words``), in the
page's language; ``partials/player.html`` writes the static ones and
``partials/player.js`` reads the rest from there, filling ``{name}``
placeholders itself. The script therefore holds no sentence of its own and
stays one text for every player and language (one CSP hash). The stop titles
are the captions' (:func:`vizgmm.pages.captions.stop_title`) msgids.
"""

from vizgmm.i18n import words as get_words


def player_words(lang=None):
    """Every word the player shows that is not a caption, keyed for the template and the script."""
    w = get_words(lang)
    g = w.gettext
    return {
        # Stop titles, as the captions spell them.
        "initial": g("Epoch 0"),  # before the script runs (the frames' word for the start)
        "stop_of": g("Epoch {epoch} of {last}"),
        "stop_zero": g("Epoch 0 of {last}"),
        "stop_step": g("Epoch {epoch} · {step}"),
        "e_step": g("E-step"),
        "m_step": g("M-step"),
        "start": g("Start: the initial parameters; no point is assigned to a component yet."),
        # The region and its controls.
        "role": g("epoch player"),
        "region": g("Epoch player"),
        "scene": g("The fit at the current stop"),
        "component": g("component"),
        "count": g("count"),
        "ll_title": g("total log-likelihood per epoch"),
        "ll_label": g("Total log-likelihood per epoch, with the current stop marked"),
        "epoch": g("epoch"),
        "controls": g("Player controls"),
        "first": g("First stop"),
        "first_tip": g("First stop (Home)"),
        "prev": g("Step back"),
        "prev_tip": g("Step back (←)"),
        "play": g("Play"),
        "pause": g("Pause"),
        "play_tip": g("Play or pause (space)"),
        "next": g("Step forward"),
        "next_tip": g("Step forward (→)"),
        "last": g("Last stop"),
        "last_tip": g("Last stop (End)"),
        "slider": g("Stop"),
        "speed": g("speed"),
        "speed_label": g("Speed"),
        "loop": g("loop"),
        "half": g("E and M apart"),
        # The pointer's tip.
        "unassigned": g("not assigned yet"),
        "responsibilities": g("responsibilities"),
        # The bound view.
        "bound_title": g("log p along EM's path and each E-step's lower bound L"),
        "bound_label": g("The log-likelihood along EM's path, the current epoch's lower bound and the gap between "
                         "them, with the current stop marked"),
        "bound_x": g("EM's path (epochs)"),
        "bound_key_bound": g("bound L"),
        "bound_key_gap": g("gap"),
        "bound_start": g("Start: log p = {value}. The first E-step builds a lower bound at these parameters."),
        "bound_e": g("E-step of epoch {epoch}: "),
        "bound_m": g("M-step of epoch {epoch}: "),
        "bound_numbers": g("log p = {logp}, bound L = {bound}, gap = {gap}. "),
        "bound_climb": g("The M-step climbed the bound from L = {value} to its peak. "),
        "bound_hard": g("Hard labels leave a gap of {gap} at epoch {epoch}: hard EM maximises the classification "
                        "likelihood, not the likelihood."),
        "bound_touch": g("The new bound touches log p at the current parameters."),
        "bound_rose": g("log p rose at least as much as the bound."),
    }
