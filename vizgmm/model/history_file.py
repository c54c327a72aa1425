"""The file format of a :class:`~vizgmm.model.history.History`: what ``save`` writes and ``load`` reads.

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
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

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
from vizgmm.model.snapshot import Snapshot

FORMAT = "vizgmm-history"
FORMAT_VERSION = 2

_H = TypeVar("_H")


def save_history(history: Any, path: str | os.PathLike) -> tuple[Path, Path]:
    """Write ``history`` to ``path`` (JSON) and its ``.npz`` side file; returns both paths (:meth:`History.save`)."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        path = path.with_suffix(path.suffix + ".json") if path.suffix else path.with_suffix(".json")
    side = path.with_suffix(".npz")
    arrays, settings = _matrices_to_arrays(history)
    if all(s.responsibilities is not None for s in history.snapshots):
        arrays["responsibilities"] = np.stack([cast(np.ndarray, s.responsibilities) for s in history.snapshots])
    if history.true_labels is not None:
        arrays["true_labels"] = np.asarray(history.true_labels)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    del arrays
    blob = buffer.getbuffer()  # not getvalue(): no second copy of the compressed arrays
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "arrays": {"file": side.name, "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()},
        "versions": history.versions,
        "settings": settings,
        "data": {"n": history.n, "d": history.d},
        "meta": history.meta,
        "snapshots": [_snapshot_json(s, history.n) for s in history.snapshots],
    }
    text = json.dumps(doc, indent=1, allow_nan=False, ensure_ascii=False)
    with atomic_path(side) as tmp:
        tmp.write_bytes(blob)
    write_text(path, text + "\n")
    return path, side


def load_history(cls: Callable[..., _H], path: str | os.PathLike) -> _H:
    """Read a history written by :func:`save_history` (exactly what was saved) as a ``cls`` (:meth:`History.load`).

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
        return _from_doc(cls, doc, path, facts)
    except Malformed as exc:
        raise HistoryFileError(f"{path} is not a valid history: {exc}; save the history again") from None
    except HistoryFileError as exc:
        if str(exc).startswith("history format version"):
            raise HistoryFileError(f"{path} has {exc}") from None
        raise


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
