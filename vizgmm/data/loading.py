"""Reading data files: CSV/TSV (delimiter sniffed), .npy, one number per line, or stdin.

``load_data`` is what ``vizgmm fit DATA`` calls; a notebook user can call it
too. Column choice, by design predictable:

- ``column`` (name or 1-based number) picks one column; ``columns`` picks
  several (2-D and more).
- With neither, a file with one column uses it; a file with several uses its
  first numeric column (leaving out the labels column) and says so through
  ``on_note``.

A first row with text over numbers is a header. A first row of whole numbers
(``2019,2020``) is a header when every value below it is written with a point
or an exponent and each of its numbers lies outside its column's range (years
over measurements); a first row of whole numbers outside the range over whole
numbers stays data, with a note. Digits must be ASCII and without ``_``:
``float`` would read ``1_000`` and ``١٢``, a data file means neither.

Numbers are read with a point as the decimal mark, except in ';'-separated
files, where a decimal comma (``1,5``) is read as 1.5, as European spreadsheet
programs write them. A file that is not UTF-8 is read as Latin-1, with a note.

Missing values: an empty cell, ``NA``, ``NaN``, ``N/A``, ``null``, ``None``,
``?`` or ``.`` (any case), and NaN in a .npy array, is missing — in a data
column and in the labels column alike (a blank label is never a class). By
default a row missing a value in a column the fit uses is an error naming
how many rows are incomplete; ``dropna=True`` (``--dropna``) drops those rows
and says how many through ``on_note``.
"""

import gc
import io
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vizgmm.data.blocks import streamed_columns
from vizgmm.data.lines import (
    SNIFF_ROWS,
    UnclosedQuote,
    _looks_like_header,
    _note_thousands,
    _numeric_header_kind,
    _one_column,
    _quoted_rows,
    _sniff_delimiter,
    split_lines,
)
from vizgmm.data.tables import _ArrayTable, _TextTable
from vizgmm.errors import DataError, OptionError
from vizgmm.text import shown

#: Latin-1's control characters U+0080-U+009F as Windows-1252 prints those bytes ('…' for 0x85):
#: a non-UTF-8 CSV almost always comes from Windows. Bytes 1252 leaves undefined stay as they are.
WINDOWS_1252 = {
    code: char
    for code in range(0x80, 0xA0)
    for char in [bytes([code]).decode("cp1252", errors="ignore")]
    if char
}
NPY_MAGIC = b"\x93NUMPY"
def load_data(path_or_dash: str | os.PathLike, column: str | int | None = None,
              columns: Sequence[str | int] | str | None = None, labels_column: str | int | None = None, *,
              dropna: bool = False, on_note: Callable[[str], Any] | None = None, facts: dict[str, Any] | None = None,
              ) -> tuple[np.ndarray, list[str], np.ndarray | None, str]:
    """Read a data file into a float array, its feature names and optional true labels.

    Parameters
    ----------
    path_or_dash : str or Path
        A CSV/TSV file (header optional), a ``.npy`` array, plain text with one
        number per line, or ``"-"`` for standard input (text or .npy bytes).
    column : str or int, optional
        One column, by header name or 1-based number.
    columns : sequence of str or int, or a "a,b" string, optional
        Several columns (names or 1-based numbers) for 2-D and higher data.
    labels_column : str or int, optional
        A column of true labels (numbers or text), for the report's accuracy.
        A blank or ``NA`` label is missing, not a class.
    dropna : bool, default False
        Drop every row with a missing value in the chosen columns (data or
        labels), with a note saying how many; if False, such a row is a
        DataError that suggests ``--dropna``.
    on_note : callable(str), optional
        Receives one-line notes (which column was chosen, encoding fallback,
        rows dropped).
    facts : dict, optional
        Filled with ``rows_read`` (data rows in the file) and ``rows_dropped``
        (those ``dropna`` dropped), for the report to say what was fitted.

    Returns
    -------
    X : array, shape (n,) for one column or (n, d) for several, float64
    feature_names : list of str, length d
    true_labels : array, shape (n,), or None
        Whole numbers as ints; text labels stay text (a str array), so the
        report and legend can show "setosa" rather than "class 0".
    source : str
        The file name as given, or "standard input".
    """
    note = on_note or (lambda message: None)
    if column is not None and columns is not None:
        raise OptionError("give either --column or --columns, not both")
    if isinstance(columns, str):
        columns = split_list(columns)
    if columns is not None and len(columns) == 0:
        raise OptionError("--columns is empty; list column names or numbers, e.g. --columns height,weight")

    table = None
    if str(path_or_dash) != "-" and labels_column is None:
        read = streamed_columns(path_or_dash, _text_table)
        if read is not None:
            names, cells, notes = read
            for message in notes:
                note(message)
            table = _ArrayTable(shown(str(path_or_dash), keep_format=True), names, cells)
    if table is not None:
        source = table.source
    else:
        source, raw = _read_bytes(path_or_dash)
    if table is not None:
        pass
    elif raw.startswith(NPY_MAGIC):
        table = _npy_table(raw, source)
    else:
        # A million rows make a million small lists, none of them cyclic: the cyclic
        # garbage collector would only rescan them over and over (2.3 s -> 0.9 s).
        collecting = gc.isenabled()
        gc.disable()
        try:
            table = _text_table(raw, source, note)
        finally:
            if collecting:
                gc.enable()

    wanted_labels = None if labels_column is None else table.index_of(labels_column)
    if columns is not None:
        indices = [table.index_of(c) for c in columns]
        if len(set(indices)) != len(indices):
            raise OptionError(f"--columns names the same column twice in {source}; list each once")
    elif column is not None:
        indices = [table.index_of(column)]
    else:
        indices = [table.default_column(exclude=wanted_labels, note=note)]
    if wanted_labels is not None and wanted_labels in indices:
        raise OptionError(
            f"column {table.names[wanted_labels]!r} is both data and --labels-column; choose different columns"
        )

    # One column is returned as it was read: column_stack would copy it.
    X = table.numbers(indices[0])[:, None] if len(indices) == 1 else np.column_stack([table.numbers(j) for j in indices])
    if X.shape[0] == 0:
        raise DataError(f"{source} has no data rows; pass a file with at least one number")
    keep = _complete_rows(table, X, indices, wanted_labels, dropna, note)
    if facts is not None:
        facts.update(rows_read=int(len(keep)), rows_dropped=int(len(keep) - np.count_nonzero(keep)))
    X = X[keep]
    if X.shape[1] == 1:
        X = X[:, 0]
    true_labels = None if wanted_labels is None else table.labels(wanted_labels, keep)
    return X, [table.names[j] for j in indices], true_labels, source


def _complete_rows(table, X, indices, wanted_labels, dropna, note):
    """The mask of rows with every chosen value present; an error for missing ones unless ``dropna``."""
    missing = np.isnan(X)
    columns = list(indices)
    if wanted_labels is not None:
        missing = np.column_stack([missing, table.missing_labels(wanted_labels)])
        columns.append(wanted_labels)
    incomplete = missing.any(axis=1)
    count, n = int(incomplete.sum()), len(incomplete)
    if count == 0:
        return np.ones(n, dtype=bool)
    per_column = ", ".join(
        f"{table.names[j]!r} {int(missing[:, c].sum())}" for c, j in enumerate(columns) if missing[:, c].any()
    )
    if not dropna:
        first = int(np.flatnonzero(incomplete)[0])
        column = table.names[columns[int(np.flatnonzero(missing[first])[0])]]
        raise DataError(
            f"{count} of {n} rows of {table.source} have a missing value (missing per column: {per_column}; "
            f"first: {table.where(first)}, column {column!r}); pass --dropna (dropna=True) to drop them, or fill them in"
        )
    if count == n:
        raise DataError(f"every row of {table.source} has a missing value ({per_column}); nothing is left to fit")
    note(f"dropped {count} of {n} rows of {table.source} with a missing value (per column: {per_column}); "
         f"fitting the other {n - count}")
    return ~incomplete


def split_list(text):
    """'a, b,c' -> ['a', 'b', 'c'] (empty items dropped)."""
    return [item.strip() for item in str(text).split(",") if item.strip()]


# -- reading ------------------------------------------------------------------

def _read_bytes(path_or_dash):
    if str(path_or_dash) == "-":
        return "standard input", sys.stdin.buffer.read()
    path = Path(path_or_dash)
    try:
        return shown(str(path_or_dash), keep_format=True), path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"data file {path} does not exist; check the path (or pass - to read standard input)") from None
    except IsADirectoryError:
        raise DataError(f"{path} is a folder; pass a data file inside it") from None
    except PermissionError:
        raise DataError(f"cannot read {path}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror}; check the path") from None


def _npy_table(raw, source):
    try:
        arr = np.load(io.BytesIO(raw), allow_pickle=False)
    except ValueError as exc:
        if "pickle" in str(exc):
            raise DataError(
                f"{source} holds Python objects, not numbers; save a numeric array (np.save with a float array)"
            ) from None
        raise DataError(f"{source} is not a readable .npy file ({exc}); save it again with np.save") from None
    except Exception as exc:
        raise DataError(f"{source} is not a readable .npy file ({exc}); save it again with np.save") from None
    if arr.dtype.names:
        names = list(arr.dtype.names)
        cells = [np.asarray(arr[name]) for name in names]
    else:
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2:
            raise DataError(f"{source} holds an array of shape {arr.shape}; save shape (n,) or (n, d)")
        names = ["value"] if arr.shape[1] == 1 else [f"column {j + 1}" for j in range(arr.shape[1])]
        cells = [arr[:, j] for j in range(arr.shape[1])]
    return _ArrayTable(source, names, cells)


def _text_table(raw, source, note):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(re.findall(rb"\r\n|\r|\n", raw[: exc.start])) + 1
        note(
            f"{source} is not UTF-8 (first non-UTF-8 byte on line {line}); read it as Latin-1 "
            "(with Windows-1252's characters for bytes 0x80-0x9F) — if names look wrong, save the file as UTF-8"
        )
        text = raw.decode("latin-1").translate(WINDOWS_1252)
    if "\x00" in text:
        raise DataError(f"{source} is a binary file, not CSV, text or .npy; export the data as CSV")
    # (line number, fields) of every row that is not blank or a '#' comment.
    lines = [
        (number, line)
        for number, line in enumerate(split_lines(text), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise DataError(f"{source} is empty; pass a file with at least one number")
    delimiter = _sniff_delimiter([line for _, line in lines[:SNIFF_ROWS]])
    if delimiter is None and _one_column([line for _, line in lines[1:SNIFF_ROWS]]):
        # One column: its header may hold spaces ("foot size (mm)").
        split = ([line] for _, line in lines)
    elif delimiter is None:
        split = (line.split() if len(line.split()) > 1 else [line] for _, line in lines)
    elif '"' in text:
        split = _quoted_rows((line for _, line in lines), delimiter)
    else:  # no quoting: str.split is ~5x faster than the csv module on a million lines
        split = (line.split(delimiter) for _, line in lines)
    # Fields keep their spaces here (float() ignores them); names and labels are stripped.
    try:
        rows = [(number, fields) for (number, _), fields in zip(lines, split)]
    except UnclosedQuote as exc:
        raise DataError(
            f"line {lines[exc.index][0]} of {source} opens a quote (\") that the line does not close; "
            "close it or remove it (each line is one row)"
        ) from None
    decimal_comma = delimiter == ";"

    first = [field.strip() for field in rows[0][1]]
    second = [field.strip() for field in rows[1][1]] if len(rows) > 1 else None
    has_header = _looks_like_header(first, second, decimal_comma)
    if not has_header:
        body = [[field.strip() for field in fields] for _, fields in rows[1:SNIFF_ROWS]]
        kind = _numeric_header_kind(first, body, decimal_comma)
        if kind == "header":
            has_header = True
            note(
                f"read line {rows[0][0]} of {source} ({shown(', '.join(first), 60)}) as column names: whole numbers "
                "over columns of decimals, outside their range; if it is data, write it as decimals (2019.0)"
            )
        elif kind == "suspect":
            note(
                f"read line {rows[0][0]} of {source} ({shown(', '.join(first), 60)}) as data, though its values lie "
                "outside the other rows' range; if it is a header of numbers, make the names text (y2019) "
                "or delete the line"
            )
    if has_header:
        names = [name or f"column {j + 1}" for j, name in enumerate(first)]
        rows = rows[1:]
    else:
        names = ["value"] if len(first) == 1 else [f"column {j + 1}" for j in range(len(first))]
    if decimal_comma:
        _note_thousands(rows[:SNIFF_ROWS], source, note)
    width = len(names)
    for number, fields in rows:
        if len(fields) != width:
            raise DataError(
                f"line {number} of {source} has {len(fields)} fields but "
                f"{'the header' if has_header else 'line ' + str(lines[0][0])} has {width}; "
                "fix that line (a missing or extra separator?)"
            )
    table = _TextTable(source, names, rows, decimal_comma, delimiter)
    table.has_header = has_header
    return table


# -- tables -------------------------------------------------------------------
