"""The words on a frame: the epoch title and the event note, placed clear of the legend."""

import textwrap

import numpy as np

from vizgmm.i18n import N_

# A half-step snapshot's ``step`` (animate/frames/halfsteps.py), as a title says it.
STEP_WORDS = {"E-step": N_("E-step"), "M-step": N_("M-step")}

# Where the event note starts (axes fractions), and the narrowest it is wrapped to beside the legend.
NOTE_XY = (0.01, 0.985)
NOTE_MIN_CHARS = 24


class SceneText:
    """Mixin for :class:`~vizgmm.animate.scenes.base.Scene`: the title of a frame state and the event note.

    Uses the scene's ``words``, ``history``, ``lls``, ``score_title``, ``show_loglik``, ``event_text``, ``legend``,
    ``canvas``, ``ax``, ``preset`` and ``_em``.
    """

    def _title(self, state):
        """"Epoch 3 · total log-likelihood …" on an epoch frame; "Epoch 3 → 4" on an in-between.

        The legend and table of an in-between still show the epoch's own
        numbers, so its title must say the curves are on their way to the next
        epoch rather than claim epoch 3's log-likelihood for them.
        """
        snap = self.history[state.snapshot]
        moving = state.progress > state.snapshot and state.snapshot + 1 < len(self.history)
        # With half_steps (animate/halfsteps.py) each snapshot is one half of an epoch and says which.
        step = getattr(self.history[state.snapshot + 1] if moving else snap, "step", None)
        w = self.words
        if moving and not step:
            return w.gettext("Epoch {epoch} \u2192 {next}").format(epoch=snap.epoch,
                                                                   next=self.history[state.snapshot + 1].epoch)
        epoch = self.history[state.snapshot + 1].epoch if moving else snap.epoch
        # "Epoch 0" has its own entry (same English) so that a language may call the start by its name.
        text = w.gettext("Epoch 0") if epoch == 0 else w.gettext("Epoch {epoch}").format(epoch=epoch)
        if step:
            text += " · " + w.gettext(STEP_WORDS.get(step, step))
        if moving:
            return text
        temperatures = self.history.settings.get("temperatures")
        if temperatures is not None and state.snapshot < len(temperatures):
            # An annealing (vizgmm.anneal): the shared variance σ² is the temperature; 0 is the k-means limit.
            t = temperatures[state.snapshot]
            text += "  ·  " + (w.gettext("σ² → 0 (k-means)") if t == 0
                               else w.gettext("temperature σ² = {value}").format(value=w.numeral(f"{t:.3g}")))
        # The score panel's own number: the log-likelihood, or a variational fit's lower bound (ELBO).
        score = self.lls[state.snapshot]
        if self.show_loglik and np.isfinite(score):
            # Only the number takes the typographic minus; the hyphen in "log-likelihood" stays.
            text += f"  ·  {self.score_title} " + w.number(score, 1).replace("-", "\u2212")
        return text

    def _set_event_note(self, notes):
        """Show the snapshot's event notes top left, wrapped to end before the legend begins.

        Where the legend leaves too little room beside it (a narrow plot
        beside side panels), the note goes under the legend instead.
        """
        self.event_text.set_text("\n".join(notes))
        self.event_text.set_visible(bool(notes))
        self.event_text.set_position(NOTE_XY)
        self.event_text.set_horizontalalignment("left")
        if not notes:
            return
        renderer = self.canvas.get_renderer()
        note = self.event_text.get_window_extent(renderer)
        legend = self.legend.get_window_extent(renderer)
        if note.x1 <= legend.x0 or legend.y1 <= note.y0:
            return  # beside the legend, or above it (a legend placed in a lower corner)
        per_char = note.width / max(len(line) for line in notes)
        gap = self._em()[0] * self.preset["size"][0]
        width = int((legend.x0 - note.x0 - gap) / per_char)
        if width >= NOTE_MIN_CHARS:
            self.event_text.set_text("\n".join(textwrap.fill(line, width) for line in notes))
            return
        to_axes = self.ax.transAxes.inverted()
        x, y = to_axes.transform((legend.x1, legend.y0 - gap / 2))
        self.event_text.set_position((x, y))
        self.event_text.set_horizontalalignment("right")
        width = int(legend.width / per_char)
        self.event_text.set_text("\n".join(textwrap.fill(line, max(width, NOTE_MIN_CHARS)) for line in notes))

