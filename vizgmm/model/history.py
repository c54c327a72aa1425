"""The per-epoch record of a fit, and its file format.

A :class:`History` is everything the renderer and the report read: the data,
the fit settings and one :class:`Snapshot` per epoch (snapshot 0 is the
initial state). Nothing downstream refits.

File format (``History.save("run/history.json")``)
---------------------------------------------------
Two files side by side:

``history.json``
    Human-readable. ``format`` is ``"vizgmm-history"`` and ``format_version``
    an integer (a reader refuses versions newer than it knows). ``settings``
    holds the fit options and seed, ``data`` the shape and names, ``versions``
    the packages that made it, ``meta`` free-form facts (title, component
    names, the command), and ``snapshots`` one object per epoch with
    ``epoch``, ``means`` (k×d), ``stds`` (1-D data
    only), ``weights``, ``counts``, ``log_likelihood`` (total over all points),
    ``mean_log_likelihood`` and ``events``. Floats are written with Python's
    shortest round-tripping repr, so loading gives back the same bits.
    ``arrays`` names the side file with its size and SHA-256. Format version
    1 also held each snapshot's ``covariances`` (k×d×d) and
    ``settings.init_parameters.covariances`` here, as JSON text: at d = 1000
    four snapshots made a 212 MB history.json that the player took 0.8 GB
    and 16 s to read (issue 26 #12); version 2 keeps them in the npz, and
    :meth:`History.load` reads both versions.

``history.npz``
    NumPy's zip of arrays: ``X`` (n×d float64), ``labels`` (snapshots×n,
    stored as differences from the previous epoch's labels, modulo the
    integer type, which compresses to almost nothing once labels settle),
    ``covariances`` (snapshots×k×d×d float64, full matrices whatever the
    covariance type), ``init_covariances`` (k×d×d, with explicit starting
    parameters) and, when kept, ``responsibilities`` (snapshots×n×k float32) and
    ``true_labels``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from vizgmm.errors import HistoryFileError
from vizgmm.files import atomic_path, write_text
from vizgmm.model.history_check import (
    Malformed,
    check_array_headers,
    check_array_values,
    check_document,
    parse_json,
    read_regular_file,
)

#: The functions that draw a History in a notebook, registered by the stage that draws them
#: (:mod:`vizgmm.pages.notebook`, which ``import vizgmm`` loads with the first History); the
#: model never imports a stage above it. The last one registered is used.
_NOTEBOOK_VIEWS: list = []


def register_notebook_view(view):
    """Make ``view(history) -> str`` the HTML a History shows in a notebook; returns ``view``."""
    if view not in _NOTEBOOK_VIEWS:
        _NOTEBOOK_VIEWS.append(view)
    return view

FORMAT = "vizgmm-history"
FORMAT_VERSION = 2


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
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_suffix(path.suffix + ".json") if path.suffix else path.with_suffix(".json")
        side = path.with_suffix(".npz")
        arrays, settings = _matrices_to_arrays(self)
        if all(s.responsibilities is not None for s in self.snapshots):
            arrays["responsibilities"] = np.stack([cast(np.ndarray, s.responsibilities) for s in self.snapshots])
        if self.true_labels is not None:
            arrays["true_labels"] = np.asarray(self.true_labels)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        del arrays
        blob = buffer.getbuffer()  # not getvalue(): no second copy of the compressed arrays
        doc = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "arrays": {"file": side.name, "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()},
            "versions": self.versions,
            "settings": settings,
            "data": {"n": self.n, "d": self.d},
            "meta": self.meta,
            "snapshots": [_snapshot_json(s, self.n) for s in self.snapshots],
        }
        text = json.dumps(doc, indent=1, allow_nan=False, ensure_ascii=False)
        with atomic_path(side) as tmp:
            tmp.write_bytes(blob)
        write_text(path, text + "\n")
        return path, side

    @classmethod
    def load(cls, path: str | os.PathLike) -> History:
        """Read a history written by :meth:`save` (exactly what was saved).

        The files are untrusted input: every field is checked (see
        :mod:`vizgmm.model.history_check`) before anything is allocated, and
        anything wrong is a one-line :class:`HistoryFileError`.
        """
        path = Path(path)
        raw = read_regular_file(path)
        try:
            try:
                doc = parse_json(raw)
            except (UnicodeDecodeError, ValueError):
                raise HistoryFileError(
                    f"{path} is not a readable history (truncated or corrupted JSON); save the history again"
                ) from None
            facts = check_document(doc, FORMAT, FORMAT_VERSION)
            return cls._from_doc(doc, path, facts)
        except Malformed as exc:
            raise HistoryFileError(f"{path} is not a valid history: {exc}; save the history again") from None
        except HistoryFileError as exc:
            if str(exc).startswith("history format version"):
                raise HistoryFileError(f"{path} has {exc}") from None
            raise

    @classmethod
    def _from_doc(cls, doc, path, facts):
        side = path.parent / facts["file"]
        if not side.exists():
            raise HistoryFileError(f"the history's array file {side} is missing; keep it beside {path.name}")
        blob = read_regular_file(side, limit=facts["bytes"], what="the history's array file")
        if len(blob) != facts["bytes"] or hashlib.sha256(blob).hexdigest() != facts["sha256"]:
            raise HistoryFileError(
                f"the history's array file {side} is truncated or changed since it was saved; save the history again"
            )
        check_array_headers(io.BytesIO(blob), facts)
        try:
            with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
                arrays = {name[:-4] if name.endswith(".npy") else name: npz[name] for name in npz.files}
        except Exception:
            raise HistoryFileError(f"cannot read arrays from {side}; save the history again") from None
        X = arrays["X"].astype(np.float64, copy=False)
        labels = _delta_decode(arrays["labels"])
        counts = [np.array(s["counts"], dtype=np.int64) for s in doc["snapshots"]]
        check_array_values(arrays, labels, counts, facts["k"])
        resp = arrays.get("responsibilities")
        d = facts["d"]
        settings, covariances = _matrices_from_arrays(doc, arrays, facts)
        snapshots = [
            Snapshot(
                epoch=s["epoch"],
                means=np.array(s["means"], dtype=float).reshape(-1, d),
                covariances=covariances[i],
                weights=np.array(s["weights"], dtype=float),
                labels=labels[i],
                log_likelihood=float(s["log_likelihood"]),
                counts=counts[i],
                events=list(s.get("events", [])),
                responsibilities=None if resp is None else resp[i],
            )
            for i, s in enumerate(doc["snapshots"])
        ]
        return cls(
            X=X,
            settings=settings,
            snapshots=snapshots,
            meta=doc.get("meta", {}),
            versions=doc.get("versions", {}),
            true_labels=arrays.get("true_labels"),
        )


def _matrices_to_arrays(history):
    """The side file's arrays, covariance matrices included (format 2), and the settings the JSON keeps."""
    arrays = {"X": history.X, "labels": _delta_encode([s.labels for s in history.snapshots]),
              "covariances": np.stack([s.covariances for s in history.snapshots])}
    settings = history.settings
    start = settings.get("init_parameters")
    if isinstance(start, dict) and "covariances" in start:
        arrays["init_covariances"] = np.asarray(start["covariances"], dtype=float)
        settings = {**settings, "init_parameters": {key: v for key, v in start.items() if key != "covariances"}}
    return arrays, settings


def _matrices_from_arrays(doc, arrays, facts):
    """The settings (starting covariances put back) and each snapshot's covariances, from format 2 or 1."""
    settings = doc["settings"]
    if facts["version"] >= 2:
        if "init_covariances" in arrays:
            settings["init_parameters"]["covariances"] = arrays["init_covariances"].astype(float).tolist()
        return settings, arrays["covariances"].astype(np.float64, copy=False)
    d = facts["d"]  # version 1: in the JSON, checked by check_document
    return settings, [np.array(s["covariances"], dtype=float).reshape(-1, d, d) for s in doc["snapshots"]]


def epochs_text(count):
    """"1 epoch", "10 epochs": how every message counts epochs."""
    return f"{count} epoch{'' if count == 1 else 's'}"


def _snapshot_json(s, n):
    out = {
        "epoch": s.epoch,
        "means": s.means.tolist(),
    }
    if s.stds is not None:
        out["stds"] = s.stds.tolist()
    out.update(
        weights=s.weights.tolist(),
        counts=s.counts.tolist(),
        log_likelihood=s.log_likelihood,
        mean_log_likelihood=s.log_likelihood / n,
        events=s.events,
    )
    return out


def _delta_encode(labels):
    """Each epoch's labels minus the previous epoch's, shape (snapshots, n), from a list of (n,) arrays.

    Filled row by row into one array: stacking first would hold every
    epoch's labels twice (at n = 10⁷ and 50 epochs, another 500 MB).
    """
    out = np.empty((len(labels), *labels[0].shape), dtype=labels[0].dtype)
    out[0] = labels[0]
    for i in range(1, len(labels)):
        np.subtract(labels[i], labels[i - 1], out=out[i])  # wraps modulo the unsigned type; decoding undoes it
    return out


def _delta_decode(deltas):
    return np.cumsum(deltas, axis=0, dtype=deltas.dtype)


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
