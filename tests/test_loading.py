"""Reading data files as `vizgmm fit DATA` does: formats, column choice, and one-line errors."""

import io
import sys

import numpy as np
import pytest

from vizgmm import DataError, OptionError
from vizgmm.data.loading import load_data


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def load(path, **kwargs):
    notes = []
    X, names, labels, source = load_data(path, on_note=notes.append, **kwargs)
    return X, names, labels, source, notes


def test_csv_with_header_picks_named_column_and_text_labels(tmp_path):
    path = write(tmp_path, "feet.csv", "size,sex\n240.5,F\n270.25,M\n238,F\n")
    X, names, labels, source, notes = load(path, column="size", labels_column="sex")
    assert X.tolist() == [240.5, 270.25, 238.0]
    assert names == ["size"]
    assert labels.tolist() == ["F", "M", "F"]  # text classes stay text, for the report and legend
    assert source == str(path)
    assert notes == []


def test_default_column_is_first_numeric_and_says_so(tmp_path):
    path = write(tmp_path, "mixed.csv", "name,size,label\nann,240,0\nbob,270,1\n")
    X, names, labels, _, notes = load(path)
    assert X.tolist() == [240.0, 270.0] and names == ["size"] and labels is None
    assert len(notes) == 1 and "'size'" in notes[0] and "--column" in notes[0]


def test_labels_column_is_skipped_by_the_default_choice(tmp_path):
    path = write(tmp_path, "sim.csv", "label,x\n0,240\n1,270\n")
    X, names, labels, _, _ = load(path, labels_column="label")
    assert names == ["x"] and X.tolist() == [240.0, 270.0] and labels.tolist() == [0, 1]


def test_tsv_bom_and_windows_line_endings(tmp_path):
    path = write(tmp_path, "w.tsv", b"\xef\xbb\xbfa\tb\r\n1.5\t2\r\n3\t4.25\r\n")
    X, names, _, _, _ = load(path, columns="a,b")
    assert names == ["a", "b"]
    assert X.shape == (2, 2) and X.tolist() == [[1.5, 2.0], [3.0, 4.25]]


def test_european_semicolon_csv_reads_decimal_commas(tmp_path):
    # Without a header both ',' and ';' split every line evenly; ';' must win.
    path = write(tmp_path, "eu.csv", "240,5;1\n270,25;2\n")
    X, names, _, _, _ = load(path, column=1)
    assert X.tolist() == [240.5, 270.25]
    assert names == ["column 1"]


def test_columns_by_number_are_one_based(tmp_path):
    path = write(tmp_path, "n.csv", "1,10,100\n2,20,200\n")
    X, names, _, _, _ = load(path, columns=["3", "1"])
    assert X.tolist() == [[100.0, 1.0], [200.0, 2.0]]
    assert names == ["column 3", "column 1"]


def test_plain_text_one_number_per_line_with_comments_and_blank_lines(tmp_path):
    path = write(tmp_path, "x.txt", "# foot sizes\n240\n\n  270.5 \n-3e2\n")
    X, names, _, _, notes = load(path)
    assert X.tolist() == [240.0, 270.5, -300.0] and names == ["value"] and notes == []


def test_whitespace_separated_columns(tmp_path):
    path = write(tmp_path, "ws.txt", "1 2\n3   4\n")
    X, _, _, _, _ = load(path, columns="1,2")
    assert X.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_one_column_whose_header_has_spaces(tmp_path):
    # No separator anywhere: the header is one name, not two space-separated ones.
    path = write(tmp_path, "feet.csv", "foot size (mm)\n240\n 251.5\n270\n")
    X, names, _, _, notes = load(path)
    assert X.tolist() == [240.0, 251.5, 270.0] and names == ["foot size (mm)"]
    assert load(path, columns="foot size (mm)")[0].tolist() == [240.0, 251.5, 270.0]


def test_npy_one_and_two_dimensional(tmp_path):
    np.save(tmp_path / "a.npy", np.array([1.0, 2.0, 3.0]))
    np.save(tmp_path / "b.npy", np.array([[1.0, 0], [2.0, 1], [3.0, 1]]))
    X, names, _, _, _ = load(tmp_path / "a.npy")
    assert X.tolist() == [1.0, 2.0, 3.0] and names == ["value"]
    X, names, labels, _, _ = load(tmp_path / "b.npy", column=1, labels_column=2)
    assert X.tolist() == [1.0, 2.0, 3.0] and labels.tolist() == [0, 1, 1]


def test_npy_of_objects_is_refused_without_unpickling(tmp_path):
    np.save(tmp_path / "o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(DataError, match="Python objects"):
        load_data(tmp_path / "o.npy")


def test_standard_input_text_and_npy(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"size\n1\n2\n")))
    X, names, _, source = load_data("-")
    assert X.tolist() == [1.0, 2.0] and names == ["size"] and source == "standard input"
    buffer = io.BytesIO()
    np.save(buffer, np.array([5.0, 6.0]))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(buffer.getvalue())))
    X, _, _, _ = load_data("-")
    assert X.tolist() == [5.0, 6.0]


def test_latin1_file_is_read_with_a_note(tmp_path):
    path = write(tmp_path, "l.csv", "taille,nom\n170,Jos\xe9\n160,Ann\n".encode("latin-1"))
    X, _, labels, _, notes = load(path, column="taille", labels_column="nom")
    assert X.tolist() == [170.0, 160.0] and labels.tolist() == ["Jos\xe9", "Ann"]
    assert any("Latin-1" in n and "line 2" in n for n in notes)


@pytest.mark.parametrize(
    "content, kwargs, error, words",
    [
        ("a,b\n1,2\n", {"column": "zz"}, OptionError, ["'zz' not found", "available: a, b"]),
        ("a,b\n1,2\n", {"column": "5"}, OptionError, ["out of range", "1 to 2"]),
        ("a,b\n1,2\n3,x\n", {"column": "b"}, DataError, ["line 3", "'b'", "'x' is not a number"]),
        ("a,b\n1,2\n3,\n", {"column": "b"}, DataError, ["line 3", "missing value", "--dropna"]),
        ("a,b\n1,2\n3\n", {"column": "a"}, DataError, ["line 3", "1 fields", "header has 2"]),
        ("a\tb\n1,5\t2\n", {"column": "a"}, DataError, ["decimal commas", "';'"]),
        ("", {}, DataError, ["empty"]),
        ("a,b\nx,y\n", {}, DataError, ["no column of numbers"]),
        ("a,b\n1,2\n", {"column": "a", "columns": "a,b"}, OptionError, ["either --column or --columns"]),
        ("a,b\n1,2\n", {"column": "a", "labels_column": "a"}, OptionError, ["both data and --labels-column"]),
    ],
)
def test_errors_name_the_problem_and_the_fix(tmp_path, content, kwargs, error, words):
    path = write(tmp_path, "d.csv", content)
    with pytest.raises(error) as info:
        load_data(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_data(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="is a folder"):
        load_data(tmp_path)


def test_quoted_fields_may_hold_the_separator(tmp_path):
    path = write(tmp_path, "q.csv", 'name,size\n"Kim, J",240\n"Lee, S", 250.5\n')
    X, names, labels, _, notes = load(path, labels_column="name")
    assert X.tolist() == [240.0, 250.5] and names == ["size"] and labels.tolist() == ["Kim, J", "Lee, S"]


def test_default_column_skips_an_r_style_row_number_column_and_says_which_it_used(tmp_path):
    path = write(tmp_path, "faithful.csv", '"rownames","eruptions","waiting"\n1,3.6,79\n2,1.8,54\n3,3.333,74\n')
    X, names, _, _, notes = load(path)
    assert names == ["eruptions"] and X.tolist() == [3.6, 1.8, 3.333]
    assert any("'eruptions'" in n and "skipped 'rownames'" in n for n in notes)
    unnamed = write(tmp_path, "pandas.csv", ",size\n0,240\n1,250\n2,260\n")
    X, names, _, _, _ = load(unnamed)
    assert names == ["size"]
    # A column that merely counts is data when its name does not say "index".
    counts = write(tmp_path, "counts.csv", "visits,size\n1,240\n2,250\n3,260\n")
    assert load(counts)[1] == ["visits"]
