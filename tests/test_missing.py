"""Missing values (issue 20): NA cells stop a fit with a one-line error unless --dropna drops their rows
with a note; a blank or NA label is missing, never a class named "".

The data are the first 20 rows of the Palmer penguins (Horst, Hill & Gorman, 2020), as R's
palmerpenguins writes them: one row all NA, four rows with no sex (NA or empty).
"""

from pathlib import Path

import numpy as np
import pytest
from cli_helpers import assert_one_line_error, run

from vizgmm.data.loading import load_data
from vizgmm.errors import DataError
from vizgmm.model.history import History

PENGUINS = Path(__file__).parent / "corpus" / "penguins_head.csv"
COLUMNS = ["bill_length_mm", "bill_depth_mm"]


def test_missing_values_are_an_error_naming_how_many_and_the_option():
    with pytest.raises(DataError, match=r"1 of 20 rows .* missing value .*line 5.*--dropna"):
        load_data(PENGUINS, columns=COLUMNS)


def test_dropna_drops_incomplete_rows_and_says_how_many():
    notes = []
    X, names, labels, _ = load_data(PENGUINS, columns=COLUMNS, dropna=True, on_note=notes.append)
    assert X.shape == (19, 2) and names == COLUMNS
    assert labels is None
    assert not np.isnan(X).any()
    assert any("dropped 1 of 20 rows" in note for note in notes), notes
    # The row kept after the dropped one is the file's 5th data row.
    assert X[3].tolist() == [36.7, 19.3]


def test_a_blank_or_na_label_is_missing_not_a_class():
    notes = []
    X, _, labels, _ = load_data(PENGUINS, columns=COLUMNS, labels_column="sex", dropna=True, on_note=notes.append)
    assert sorted(set(labels.tolist())) == ["female", "male"]
    assert len(X) == len(labels) == 15
    assert any("dropped 5 of 20 rows" in note and "'sex' 5" in note for note in notes), notes
    with pytest.raises(DataError, match=r"5 of 20 rows .*'sex' 5"):
        load_data(PENGUINS, columns=COLUMNS, labels_column="sex")


def test_nan_in_a_npy_array_is_missing(tmp_path):
    arr = np.array([[1.0, 2.0], [np.nan, 3.0], [4.0, 5.0], [6.0, 7.0]])
    np.save(tmp_path / "a.npy", arr)
    with pytest.raises(DataError, match="--dropna"):
        load_data(tmp_path / "a.npy", columns=["1", "2"])
    X, _, _, _ = load_data(tmp_path / "a.npy", columns=["1", "2"], dropna=True)
    assert X.tolist() == [[1.0, 2.0], [4.0, 5.0], [6.0, 7.0]]


def test_cli_dropna_fits_the_complete_rows_and_no_class_is_blank(tmp_path):
    proc = run(tmp_path, "fit", PENGUINS, "-k", "2", "--columns", ",".join(COLUMNS), check=False)
    assert_one_line_error(proc, "missing value", "--dropna")
    proc = run(tmp_path, "fit", PENGUINS, "-k", "2", "--columns", ",".join(COLUMNS), "--labels-column", "sex",
               "--dropna", "--no-gif", "--no-mp4", "--no-html", "--out", "out")
    assert "dropped 5 of 20 rows" in proc.stderr
    history = History.load(tmp_path / "out" / "history.json")
    assert history.n == 15
    assert "" not in [str(v) for v in history.true_labels.tolist()]
    assert "" not in (history.meta.get("component_names") or [])


def test_components_are_named_after_classes_only_when_the_match_is_good(walkthrough_data):
    import vizgmm
    from vizgmm.model.ordering import MIN_CLASS_AGREEMENT, ORDER_BY_CLASSES, order_by_classes

    x, sexes = walkthrough_data
    good = vizgmm.fit(x, 2, max_iter=30)
    names = order_by_classes(good, sexes)
    assert names is not None and good.meta["component_names"] == names  # set, not only returned
    assert good.settings["class_agreement"] >= MIN_CLASS_AGREEMENT
    # Labels that do not follow the data (shuffled): about half agree, so no class names.
    shuffled = np.random.default_rng(0).permutation(sexes)
    poor = vizgmm.fit(x, 2, max_iter=30)
    assert order_by_classes(poor, shuffled) is None
    assert poor.settings["class_agreement"] < MIN_CLASS_AGREEMENT
    assert "component_names" not in poor.meta
    assert poor.settings.get("component_order") != ORDER_BY_CLASSES


def test_cli_says_when_a_poor_match_leaves_components_unnamed(tmp_path, walkthrough_data):
    x, sexes = walkthrough_data
    shuffled = np.random.default_rng(0).permutation(sexes)
    with open(tmp_path / "d.csv", "w", encoding="utf-8") as f:
        f.write("x,label\n" + "".join(f"{v},{'ab'[int(c)]}\n" for v, c in zip(x, shuffled)))
    proc = run(tmp_path, "fit", "d.csv", "-k", "2", "--column", "x", "--labels-column", "label",
               "--no-gif", "--no-mp4", "--no-html", "--out", "out")
    assert "not named after the classes" in proc.stdout and "75%" in proc.stdout
    assert "component_names" not in History.load(tmp_path / "out" / "history.json").meta


def test_class_names_longer_than_a_component_name_are_shortened_not_refused(tmp_path):
    # penguins_raw's species: "Chinstrap penguin (Pygoscelis antarctica)" is 41 characters, one over the
    # component-name limit, and the fit stopped with "component name 2 is 41 characters long".
    rng = np.random.default_rng(0)
    species = ["Adelie Penguin (Pygoscelis adeliae)", "Chinstrap penguin (Pygoscelis antarctica)",
               "Gentoo penguin (Pygoscelis papua)"]
    rows = ["Species,Culmen Length (mm),Culmen Depth (mm)"]
    for name, (a, b) in zip(species, [(38.8, 18.3), (48.8, 18.4), (47.5, 15.0)]):
        rows += [f"{name},{x:.1f},{y:.1f}" for x, y in rng.normal([a, b], [2.0, 0.8], (60, 2))]
    data = tmp_path / "raw.csv"
    data.write_text("\n".join(rows) + "\n")
    proc = run(tmp_path, "fit", str(data), "-k", "3", "--columns", "Culmen Length (mm),Culmen Depth (mm)",
               "--labels-column", "Species", "--no-mp4", "--no-html", "--out", "out")
    names = History.load(tmp_path / "out" / "history.json").meta["component_names"]
    assert names == ["Adelie Penguin (Pygoscelis adeliae)", "Chinstrap penguin (Pygoscelis antarctic…",
                     "Gentoo penguin (Pygoscelis papua)"]
    assert "Chinstrap penguin (Pygoscelis antarctic…" in proc.stdout
    assert (tmp_path / "out" / "animation.gif").stat().st_size > 0


def test_long_classes_alike_in_their_first_characters_stay_distinct():
    import vizgmm
    from vizgmm.model.ordering import order_by_classes

    x = np.r_[np.random.default_rng(1).normal(0, 1, 200), np.random.default_rng(2).normal(8, 1, 200)]
    classes = np.repeat(["a very long class name that goes on and on: left", "a very long class name that goes on "
                         "and on: right"], 200)
    names = order_by_classes(vizgmm.fit(x, 2, seed=0), classes)
    assert len(set(names)) == 2 and all(len(name) <= 40 for name in names), names


def test_anneal_takes_dropna_and_every_history_records_the_rows_dropped(tmp_path):
    # `vizgmm anneal --dropna` was accepted and ignored: the run stopped at the missing values it named.
    proc = run(tmp_path, "anneal", PENGUINS, "-k", "2", "--columns", ",".join(COLUMNS), "--dropna",
               "--no-gif", "--no-mp4", "--no-html", "--out", "annealed")
    assert "dropped" in proc.stderr
    assert History.load(tmp_path / "annealed" / "history.json").meta["rows_dropped"] == [1, 20]
    run(tmp_path, "fit", PENGUINS, "-k", "2", "--columns", ",".join(COLUMNS), "--dropna",
        "--no-gif", "--no-mp4", "--no-html", "--out", "fitted")
    history = History.load(tmp_path / "fitted" / "history.json")
    assert history.meta["rows_dropped"] == [1, 20] and history.n == 19


@pytest.mark.parametrize("bad", [[0, 20], [21, 20], [2], "2 of 20", [2.0, 20]])
def test_a_saved_rows_dropped_that_is_not_two_counts_is_refused(tmp_path, bad, walk):
    import json

    walk.save(tmp_path / "history.json")
    saved = json.loads((tmp_path / "history.json").read_text())
    saved["meta"]["rows_dropped"] = bad
    (tmp_path / "history.json").write_text(json.dumps(saved))
    with pytest.raises(Exception, match="rows_dropped"):
        History.load(tmp_path / "history.json")
