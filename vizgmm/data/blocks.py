"""Reading a large numeric CSV in blocks, so that memory stays near the float64 array it becomes.

``load_data`` (:mod:`vizgmm.data.loading`) tries this reader first for a file;
when it returns None, the whole-file reader in :mod:`vizgmm.data.loading`
reads the file with every rule and message.
"""

import codecs
import os

import numpy as np

from vizgmm.data.lines import _plain, split_lines
from vizgmm.errors import DataError, OptionError
from vizgmm.text import shown

NPY_MAGIC = b"\x93NUMPY"

#: Bytes read and parsed at a time by the streamed reader: large enough for numpy's loop, small beside the data.
BLOCK_BYTES = 1 << 20
HEAD_BYTES = 1 << 16


def streamed_columns(path, read_sample):
    """(names, float64 columns, notes) read in blocks, or None when the file needs the full reader.

    ``read_sample(raw, source, note)`` reads the file's first lines with the
    whole-file reader's rules (separator, header, names, notes).

    Memory: the whole-file reader holds every line as Python strings (about
    40x the float64 array). This path holds one block of text at a time and
    writes each block's numbers into per-column float64 arrays preallocated
    from the file size and grown by half when short, then trimmed in place,
    so loading peaks near 1.1-2.5x the array plus a constant. It covers the
    common case (UTF-8, no quotes, every value of every column a number);
    anything else (text columns, labels, quotes, comments, Latin-1, an error
    to report with its line number) returns None and the whole-file reader,
    which knows every rule and message, reads the file instead. A fast
    well-kept parser (pandas, pyarrow) is not a dependency; numpy's
    str-to-float cast does the numbers.
    """
    try:
        handle = open(path, "rb")
    except OSError:
        return None  # the whole-file reader words the error
    with handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(HEAD_BYTES)
        except OSError:
            return None
        if head.startswith(NPY_MAGIC) or head.startswith(b"\xef\xbb\xbf") or b"\x00" in head:
            return None
        cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
        if cut < 0 or b'"' in head or b"#" in head:
            return None
        notes = []
        try:
            sample = read_sample(head[: cut + 1], shown(str(path), keep_format=True), notes.append)
        except (DataError, OptionError):
            return None
        if not sample.rows:
            return None
        names, width, delimiter = sample.names, len(sample.names), sample.delimiter
        decimal_comma = sample.decimal_comma
        header_lines = int(sample.has_header)
        per_line = (cut + 1) / (len(sample.rows) + header_lines)
        capacity = int(size / per_line * 1.05) + 1024
        columns = [np.empty(capacity) for _ in range(width)]
        filled = 0
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        carry = ""
        skip = header_lines
        while True:
            chunk = handle.read(BLOCK_BYTES)
            final = not chunk
            try:
                text = carry + decoder.decode(chunk, final=final)
            except UnicodeDecodeError:
                return None
            if "\x00" in text or '"' in text or "#" in text:
                return None
            if final:
                complete, carry = text, ""
            else:
                body = text[:-1] if text.endswith("\r") else text  # a CR at the end may be half of a CRLF
                end = max(body.rfind("\n"), body.rfind("\r")) + 1
                complete, carry = text[:end], text[end:]
            lines = [line for line in split_lines(complete) if line.strip()]
            if skip:
                lines, skip = lines[skip:], 0
            if width == 1:
                rows = None
            elif delimiter is None:
                rows = [line.split() for line in lines]
            else:
                rows = [line.split(delimiter) for line in lines]
            if rows is not None and any(len(fields) != width for fields in rows):
                return None
            count = len(lines) if rows is None else len(rows)
            if filled + count > capacity:
                capacity = max(filled + count, int(capacity * 1.5))
                for j in range(width):
                    grown = np.empty(capacity)
                    grown[:filled] = columns[j][:filled]
                    columns[j] = grown
                    del grown
            for j in range(width):
                texts = lines if rows is None else [fields[j] for fields in rows]
                if decimal_comma:
                    texts = [t.replace(",", ".") if "." not in t else t for t in texts]
                if not _plain("".join(texts)):
                    return None
                try:
                    columns[j][filled:filled + count] = np.array(texts, dtype=float)
                except ValueError:
                    return None
            filled += count
            del rows, lines, texts
            if final:
                break
    for column in columns:
        column.resize(filled, refcheck=False)  # in place: no second copy of the data
    return names, columns, notes
