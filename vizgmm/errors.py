"""vizgmm's one error family.

Every error that a user can cause is a :class:`VizgmmError`. Its message is a
single line that says what is wrong and what to do about it; the command line
prints exactly that line and exits with status 2.
"""


class VizgmmError(Exception):
    """Base class: something the user gave vizgmm cannot be used as it is."""


class DataError(VizgmmError, ValueError):
    """The data cannot be fitted: empty, non-numeric, NaN/inf, or the wrong shape."""


class OptionError(VizgmmError, ValueError):
    """An option has a value vizgmm cannot use (k < 1, unknown method, ...)."""


class InitError(VizgmmError, ValueError):
    """Explicit initial parameters are inconsistent or invalid."""


class FitError(VizgmmError, ArithmeticError):
    """EM could not continue numerically (e.g. a covariance lost positive definiteness)."""


class HistoryFileError(VizgmmError, OSError):
    """A saved history cannot be read: missing, truncated, corrupted or too new."""


class OutputError(VizgmmError, OSError):
    """An output file or folder cannot be written."""
