"""Restarts: N starts of one k, every history kept, and the optima they reach told apart.

EM finds a local optimum, so the same data and k fitted from different
starts can end in different places. :func:`restarts` runs the starts (one
initialisation method or a mix, each seeded) and :func:`group_optima` sorts
the final models into optima. Two finals are **the same optimum** when some
renumbering of the components (label switching: component 1 of one fit is
component 2 of the other) makes them agree:

- every mean within :data:`MEAN_TOLERANCE` of the data's standard deviation
  (per feature) of its partner, and
- every weight within :data:`WEIGHT_TOLERANCE` of its partner's.

The components are paired by the assignment that minimises the total
standardised distance between means (scipy's ``linear_sum_assignment``), so
numbering never splits one optimum into two. A worse optimum that puts one
component where the best fit has two is said to **merge two clusters**.

Optima are compared where each start **settles** (:data:`SETTLE_TOL`): a
start stopped by the fit's tol while still climbing is counted where it is
heading. A settled model with a collapsed component is a spike: ranked after
every other optimum, never the best fit.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment

from vizgmm.data.validate import as_data_matrix, check_k
from vizgmm.errors import OptionError
from vizgmm.i18n import Words
from vizgmm.i18n import words as get_words
from vizgmm.model.defaults import (
    DEFAULT_COVARIANCE_TYPE,
    DEFAULT_MAX_ITER,
    DEFAULT_METHOD,
    DEFAULT_REG_COVAR,
    DEFAULT_TOL,
)
from vizgmm.model.em import fit
from vizgmm.model.history import History
from vizgmm.model.selection import restart_seed
from vizgmm.model.starts import INITS
from vizgmm.params import check

#: Means closer than this share of the data's σ (per feature) are the same place.
MEAN_TOLERANCE = 0.05
#: Weights closer than this are the same weight.
WEIGHT_TOLERANCE = 0.02
#: Up to this many worse optima, the summary names each; beyond, it groups them.
SPELLED_OUT = 3
#: Optima are told apart where each start settles: run on to this tol (mean log-likelihood per
#: point) and this many epochs. At the fits' default tol (1e-3) a slow start is stopped while
#: still climbing; on wine's alcohol and colour intensity, k = 3, six of eight starts stopped
#: apart from the best fit (log-likelihood −544.0 to −527.2) and all eight reach it when run on.
SETTLE_TOL = 1e-6
SETTLE_MAX_ITER = 2000
#: A start whose stopped log-likelihood is this far (total) below where it settles was still climbing.
CLIMBING = 0.05


@dataclass
class Optimum:
    """One place the starts ended: which starts, its log-likelihood and how it differs from the best.

    Attributes
    ----------
    starts : list of int
        0-based indices of the starts that reached it, ascending.
    log_likelihood : float
        The highest final total log-likelihood among them.
    rank : int
        1 for the best optimum, 2 for the next, ...
    merged : list of tuple of int
        For a worse optimum: pairs of the best fit's components (0-based) that
        this optimum covers with one component ("merges two clusters").
    relabelled : int
        How many of its starts number the components differently from its
        first start (label switching), matched and counted as one optimum.
    collapsed : bool
        A component of it collapsed onto a point (:mod:`vizgmm.model.collapse`):
        a spike whose likelihood grows without bound, ranked after every other
        optimum and never the best fit.
    """

    starts: list
    log_likelihood: float
    rank: int = 0
    merged: list = field(default_factory=list)
    relabelled: int = 0
    collapsed: bool = False


@dataclass
class Restarts:
    """Every start of one k, and the optima they reach.

    Attributes
    ----------
    histories : list of History
        One per start, in start order.
    inits : list of str
        The initialisation method of each start.
    optima : list of Optimum
        Best first, grouped where the starts settle (see :data:`SETTLE_TOL`).
    settled : list of Snapshot or None
        Each start's final snapshot when run on until it settles; None: the histories' own finals.
    tol : float or None
        The tol the histories stopped at.
    """

    histories: list
    inits: list
    optima: list
    settled: list | None = None
    tol: float | None = None

    @property
    def climbing(self) -> list[int]:
        """Indices of the starts that ``tol`` stopped while they were still climbing to where they settle."""
        if self.settled is None:
            return []
        return [i for i, (h, end) in enumerate(zip(self.histories, self.settled))
                if end.log_likelihood - h.final.log_likelihood > CLIMBING]

    @property
    def best(self) -> int:
        """The start shown as the best: of those that reach the best optimum, the one with the highest
        final log-likelihood (ties to the earlier start)."""
        return max(self.optima[0].starts, key=lambda i: (self.histories[i].final.log_likelihood, -i))

    def optimum_of(self, start: int) -> Optimum:
        """The :class:`Optimum` that start ``start`` (0-based) reached."""
        return next(o for o in self.optima if start in o.starts)

    @property
    def summary(self) -> str:
        """One sentence: how many starts reach the best fit and where the others end (English; see :meth:`describe`).

        e.g. "7 of 10 starts reach the best fit (log-likelihood −1,100.3); 2 reach a worse one
        with log-likelihood −1,140.2; 1 merges two clusters (log-likelihood −1,201.0)".
        """
        return self.describe("en")

    def describe(self, lang: str | Words | None = None) -> str:
        """:attr:`summary` in ``lang`` ("en", "ko", a :class:`vizgmm.i18n.Words`; default the user's locale's)."""
        w = get_words(lang)
        n = len(self.histories)
        best = self.optima[0]
        if best.collapsed:
            # Collapsed settles rank last: the first one collapsed means every start did. No fit to praise.
            top = _ll(max(o.log_likelihood for o in self.optima), w)
            parts = [(w.gettext("the start collapses a component onto a point (spike, log-likelihood up to {value}, not a "
                                "fit): none is a usable fit; raise reg_covar, add jitter to repeated values, or try a "
                                "smaller k") if n == 1 else
                      w.gettext("all {count} starts collapse a component onto a point (spikes, log-likelihood up to "
                                "{value}, not a fit): none is a usable fit; raise reg_covar, add jitter to repeated "
                                "values, or try a smaller k")).format(count=n, value=top)]
            worse, spikes = [], []
        else:
            reach = (w.gettext("{best} of {n} start reaches the best fit (log-likelihood {value})") if n == 1 else
                     w.ngettext("{best} of {n} starts reaches the best fit (log-likelihood {value})",
                                "{best} of {n} starts reach the best fit (log-likelihood {value})", len(best.starts)))
            parts = [reach.format(best=len(best.starts), n=n, value=_ll(best.log_likelihood, w))]
            worse = [o for o in self.optima[1:] if not o.collapsed]
            spikes = [o for o in self.optima[1:] if o.collapsed]
        if len(worse) <= SPELLED_OUT:
            for optimum in worse:
                parts.append(_worse_part(len(optimum.starts), [optimum], w))
        else:  # many optima: one part for those that merge clusters, one for the rest
            for kind in ([o for o in worse if o.merged], [o for o in worse if not o.merged]):
                if kind:
                    parts.append(_worse_part(sum(len(o.starts) for o in kind), kind, w))
        if spikes:
            count = sum(len(o.starts) for o in spikes)
            parts.append(w.ngettext(
                "{count} collapses a component onto a point (a spike, log-likelihood up to {value}, not a fit)",
                "{count} collapse a component onto a point (a spike, log-likelihood up to {value}, not a fit)",
                count).format(count=count, value=_ll(max(o.log_likelihood for o in spikes), w)))
        joint = w.gettext("; ")
        line = joint.join(parts)
        climbing = len(self.climbing)
        cut_short = [i for i in self.climbing if not self.histories[i].converged]
        if cut_short and len(cut_short) == climbing:
            # max_iter stopped them, not tol: say which limit, or the reader looks for a tol that never acted.
            line += joint + w.ngettext(
                "{count} start was still climbing when max_iter {max_iter} stopped it (counted where it settles)",
                "{count} starts were still climbing when max_iter {max_iter} stopped them (counted where they settle)",
                climbing).format(count=climbing, max_iter=self.histories[cut_short[0]].settings.get("max_iter"))
        elif climbing:
            line += joint + w.ngettext(
                "{count} start was still climbing when tol {tol} stopped it (counted where it settles)",
                "{count} starts were still climbing when tol {tol} stopped them (counted where they settle)",
                climbing).format(count=climbing, tol=f"{self.tol:g}")
        relabelled = sum(o.relabelled for o in self.optima)
        if relabelled:
            line += joint + w.ngettext(
                "{count} start numbered the components differently (matched by parameters, counted as the same optimum)",
                "{count} starts numbered the components differently (matched by parameters, counted as the same "
                "optimum)", relabelled).format(count=relabelled)
        return line

    def table(self) -> list[dict[str, Any]]:
        """One row per start: index (1-based), init, seed, epochs, converged, final log-likelihood, optimum rank."""
        return [
            {
                "index": i + 1,
                "init": self.inits[i],
                "seed": h.settings.get("seed"),
                "epochs": h.epochs,
                "converged": h.converged,
                "log_likelihood": float(h.final.log_likelihood),
                "optimum": self.optimum_of(i).rank,
                "chosen": i == self.best,
            }
            for i, h in enumerate(self.histories)
        ]

    def __repr__(self):
        return f"<vizgmm.Restarts {len(self.histories)} starts: {self.summary}>"


def restarts(
    X: ArrayLike,
    k: int,
    *,
    n_init: int = 10,
    init: Any = "kmeans++",
    method: str = DEFAULT_METHOD,
    covariance_type: str = DEFAULT_COVARIANCE_TYPE,
    max_iter: int = DEFAULT_MAX_ITER,
    tol: float = DEFAULT_TOL,
    reg_covar: float = DEFAULT_REG_COVAR,
    seed: int | None = 0,
) -> Restarts:
    """Fit ``k`` components from ``n_init`` seeded starts and group the optima they reach.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
    n_init : int
        Number of starts.
    init : str or sequence of str
        One initialisation method for every start, or several used in turn
        (start i uses ``init[i % len(init)]``), e.g. ``("kmeans++", "random-from-data")``.
    method, covariance_type, max_iter, tol, reg_covar :
        As in :func:`vizgmm.fit`.
    seed : int
        Root seed: start i is seeded from (seed, k, i), as :func:`vizgmm.select`'s restarts.

    Returns
    -------
    Restarts
    """
    X = as_data_matrix(X)
    k = check_k(k, X)
    n_init = check("n_init", n_init)
    seed = check("seed", seed)
    methods = [init] if isinstance(init, str) else list(init)
    if not methods or any(m not in INITS for m in methods):
        raise OptionError(f"init must be one of {', '.join(INITS)} or a list of them, got {init!r}")
    histories, inits, settled = [], [], []
    for i in range(n_init):
        name = methods[i % len(methods)]
        options = dict(method=method, init=name, covariance_type=covariance_type, reg_covar=reg_covar,
                       seed=restart_seed(seed, k, i))
        history = fit(X, k, max_iter=max_iter, tol=tol, **options)
        history.meta.update(restart=i, n_init=n_init, seed=seed)
        histories.append(history)
        inits.append(name)
        # The same start run on until it settles: where it is heading, which is what an optimum is.
        longer = fit(X, k, max_iter=max(max_iter, SETTLE_MAX_ITER), tol=min(tol, SETTLE_TOL), **options)
        settled.append(longer.final)
    return Restarts(histories=histories, inits=inits, optima=group_finals(settled, X.std(axis=0)),
                    settled=settled, tol=tol)


def group_optima(histories: Sequence[History]) -> list[Optimum]:
    """The optima the histories' final models reach, best first (see the module's docstring).

    Parameters
    ----------
    histories : list of History
        Fits of the same data with the same k.

    Returns
    -------
    list of Optimum
    """
    if not histories:
        raise OptionError("group_optima needs at least one history")
    return group_finals([h.final for h in histories], histories[0].X.std(axis=0))


def group_finals(finals, data_std):
    """:func:`group_optima` on final snapshots alone (anything with ``means``, ``weights`` and
    ``log_likelihood``), given the data's standard deviation per feature.

    Returns
    -------
    list of Optimum
    """
    scale = np.where(np.asarray(data_std) > 0, data_std, 1.0)
    # A collapsed final buys likelihood with a spike: after every other (see vizgmm.model.collapse).
    order = sorted(range(len(finals)), key=lambda i: (_collapsed(finals[i]), -finals[i].log_likelihood, i))
    groups = []  # [first start, members, relabelled count]
    for i in order:
        for group in groups:
            pairing = _pairing(finals[group[0]], finals[i], scale)
            if pairing is not None:
                group[1].append(i)
                group[2] += int(np.any(pairing != np.arange(len(pairing))))
                break
        else:
            groups.append([i, [i], 0])
    best = finals[groups[0][0]]
    optima = []
    for rank, (first, members, relabelled) in enumerate(groups, start=1):
        final = finals[first]
        optima.append(Optimum(
            starts=sorted(members), log_likelihood=float(final.log_likelihood), rank=rank,
            merged=[] if rank == 1 else _merged(best, final, scale), relabelled=relabelled,
            collapsed=_collapsed(final),
        ))
    return optima


def _collapsed(snapshot):
    return any(e.get("type") == "collapse" for e in getattr(snapshot, "events", None) or ())


def _pairing(a, b, scale):
    """The renumbering of ``b``'s components that matches ``a``'s (array: a's j ↔ b's pairing[j]), or None."""
    distance = np.linalg.norm((a.means[:, None, :] - b.means[None, :, :]) / scale, axis=2)
    rows, columns = linear_sum_assignment(distance)
    pairing = columns[np.argsort(rows)]
    close = distance[np.arange(len(pairing)), pairing].max() <= MEAN_TOLERANCE * np.sqrt(a.means.shape[1])
    same_weights = np.abs(a.weights - b.weights[pairing]).max() <= WEIGHT_TOLERANCE
    return pairing if close and same_weights else None


def _merged(best, other, scale):
    """Pairs of ``best``'s components whose nearest component in ``other`` is the same one."""
    distance = np.linalg.norm((best.means[:, None, :] - other.means[None, :, :]) / scale, axis=2)
    nearest = distance.argmin(axis=1)
    pairs = []
    for j in np.unique(nearest):
        covered = [int(c) for c in np.flatnonzero(nearest == j)]
        pairs.extend(zip(covered, covered[1:]))
    return pairs


def _worse_part(count, optima, w):
    """ "2 reach a worse one with log-likelihood −1,140.2", "1 merges two clusters (...)", or for several optima
    "4 reach 3 other worse optima (log-likelihood −1,795.8 to −1,728.5)", in ``w``'s language."""
    values = [o.log_likelihood for o in optima]
    span = _ll(values[0], w) if len(values) == 1 else w.gettext("{low} to {high}").format(
        low=_ll(min(values), w), high=_ll(max(values), w))
    if optima[0].merged:
        where = "" if len(optima) == 1 else w.gettext(" in {count} worse optima").format(count=len(optima))
        if all(len(o.merged) == 1 for o in optima):
            text = w.ngettext("{count} merges two clusters{where} (log-likelihood {span})",
                              "{count} merge two clusters{where} (log-likelihood {span})", count)
        else:
            text = w.ngettext("{count} merges clusters{where} (log-likelihood {span})",
                              "{count} merge clusters{where} (log-likelihood {span})", count)
        return text.format(count=count, where=where, span=span)
    if len(optima) == 1:
        return w.ngettext("{count} reaches a worse one with log-likelihood {span}",
                          "{count} reach a worse one with log-likelihood {span}", count).format(count=count, span=span)
    return w.gettext("{count} reach {optima} other worse optima (log-likelihood {span})").format(
        count=count, optima=len(optima), span=span)


def _ll(value, w):
    return w.numeral(f"{value:,.1f}").replace("-", "−")
