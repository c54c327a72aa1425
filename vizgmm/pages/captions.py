"""The fit in words, one sentence per stop: the player's captions and the videos' WebVTT track.

:func:`stop_sentences` is the one source of the sentences: the epoch player
shows them beside its slider (the player's script only picks one per stop),
and :func:`captions` times them as a WebVTT file, ``animation.vtt``, one cue
per stop of the MP4/WebM — per epoch, or per half-step with
``half_steps=True`` — so a reader who cannot see the curves move reads what
each epoch did while it plays. Cue times add up the frames exactly as the
constant-frame-rate writers write them (:meth:`Timing.repeats`), holds included.

The stop titles ("Epoch 3 of 10", "Epoch 3 · E-step") are also spelled in
``templates/partials/player.js`` (``stopTitle``), which builds them in the
browser; :func:`stop_title` must say the same.

Every sentence is in the language of ``lang`` (:mod:`vizgmm.i18n`): "Epoch 3 of 10" /
"10번 중 3번째 반복", "E-step: 37 points changed component" / "E 단계: 37개 점의 집단이 바뀌었습니다".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from vizgmm.animate.frames import timing as frames
from vizgmm.animate.frames.halfsteps import half_step_history
from vizgmm.files import write_text
from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.look.notes import event_notes
from vizgmm.look.notes import format_value as _format_value
from vizgmm.look.variational import active_sentence, fades, scores
from vizgmm.pages.formatting import format_number

if TYPE_CHECKING:  # names for the hints only
    import os

    from vizgmm.model.history import History

VTT_NAME = "animation.vtt"
VTT_MIME = "text/vtt"

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# A half-step snapshot's ``step`` (animate/frames/halfsteps.py), as the titles say it.
STEP_WORDS = {"E-step": N_("E-step"), "M-step": N_("M-step")}


def _names(history, names=None, words=None):
    """``names``, else ``history.meta["component_names"]``, else "component 1", … (as the frames label them)."""
    names = history.meta.get("component_names") if names is None else names
    w = get_words(words)
    return [str(n) for n in names] if names else [w.gettext("component {number}").format(number=j + 1)
                                                   for j in range(history.k)]


def stop_sentences(history, names, lang=None):
    """Per snapshot: the full-step sentence; per epoch: the E-step's and the M-step's, in ``lang``.

    Returns ``{"full": [...], "e": [None, ...], "m": [None, ...]}``, each of
    length ``len(history)`` (snapshot 0 has no E- or M-step of its own).
    """
    w = get_words(lang)
    d, n = history.d, history.n
    full, e_step, m_step = [], [None], [None]
    values, score = scores(history, w)
    for i, snap in enumerate(history):
        if fades(history):
            # A variational fit's score is its ELBO, and how many components its prior has left matters most.
            number = (w.numeral(format_number(values[i], 6)).replace("-", "\u2212") if np.isfinite(values[i])
                      else w.gettext("not recorded"))
            text = active_sentence(history, i, prior=False, words=w) + "; " + f"{score} {number}"
        else:
            text = w.gettext("total log-likelihood {value}").format(
                value=w.numeral(format_number(snap.log_likelihood, 6)).replace("-", "\u2212"))
        temperatures = history.settings.get("temperatures")
        if temperatures is not None and i < len(temperatures):
            # An annealing (vizgmm.anneal): the shared variance σ² is the temperature; 0 is the k-means limit.
            t = temperatures[i]
            text = (w.gettext("σ² → 0 (k-means)") if t == 0
                    else w.gettext("temperature σ² = {value}").format(value=w.numeral(f"{t:.3g}"))) + "; " + text
        notes = event_notes(snap.events, lambda j: names[j], 1 if d == 1 else 2, w)
        full.append(text + ("; " + "; ".join(notes) if notes else ""))
        if i == 0:
            continue
        before, prev = history[i - 1], history[i - 2] if i >= 2 else None
        if prev is None:
            e_step.append(w.gettext("E-step: each of the {count} points takes its most probable component ({counts})")
                          .format(count=w.number(n), counts=", ".join(w.number(int(c)) for c in before.counts)))
        else:
            changed = int(np.count_nonzero(before.labels != prev.labels))
            if history.settings.get("method", "soft") == "soft":
                sentence = w.ngettext(
                    "E-step: new responsibilities; {count} point changed their most probable component",
                    "E-step: new responsibilities; {count} points changed their most probable component", changed)
            else:
                sentence = w.ngettext("E-step: {count} point changed component",
                                      "E-step: {count} points changed component", changed)
            e_step.append(sentence.format(count=w.number(changed)))
        m_step.append(w.gettext("M-step: {moves}").format(moves="; ".join(_moves(before, snap, d, w) + notes)))
    return {"full": full, "e": e_step, "m": m_step}


def stop_title(epoch, last_epoch, step=None, lang=None):
    """"Epoch 3 of 10", or "Epoch 3 · E-step" / "Epoch 3 · M-step" (the player's ``stopTitle``), in ``lang``."""
    w = get_words(lang)
    if step in STEP_WORDS:
        return w.gettext("Epoch {epoch} · {step}").format(epoch=epoch, step=w.gettext(STEP_WORDS[step]))
    if epoch == 0:
        # The same English words; a language may name the start differently ("초기 추정").
        return w.gettext("Epoch 0 of {last}").format(last=last_epoch)
    return w.gettext("Epoch {epoch} of {last}").format(epoch=epoch, last=last_epoch)


def caption_cues(history, *, component_names=None, half_steps=False, tween=0, fps=None, duration_ms=None,
                 hold_first_ms=None, hold_last_ms=None, lang=None, **_drawing):
    """The MP4/WebM's stops as ``(start_ms, end_ms, title, sentence)``, one per snapshot shown.

    Parameters
    ----------
    history : History
    component_names : list of str, optional
        Names in the sentences; default the history's, as the frames.
    half_steps, tween, fps, duration_ms, hold_first_ms, hold_last_ms
        The timing options the video was rendered with (same defaults as :func:`vizgmm.render_mp4`).
    lang : {"en", "ko"} or None
        The language of the titles and sentences; None: the user's locale when vizgmm has it, else English.
    **_drawing
        Other drawing options (preset, theme, ...): accepted and ignored, so a caller can pass the render's.

    Returns
    -------
    list of tuple
        ``len(history)`` cues (``2 * len(history) - 1`` with half-steps), back to back from 0 ms
        to the video's length.
    """
    w = get_words(lang)
    names = _names(history, component_names, w)
    sentences = stop_sentences(history, names, w)
    epochs = [int(s.epoch) for s in history]
    if half_steps and len(history) > 1:
        shown = half_step_history(history)
        texts = []
        for i in range(1, len(history)):
            texts += [(stop_title(epochs[i], epochs[-1], "E-step", w), sentences["e"][i]),
                      (stop_title(epochs[i], epochs[-1], "M-step", w), sentences["m"][i])]
        texts.append((stop_title(epochs[-1], epochs[-1], lang=w), sentences["full"][-1]))
    else:
        shown = history
        texts = [(stop_title(e, epochs[-1], lang=w), text) for e, text in zip(epochs, sentences["full"])]
    timing = frames.make_timing(tween, fps, duration_ms, hold_first_ms, hold_last_ms)
    per_stop = frames.check_tween(tween) + 1
    repeats = timing.repeats(frames.frame_count(shown, tween))
    edges = np.concatenate([[0], np.cumsum(repeats)])[::per_stop] * timing.frame_ms
    return [(float(edges[i]), float(edges[i + 1]), title, text) for i, (title, text) in enumerate(texts)]


def captions(history: History, **options: Any) -> str:
    """The fit's WebVTT captions: one cue per epoch (per half-step with ``half_steps=True``), timed as the MP4/WebM.

    Each cue is two lines, the stop's title and the player's sentence for it
    ("Epoch 3 of 10" / "total log-likelihood −3,904.12; ...").

    Parameters
    ----------
    history : History
    **options
        The video's timing and naming options (see :func:`caption_cues`); other drawing options are ignored.

    Returns
    -------
    str
        The WebVTT file's text.

    Examples
    --------
    >>> vizgmm.render_mp4(history, "em.mp4", tween=4)  # doctest: +SKIP
    >>> Path("em.vtt").write_text(vizgmm.captions(history, tween=4))  # doctest: +SKIP
    """
    lines = ["WEBVTT", ""]
    for n, (start, end, title, text) in enumerate(caption_cues(history, **options), start=1):
        lines += [str(n), f"{_timestamp(start)} --> {_timestamp(end)}", _cue_text(title), _cue_text(text), ""]
    return "\n".join(lines)


def write_captions(history: History, path: str | os.PathLike, **options: Any) -> Path:
    """Write :func:`captions` to ``path`` (through the one atomic writer); returns the path."""
    write_text(path, captions(history, **options))
    return Path(path)


def _timestamp(ms):
    ms = int(round(ms))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    seconds, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def _cue_text(text):
    """One line of cue text: WebVTT reads "-->" as timing, "<" and "&" as markup, and a blank line as the cue's end."""
    text = " ".join(str(text).split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sub(j):
    return str(j + 1).translate(SUBSCRIPTS)


def _moves(a, b, d, w):
    """"μ₁ 237.5 → 238.3, μ₂ …", "σ₁ …", "φ₁ …": each parameter's value before and after the M-step."""
    k = a.means.shape[0]

    def format_value(value):
        return w.numeral(_format_value(value))
    if d == 1:
        mus = [f"μ{_sub(j)} {format_value(a.means[j, 0])} → {format_value(b.means[j, 0])}" for j in range(k)]
        sds = [f"σ{_sub(j)} {format_value(np.sqrt(a.covariances[j, 0, 0]))} → "
               f"{format_value(np.sqrt(b.covariances[j, 0, 0]))}" for j in range(k)]
    else:
        def vec(m):
            return "(" + ", ".join(format_value(v) for v in m[:3]) + (", …" if len(m) > 3 else "") + ")"
        mus = [f"μ{_sub(j)} {vec(a.means[j])} → {vec(b.means[j])}" for j in range(k)]
        sds = []
    phis = [f"φ{_sub(j)} {w.number(a.weights[j], 2)} → {w.number(b.weights[j], 2)}" for j in range(k)]
    return [", ".join(part) for part in (mus, sds, phis) if part]
