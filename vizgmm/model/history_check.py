"""Checks on a saved history before it is trusted: every field's type, range and shape.

A history file may come from anyone (a colleague, a download), so
:meth:`History.load` reads it as untrusted input. The JSON is checked first,
field by field and against itself (k, n, d and the snapshot count must agree
everywhere), which bounds everything that will be allocated; only then is
the array file read, and only if it is a regular file named bare beside the
JSON, exactly as large as declared, with array headers that match the JSON's
shapes. Any failure is a :class:`HistoryFileError` of one line that names
the field.
"""

import json
import math
import os
import stat
import zipfile

import numpy as np

from vizgmm.errors import HistoryFileError
from vizgmm.params import choices
from vizgmm.text import MAX_COMPONENT_NAME, MAX_NAME, MAX_TITLE, check_label

COVARIANCE_TYPES = choices("covariance_type")
EVENT_TYPES = ("empty", "collapse", "converged", "stuck", "differ")
#: Labels are stored in the smallest unsigned type that holds k (vizgmm.model.gaussian.label_dtype).
LABEL_KINDS = "u"
TRUE_LABEL_KINDS = "biufU"
#: Ranks above 2**31 are not a history anyone made; they would only size an allocation.
MAX_COUNT = 2**31


class Malformed(Exception):
    """A field is wrong: the message names it; load() adds the file and the advice."""


def read_regular_file(path, limit=None, what="history file"):
    """Bytes of ``path`` when it is a regular file (at most ``limit`` bytes); HistoryFileError otherwise.

    Opened without blocking, so a FIFO or a terminal is refused at once
    rather than waited on, and a device such as /dev/zero is never read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise HistoryFileError(f"{what} {path} does not exist; check the path") from None
    except OSError as exc:
        raise HistoryFileError(f"cannot read {what} {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise HistoryFileError(f"{path} is a folder; pass the history .json file inside it")
        if not stat.S_ISREG(info.st_mode):
            raise HistoryFileError(f"{what} {path} is not a regular file (a device, pipe or socket); refusing to read it")
        if limit is not None and info.st_size > limit:
            raise HistoryFileError(
                f"{what} {path} is larger ({info.st_size:,} bytes) than the history declares ({limit:,}); "
                "save the history again"
            )
        try:
            return handle.read(-1 if limit is None else limit + 1)
        except OSError as exc:
            raise HistoryFileError(f"cannot read {what} {path}: {exc.strerror}") from None


def parse_json(raw):
    """The JSON document of ``raw`` bytes; NaN/Infinity and absurd nesting are Malformed."""

    def no_constants(name):
        raise Malformed(f"a number is {name}, which a saved history never holds")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=no_constants)
    except RecursionError:
        raise Malformed("the JSON is nested too deeply") from None


# -- the JSON document ----------------------------------------------------------------
def check_document(doc, format_name, format_version):
    """Check every field of the JSON; returns {"k", "n", "d", "snapshots", "file", "bytes", "sha256"}.

    Raises Malformed naming the first wrong field.
    """
    if not isinstance(doc, dict) or doc.get("format") != format_name:
        raise Malformed(f"no 'format': '{format_name}'; it is not a vizgmm history file")
    version = doc.get("format_version")
    if not _is_int(version) or not 1 <= version <= format_version:
        if _is_int(version) and version > format_version:
            raise HistoryFileError(
                f"history format version {version}, newer than this vizgmm reads ({format_version}); "
                "upgrade vizgmm (pip install -U vizgmm)"
            )
        raise Malformed(f"format_version is {_short(version)}; it must be a whole number from 1 to {format_version}")
    arrays = _dict(doc, "arrays")
    name = arrays.get("file")
    if not isinstance(name, str) or not _bare_name(name):
        raise Malformed(f"arrays.file is {_short(name)}; it must be the bare name of a file beside the JSON")
    size = _int(arrays, "bytes", "arrays.bytes", 0, 2**62)
    digest = arrays.get("sha256")
    if not isinstance(digest, str) or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise Malformed("arrays.sha256 is not 64 hexadecimal digits")
    settings = _dict(doc, "settings")
    k = _int(settings, "k", "settings.k", 1, MAX_COUNT)
    if settings.get("covariance_type") not in COVARIANCE_TYPES:
        raise Malformed(f"settings.covariance_type is {_short(settings.get('covariance_type'))}; "
                        f"it must be one of {', '.join(COVARIANCE_TYPES)}")
    for key in ("method", "init"):
        if key in settings and not isinstance(settings[key], str):
            raise Malformed(f"settings.{key} is {_short(settings[key])}; it must be text")
    if settings.get("seed") is not None:
        _int(settings, "seed", "settings.seed", 0, 2**128)
    data = _dict(doc, "data")
    n = _int(data, "n", "data.n", 1, 2**62)
    d = _int(data, "d", "data.d", 1, MAX_COUNT)
    _check_meta(doc.get("meta", {}), k, d)
    versions = doc.get("versions", {})
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        raise Malformed("versions must map package names to version text")
    snapshots = doc.get("snapshots")
    if not isinstance(snapshots, list) or not snapshots:
        raise Malformed("snapshots must be a non-empty list")
    max_iter = _check_settings(settings)
    for i, snap in enumerate(snapshots):
        epoch = check_snapshot(snap, i, k, n, d, version)
        # A fit records every epoch, from the start (epoch 0) on; a gap or a jump is not a history it wrote.
        if epoch != i:
            raise Malformed(f"snapshots[{i}].epoch is {epoch}; snapshots must hold epochs 0, 1, 2, ... in order")
    if max_iter is not None and len(snapshots) - 1 > max_iter:
        raise Malformed(
            f"the snapshots run to epoch {len(snapshots) - 1}, beyond settings.max_iter = {max_iter}"
        )
    if "init_parameters" in settings:
        init = _dict(settings, "init_parameters", "settings.init_parameters")
        _floats(init.get("means"), (k, d), "settings.init_parameters.means")
        if version >= 2:
            if "covariances" in init:
                raise Malformed("settings.init_parameters.covariances belong in the array file (format version 2)")
        else:
            _floats(init.get("covariances"), (k, d, d), "settings.init_parameters.covariances")
        _floats(init.get("weights"), (k,), "settings.init_parameters.weights")
    return {"k": k, "n": n, "d": d, "snapshots": len(snapshots), "file": name, "bytes": size, "sha256": digest,
            "version": version, "init": "init_parameters" in settings}


def check_snapshot(snap, i, k, n, d, version=2):
    """Check snapshot ``i``'s fields against k, n, d; returns its epoch.

    Format version 1 holds the covariances here; version 2 in the array file (:func:`check_array_values`).
    """
    where = f"snapshots[{i}]"
    if not isinstance(snap, dict):
        raise Malformed(f"{where} is not an object")
    epoch = _int(snap, "epoch", f"{where}.epoch", 0, MAX_COUNT)
    _floats(snap.get("means"), (k, d), f"{where}.means")
    if version >= 2:
        if "covariances" in snap:
            raise Malformed(f"{where}.covariances belong in the array file (format version 2)")
    else:
        check_covariances(_floats(snap.get("covariances"), (k, d, d), f"{where}.covariances"), where)
    weights = _floats(snap.get("weights"), (k,), f"{where}.weights")
    if (weights < 0).any() or abs(weights.sum() - 1) > 1e-6:
        raise Malformed(f"{where}.weights are not shares (non-negative, summing to 1)")
    counts = _numbers(snap.get("counts"), (k,), f"{where}.counts", kinds="i")
    if (counts < 0).any() or counts.sum() != n:
        raise Malformed(f"{where}.counts are not point counts summing to data.n = {n}")
    log_likelihood = snap.get("log_likelihood")
    if not _is_number(log_likelihood) or not math.isfinite(log_likelihood):
        raise Malformed(f"{where}.log_likelihood is {_short(log_likelihood)}; it must be a finite number")
    events = snap.get("events", [])
    if not isinstance(events, list):
        raise Malformed(f"{where}.events must be a list")
    for event in events:
        if not isinstance(event, dict) or event.get("type") not in EVENT_TYPES or not isinstance(event.get("message"), str):
            raise Malformed(f"{where}.events hold an entry that is not an event ({', '.join(EVENT_TYPES)} with a message)")
        if "component" in event and (not _is_int(event["component"]) or not 0 <= event["component"] < k):
            raise Malformed(f"{where}.events name component {_short(event['component'])}, not one of 0 to {k - 1}")
    return epoch


def check_covariances(covariances, where):
    """Covariance matrices (k×d×d, finite) that are symmetric and positive definite, as a fit makes them."""
    scale = np.abs(covariances).max()
    if not np.allclose(covariances, covariances.transpose(0, 2, 1), rtol=1e-6, atol=1e-12 * scale):
        raise Malformed(f"{where}.covariances are not symmetric")
    try:
        np.linalg.cholesky(covariances)
    except np.linalg.LinAlgError:
        raise Malformed(f"{where}.covariances are not positive definite") from None


def _check_settings(settings):
    """Check the fit options a report and player print; returns max_iter (None when absent).

    Each is optional (older or hand-made histories may lack one), but when
    present it must be what vizgmm.params accepts: a page must never say
    "stopped after 10 of at most x epochs".
    """
    max_iter = None
    if "max_iter" in settings:
        max_iter = _int(settings, "max_iter", "settings.max_iter", 0, MAX_COUNT)
    for key in ("tol", "reg_covar"):
        if key in settings:
            value = settings[key]
            if not _is_number(value) or not math.isfinite(value) or value < 0:
                raise Malformed(f"settings.{key} is {_short(value)}; it must be a number of at least 0")
    if "keep_responsibilities" in settings and not isinstance(settings["keep_responsibilities"], bool):
        raise Malformed(f"settings.keep_responsibilities is {_short(settings['keep_responsibilities'])}; "
                        "it must be true or false")
    for key in ("component_order", "init_source", "engine", "estimator"):
        if key in settings and not isinstance(settings[key], str):
            raise Malformed(f"settings.{key} is {_short(settings[key])}; it must be text")
    return max_iter


def _check_meta(meta, k, d):
    if not isinstance(meta, dict):
        raise Malformed("meta must be an object")
    for key in ("title", "source", "command"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise Malformed(f"meta.{key} is {_short(meta[key])}; it must be text")
    for key, count in (("component_names", k), ("feature_names", d)):
        names = meta.get(key)
        if names is None:
            continue
        if not isinstance(names, list) or not all(isinstance(s, str) for s in names) or len(names) != count:
            raise Malformed(f"meta.{key} must be a list of {count} texts")
        limit = MAX_COMPONENT_NAME if key == "component_names" else MAX_NAME
        for j, name in enumerate(names):
            check_label(name, f"meta.{key}[{j}]", limit, Malformed)
    # The labels' one rule (vizgmm.text): a saved title reaches the page, the frames and the terminal too.
    if meta.get("title") is not None:
        check_label(meta["title"], "meta.title", MAX_TITLE, Malformed)
    # [dropped, read]: rows --dropna left out of the file's (the report says so).
    dropped = meta.get("rows_dropped")
    if dropped is not None and not (isinstance(dropped, list) and len(dropped) == 2
                                    and all(type(v) is int for v in dropped) and 0 < dropped[0] < dropped[1] <= 2**63):
        raise Malformed(f"meta.rows_dropped is {_short(dropped)}; it must be [dropped, read], two whole numbers "
                        "with 0 < dropped < read")
    # A root seed is up to 128 bits (SeedSequence entropy); restarts are counted, so they are small.
    if meta.get("seed") is not None:
        _int(meta, "seed", "meta.seed", 0, 2**128)
    if meta.get("n_init") is not None:
        _int(meta, "n_init", "meta.n_init", 1, MAX_COUNT)
    if meta.get("restart") is not None:
        _int(meta, "restart", "meta.restart", 0, meta["n_init"] if meta.get("n_init") is not None else MAX_COUNT)


# -- the array file ---------------------------------------------------------------------
def array_shapes(facts):
    """The shape and dtype kinds each array of the side file must have: {name: (shape, kinds)}."""
    k, n, d, s = facts["k"], facts["n"], facts["d"], facts["snapshots"]
    shapes = {
        "X": ((n, d), "f"),
        "labels": ((s, n), LABEL_KINDS),
        "responsibilities": ((s, n, k), "f"),
        "true_labels": ((n,), TRUE_LABEL_KINDS),
    }
    if facts.get("version", 1) >= 2:
        shapes["covariances"] = ((s, k, d, d), "f")
        if facts.get("init"):
            shapes["init_covariances"] = ((k, d, d), "f")
    return shapes


def required_arrays(facts):
    """The arrays the side file must hold: X and labels; from version 2 the covariances too."""
    if facts.get("version", 1) < 2:
        return ("X", "labels")
    return ("X", "labels", "covariances", *(("init_covariances",) if facts.get("init") else ()))


def check_array_headers(blob_file, facts):
    """Check the npz's members against the JSON before any array is read (so before it is allocated).

    Each member must be one of the known arrays, with the shape the JSON
    implies, a plain dtype, and a zip entry whose stated size is exactly that
    array's, so a small file cannot expand into a large allocation.
    """
    expected = array_shapes(facts)
    try:
        with zipfile.ZipFile(blob_file) as archive:
            names = {}
            for info in archive.infolist():
                name = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
                if name not in expected:
                    raise Malformed(f"the array file holds an unknown array {name!r}")
                shape, kinds = expected[name]
                with archive.open(info) as member:
                    version = np.lib.format.read_magic(member)
                    if version == (1, 0):
                        found, fortran, dtype = np.lib.format.read_array_header_1_0(member)
                    elif version in ((2, 0), (3, 0)):
                        found, fortran, dtype = np.lib.format.read_array_header_2_0(member)
                    else:
                        raise Malformed(f"array {name} has an unknown .npy version {version}")
                    header = member.tell()
                if tuple(found) != shape:
                    raise Malformed(f"array {name} has shape {tuple(found)}, but the JSON says {shape}")
                if dtype.kind not in kinds or dtype.hasobject or (dtype.kind == "f" and dtype.itemsize not in (4, 8)):
                    raise Malformed(f"array {name} has type {dtype}, which a history never holds")
                if info.file_size != header + math.prod(shape) * dtype.itemsize:
                    raise Malformed(f"array {name}'s zip entry states a size that does not match its header")
                names[name] = dtype
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise Malformed(f"the array file is not a readable npz ({type(exc).__name__})") from None
    for required in required_arrays(facts):
        if required not in names:
            raise Malformed(f"the array file lacks the array {required}")
    if names["labels"].itemsize < 8 and facts["k"] > 2 ** (8 * names["labels"].itemsize):
        raise Malformed(f"labels of type {names['labels']} cannot name {facts['k']} components")
    return names


def check_array_values(arrays, labels, counts, k):
    """Values the headers cannot vouch for: finite data, labels naming components, counts matching labels."""
    if not np.isfinite(arrays["X"]).all():
        raise Malformed("array X holds NaN or infinite values")
    if labels.size and labels.max() >= k:
        raise Malformed(f"labels name component {int(labels.max())}, but k = {k}")
    for i, row in enumerate(labels):
        if not np.array_equal(np.bincount(row, minlength=k), counts[i]):
            raise Malformed(f"snapshots[{i}].counts do not match its labels")
    resp = arrays.get("responsibilities")
    if resp is not None and not (np.isfinite(resp).all() and (resp >= 0).all() and (resp <= 1 + 1e-6).all()):
        raise Malformed("array responsibilities holds values outside 0 to 1")
    true_labels = arrays.get("true_labels")
    if true_labels is not None and true_labels.dtype.kind == "f" and not np.isfinite(true_labels).all():
        raise Malformed("array true_labels holds NaN or infinite values")
    for name in ("covariances", "init_covariances"):
        if name in arrays and not np.isfinite(arrays[name]).all():
            raise Malformed(f"array {name} holds NaN or infinite values")
    if "init_covariances" in arrays:
        check_covariances(arrays["init_covariances"], "settings.init_parameters")
    for i, covariances in enumerate(arrays.get("covariances", ())):
        check_covariances(covariances, f"snapshots[{i}]")


# -- small helpers ----------------------------------------------------------------------
def _bare_name(name):
    return (
        0 < len(name) <= 255 and name not in (".", "..") and "/" not in name and "\\" not in name
        and "\0" not in name and os.path.basename(name) == name
    )


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _dict(parent, key, name=None):
    value = parent.get(key)
    if not isinstance(value, dict):
        raise Malformed(f"{name or key} is missing or not an object")
    return value


def _int(parent, key, name, low, high):
    value = parent.get(key)
    if not _is_int(value) or not low <= value < high:
        raise Malformed(f"{name} is {_short(value)}; it must be a whole number from {low:,} to {high - 1:,}")
    return value


def _numbers(value, shape, name, kinds="if"):
    """A nested list of plain numbers of exactly ``shape`` as an array (strings, bools, huge ints refused)."""
    try:
        array = np.asarray(value)
    except (ValueError, TypeError, OverflowError):
        array = None
    if array is None or array.shape != shape or array.dtype.kind not in kinds:
        wanted = "×".join(map(str, shape))
        raise Malformed(f"{name} must be {wanted} {'whole numbers' if kinds == 'i' else 'numbers'}")
    return array


def _floats(value, shape, name):
    array = _numbers(value, shape, name).astype(float)
    if not np.isfinite(array).all():
        raise Malformed(f"{name} holds a value that is not finite")
    return array
