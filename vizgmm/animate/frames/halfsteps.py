"""E-step and M-step apart: a history with two snapshots per epoch, for ``half_steps=True``.

Snapshot i of a history holds the parameters θᵢ and the labels they give,
L(θᵢ). EM's epoch i is an E-step, which labels the points under θᵢ₋₁, then
an M-step, which fits θᵢ to those labels. So the epoch's two halves are

* E-step of epoch i: θᵢ₋₁ with L(θᵢ₋₁) — snapshot i − 1 as it is;
* M-step of epoch i: θᵢ with L(θᵢ₋₁) — the new parameters, the old colours,

and the sequence E₁, M₁, E₂, M₂, …, M_E, then the final snapshot (θ_E with its
own labels) shows the fit one half-step at a time. Tweening between them
moves the curves only on the M-steps, since an E-step keeps the parameters.
The epoch player's "E and M apart" mode shows the same two halves.
"""

from dataclasses import replace

from vizgmm.model.history import History


def half_step_history(history):
    """A History whose snapshots are the E and M halves of each epoch, each with a ``step`` label.

    ``step`` is "E-step" or "M-step" (and "" on the final snapshot, the
    fit's result). Nothing is refitted: every number comes from ``history``.
    """
    snapshots = history.snapshots
    out = []
    for i in range(1, len(snapshots)):
        before, after = snapshots[i - 1], snapshots[i]
        e = replace(before, epoch=after.epoch, events=[])
        e.step = "E-step"
        m = replace(after, labels=before.labels, counts=before.counts, responsibilities=before.responsibilities,
                    events=after.events)
        m.step = "M-step"
        out += [e, m]
    final = replace(snapshots[-1], events=[])
    final.step = "" if len(snapshots) > 1 else None
    out.append(final)
    derived = History(history.X, history.settings, out, meta=history.meta, versions=history.versions,
                      true_labels=history.true_labels)
    return derived
