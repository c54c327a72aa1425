"""Synthetic data like the walk-through's: labelled draws from 1-D normal components."""

from collections.abc import Sequence
from typing import Any

import numpy as np

from vizgmm.errors import OptionError


def simulate(components: Sequence[Sequence[Any]], *, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Draw a labelled sample from 1-D normal components.

    Parameters
    ----------
    components : sequence of (mean, std, count)
        The walk-through's data is ``[(240, 7, 700), (270, 6, 300)]``.
    seed : int or None

    Returns
    -------
    x : array, shape (n,)
    labels : array, shape (n,)
        Index of the component that drew each value.
    """
    rng = np.random.default_rng(seed)
    xs, labels = [], []
    for index, component in enumerate(components):
        try:
            mean, std, count = component
            mean, std = float(mean), float(std)
        except (TypeError, ValueError):
            raise OptionError(
                f"component {component!r} must be mean,std,count (e.g. 240,7,700)"
            ) from None
        if not (np.isfinite(mean) and np.isfinite(std)) or std <= 0:
            raise OptionError(f"component {index + 1} needs a finite mean and a std > 0")
        if isinstance(count, float) and count.is_integer():
            count = int(count)
        if not isinstance(count, (int, np.integer)) or count < 1:
            raise OptionError(f"component {index + 1} needs a whole count >= 1, got {count!r}")
        xs.append(rng.normal(mean, std, size=int(count)))
        labels.append(np.full(int(count), index))
    if not xs:
        raise OptionError("give at least one component (mean,std,count)")
    return np.concatenate(xs), np.concatenate(labels)


def walkthrough_data(seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """The walk-through's foot sizes: 700 women ~ N(240, 7) and 300 men ~ N(270, 6).

    Returns
    -------
    x : array, shape (1000,)
    labels : array, shape (1000,)
    """
    return simulate([(240, 7, 700), (270, 6, 300)], seed=seed)


#: The walk-through's starting guess: far from the data on purpose.
WALKTHROUGH_INIT = {"means": [210.0, 290.0], "stds": [12.0, 15.0], "weights": [0.5, 0.5]}



def eruption_durations(seed: int | None = 0) -> np.ndarray:
    """Geyser-like eruption durations (minutes) with the rounding real records have.

    200 eruptions timed to the second, 70 noted only as "about 2" or "about 4" minutes
    (25 and 45 values of exactly 2.0 and 4.0), as in the Old Faithful records where
    night-time eruptions were written down as short or long. The repeated values are
    where a mixture component collapses.

    Returns
    -------
    x : array, shape (270,)
    """
    rng = np.random.default_rng(seed)
    timed = np.r_[rng.normal(2.0, 0.3, 70), rng.normal(4.3, 0.4, 130)]
    return np.r_[timed, np.full(25, 2.0), np.full(45, 4.0)].round(3)
