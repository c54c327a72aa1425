"""From a History to a stream of frame states: tweening and timing.

Frame layout
------------
Every snapshot i gets ``tween + 1`` frames: its epoch frame, then ``tween``
in-betweens that move the parameters towards snapshot i + 1 (the last
snapshot's in-betweens stay still, so every epoch is on screen equally long).
That is ``len(history) * (tween + 1)`` frames. Labels and responsibilities
are snapshot i's on all of them: they switch at the next epoch frame.

Timing
------
An epoch lasts ``duration_ms`` (default 500 ms), shared equally by its
``tween + 1`` frames; or give ``fps`` and each frame lasts ``1000 / fps`` ms.
The first frame is held ``hold_first_ms`` longer and the last
``hold_last_ms`` longer (defaults 1000 and 2000 ms):

* GIF keeps one frame per state and lengthens the first and last frame's
  delay (GIF stores delays in 10 ms steps; each delay is rounded to a step
  with the error carried into the next, so the total stays as asked, and is
  at least 20 ms because browsers play shorter delays slowly). Identical
  consecutive frames are stored once with the sum of their delays.
* MP4 and PNG have a constant frame rate, so the first frame is repeated
  ``round(hold_first_ms / frame_ms)`` more times and the last frame
  ``round(hold_last_ms / frame_ms)`` more times.

So an MP4 or PNG sequence has
``len(history) * (tween + 1)`` frames plus the first and last frames' holds.
"""

from dataclasses import dataclass

import numpy as np

from vizgmm.animate.options import EPOCH_MS, HOLD_FIRST_MS, HOLD_LAST_MS, RenderOptions
from vizgmm.errors import OptionError
from vizgmm.model.history import History
from vizgmm.params import check

# The defaults are the options' (vizgmm.animate.options); these names stay for readers of this module.
DEFAULT_EPOCH_MS = EPOCH_MS
DEFAULT_HOLD_FIRST_MS = HOLD_FIRST_MS
DEFAULT_HOLD_LAST_MS = HOLD_LAST_MS
GIF_MIN_DELAY_MS = 20


@dataclass
class FrameState:
    """The mixture as one frame shows it.

    Attributes
    ----------
    index : int
        Position in the stream of states (0-based, holds not counted).
    snapshot : int
        The snapshot whose labels, log-likelihood and events the frame shows.
    progress : float
        ``snapshot + s`` with s in [0, 1): where the parameters are between epochs.
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
    weights : array, shape (k,)
    is_epoch_frame : bool
        True on the frame that shows the snapshot's own parameters.
    """

    index: int
    snapshot: int
    progress: float
    means: np.ndarray
    covariances: np.ndarray
    weights: np.ndarray
    is_epoch_frame: bool


@dataclass(frozen=True)
class Timing:
    """How many frames an epoch has and how long each is shown (milliseconds).

    ``tween`` (checked once, when made by :func:`make_timing`) is the number of
    in-between frames per epoch: every epoch has ``tween + 1`` frame states.
    """

    frame_ms: float
    hold_first_ms: float = DEFAULT_HOLD_FIRST_MS
    hold_last_ms: float = DEFAULT_HOLD_LAST_MS
    tween: int = 0

    def count(self, history: History) -> int:
        """Number of frame states of ``history``: snapshots × (tween + 1), holds not counted."""
        return len(history) * (self.tween + 1)

    def durations(self, count: int) -> np.ndarray:
        """How long each of ``count`` frame states is shown (ms, holds included), shape (count,)."""
        delays = np.full(count, float(self.frame_ms))
        delays[0] += self.hold_first_ms
        delays[-1] += self.hold_last_ms
        return delays

    def repeats(self, count: int) -> np.ndarray:
        """How many frame times each of ``count`` frame states fills at a constant frame rate, shape (count,).

        What MP4, WebM and the Beamer frames write (and the captions' cue times add up).
        """
        return np.array([frame_repeats(d, self.frame_ms) for d in self.durations(count)], dtype=int)


def frame_repeats(duration_ms, frame_ms):
    """Copies a constant-frame-rate output needs for a frame shown ``duration_ms`` (at least one)."""
    return max(1, int(round(duration_ms / frame_ms)))


def timing_of(options: RenderOptions) -> Timing:
    """The :class:`Timing` of one render's options (its tween, fps or duration_ms, holds)."""
    return make_timing(options.tween, options.fps, options.duration_ms, options.hold_first_ms, options.hold_last_ms)


def make_timing(tween: int = 0, fps: float | None = None, duration_ms: float | None = None,
                hold_first_ms: float | None = None, hold_last_ms: float | None = None) -> Timing:
    """A :class:`Timing` from the user's options (fps or duration_ms per epoch, not both)."""
    tween = check_tween(tween)
    if fps is not None and duration_ms is not None:
        raise OptionError("give either fps or duration_ms, not both")
    if fps is not None:
        fps = float(check("fps", fps))
        frame_ms = 1000.0 / fps
    else:
        epoch_ms = DEFAULT_EPOCH_MS if duration_ms is None else float(check("duration_ms", duration_ms))
        frame_ms = epoch_ms / (tween + 1)
    if frame_ms < 1000.0 / 120:
        raise OptionError(
            f"each frame would last {frame_ms:.2g} ms; raise duration_ms or lower tween"
        )
    hold_first = DEFAULT_HOLD_FIRST_MS if hold_first_ms is None else float(check("hold_first_ms", hold_first_ms))
    hold_last = DEFAULT_HOLD_LAST_MS if hold_last_ms is None else float(check("hold_last_ms", hold_last_ms))
    return Timing(frame_ms=frame_ms, hold_first_ms=hold_first, hold_last_ms=hold_last, tween=tween)


def check_tween(tween):
    return check("tween", tween)


def frame_count(history, tween=0):
    """Number of frame states: snapshots × (tween + 1), holds not counted."""
    return len(history) * (check_tween(tween) + 1)


def frame_states(history, tween=0, ease=True):
    """Yield the :class:`FrameState` of every frame in order.

    ``ease`` spaces the in-betweens by a cosine ease-in-out, so a mean
    accelerates away from one epoch and settles into the next.
    """
    tween = check_tween(tween)
    factors = [covariance_factor(snap.covariances) for snap in history.snapshots]
    for index in range(frame_count(history, tween)):
        yield state_at(history, index, tween, ease, factors)


def state_at(history, index, tween=0, ease=True, factors=None):
    """The :class:`FrameState` at one position of :func:`frame_states` (no need to run through the others).

    ``factors`` optionally holds every snapshot's :func:`covariance_factor`. ``tween`` is not checked
    again here, once per frame: :func:`make_timing` and :func:`frame_count` check it once per render.
    """
    i, t = divmod(int(index), tween + 1)
    snapshots = history.snapshots
    snap = snapshots[i]
    if t == 0 or i + 1 == len(snapshots):
        return FrameState(index, i, float(i), snap.means, snap.covariances, snap.weights, t == 0)
    nxt = snapshots[i + 1]
    s = t / (tween + 1)
    e = 0.5 - 0.5 * np.cos(np.pi * s) if ease else s
    return FrameState(
        index, i, i + s,
        (1 - e) * snap.means + e * nxt.means,
        interpolate_covariances(
            covariance_factor(snap.covariances) if factors is None else factors[i],
            covariance_factor(nxt.covariances) if factors is None else factors[i + 1],
            e,
        ),
        (1 - e) * snap.weights + e * nxt.weights,
        False,
    )


def covariance_factor(covariances):
    """Lower Cholesky factors L with L Lᵀ = Σ, shape (k, d, d).

    A blend of two such factors is again lower-triangular with a positive
    diagonal, so every in-between L Lᵀ is a valid covariance (for d = 1 this
    is interpolating σ rather than σ²).
    """
    covariances = np.asarray(covariances, dtype=float)
    try:
        return np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        # A covariance at the numerical edge: fall back to the symmetric
        # square root, which exists for any positive semi-definite matrix.
        vals, vecs = np.linalg.eigh(covariances)
        return vecs * np.sqrt(np.clip(vals, 0, None))[..., None, :]


def interpolate_covariances(factor_a, factor_b, s):
    """Σ(s) = L(s) L(s)ᵀ with L(s) = (1 − s) L_a + s L_b, shape (k, d, d)."""
    factor = (1 - s) * factor_a + s * factor_b
    return factor @ np.swapaxes(factor, -1, -2)
