"""Which parts of a mean's trail are drawn, and how faint: the frames' and the player's rule.

A trail is the path of one component's mean over the epochs so far. From a
far start (the spread start, a wide first guess) its first steps run from
outside the view, and drawn in full they cross the frame to a corner on every
frame, the last included (issue 20.12). ``trails="fade"`` (the default)
keeps the recent steps, each older one fainter, gone after ``FADE_EPOCHS``,
and drops any step with an end outside the view; ``"full"`` draws every step
(clipped at the frame); ``"off"`` none. The player's script applies the same
rule with the numbers :func:`trail_rule` gives it.
"""

import numpy as np

#: Steps a fading trail keeps: the newest at ``TRAIL_ALPHA``, each older one fainter.
FADE_EPOCHS = 8
#: The opacity of a trail's newest step.
TRAIL_ALPHA = 0.8


def trail_segments(path, lo, hi, mode="fade"):
    """The drawn steps of one trail and their opacities.

    Parameters
    ----------
    path : array, shape (m, 2)
        The mean at each epoch so far, the current position last.
    lo, hi : array, shape (2,)
        The view's limits (:func:`vizgmm.look.view.plane_limits`).
    mode : {"fade", "full", "off"}

    Returns
    -------
    segments : array, shape (s, 2, 2)
        Each step's start and end.
    alpha : array, shape (s,)
    """
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    if mode == "off" or len(path) < 2:
        return np.zeros((0, 2, 2)), np.zeros(0)
    segments = np.stack([path[:-1], path[1:]], axis=1)
    alpha = np.full(len(segments), TRAIL_ALPHA)
    if mode == "fade":
        age = np.arange(len(segments))[::-1]  # 0: the newest step
        alpha = TRAIL_ALPHA * np.clip(1 - age / FADE_EPOCHS, 0, 1)
        inside = np.all((segments >= np.asarray(lo)) & (segments <= np.asarray(hi)), axis=(1, 2))
        keep = inside & (alpha > 0)
        segments, alpha = segments[keep], alpha[keep]
    return segments, alpha


def trail_rule(mode):
    """The rule as the player's script reads it: ``{"mode", "fade", "alpha"}``."""
    return {"mode": mode, "fade": FADE_EPOCHS, "alpha": TRAIL_ALPHA}
