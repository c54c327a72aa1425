"""The per-epoch record of a fit.

A :class:`History` is everything the renderer and the report read: the data,
the fit settings and one :class:`Snapshot` per epoch (snapshot 0 is the
initial state). Nothing downstream refits. Its files (``History.save``,
``History.load``) are described in :mod:`vizgmm.model.history_file`.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from vizgmm.model.history_file import load_history, save_history
from vizgmm.model.snapshot import Snapshot

#: The functions that draw a History in a notebook, registered by the stage that draws them
#: (:mod:`vizgmm.pages.notebook`, which ``import vizgmm`` loads with the first History); the
#: model never imports a stage above it. The last one registered is used.
_NOTEBOOK_VIEWS: list = []


def register_notebook_view(view):
    """Make ``view(history) -> str`` the HTML a History shows in a notebook; returns ``view``."""
    if view not in _NOTEBOOK_VIEWS:
        _NOTEBOOK_VIEWS.append(view)
    return view


class History:
    """Every epoch of one EM fit, with its data and settings.

    ``history[i]`` is snapshot i; ``len(history)`` is the number of snapshots
    (epochs + 1). ``history.meta`` is a dict for the data's description that
    readers show: ``source``, ``feature_names``, ``title``,
    ``component_names``, ``command``.
    """

    def __init__(self, X: np.ndarray, settings: Mapping[str, Any], snapshots: list[Snapshot] | None = None,
                 meta: Mapping[str, Any] | None = None, versions: Mapping[str, str] | None = None,
                 true_labels: np.ndarray | None = None) -> None:
        self.X = X
        self.settings = dict(settings)
        self.snapshots = list(snapshots or [])
        self.meta = dict(meta or {})
        self.versions = dict(versions or package_versions())
        self.true_labels = true_labels

    # -- the sequence of snapshots ------------------------------------------
    def append(self, snapshot: Snapshot) -> None:
        self.snapshots.append(snapshot)

    def __len__(self) -> int:
        return len(self.snapshots)

    def __getitem__(self, index: int) -> Snapshot:
        return self.snapshots[index]

    def __iter__(self) -> Iterator[Snapshot]:
        return iter(self.snapshots)

    def __repr__(self) -> str:
        final = self.final
        return (
            f"<vizgmm.History {self.settings.get('method')} EM, k={self.k}, n={self.n}, d={self.d}: "
            f"{epochs_text(self.epochs)}, mean log-likelihood per point {final.log_likelihood / self.n:.6g}"
            f"{', converged' if self.converged else ''}>"
        )

    def _repr_html_(self) -> str | None:
        """The notebook view (Jupyter, VS Code), drawn by the registered view; None (the text repr) without one."""
        if not _NOTEBOOK_VIEWS:
            return None
        return _NOTEBOOK_VIEWS[-1](self)

    # -- facts about the fit ---------------------------------------------
    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    @property
    def k(self) -> int:
        return int(self.settings["k"])

    @property
    def epochs(self) -> int:
        """Number of EM epochs run (snapshots minus the initial one)."""
        return len(self.snapshots) - 1

    @property
    def final(self) -> Snapshot:
        return self.snapshots[-1]

    @property
    def converged(self) -> bool:
        return any(e["type"] == "converged" for e in self.final.events)

    @property
    def stuck(self) -> bool:
        """True when EM stopped because components sat at the same place (a symmetric start), not at a solution."""
        return any(e["type"] == "stuck" for e in self.final.events)

    @property
    def log_likelihoods(self) -> np.ndarray:
        """Total log-likelihood per snapshot, shape (epochs + 1,)."""
        return np.array([s.log_likelihood for s in self.snapshots])

    @property
    def mean_log_likelihoods(self) -> np.ndarray:
        """Mean log-likelihood per point per snapshot (scikit-learn's ``lower_bounds_``)."""
        return self.log_likelihoods / self.n

    def n_parameters(self) -> int:
        """Free parameters of the model, counted as scikit-learn counts them."""
        k, d = self.k, self.d
        cov = {
            "full": k * d * (d + 1) / 2,
            "diag": k * d,
            "tied": d * (d + 1) / 2,
            "spherical": k,
        }[self.settings["covariance_type"]]
        return int(cov + k * d + k - 1)

    def bic(self, snapshot: int = -1) -> float:
        """Bayesian information criterion of a snapshot (default the last); lower is better."""
        ll = self.snapshots[snapshot].log_likelihood
        return -2.0 * ll + self.n_parameters() * np.log(self.n)

    def aic(self, snapshot: int = -1) -> float:
        """Akaike information criterion of a snapshot (default the last); lower is better."""
        ll = self.snapshots[snapshot].log_likelihood
        return -2.0 * ll + 2.0 * self.n_parameters()

    def posterior(self, snapshot: int = -1, X: np.ndarray | None = None) -> np.ndarray:
        """Responsibilities p(z = j | x) under a snapshot's parameters, shape (n, k).

        Uses the kept responsibilities when there are some; otherwise
        evaluates them from the parameters (no refitting).
        """
        from vizgmm.model.gaussian import log_posterior, weighted_log_prob

        snap = self.snapshots[snapshot]
        if X is None and snap.responsibilities is not None:
            return snap.responsibilities
        X = self.X if X is None else X
        _, resp = log_posterior(weighted_log_prob(X, snap.means, snap.covariances, snap.weights))
        return resp.T

    def nbytes(self) -> int:
        """Memory held by the history's arrays, in bytes."""
        total = self.X.nbytes
        for s in self.snapshots:
            total += s.means.nbytes + s.covariances.nbytes + s.weights.nbytes
            total += s.labels.nbytes + s.counts.nbytes
            if s.responsibilities is not None:
                total += s.responsibilities.nbytes
        return total

    # -- files -----------------------------------------------------------
    def save(self, path: str | os.PathLike) -> tuple[Path, Path]:
        """Write ``path`` (JSON) and its ``.npz`` side file; returns both paths."""
        return save_history(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike) -> History:
        """Read a history written by :meth:`save` (exactly what was saved).

        The files are untrusted input: every field is checked (see
        :mod:`vizgmm.model.history_check`) before anything is allocated, and
        anything wrong is a one-line :class:`HistoryFileError`.
        """
        return load_history(cls, path)


def epochs_text(count):
    """"1 epoch", "10 epochs": how every message counts epochs."""
    return f"{count} epoch{'' if count == 1 else 's'}"


def package_versions():
    """Versions of vizgmm and the packages that shape its numbers."""
    from importlib.metadata import PackageNotFoundError, version

    from vizgmm import __version__

    versions = {"vizgmm": __version__, "python": platform.python_version()}
    for name in ("numpy", "scipy", "matplotlib", "imageio", "jinja2"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            pass
    return versions
