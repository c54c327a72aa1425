"""Issue 26, data side: CSV line breaks, numeric headers, strict numbers, long lines, API arrays, memory."""

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


# -- fault 11: column numbers and digits that are not ASCII ----------------------------------------
@pytest.mark.parametrize("key", ["²", "١", "٣", "+²"])
def test_column_given_as_non_ascii_digit_is_a_clear_option_error(tmp_path, key):
    path = write(tmp_path, "two.csv", "a,b\n1,2\n3,4\n5,7\n")
    with pytest.raises(OptionError, match="not found"):
        load(path, column=key)


@pytest.mark.parametrize("value, hint", [("١٢", "0-9"), ("1_000", "_"), ("²", "0-9"), ("٣.٥", "0-9")])
def test_digits_float_reads_but_a_data_file_does_not_mean_are_refused(tmp_path, value, hint):
    # float('١٢') == 12.0 and float('1_000') == 1000.0; numpy's str -> float cast reads them the same way.
    path = write(tmp_path, "odd.csv", f"x\n1.5\n2.5\n{value}\n3.5\n")
    with pytest.raises(DataError) as info:
        load(path)
    message = str(info.value)
    assert "line 4" in message and repr(value) in message and hint in message


def test_a_column_with_arabic_indic_digits_is_text_not_the_default_number_column(tmp_path):
    path = write(tmp_path, "mixed.csv", "code,size\n١٢,240\n١٣,250\n١٤,260\n")
    X, names, _, _, notes = load(path)
    assert names == ["size"] and X.tolist() == [240.0, 250.0, 260.0]


def test_arabic_indic_labels_stay_text_and_do_not_merge_with_ascii_numbers(tmp_path):
    path = write(tmp_path, "lab.csv", "x,c\n1,12\n2,١٢\n3,12\n")
    _, _, labels, _, _ = load(path, column="x", labels_column="c")
    assert labels.tolist() == ["12", "١٢", "12"]


# -- fault 6: only \n, \r\n and \r end a CSV line ----------------------------------------------------
def test_byte_0x85_inside_a_line_is_not_a_line_break(tmp_path):
    # 0x85 is not UTF-8, so the file is read through the Latin-1 fallback, where it is U+0085 (NEL).
    path = write(tmp_path, "nel.csv", b"value\n1.0\n2.0\x853.0\n4.0\n5.0\n")
    with pytest.raises(DataError) as info:
        load(path)
    assert "line 3" in str(info.value)  # one bad value on line 3, not 5 points from 4 data lines


def test_cp1252_ellipsis_in_a_label_is_kept(tmp_path):
    path = write(tmp_path, "win.csv", "x,kind\n1,other…\n2,plain\n3,other…\n".encode("cp1252"))
    X, _, labels, _, notes = load(path, column="x", labels_column="kind")
    assert X.tolist() == [1.0, 2.0, 3.0]
    assert labels.tolist() == ["other…", "plain", "other…"]
    assert any("Latin-1" in n and "line 2" in n for n in notes)


@pytest.mark.parametrize("char", ["\u2028", "\u2029"])
def test_unicode_line_separators_in_a_header_name_stay_in_the_name(tmp_path, char):
    name = f"a{char}b"
    path = write(tmp_path, "sep.csv", f"{name},y\n1,2\n3,4\n5,6\n")
    X, names, _, _, _ = load(path, column=name)
    assert names == [name] and X.tolist() == [1.0, 3.0, 5.0]


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"])
def test_control_characters_in_a_header_name_are_named_not_split_at(tmp_path, char):
    # Not line breaks (the line stays whole), and control characters: the labels' rule refuses them (issue 26 #13).
    path = write(tmp_path, "sep.csv", f"a{char}b,y\n1,2\n3,4\n5,6\n")
    with pytest.raises(DataError, match=f"column 1 of .*U\\+{ord(char):04X}"):
        load(path)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_numbers_in_errors_count_only_real_line_breaks(tmp_path, eol):
    text = eol.join(["x", "1.0", "2.0\x0c", "bad", "3.0"]) + eol
    path = write(tmp_path, "ff.csv", text)
    with pytest.raises(DataError) as info:
        load(path)
    assert "line 4" in str(info.value) and "'bad'" in str(info.value)


def test_non_utf8_note_counts_lone_cr_lines(tmp_path):
    path = write(tmp_path, "mac.csv", b"x,n\r1,a\r2,\xe9\r")
    _, _, _, _, notes = load(path, column="x")
    assert any("line 3" in n for n in notes)


# -- fault 9: a line longer than the csv module's 131,072-character field limit ------------------------
@pytest.mark.parametrize("quoted", [False, True])
def test_a_line_longer_than_the_csv_field_limit_is_read(tmp_path, quoted):
    import csv

    long_name = "n" * 300_000
    cell = f'"{long_name}"' if quoted else long_name
    path = write(tmp_path, "long.csv", f"x,name\n1.5,{cell}\n2.5,b\n3.5,c\n")
    limit = csv.field_size_limit()
    X, _, labels, _, _ = load(path, column="x", labels_column="name")
    assert X.tolist() == [1.5, 2.5, 3.5] and labels[0] == long_name
    assert csv.field_size_limit() == limit  # the process-wide limit is put back


def test_a_single_very_long_line_of_numbers_is_read(tmp_path):
    path = write(tmp_path, "wide.csv", ",".join(["1.5"] * 60_000) + "\n")
    X, _, _, _, _ = load(path, columns="1,2")
    assert X.shape == (1, 2)


# -- fault 8: the Python API must not change the data silently -----------------------------------------
def test_api_refuses_complex_data():
    from vizgmm import fit

    X = np.array([1 + 5j, 2 + 1j, 3 - 2j, 8 + 0j, 9 + 1j, 10 + 3j])
    with pytest.raises(DataError, match="complex"):
        fit(X, k=2, seed=0)


def test_api_refuses_masked_values_and_accepts_a_mask_that_hides_nothing():
    from vizgmm import fit

    data = np.array([1.0, 2.0, 3.0, 8.0, 9.0, 10.0, 1e6])
    masked = np.ma.masked_array(data, mask=[0, 0, 0, 0, 0, 0, 1])
    with pytest.raises(DataError, match="masked"):
        fit(masked, k=2, seed=0)
    nothing_hidden = np.ma.masked_array(data[:6], mask=False)
    history = fit(nothing_hidden, k=2, seed=0)
    assert history.n == 6 and np.array_equal(history.X[:, 0], data[:6])


# -- fault 7: a header of numbers; thousands separators --------------------------------------------------
def test_a_header_of_years_over_decimals_is_a_header_with_a_note(tmp_path):
    rng = np.random.default_rng(0)
    body = rng.normal([5, 50], [1, 5], size=(100, 2)).round(2)
    path = write(tmp_path, "years.csv", "2019,2020\n" + "".join(f"{a:.2f},{b:.2f}\n" for a, b in body))
    X, names, _, _, notes = load(path, columns="2019,2020")
    assert X.shape == (100, 2) and names == ["2019", "2020"]
    np.testing.assert_array_equal(X, body)
    assert any("column names" in n and "2019" in n for n in notes)


def test_whole_numbers_over_whole_numbers_stay_data_with_a_note_when_far_out(tmp_path):
    path = write(tmp_path, "counts.csv", "2019,2020\n" + "".join(f"{i},{i + 1}\n" for i in range(50)))
    X, names, _, _, notes = load(path, columns="1,2")
    assert X.shape == (51, 2) and X[0].tolist() == [2019.0, 2020.0]
    assert any("as data" in n and "2019" in n for n in notes)


def test_a_first_row_of_whole_numbers_inside_the_range_is_plain_data(tmp_path):
    path = write(tmp_path, "plain.csv", "240\n240.5\n238.25\n251.5\n230.75\n")
    X, _, _, _, notes = load(path)
    assert X.tolist() == [240.0, 240.5, 238.25, 251.5, 230.75] and notes == []


def test_semicolon_file_with_a_point_every_three_digits_gets_a_thousands_note(tmp_path):
    path = write(tmp_path, "de.csv", "Preis;Menge\n1.234;2,5\n987;3,5\n2.345;1,0\n")
    X, _, _, _, notes = load(path, column="Preis")
    assert X.tolist() == [1.234, 987.0, 2.345]  # read as written, with the point as the decimal mark
    assert len(notes) == 1 and "'1.234'" in notes[0] and "thousands" in notes[0] and "line 2" in notes[0]


def test_semicolon_file_with_ordinary_decimals_gets_no_thousands_note(tmp_path):
    path = write(tmp_path, "de2.csv", "Preis;Menge\n1,5;2,5\n3.25;3,5\n")
    _, _, _, _, notes = load(path, column="Preis")
    assert notes == []


# -- fault 12: memory of reading a big CSV ---------------------------------------------------------------
PEAK_CHILD = r"""
import sys
from vizgmm.data.loading import load_data
how, path = sys.argv[1], sys.argv[2]
nbytes = load_data(path)[0].nbytes if how == "load" else 0
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(peak * 1024, nbytes)
"""


def test_loading_a_big_csv_peaks_under_three_times_its_array(tmp_path):
    import subprocess
    import sys

    rows = 3_000_000
    values = np.random.default_rng(1).normal(240, 7, rows).round(3)
    path = tmp_path / "big.csv"
    path.write_text("x\n" + "\n".join(map(repr, values.tolist())) + "\n")

    def peak(how):
        out = subprocess.run([sys.executable, "-c", PEAK_CHILD, how, str(path)],
                             capture_output=True, text=True, check=True).stdout.split()
        return int(out[0]), int(out[1])

    base, _ = peak("import")
    loaded, nbytes = peak("load")
    assert nbytes == rows * 8
    assert loaded - base <= 3 * nbytes + 48 * 2**20, (loaded - base) / nbytes


@pytest.mark.parametrize("text, kwargs", [
    ("a;b\n" + "1,5;2\n3,25;4.5\n" * 40_000, {"columns": "a,b"}),
    ("a b c\n" + "1 2 3\n4 5 6.5\n" * 30_000, {"columns": "c,a"}),
    ("x,y\r\n" + "1.5,2\r\n2.5,3\r\n" * 50_000, {"column": "y"}),
    ("1.5\r2.5\r" * 60_000, {}),
])
def test_block_reader_reads_what_the_whole_file_reader_reads(tmp_path, text, kwargs):
    from vizgmm.data import blocks, loading

    path = write(tmp_path, "blocks.csv", text)
    streamed = load(path, **kwargs)
    assert blocks.streamed_columns(path, loading._text_table) is not None  # the block reader took it
    whole = loading.load_data(path, on_note=lambda m: None, labels_column=None, **kwargs)
    legacy_table = loading._text_table(path.read_bytes(), str(path), lambda m: None)
    ids = [legacy_table.index_of(c) for c in (kwargs.get("columns", "").split(",") if "columns" in kwargs else
                                              [kwargs.get("column", 1)])]
    expected = np.column_stack([legacy_table.numbers(j) for j in ids])
    np.testing.assert_array_equal(streamed[0].reshape(len(expected), -1), expected)
    np.testing.assert_array_equal(whole[0], streamed[0])


def test_a_bad_value_after_the_first_block_keeps_its_line_number(tmp_path):
    path = write(tmp_path, "late.csv", "x\n" + "1.5\n" * 400_000 + "oops\n")
    with pytest.raises(DataError) as info:
        load(path)
    assert "line 400002" in str(info.value) and "'oops'" in str(info.value)
