"""Validation of data arrays: the shape, finiteness and size every stage can rely on."""

from typing import Any

import numpy as np

from vizgmm.errors import DataError, OptionError
from vizgmm.params import check

# Beyond this magnitude squared distances overflow float64; ask for rescaling.
MAX_ABS_VALUE = 1e150


def _holds_complex(X):
    """True for complex values; a ragged list (which numpy cannot even type) is not."""
    try:
        return np.iscomplexobj(X)
    except ValueError:
        return False


def _is_ragged(X):
    """True for a list of rows whose lengths differ, e.g. [[1, 2], [3]]."""
    try:
        lengths = {len(row) for row in X if not isinstance(row, (str, bytes))}
    except TypeError:
        return False
    return len(lengths) > 1


def as_data_matrix(X: Any) -> np.ndarray:
    """The data as a float64 array of shape (n, d), or a DataError saying what is wrong.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
        Real numbers. Complex arrays are refused (a cast would drop the
        imaginary parts); a ``numpy.ma`` masked array is refused when any value
        is masked, since neither fitting nor dropping hidden values is safe to
        do silently.

    Returns
    -------
    X : array, shape (n, d), C-contiguous float64
    """
    if np.ma.isMaskedArray(X):
        # Fitting the values under the mask would fit what the user hid; dropping
        # them silently would change n and misalign labels. Refuse and say how.
        if np.ma.getmaskarray(X).any():
            raise DataError(
                f"the data is a masked array with {int(np.ma.getmaskarray(X).sum())} masked value(s); "
                "drop those points first (e.g. X[~X.mask.any(axis=1)].data) or fill them (X.filled(...))"
            )
        X = np.ma.getdata(X)
    if _holds_complex(X):
        # asarray(dtype=float) would drop the imaginary parts with only a warning.
        raise DataError(
            "the data holds complex numbers; pass real numbers (the real part, the modulus, "
            "or both as separate columns)"
        )
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        if _is_ragged(X):
            raise DataError(
                "the data's rows have different lengths; pass every point with the same number of values"
            ) from None
        # Neutral wording: the Python API reaches here as well as the CLI.
        raise DataError(
            "the data contains values that are not numbers; pass numeric values only "
            "(on the command line, choose a numeric column with --column)"
        ) from None
    if arr.ndim == 1:
        arr = arr[:, None]
    elif arr.ndim != 2:
        raise DataError(
            f"the data has {arr.ndim} dimensions (shape {arr.shape}); pass shape (n,) or (n, d)"
        )
    if arr.shape[0] == 0:
        raise DataError("the data is empty; pass at least one point")
    if arr.shape[1] == 0:
        raise DataError("the data has no columns; pass at least one numeric column")
    finite = np.isfinite(arr)
    if not finite.all():
        bad_rows = np.flatnonzero(~finite.all(axis=1))
        kind = "NaN" if np.isnan(arr).any() else "infinite"
        raise DataError(
            f"the data has {len(bad_rows)} row(s) with {kind} or missing values "
            f"(first at row {bad_rows[0] + 1}); remove or fill them first"
        )
    if np.abs(arr).max() > MAX_ABS_VALUE:
        raise DataError(
            f"the data has values as large as {np.abs(arr).max():.3g}, beyond what "
            f"squared distances can hold; rescale it (e.g. divide by {10 ** np.floor(np.log10(np.abs(arr).max())):.0e})"
        )
    return np.ascontiguousarray(arr)


def check_k(k, X):
    """k as an int between 1 and the number of distinct points."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise OptionError(f"k must be a whole number of components, got {k!r}")
    k = check("k", int(k))  # the range is declared once, in vizgmm.params
    if k > X.shape[0] or count_distinct(X, k) < k:
        raise OptionError(
            f"k={k} is more components than the data has distinct points "
            f"({count_distinct(X, k)}); lower k"
        )
    return k


def count_distinct(X, at_least):
    """The number of distinct rows, computed on a prefix when that already shows ``at_least``."""
    head = X[: max(10_000, 4 * at_least)]
    found = len(np.unique(head, axis=0))
    if found >= at_least or len(head) == len(X):
        return found
    return len(np.unique(X, axis=0))

