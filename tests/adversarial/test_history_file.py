"""Attack 3: a crafted history file must be refused in one line, fast, without a large allocation.

Each case edits the demo's real history.json (and, where it says so, history.npz, with
arrays.bytes and arrays.sha256 updated so that only the named field is wrong) and runs
`vizgmm render` on it in a real process.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run


def edit_json(folder, change):
    doc = json.loads((folder / "history.json").read_text(encoding="utf-8"))
    change(doc)
    (folder / "history.json").write_text(json.dumps(doc), encoding="utf-8")


def replace_arrays(folder, blob):
    """Put ``blob`` in history.npz and declare its true size and hash, so only its content is wrong."""
    (folder / "history.npz").write_bytes(blob)
    edit_json(folder, lambda doc: doc["arrays"].update(bytes=len(blob), sha256=hashlib.sha256(blob).hexdigest()))


def arrays_of(folder):
    with np.load(folder / "history.npz") as npz:
        return {name: npz[name] for name in npz.files}


def npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def set_path(doc, keys, value):
    for key in keys[:-1]:
        doc = doc[key]
    doc[keys[-1]] = value


JSON_EDITS = {
    # Fields that used to crash with exit 1 "internal error".
    "epoch-infinity": (["snapshots", 1, "epoch"], float("inf")),
    "counts-2-to-the-70": (["snapshots", 0, "counts"], [2**70, 0]),
    "means-wrong-length": (["snapshots", 0, "means"], [[1.0], [2.0], [3.0]]),
    "string-for-a-number": (["snapshots", 0, "weights"], ["0.5", "0.5"]),
    "settings-empty": (["settings"], {}),
    # Values that used to be accepted and drawn.
    "nan-mean": (["snapshots", 0, "means"], [[float("nan")], [250.0]]),
    "negative-covariance": (["snapshots", 0, "covariances"], [[[-4.0]], [[9.0]]]),
    "format-version-minus-5": (["format_version"], -5),
    "k-a-billion": (["settings", "k"], 10**9),
    "arrays-file-outside": (["arrays", "file"], "../outside/history.npz"),
}


@pytest.mark.parametrize("case", sorted(JSON_EDITS))
def test_crafted_json_field_is_one_line_error(run_copy, case):
    keys, value = JSON_EDITS[case]
    if case == "arrays-file-outside":
        outside = run_copy.parent / "outside"
        outside.mkdir()
        (outside / "history.npz").write_bytes((run_copy / "history.npz").read_bytes())
    edit_json(run_copy, lambda doc: set_path(doc, keys, value))
    proc = run(run_copy, "render", "history.json", "--no-mp4", "--out", "new", check=False, timeout=120)
    assert_one_line_error(proc, "history.json")
    assert not (run_copy / "new").exists()


def test_deeply_nested_json_is_one_line_error(run_copy):
    (run_copy / "history.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    proc = run(run_copy, "render", "history.json", "--no-mp4", check=False, timeout=120)
    assert_one_line_error(proc, "history.json", "nested")


def test_arrays_file_naming_a_device_is_refused(run_copy):
    # /dev/zero used to be read until MemoryError.
    edit_json(run_copy, lambda doc: doc["arrays"].update(file="/dev/zero"))
    proc = run(run_copy, "render", "history.json", "--no-mp4", check=False, timeout=120)
    assert_one_line_error(proc, "arrays.file", "bare name")


def test_arrays_file_that_is_a_fifo_does_not_hang(run_copy):
    (run_copy / "history.npz").unlink()
    os.mkfifo(run_copy / "history.npz")
    # A hang is a TimeoutExpired here, which fails the test.
    proc = run(run_copy, "render", "history.json", "--no-mp4", check=False, timeout=120)
    assert_one_line_error(proc, "history.npz", "not a regular file")


def test_arrays_file_larger_than_declared_is_not_read(run_copy):
    with open(run_copy / "history.npz", "ab") as handle:
        handle.write(b"\0" * 1_000_000)
    proc = run(run_copy, "render", "history.json", "--no-mp4", check=False, timeout=120)
    assert_one_line_error(proc, "history.npz", "larger")


def test_float_labels_are_refused(run_copy):
    arrays = arrays_of(run_copy)
    arrays["labels"] = arrays["labels"].astype(float)
    replace_arrays(run_copy, npz_bytes(arrays))
    proc = run(run_copy, "render", "history.json", "--no-mp4", "--out", "new", check=False, timeout=120)
    assert_one_line_error(proc, "history.json", "labels")
    assert not (run_copy / "new").exists()


def test_labels_beyond_k_are_refused(run_copy):
    arrays = arrays_of(run_copy)
    arrays["labels"][0, 0] = 7  # k = 2
    replace_arrays(run_copy, npz_bytes(arrays))
    proc = run(run_copy, "render", "history.json", "--no-mp4", "--out", "new", check=False, timeout=120)
    assert_one_line_error(proc, "history.json", "label")
    assert not (run_copy / "new").exists()


def test_small_npz_declaring_a_huge_array_is_refused_before_allocating(run_copy):
    """A 400 MB array of zeros in a ~400 KB npz: refused on its header, the process stays small."""
    arrays = arrays_of(run_copy)
    rows = 50_000_000
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (rows, 1)})
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("X.npy", "w", force_zip64=True) as member:
            member.write(header.getvalue())
            chunk = bytes(8 * 1_000_000)
            for _ in range(rows // 1_000_000):
                member.write(chunk)
        for name in ("labels",):
            with archive.open(f"{name}.npy", "w") as member:
                np.lib.format.write_array(member, arrays[name])
    assert len(blob.getvalue()) < 1_000_000
    replace_arrays(run_copy, blob.getvalue())
    # Report the process's own peak memory: the refusal must come before the 400 MB array exists.
    # VmHWM, not ru_maxrss: Linux carries the parent's high-water mark into ru_maxrss across exec
    # (a vfork'd child from a pytest process grown to 600 MB reported 594 MB).
    script = (
        "import sys\n"
        "from vizgmm.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:')][0]\n"
        "print(hwm.split()[1])\n"
        "sys.exit(status)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, "render", "history.json", "--no-mp4"],
        cwd=run_copy, capture_output=True, text=True, timeout=120,
    )
    assert_one_line_error(proc, "history.json", "X")
    peak_mb = int(proc.stdout.split()[-1]) / 1024
    assert peak_mb < 300, f"peak memory {peak_mb:.0f} MB: the declared array was allocated"
