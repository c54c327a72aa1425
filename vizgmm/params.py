"""Every public numeric parameter's constraint, declared once, and the one check that uses it.

In the spirit of scikit-learn's ``_parameter_constraints``: a parameter's
type, range and a value to suggest live in :data:`CONSTRAINTS`, and
:func:`check` raises an :class:`~vizgmm.errors.OptionError` that names the
parameter. The error keeps the parameter's name and the suggestion apart
from its wording, so the command line says ``--duration-ms must be more
than 0 ...; e.g. --duration-ms 500`` where Python says ``duration_ms must be
more than 0 ...; e.g. duration_ms=500`` — without rewriting any message.
"""

import math
import numbers
from dataclasses import dataclass

from vizgmm.errors import OptionError


@dataclass(frozen=True)
class Interval:
    """A whole number (``kind=int``) or a real number (``kind=float``) in [low, high].

    ``low_open``/``high_open`` exclude the end; None is unbounded.
    ``example`` is a value to suggest (with an optional remark after it).
    """

    kind: type
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    example: str | None = None
    remark: str | None = None

    def describe(self):
        """The range in words: "a whole number from 0 to 60", "more than 0", "at least 1", "0 or more"."""
        what = "a whole number" if self.kind is int else "a number"
        if self.low is not None and self.high is not None:
            if self.low_open:
                return f"more than {self.low:g} and at most {self.high:g}"
            return f"{what} from {self.low:g} to {self.high:g}"
        if self.low is not None:
            if self.low_open:
                return f"more than {self.low:g}"
            # "at least 1" reads better for counts; "0 or more" for amounts that may be zero.
            if self.kind is int and self.low >= 1:
                return f"at least {self.low:g}"
            return f"{self.low:g} or more"
        return what

    def accepts(self, value):
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        if self.high is not None and (value > self.high or (self.high_open and value == self.high)):
            return False
        return True


@dataclass(frozen=True)
class OneOf:
    """One name from ``options`` (as scikit-learn's ``StrOptions``), compared exactly."""

    options: tuple
    example: str | None = None
    remark: str | None = None

    def describe(self):
        return f"one of: {', '.join(map(str, self.options))}"


@dataclass(frozen=True)
class Choices:
    """Between ``least`` and ``most`` different names from ``options``, with every name in ``required``.

    Taken as a sequence of names or as one comma-separated string
    (``"hard,soft,kmeans"``); checked, it is a tuple in the order given.
    """

    options: tuple
    least: int = 1
    most: int | None = None
    required: tuple = ()
    example: str | None = None
    remark: str | None = None

    def describe(self):
        """The choice in words: "2 or 3 different names of hard, soft, kmeans, among them hard and soft"."""
        most = len(self.options) if self.most is None else self.most
        count = f"{self.least}" if most == self.least else f"{self.least} to {most}" if most > self.least + 1 else (
            f"{self.least} or {most}")
        text = f"{count} different names of {', '.join(self.options)}, separated by commas"
        if self.required:
            text += f", among them {' and '.join(self.required)}"
        return text

    def pick(self, value):
        """``value`` as a tuple of names, or None when it breaks the rule."""
        names = value.split(",") if isinstance(value, str) else value
        try:
            names = tuple(str(name).strip() for name in names)
        except TypeError:
            return None
        most = len(self.options) if self.most is None else self.most
        if (len(set(names)) != len(names) or not self.least <= len(names) <= most
                or any(name not in self.options for name in names)
                or any(name not in names for name in self.required)):
            return None
        return names


@dataclass(frozen=True)
class Numbers:
    """Between ``least`` and ``most`` different numbers, each as ``each`` takes it (an :class:`Interval`).

    Taken as a sequence or as one comma-separated string (``"0.001,1,1000"``);
    checked, it is a tuple of floats in the order given.
    """

    each: Interval
    least: int = 1
    most: int | None = None
    example: str | None = None
    remark: str | None = None

    def describe(self):
        """"2 to 4 different numbers, each more than 0, separated by commas"."""
        count = f"{self.least}" if self.most == self.least else (
            f"{self.least} or more" if self.most is None else f"{self.least} to {self.most}")
        return f"{count} different numbers, each {self.each.describe()}, separated by commas"

    def pick(self, value):
        """``value`` as a tuple of floats, or None when it breaks the rule."""
        items = value.split(",") if isinstance(value, str) else value
        try:
            items = list(items)
        except TypeError:
            return None
        picked = []
        for item in items:
            number = _as_number(item.strip() if isinstance(item, str) else item, self.each.kind)
            if number is None or not math.isfinite(number) or not self.each.accepts(number):
                return None
            picked.append(number)
        if len(set(picked)) != len(picked) or len(picked) < self.least or (
                self.most is not None and len(picked) > self.most):
            return None
        return tuple(picked)


@dataclass(frozen=True)
class Flag:
    """A yes-or-no switch: True or False (not 1, "yes" or None, which read as something else)."""

    example: str | None = None
    remark: str | None = None

    def describe(self):
        return "True or False"


CONSTRAINTS = {
    # fitting
    "k": Interval(int, 1, example="2"),
    "max_iter": Interval(int, 0, example="100", remark="(the default)"),
    "tol": Interval(float, 0, example="0.001", remark="(the default), or 0 to run every epoch"),
    "reg_covar": Interval(float, 0, example="1e-6", remark="(the default)"),
    "seed": Interval(int, 0, example="0", remark="or 42"),
    "n_init": Interval(int, 1, example="3"),
    "grid": Interval(int, 3, 80, example="25", remark="(the default; grid² EM runs)"),
    # timing
    "tween": Interval(int, 0, 60, example="4", remark="in-between frames per epoch"),
    "fps": Interval(float, 0, 120, low_open=True, example="10",
                    remark="or leave it out for one epoch every 0.5 s"),
    "duration_ms": Interval(float, 0, low_open=True, example="500", remark="(the default)"),
    "hold_first_ms": Interval(float, 0, example="1000", remark="(the default)"),
    "hold_last_ms": Interval(float, 0, example="2000", remark="(the default)"),
    # encoders and grids
    "colors": Interval(int, 2, 255, example="64", remark="(the default)"),
    "quality": Interval(float, 1, 10, example="7", remark="(the default)"),
    "crf": Interval(int, 1, 51, example="23", remark="(0 would be lossless, which many players cannot open)"),
    "columns": Interval(int, 1, example="2"),
    "scale": Interval(float, 0.25, 4, example="0.75"),
    # annealing (vizgmm.anneal)
    "anneal_steps": Interval(int, 2, example="30", remark="(the default)"),
    "end_fraction": Interval(float, 0, 1, low_open=True, high_open=True, example="0.01", remark="(the default)"),
    "iterations": Interval(int, 1, example="1", remark="(the default)"),
    # fitting and drawing choices
    "method": OneOf(("hard", "soft", "variational"), example="soft"),
    # the variational mixture's priors (scikit-learn's BayesianGaussianMixture names)
    "weight_concentration_prior_type": OneOf(("dirichlet_process", "dirichlet_distribution"),
                                             example="dirichlet_process", remark="(the default)"),
    "weight_concentration_prior": Interval(float, 0, low_open=True, example="0.01",
                                           remark="(small: fewer components keep weight)"),
    "mean_precision_prior": Interval(float, 0, low_open=True, example="1", remark="(the default)"),
    "degrees_of_freedom_prior": Interval(float, 0, low_open=True, example="2", remark="(d, the default)"),
    "covariance_prior": Interval(float, 0, low_open=True, example="1"),
    "covariance_type": OneOf(("full", "diag", "spherical", "tied"), example="full", remark="(the default)"),
    "aspect": OneOf(("auto", "equal"), example="equal", remark="one unit as long on both axes"),
    "focus": OneOf(("data", "bound"), example="bound", remark="EM's lower bound fills the frame"),
    "trails": OneOf(("fade", "full", "off"), example="fade", remark="(the default: recent steps, older ones fainter)"),
    # per-format ranges: VP9's CRF and a looping format's play count
    "vp9_crf": Interval(int, 4, 63, example="31", remark="(quality 7)"),
    "loop": Interval(int, 0, 65535, example="0", remark="(forever)"),
    # the player
    "live": Flag(example="True", remark="EM runs in the page on points the reader adds"),
    # comparisons
    "methods": Choices(("hard", "soft", "kmeans"), least=2, required=("hard", "soft"), example="hard,soft,kmeans"),
    # the variational mixture's weight_concentration_prior, one panel each (vizgmm.compare(..., priors=...))
    "priors": Numbers(Interval(float, 0, low_open=True), least=2, most=4, example="0.001,1,1000",
                      remark="(one panel per weight_concentration_prior)"),
}


def choices(name: str) -> tuple:
    """The names a choice parameter (a :class:`OneOf`) takes, e.g. ``choices("method")``."""
    rule = CONSTRAINTS[name]
    if not isinstance(rule, OneOf):
        raise TypeError(f"{name} is not a choice of names")
    return rule.options


def check(name, value):
    """``value`` as the int or float that parameter ``name`` takes, or an OptionError naming it.

    Examples
    --------
    >>> check("tween", 4)
    4
    >>> check("tween", -1)
    Traceback (most recent call last):
    ...
    vizgmm.errors.OptionError: tween must be a whole number from 0 to 60, got -1; e.g. tween=4 (in-between frames per epoch)
    """
    rule = CONSTRAINTS[name]
    if isinstance(rule, Flag):
        if isinstance(value, bool):
            return value
        raise ParameterError(name, value, rule)
    if isinstance(rule, OneOf):
        if isinstance(value, str) and value in rule.options:
            return value
        raise ParameterError(name, value, rule)
    if isinstance(rule, (Choices, Numbers)):
        names = rule.pick(value)
        if names is None:
            shown = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            raise ParameterError(name, shown, rule)
        return names
    number = _as_number(value, rule.kind)
    if number is None or not math.isfinite(number) or not rule.accepts(number):
        raise ParameterError(name, value, rule)
    return number


def _as_number(value, kind):
    if isinstance(value, bool):
        return None
    if kind is int:
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


class ParameterError(OptionError):
    """An OptionError about one named parameter; :meth:`message` words it for Python or for the CLI."""

    def __init__(self, parameter, value, rule):
        self.parameter, self.value, self.rule = parameter, value, rule
        super().__init__(self.message(parameter, f"{parameter}="))

    def message(self, name, example_prefix):
        """The error in terms of ``name`` (e.g. "--tween"), suggesting ``example_prefix + example``."""
        shown = f"{self.value:g}" if isinstance(self.value, float) else repr(self.value) if isinstance(
            self.value, str) else str(self.value)
        text = f"{name} must be {self.rule.describe()}, got {shown}"
        if self.rule.example is not None:
            text += f"; e.g. {example_prefix}{self.rule.example}"
            if self.rule.remark:
                text += f" {self.rule.remark}" if self.rule.remark.startswith("(") else f" ({self.rule.remark})"
        return text
