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
