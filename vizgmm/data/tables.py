"""A table read from a file: named columns of text cells (CSV) or of numbers (.npy), and their checks."""

import re

import numpy as np

from vizgmm.data.lines import _parse_number, _plain
from vizgmm.errors import DataError, OptionError
from vizgmm.text import MAX_NAME, check_label

#: Cell texts read as a missing value (compared case-folded, after stripping spaces).
MISSING_TEXTS = frozenset({"", "na", "nan", "n/a", "#n/a", "null", "none", "?", "."})


def _is_missing(text):
    return text.strip().casefold() in MISSING_TEXTS


#: Names that a row-number column goes by: empty, R's rownames, pandas' "Unnamed: 0", index, id.
INDEX_NAME = re.compile(r"^(|rownames?|row\.?names?|index|idx|id|unnamed: ?\d+|\.\.\.1|column ?1)$",
                        re.IGNORECASE)


class _Table:
    """Named columns of one data source; subclasses say how a column becomes numbers."""

    def __init__(self, source, names):
        self.source = source
        # Names reach errors on the terminal, the report, the alt text, TeX and PPTX: the labels' rule.
        self.names = [check_label(name, f"the name of column {j + 1} of {source}", MAX_NAME, DataError)
                      for j, name in enumerate(names)]

    def _checked_labels(self, j, texts):
        """``texts`` (the labels of column ``j``), each checked by the labels' rule once."""
        for text in set(texts):
            check_label(text, f"a label in column {self.names[j]!r} of {self.source}", MAX_NAME, DataError)
        return texts

    def index_of(self, key):
        """0-based index of a column given by name or by 1-based number."""
        key_text = str(key).strip()
        if self.names.count(key_text) > 1:
            # Taking the first silently could fit the wrong numbers.
            numbers = [str(j + 1) for j, name in enumerate(self.names) if name == key_text]
            raise OptionError(
                f"{self.source} has {len(numbers)} columns named {key_text!r} (numbers {', '.join(numbers)}); "
                "choose one by its number, e.g. --column " + numbers[0]
            )
        if key_text in self.names:
            return self.names.index(key_text)
        folded = [name.casefold() for name in self.names]
        if key_text.casefold() in folded and folded.count(key_text.casefold()) == 1:
            return folded.index(key_text.casefold())
        # isdigit() alone is true for '²' and '١', which int() refuses or reads as a number nobody typed.
        digits = key_text.lstrip("+-")
        if digits.isascii() and digits.isdigit():
            number = int(key_text)
            if 1 <= number <= len(self.names):
                return number - 1
            raise OptionError(
                f"column number {number} is out of range; {self.source} has columns 1 to {len(self.names)} "
                f"({self._available()})"
            )
        raise OptionError(
            f"column {key_text!r} not found in {self.source}; available: {self._available()}"
        )

    def where(self, i):
        """Where row ``i`` (0-based, among the data rows) is, for a message."""
        return f"row {i + 1}"

    def _available(self):
        shown = ", ".join(self.names[:12])
        return shown + (f", ... ({len(self.names)} in all)" if len(self.names) > 12 else "")

    def default_column(self, exclude, note):
        candidates = [j for j in range(len(self.names)) if j != exclude]
        if len(self.names) == 1:
            return 0
        numeric = [j for j in candidates if self.is_numeric(j)]
        if not numeric:
            raise DataError(
                f"{self.source} has no column of numbers ({self._available()}); check the file or its separator"
            )
        # A row-number column (R's "rownames", pandas' "Unnamed: 0") is not data.
        skipped = [j for j in numeric if self._is_index(j)]
        data = [j for j in numeric if j not in skipped] or numeric
        chosen = data[0]
        also = ""
        if skipped and chosen not in skipped:
            also = f" (skipped {', '.join(repr(self.names[j]) for j in skipped)}: row numbers 1..n, not data)"
        note(
            f"using column {self.names[chosen]!r}, the first numeric column of {self.source}{also}; "
            "choose with --column NAME or --columns a,b"
        )
        return chosen

    def _is_index(self, j):
        """A column named like a row index (or unnamed) that holds 1…n or 0…n−1."""
        if not INDEX_NAME.match(self.names[j].strip()):
            return False
        values = self.numbers(j)
        n = len(values)
        return n > 1 and (np.array_equal(values, np.arange(1, n + 1)) or np.array_equal(values, np.arange(n)))


class _TextTable(_Table):
    def __init__(self, source, names, rows, decimal_comma, delimiter):
        super().__init__(source, names)
        self.rows = rows
        self.decimal_comma = decimal_comma
        self.delimiter = delimiter

    def where(self, i):
        return f"line {self.rows[i][0]} (data row {i + 1})"

    def is_numeric(self, j):
        try:
            values = self.numbers(j)
        except DataError:
            return False
        return not np.isnan(values).all()

    def numbers(self, j):
        texts = [fields[j] for _, fields in self.rows]
        if self.decimal_comma:
            texts = [t.replace(",", ".") if "." not in t else t for t in texts]
        try:
            # One C loop; the line-by-line loop below names a bad value. numpy reads
            # like float(), so a column with '_' or non-ASCII goes the strict way.
            values = np.array(texts, dtype=float)
            if _plain("".join(texts)):
                return values
        except ValueError:
            pass
        values = np.empty(len(self.rows))
        for i, (number, fields) in enumerate(self.rows):
            value = _parse_number(fields[j], self.decimal_comma)
            if value is None:
                if _is_missing(fields[j]):
                    value = np.nan  # load_data drops the row (dropna) or names it
                else:
                    raise DataError(self._bad_value(number, j, fields[j].strip()))
            values[i] = value
        return values

    def _bad_value(self, number, j, text):
        where = f"line {number} of {self.source}, column {self.names[j]!r}"
        if not text:
            return f"{where} is empty; fill in the value or remove the line"
        hint = "fix the value or choose another column with --column"
        if not text.isascii():
            hint = "write numbers with the digits 0-9 (other scripts' digits and symbols are not read as numbers)"
        elif "_" in text:
            hint = "remove the '_' digit grouping (write 1000, not 1_000)"
        elif "," in text and self.delimiter != ",":
            hint = "decimal commas are read only in ';'-separated files; use a point (1.5) or separate fields with ';'"
        return f"{where}: {text[:40]!r} is not a number; {hint}"

    def missing_labels(self, j):
        return np.array([_is_missing(fields[j]) for _, fields in self.rows], dtype=bool)

    def labels(self, j, keep):
        return _number_labels(self._checked_labels(j, [fields[j].strip() for (_, fields), kept in zip(self.rows, keep) if kept]))


class _ArrayTable(_Table):
    def __init__(self, source, names, cells):
        super().__init__(source, names)
        self.cells = cells

    def is_numeric(self, j):
        dtype = self.cells[j].dtype
        return (np.issubdtype(dtype, np.number) and not np.issubdtype(dtype, np.complexfloating)) or dtype == np.dtype(bool)

    def numbers(self, j):
        if np.issubdtype(self.cells[j].dtype, np.complexfloating):
            # Casting would silently drop the imaginary parts.
            raise DataError(
                f"column {self.names[j]!r} of {self.source} holds complex numbers; "
                "save the real part, the modulus or both as separate columns"
            )
        if not self.is_numeric(j):
            raise DataError(
                f"column {self.names[j]!r} of {self.source} holds {self.cells[j].dtype} values, not numbers; "
                "choose another column with --column"
            )
        return self.cells[j].astype(float, copy=False)

    def missing_labels(self, j):
        values = self.cells[j]
        if np.issubdtype(values.dtype, np.floating):
            return np.isnan(values)
        if values.dtype.kind in "US":
            return np.array([_is_missing(str(v)) for v in values.tolist()], dtype=bool)
        return np.zeros(len(values), dtype=bool)

    def labels(self, j, keep):
        values = self.cells[j][keep]
        if np.issubdtype(values.dtype, np.floating) and np.all(np.mod(values, 1) == 0) and np.all(
            np.abs(values) <= 2**53
        ):
            # Whole floats that float64 holds exactly; beyond 2**53 the float is all there is.
            values = values.astype(np.int64)
        return _number_labels(self._checked_labels(j, [str(v) for v in values.tolist()]))


def _number_labels(texts):
    """True labels, each keeping its identity.

    Whole numbers from 0 to 2**63 - 1 stay those numbers (int64), read
    exactly (never through float64, which merged 10**19 and 2 * 10**19);
    whole numbers beyond int64 keep their text; anything else is numbered by
    first appearance.
    """
    whole = [_exact_whole(t) for t in texts]
    if texts and all(v is not None for v in whole) and min(whole) >= 0:
        if max(whole) < 2**63:
            return np.array(whole, dtype=np.int64)
        return np.array([str(v) for v in whole])
    return np.array([str(t) for t in texts], dtype=str)


def _exact_whole(text):
    """The whole number ``text`` writes ("12", "12.0", "1.2e1"), exactly; None if it writes none."""
    from decimal import Decimal, InvalidOperation

    if not text.isascii():
        return None  # Decimal reads '١٢' as 12, which would merge it with the label '12'
    try:
        value = Decimal(text.strip().replace("_", "#"))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.to_integral_value() or abs(value.adjusted()) > 4000:
        return None
    return int(value)
