"""One epoch of a fit: the mixture's parameters then, and how they label the data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Snapshot:
    """The mixture at one epoch, and how it labels the data.

    Attributes
    ----------
    epoch : int
        0 for the initial state.
    means : array, shape (k, d)
    covariances : array, shape (k, d, d)
        Full matrices whatever the covariance type.
    weights : array, shape (k,)
        The shares φ, summing to 1.
    labels : array, shape (n,)
        Argmax of the posterior under these parameters (uint8 for k <= 256).
    log_likelihood : float
        Total log-likelihood of the data under these parameters.
    counts : array, shape (k,)
        Number of points per label.
    events : list of dict
        ``{"type": "empty"|"collapse"|"converged"|"stuck", "component": j, "message": ...}``.
    responsibilities : array, shape (n, k), or None
        Kept only when the fit asked for it (float32).
    """

    epoch: int
    means: np.ndarray
    covariances: np.ndarray
    weights: np.ndarray
    labels: np.ndarray
    log_likelihood: float
    counts: np.ndarray
    events: list = field(default_factory=list)
    responsibilities: np.ndarray | None = None

    @property
    def k(self) -> int:
        return self.weights.shape[0]

    @property
    def stds(self) -> np.ndarray | None:
        """Standard deviations, shape (k,) for 1-D data; None otherwise."""
        if self.means.shape[1] != 1:
            return None
        return np.sqrt(self.covariances[:, 0, 0])
