"""History format version 2 (issue 26 #12): covariance matrices live in the npz, the JSON keeps the small numbers.

Version 1 wrote every snapshot's k×d×d covariances into history.json as text (d = 1000, four
snapshots: 212 MB); the loader still reads such files, written here by version 1's own writer.
"""

import hashlib
import io
import json

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

import vizgmm
from vizgmm.model.history_file import _delta_encode, _snapshot_json


def save_version_1(history, path):
    """history.json + history.npz exactly as format version 1 (vizgmm 855e250) wrote them."""
    side = path.with_suffix(".npz")
    arrays = {"X": history.X, "labels": _delta_encode([s.labels for s in history.snapshots])}
    if all(s.responsibilities is not None for s in history.snapshots):
        arrays["responsibilities"] = np.stack([s.responsibilities for s in history.snapshots])
    if history.true_labels is not None:
        arrays["true_labels"] = np.asarray(history.true_labels)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    blob = buffer.getvalue()
    snapshots = []
    for s in history.snapshots:
        out = _snapshot_json(s, history.n)  # version 2's fields; version 1 had the covariances after the means
        snapshots.append({"epoch": out.pop("epoch"), "means": out.pop("means"),
                          "covariances": s.covariances.tolist(), **out})
    doc = {
        "format": "vizgmm-history", "format_version": 1,
        "arrays": {"file": side.name, "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()},
        "versions": history.versions, "settings": history.settings,
        "data": {"n": history.n, "d": history.d}, "meta": history.meta, "snapshots": snapshots,
    }
    side.write_bytes(blob)
    path.write_text(json.dumps(doc, indent=1, allow_nan=False, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def wide():
    rng = np.random.default_rng(0)
    x = np.r_[rng.normal(0, 1, (60, 40)), rng.normal(3, 1, (60, 40))]
    return vizgmm.fit(x, 2, seed=0, max_iter=3, tol=0)


@pytest.fixture(scope="module")
def explicit():
    x = np.r_[np.linspace(1, 20, 25), np.linspace(30, 50, 25)]
    return vizgmm.fit(x, 2, init={"means": [5.0, 40.0], "covariances": [[[9.0]], [[16.0]]], "weights": [0.5, 0.5]},
                      max_iter=4, keep_responsibilities=True)


def _same(a, b):
    assert len(a) == len(b) and a.settings == b.settings and a.meta == b.meta
    for s, t in zip(a.snapshots, b.snapshots):
        assert s.epoch == t.epoch and s.log_likelihood == t.log_likelihood
        for name in ("means", "covariances", "weights", "labels", "counts"):
            np.testing.assert_array_equal(getattr(s, name), getattr(t, name))  # the same bits


def test_the_json_holds_no_covariance_matrix_and_is_small(wide, tmp_path):
    json_path, npz_path = wide.save(tmp_path / "history.json")
    doc = json.loads(json_path.read_text())
    assert doc["format_version"] == 2
    assert all("covariances" not in s for s in doc["snapshots"]) and "stds" not in doc["snapshots"][0]
    with np.load(npz_path) as npz:
        assert npz["covariances"].shape == (len(wide), 2, 40, 40)
    (tmp_path / "old").mkdir()
    old = save_version_1(wide, tmp_path / "old" / "history.json")
    # 4 snapshots of 2 × 40 × 40 matrices were 90% of version 1's JSON.
    assert json_path.stat().st_size * 5 < old.stat().st_size


@pytest.mark.parametrize("which", ["wide", "explicit"])
def test_save_and_load_give_back_the_same_bits(which, request, tmp_path):
    history = request.getfixturevalue(which)
    json_path, _ = history.save(tmp_path / "history.json")
    if which == "explicit":
        assert "covariances" not in json.loads(json_path.read_text())["settings"]["init_parameters"]
    _same(vizgmm.History.load(json_path), history)


@pytest.mark.parametrize("which", ["wide", "explicit"])
def test_a_version_1_history_still_loads_and_plays(which, request, tmp_path):
    history = request.getfixturevalue(which)
    path = save_version_1(history, tmp_path / "history.json")
    assert json.loads(path.read_text())["snapshots"][0]["covariances"]
    _same(vizgmm.History.load(path), history)
    run(tmp_path, "player", "history.json", "--quiet")
    assert (tmp_path / "player.html").stat().st_size > 0


def _rewrite_arrays(folder, change):
    with np.load(folder / "history.npz") as npz:
        arrays = {name: npz[name] for name in npz.files}
    change(arrays)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    blob = buffer.getvalue()
    (folder / "history.npz").write_bytes(blob)
    doc = json.loads((folder / "history.json").read_text())
    doc["arrays"].update(bytes=len(blob), sha256=hashlib.sha256(blob).hexdigest())
    (folder / "history.json").write_text(json.dumps(doc))


def _negative(arrays):
    arrays["covariances"][1, 0, 0, 0] = -4.0


def _asymmetric(arrays):
    arrays["covariances"][0, 1, 0, 1] += 1.0


def _nan(arrays):
    arrays["covariances"][2, 0, 3, 3] = np.nan


def _missing(arrays):
    del arrays["covariances"]


def _wrong_shape(arrays):
    arrays["covariances"] = arrays["covariances"][:, :, :10, :10]


def _init_missing(arrays):
    del arrays["init_covariances"]


@pytest.mark.parametrize("which, change, words", [
    ("wide", _negative, ("snapshots[1].covariances", "positive definite")),
    ("wide", _asymmetric, ("snapshots[0].covariances", "symmetric")),
    ("wide", _nan, ("covariances", "NaN")),
    ("wide", _missing, ("lacks the array covariances",)),
    ("wide", _wrong_shape, ("covariances", "shape")),
    ("explicit", _init_missing, ("init_covariances",)),
])
def test_the_npz_covariances_get_every_check_the_json_ones_had(which, change, words, request, tmp_path):
    request.getfixturevalue(which).save(tmp_path / "history.json")
    _rewrite_arrays(tmp_path, change)
    proc = run(tmp_path, "player", "history.json", check=False)
    assert_one_line_error(proc, "history.json", *words)
    assert not (tmp_path / "player.html").exists()


def test_covariances_in_a_version_2_json_are_refused(wide, tmp_path):
    wide.save(tmp_path / "history.json")
    doc = json.loads((tmp_path / "history.json").read_text())
    doc["snapshots"][0]["covariances"] = wide[0].covariances.tolist()
    (tmp_path / "history.json").write_text(json.dumps(doc))
    proc = run(tmp_path, "player", "history.json", check=False)
    assert_one_line_error(proc, "snapshots[0].covariances", "array file")
