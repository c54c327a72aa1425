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
    return {
        # Stop titles, as the captions spell them.
        "initial": w.gettext("Epoch 0"),  # before the script runs (the frames' word for the start)
        "stop_of": w.gettext("Epoch {epoch} of {last}"),
        "stop_zero": w.gettext("Epoch 0 of {last}"),
        "stop_step": w.gettext("Epoch {epoch} · {step}"),
        "e_step": w.gettext("E-step"),
        "m_step": w.gettext("M-step"),
        "start": w.gettext("Start: the initial parameters; no point is assigned to a component yet."),
        # The region and its controls.
        "role": w.gettext("epoch player"),
        "region": w.gettext("Epoch player"),
        "scene": w.gettext("The fit at the current stop"),
        "component": w.gettext("component"),
        "count": w.gettext("count"),
        "ll_title": w.gettext("total log-likelihood per epoch"),
        "ll_label": w.gettext("Total log-likelihood per epoch, with the current stop marked"),
        # A variational fit's score chart: its lower bound (when the fit recorded one).
        "elbo_score": w.gettext("lower bound (ELBO)"),
        "elbo_title": w.gettext("lower bound (ELBO) per epoch"),
        "elbo_label": w.gettext("Lower bound (ELBO) per epoch, with the current stop marked"),
        "epoch": w.gettext("epoch"),
        "controls": w.gettext("Player controls"),
        "first": w.gettext("First stop"),
        "first_tip": w.gettext("First stop (Home)"),
        "prev": w.gettext("Step back"),
        "prev_tip": w.gettext("Step back (←)"),
        "play": w.gettext("Play"),
        "pause": w.gettext("Pause"),
        "play_tip": w.gettext("Play or pause (space)"),
        "next": w.gettext("Step forward"),
        "next_tip": w.gettext("Step forward (→)"),
        "last": w.gettext("Last stop"),
        "last_tip": w.gettext("Last stop (End)"),
        "slider": w.gettext("Stop"),
        "speed": w.gettext("speed"),
        "speed_label": w.gettext("Speed"),
        "loop": w.gettext("loop"),
        "half": w.gettext("E and M apart"),
        # The pointer's tip.
        "unassigned": w.gettext("not assigned yet"),
        "responsibilities": w.gettext("responsibilities"),
        # The bound view.
        "bound_title": w.gettext("log p along EM's path and each E-step's lower bound L"),
        "bound_label": w.gettext("The log-likelihood along EM's path, the current epoch's lower bound and the gap between "
                         "them, with the current stop marked"),
        "bound_x": w.gettext("EM's path (epochs)"),
        "bound_key_bound": w.gettext("bound L"),
        "bound_key_gap": w.gettext("gap"),
        "bound_zoom": w.gettext("zoom in on this epoch"),
        "bound_start": w.gettext("Start: log p = {value}. The first E-step builds a lower bound at these parameters."),
        "bound_e": w.gettext("E-step of epoch {epoch}: "),
        "bound_m": w.gettext("M-step of epoch {epoch}: "),
        "bound_numbers": w.gettext("log p = {logp}, bound L = {bound}, gap = {gap}. "),
        "bound_climb": w.gettext("The M-step climbed the bound from L = {value} to its peak. "),
        "bound_hard": w.gettext("Hard labels leave a gap of {gap} at epoch {epoch}: hard EM maximises the classification "
                        "likelihood, not the likelihood."),
        "bound_touch": w.gettext("The new bound touches log p at the current parameters."),
        "bound_rose": w.gettext("log p rose at least as much as the bound."),
    }


def live_words(lang=None):
    """The live player's words (player_live.js and the live controls), added to ``P.words`` when live.

    Sentences with a count come as ``[one, other]``, the catalogue's forms for 1 and for 2; ``plural_one``
    says whether the language tells 1 apart (English does, Korean has one form), so the script picks
    ``one`` only then: right for every language whose plural rule is "1 or not" (en, ko).
    """
    w = get_words(lang)

    def forms(sentence):
        # ``sentence(n)`` calls w.ngettext with the literal strings, so that extraction finds both forms.
        return [sentence(1), sentence(2)]

    rule = getattr(w.catalogue, "plural", lambda n: int(n != 1))
    return {
        "plural_one": rule(1) != rule(2),
        "live_start_title": w.gettext("Epoch 0 · start"),
        "live_stopped": w.gettext("EM stopped: {message}."),
        "live_e_first": w.gettext("E-step: each of the {count} points takes its most probable component ({counts})"),
        "live_e_soft": forms(lambda n: w.ngettext("E-step: new responsibilities; {count} point changed their most probable component",
                                                "E-step: new responsibilities; {count} points changed their most probable component", n)),
        "live_e_hard": forms(lambda n: w.ngettext("E-step: {count} point changed component",
                                                "E-step: {count} points changed component", n)),
        "live_converged": forms(lambda n: w.ngettext("converged after {count} epoch",
                                                "converged after {count} epochs", n)),
        "live_loglik": w.gettext("total log-likelihood {value}"),
        "live_m": w.gettext("M-step: {moves}"),
        "live_empty": w.gettext("{name} lost all its points (φ\u00a0=\u00a00)"),
        "live_collapse_1d": w.gettext("{name} collapsed onto one value (σ at the floor)"),
        "live_collapse_2d": w.gettext("{name} collapsed (a variance at the floor)"),
        "live_run": w.gettext("run"),
        "live_pause": w.gettext("pause"),
        "live_reset_text": w.gettext("Start: the recorded initial parameters; no point is assigned to a component yet."),
        "live_k": w.gettext("k = {k}: a new start, the means spread along the data's main axis; press step."),
        "live_added": forms(lambda n: w.ngettext("Added a point at {where} ({count} point): the parameters shown start a new run; press step.",
                                                "Added a point at {where} ({count} points): the parameters shown start a new run; press step.", n)),
        "live_moved_point": w.gettext("Moved a point to {where}: the parameters shown start a new run; press step."),
        "live_moved_mean_1d": w.gettext("Moved the mean of {name} to μ = {where}, keeping its σ and φ: the next E-step "
                                        "starts from there."),
        "live_moved_mean_2d": w.gettext("Moved the mean of {name} to μ = {where}, keeping its covariance and φ: the next "
                                        "E-step starts from there."),
        "live_controls": w.gettext("Live EM controls"),
        "live_step_tip": w.gettext("One E-step, then one M-step"),
        "live_step": w.gettext("step"),
        "live_run_tip": w.gettext("Step until EM converges"),
        "live_reset_tip": w.gettext("The recorded points and start"),
        "live_reset": w.gettext("reset to the recorded fit"),
        "live_k_label": w.gettext("Number of components k"),
        "live_note": w.gettext("Live: EM runs in this page. Click or tap in the picture to add a point; drag a point, "
                               "or a mean (its ✕), to move it. The description below is the recorded fit's."),
        "live_note_1d": w.gettext("Live: EM runs in this page. Click or tap in the picture to add a point (at that x; "
                                  "the histogram stays the recorded points'); drag a point, or a mean (the dot on top of "
                                  "its curve), to move it. The description below is the recorded fit's."),
    }
