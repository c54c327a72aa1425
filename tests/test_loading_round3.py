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
