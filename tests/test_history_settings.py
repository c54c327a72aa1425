"""Issue 26, fault 14: a saved history's settings are checked on load, like its arrays are."""

import json

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

from vizgmm import HistoryFileError, fit
from vizgmm.model.history import History


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hist")
    X = np.r_[np.linspace(0, 3, 40), np.linspace(10, 13, 40)]
    history = fit(X, k=2, seed=0, tol=0, max_iter=12)
    path, _ = history.save(folder / "history.json")
    return path, json.loads(path.read_text(encoding="utf-8")), len(history)


def tampered(saved, tmp_path, change):
    path, doc, _ = saved
    doc = json.loads(json.dumps(doc))
    change(doc)
    target = tmp_path / "history.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "history.npz").write_bytes(path.with_suffix(".npz").read_bytes())
    return target


def spread_epochs(doc):
    for i, snap in enumerate(doc["snapshots"]):
        snap["epoch"] = 1000 * i
    doc["settings"]["max_iter"] = 10**6


CASES = {
    "max_iter text": (lambda doc: doc["settings"].update(max_iter="x"), "settings.max_iter"),
    "max_iter object": (lambda doc: doc["settings"].update(max_iter={"a": 1}), "settings.max_iter"),
    "max_iter negative": (lambda doc: doc["settings"].update(max_iter=-1), "settings.max_iter"),
    "max_iter huge": (lambda doc: doc["settings"].update(max_iter=2**100), "settings.max_iter"),
    "max_iter bool": (lambda doc: doc["settings"].update(max_iter=True), "settings.max_iter"),
    "max_iter below the epochs": (lambda doc: doc["settings"].update(max_iter=3), "settings.max_iter"),
    "tol list": (lambda doc: doc["settings"].update(tol=[0.1]), "settings.tol"),
    "tol text": (lambda doc: doc["settings"].update(tol="0.1"), "settings.tol"),
    "tol negative": (lambda doc: doc["settings"].update(tol=-1e-3), "settings.tol"),
    "reg_covar negative": (lambda doc: doc["settings"].update(reg_covar=-1), "settings.reg_covar"),
    "keep_responsibilities text": (lambda doc: doc["settings"].update(keep_responsibilities="yes"),
                                   "settings.keep_responsibilities"),
    "n_init huge": (lambda doc: doc["meta"].update(n_init=2**100), "meta.n_init"),
    "n_init zero": (lambda doc: doc["meta"].update(n_init=0), "meta.n_init"),
    "restart beyond n_init": (lambda doc: doc["meta"].update(n_init=3, restart=3), "meta.restart"),
    "epochs with gaps": (spread_epochs, "epoch"),
    "epochs not from 0": (lambda doc: [s.update(epoch=s["epoch"] + 1) for s in doc["snapshots"]], "epoch"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_setting_is_a_one_line_history_error(saved, tmp_path, case):
    change, field = CASES[case]
    path = tampered(saved, tmp_path, change)
    with pytest.raises(HistoryFileError) as info:
        History.load(path)
    message = str(info.value)
    assert field in message and "\n" not in message


def test_the_untampered_history_and_a_128_bit_seed_load(saved, tmp_path):
    # A seed drawn when none is given is SeedSequence entropy: up to 128 bits, so 2**127 is a real seed.
    path = tampered(saved, tmp_path, lambda doc: doc["settings"].update(seed=2**127))
    history = History.load(path)
    assert history.settings["seed"] == 2**127 and len(history) == saved[2]


@pytest.mark.parametrize("command", ["report", "player"])
def test_cli_exits_2_on_a_bad_setting(saved, tmp_path, command):
    path = tampered(saved, tmp_path, lambda doc: doc["settings"].update(max_iter="x"))
    proc = run(tmp_path, command, path, "-o", tmp_path / "out.html", check=False)
    assert_one_line_error(proc, "settings.max_iter")
    assert not (tmp_path / "out.html").exists()
