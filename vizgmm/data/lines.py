"""The text rules of a CSV: where lines break, which separator, whether the first row is a header, what a number is."""

import csv
import itertools
import re
import sys
from collections import Counter

# Tab first: a TSV's fields may hold commas. ';' before ',': a European CSV
# has both (';' between fields, ',' inside numbers), a comma CSV rarely has ';'.
DELIMITERS = ("\t", ";", ",")
SNIFF_ROWS = 50


#: The line breaks a CSV has (RFC 4180 and the old Mac's lone CR), and no others.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text):
    """The lines of ``text``, broken only at '\\n', '\\r\\n' and '\\r'.

    Not str.splitlines(): it also breaks at U+0085 (the byte 0x85, '…' in
    Windows-1252, read through the Latin-1 fallback), U+2028/2029, '\\x0b',
    '\\x0c' and '\\x1c'-'\\x1e', which inside a CSV are characters of a field;
    breaking there adds points and shifts every later line number.
    """
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class UnclosedQuote(Exception):
    """A quote opened on line ``index`` (0-based among the lines read) and not closed on it."""

    def __init__(self, index):
        super().__init__(index)
        self.index = index


#: Fed after the last line: a quote left open swallows it, so an open quote on the last line shows too.
_END = "\x00end"


def _quoted_rows(lines, delimiter):
    """csv.reader over ``lines``, one row per line; UnclosedQuote where a quote runs past its line.

    The lines are already split (at \\n, \\r\\n, \\r only), so a row that the
    csv module continues on the next line is an unterminated quote: read on,
    it ate the rest of the file and left "column 'x' not found". The csv
    module refuses a field longer than 131,072 characters (its default
    limit, process-wide); a long line is a user's data, not a reason for an
    internal error, so the limit is raised for this reading only.
    """
    limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        reader = csv.reader(itertools.chain(lines, [_END]), delimiter=delimiter)
        read = 0
        for row in reader:
            if reader.line_num - read > 1:
                raise UnclosedQuote(read)
            read = reader.line_num
            if row == [_END]:
                return
            yield row
    finally:
        csv.field_size_limit(limit)


def _field_count(line, delimiter):
    """The number of fields ``line`` has (0 with an unclosed quote); the csv module only where quotes matter."""
    if '"' not in line:
        return line.count(delimiter) + 1
    try:
        return len(next(_quoted_rows([line], delimiter), []))
    except UnclosedQuote:
        return 0


def _sniff_delimiter(sample):
    """The separator that splits most sampled lines into the same number (> 1) of fields.

    csv.Sniffer prefers ',' and so splits '1,5;2,3' at the decimal commas;
    trying tab, ';', ',' in that order gets European files right. "Most", not
    "all": a ragged line should get an error naming it, not a wrong separator.
    """
    for delimiter in DELIMITERS:
        widths = Counter(_field_count(line, delimiter) for line in sample)
        width, count = widths.most_common(1)[0]
        if width > 1 and count > len(sample) / 2:
            return delimiter
    return None  # one column, or columns separated by spaces


def _one_column(body):
    """Whether most lines after the first hold one field (a file with no separator at all)."""
    return bool(body) and sum(len(line.split()) == 1 for line in body) > len(body) / 2


def _looks_like_header(first, second, decimal_comma):
    """A header is a first row with text where the next row has numbers (or all text)."""
    first_numeric = [_parse_number(f, decimal_comma) is not None for f in first]
    if all(first_numeric):
        return False
    if second is None or len(second) != len(first):
        return not any(first_numeric)
    return any(
        not a and _parse_number(b, decimal_comma) is not None for a, b in zip(first_numeric, second)
    ) or not any(first_numeric)


WHOLE = re.compile(r"[+-]?[0-9]+")
#: '1.234' or '12.345.678': a point every three digits, as a German spreadsheet groups thousands.
THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+")


def _note_thousands(rows, source, note):
    """In a ';'-separated file a point may group thousands (1.234 = 1234); say how it was read."""
    for number, fields in rows:
        for field in fields:
            if THOUSANDS.fullmatch(field.strip()):
                note(
                    f"line {number} of {source} has {field.strip()!r}, read with a decimal point "
                    f"({float(field):g}); if the point groups thousands, remove it (write 1234 or 1234,5)"
                )
                return


def _numeric_header_kind(first, body, decimal_comma):
    """Whether an all-numbers first row is a header of numbers ("header"), doubtful data ("suspect") or data.

    The rule, documented in the module docstring: the first row is read as
    column names when every field of it is a whole number written without a
    point (2019), every sampled value below it in its column is written with a
    point or an exponent (1.5, 2e3), and each first-row number lies outside its
    column's sampled range: years over measurements. A first row of whole
    numbers outside every column's range, over whole numbers too, is still
    data (counts look like that) but gets a note.
    """
    rows = [row for row in body if len(row) == len(first)]
    if not rows or not all(WHOLE.fullmatch(f) for f in first):
        return None
    outside = True
    decimals = True
    for j, name in enumerate(first):
        column = [_parse_number(row[j], decimal_comma) for row in rows]
        if any(v is None for v in column):
            return None
        outside = outside and not min(column) <= int(name) <= max(column)
        decimals = decimals and not any(WHOLE.fullmatch(row[j]) for row in rows)
    if not outside:
        return None
    return "header" if decimals else "suspect"


def _parse_number(text, decimal_comma):
    """The number ``text`` writes, or None; stricter than float().

    float() also reads '1_000' (Python's digit grouping) and digits of other
    scripts ('١٢' is 12); a data file that writes them means something else,
    or is not numbers at all, so they are not numbers here.
    """
    text = text.strip()
    if not _plain(text):
        return None
    if decimal_comma and "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _plain(text):
    """True when ``text`` has only ASCII and no '_' (what float() would read beyond a plain number)."""
    return text.isascii() and "_" not in text
