"""The basin map: in 1-D with k = 2, which optimum EM reaches from each pair of starting means.

Every cell of a grid of starting means (μ₁, μ₂) is one EM run from those
means, both σ equal to the data's standard deviation and φ = ½ each (the
walk-through's kind of first guess). The final models are grouped into optima
as :func:`vizgmm.model.restarts.group_optima` does (equal up to the numbering
of the components), so the map is symmetric about the diagonal μ₁ = μ₂. On
the diagonal itself both components start equal and stay equal: EM then
fits one normal twice, a saddle point of the likelihood, not a maximum.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.data.validate import as_data_matrix
from vizgmm.errors import OptionError
from vizgmm.i18n import Words
from vizgmm.i18n import words as get_words
from vizgmm.model.defaults import DEFAULT_METHOD, DEFAULT_REG_COVAR
from vizgmm.model.em import fit
from vizgmm.model.restarts import Optimum, group_finals
from vizgmm.params import check

#: Near the saddle EM crawls: with the fits' default tol (1e-3) a start on its way is stopped
#: and counted as an optimum; this tol and room let it arrive.
BASIN_TOL = 1e-6
BASIN_MAX_ITER = 500
#: Ends whose two means are closer than this share of σ are the saddle, or still on their way from it.
SADDLE_SPREAD = 0.5

@dataclass
class BasinMap:
    """Which optimum each pair of starting means reaches.

    Attributes
    ----------
    starts : ndarray, shape (g,)
        The starting means along each axis.
    rank : ndarray of int, shape (g, g)
        ``rank[a, b]``: the optimum (1 = best) reached from μ₁ = starts[a], μ₂ = starts[b].
    optima : list of Optimum
        Best first; ``starts`` of each are flat cell indices (a · g + b).
    finals : list
        The final snapshot of each cell, flat.
    std : float
        The σ every run started from (the data's standard deviation).
    """

    starts: np.ndarray
    rank: np.ndarray
    optima: list
    finals: list
    std: float

    @property
    def data_std(self) -> float:
        return self.std

    @property
    def saddle(self) -> int | None:
        """The rank of the optimum whose two components are equal (one normal fitted twice), or None."""
        for optimum in self.optima:
            means = self.finals[optimum.starts[0]].means[:, 0]
            if abs(means[0] - means[1]) <= SADDLE_SPREAD * self.data_std:
                return optimum.rank
        return None

    def share(self, rank: int) -> float:
        """The share of the cells that reach optimum ``rank``."""
        return float(np.mean(self.rank == rank))

    def percent(self, rank: int) -> int:
        """:meth:`share` in whole percent, rounded so that the optima's add up to 100 (largest remainder)."""
        exact = np.array([100 * self.share(o.rank) for o in self.optima])
        whole = np.floor(exact).astype(int)
        for i in np.argsort(-(exact - whole), kind="stable")[: 100 - whole.sum()]:
            whole[i] += 1
        return int(whole[[o.rank for o in self.optima].index(rank)])

    @property
    def summary(self) -> str:
        """e.g. "EM reaches the best fit (log-likelihood −3,879.4) from 95% of the starting pairs; 5% (the
        diagonal, μ₁ = μ₂) stay on the saddle where both components are one normal" (English; see :meth:`describe`)."""
        return self.describe("en")

    def describe(self, lang: str | Words | None = None) -> str:
        """:attr:`summary` in ``lang`` ("en", "ko", a :class:`vizgmm.i18n.Words`; default the user's locale's)."""
        w = get_words(lang)
        line = w.gettext("EM reaches the best fit (log-likelihood {value}) from {share} of the starting pairs").format(
            value=_ll(self.optima[0].log_likelihood, w), share=f"{self.percent(1)}%")
        saddle = self.saddle
        for optimum in self.optima[1:]:
            share = f"{self.percent(optimum.rank)}%"
            if optimum.rank == saddle:
                line += w.gettext("; {share} (on or next to the diagonal μ₁ = μ₂) stay on the saddle where both "
                                  "components are one normal").format(share=share)
            else:
                line += w.gettext("; {share} reach optimum {rank} (log-likelihood {value})").format(
                    share=share, rank=optimum.rank, value=_ll(optimum.log_likelihood, w))
        return line


def basin_map(x: ArrayLike, *, grid: int = 21, lo: float | None = None, hi: float | None = None, method: str = DEFAULT_METHOD, max_iter: int = BASIN_MAX_ITER, tol: float = BASIN_TOL,
              reg_covar: float = DEFAULT_REG_COVAR) -> BasinMap:
    """Run EM (k = 2) from every pair of starting means on a grid over 1-D data; see the module docstring.

    Parameters
    ----------
    x : array-like, shape (n,) or (n, 1)
    grid : int
        Starting means per axis, 3 to 80 (``grid²`` EM runs; the rule is in :mod:`vizgmm.params`).
    lo, hi : float, optional
        The range of starting means; default the data's range.
    method, max_iter, tol, reg_covar :
        As in :func:`vizgmm.fit`; ``tol`` and ``max_iter`` default tighter
        (:data:`BASIN_TOL`, :data:`BASIN_MAX_ITER`), so that a start that
        crawls away from the saddle is not counted as an optimum of its own.

    Returns
    -------
    BasinMap
    """
    X = as_data_matrix(x)
    if X.shape[1] != 1:
        raise OptionError(f"the basin map is for 1-D data; this data has {X.shape[1]} features: choose one column")
    grid = check("grid", grid)
    values = X[:, 0]
    lo = float(values.min()) if lo is None else float(lo)
    hi = float(values.max()) if hi is None else float(hi)
    if not lo < hi:
        raise OptionError(f"the starting means need lo < hi, got {lo} and {hi}")
    std = float(values.std())
    if std <= 0:
        raise OptionError("the data's values are all equal: there is nothing for two components to split")
    starts = np.linspace(lo, hi, grid)
    finals = []
    for a in starts:
        for b in starts:
            history = fit(X, 2, method=method, init={"means": [a, b], "stds": [std, std], "weights": [0.5, 0.5]},
                          max_iter=max_iter, tol=tol, reg_covar=reg_covar)
            finals.append(history.final)
    optima = _one_saddle(group_finals(finals, X.std(axis=0)), finals, std)
    rank = np.zeros(grid * grid, dtype=int)
    for optimum in optima:
        rank[optimum.starts] = optimum.rank
    return BasinMap(starts=starts, rank=rank.reshape(grid, grid), optima=optima, finals=finals, std=std)


def _one_saddle(optima, finals, std):
    """Count every end near the saddle (two means within SADDLE_SPREAD·σ) as one, and rank again.

    A start one cell off the diagonal leaves the saddle slowly and is still on its
    way when even the tight tol stops it; it is not an optimum of its own.
    """
    def near(optimum):
        means = finals[optimum.starts[0]].means[:, 0]
        return abs(means[0] - means[1]) <= SADDLE_SPREAD * std

    saddle = [o for o in optima if near(o)]
    if len(saddle) > 1:
        joined = Optimum(starts=sorted(i for o in saddle for i in o.starts),
                         log_likelihood=max(o.log_likelihood for o in saddle),
                         relabelled=sum(o.relabelled for o in saddle))
        optima = sorted([o for o in optima if not near(o)] + [joined], key=lambda o: -o.log_likelihood)
        for rank, optimum in enumerate(optima, start=1):
            optimum.rank = rank
    return optima


def _ll(value, w):
    return w.numeral(f"{value:,.1f}").replace("-", "−")
