"""Numbers and sizes as the report prints them."""

import math


# -- numbers -----------------------------------------------------------------
def format_number(x, digits=4):
    """A number with about ``digits`` significant digits, thousands separated; huge/tiny ones in e-notation."""
    if x is None:
        return "–"
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 15 or magnitude < -4:
        return f"{x:.{max(digits - 1, 0)}e}"
    decimals = max(0, digits - 1 - magnitude)
    text = f"{x:,.{decimals}f}"
    return text


def format_signed(x, digits=4):
    """Like :func:`format_number` with an explicit + for positive values (changes)."""
    if x is None:
        return "–"
    text = format_number(x, digits)
    return "+" + text if float(x) > 0 else text


def format_size(nbytes):
    """A byte count as kB/MB (powers of 1000, as file managers show them)."""
    nbytes = float(nbytes)
    for unit in ("bytes", "kB", "MB", "GB"):
        if nbytes < 1000 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1000

