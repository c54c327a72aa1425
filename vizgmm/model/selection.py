"""Choosing k: fit every k with restarts and keep the one with the lowest BIC.

On real data nobody knows how many groups there are, and EM can stop in a
poor local optimum. :func:`select` fits each candidate k ``n_init`` times
from different starts, keeps every restart's history (so a poor optimum can
be shown), takes the best restart of each k by final log-likelihood, and
chooses the k whose best restart has the lowest Bayesian information
criterion — scikit-learn's convention (``GaussianMixture.bic``, lower is
better)::

    BIC = -2 log L + p log n        AIC = -2 log L + 2 p

with p the free parameters counted as scikit-learn counts them.

Restart r of k is seeded from ``(seed, k, r)`` alone, so asking for k = 1..6
or for k = 3 only gives the very same fits for k = 3.
"""

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.data.validate import as_data_matrix, check_k, count_distinct
from vizgmm.errors import FitError, OptionError
from vizgmm.i18n import N_, Words
from vizgmm.i18n import words as get_words
from vizgmm.model.collapse import rounding_warning
from vizgmm.model.defaults import (
    DEFAULT_COVARIANCE_TYPE,
    DEFAULT_INIT,
    DEFAULT_MAX_ITER,
    DEFAULT_METHOD,
    DEFAULT_REG_COVAR,
    DEFAULT_TOL,
)
from vizgmm.model.em import fit
from vizgmm.model.history import History
from vizgmm.params import check

CRITERION = "bic"
DIRECTION = N_("lower is better")
#: ``-k auto`` tries k = 1..AUTO_MAX_K (fewer when the data has fewer distinct points).
AUTO_MAX_K = 8


@dataclass
class Selection:
    """Every fit of every candidate k, and the k chosen by BIC.

    Attributes
    ----------
    ks : list of int
        The candidate numbers of components that were fitted, ascending (a k
        whose every restart failed is left out and listed in ``failures``).
    fits : dict int -> list of History
        Every restart of every k, in restart order (failed restarts left out;
        see ``failures``).
    best_by_k : dict int -> History
        The restart of each k with the highest final log-likelihood.
    bic, aic : dict int -> float
        The criteria of ``best_by_k[k]``'s final snapshot; lower is better.
    best_k : int
        The k with the lowest BIC (ties go to the smaller k).
    best : History
        ``best_by_k[best_k]``: the model to animate.
    criterion : str
        ``"bic"``.
    direction : str
        ``"lower is better"``.
    method : str
        The EM method every fit used (``"soft"`` or ``"hard"``).
    n_init : int
        Restarts per k.
    seed : int
        The root seed the restart seeds were derived from (drawn at random
        and recorded here when none was given, so the run can be repeated).
    best_restart : dict int -> int
        Index into ``fits[k]`` of ``best_by_k[k]``.
    failures : list of dict
        ``{"k", "restart", "message"}`` for restarts that stopped with a
        FitError; the other restarts still count.
    collapsed : list of dict
        ``{"k", "restart", "components", "message"}`` for restarts whose final
        model has a collapsed component (:mod:`vizgmm.model.collapse`): their
        likelihood is bought by a spike on repeated values, so they are not
        scored. A k whose every restart collapsed is left out of ``ks``.
    warning : str or None
        Said when the data are heavily rounded (many tied values), the
        situation in which collapses happen; None otherwise.
    """

    ks: list
    fits: dict
    best_by_k: dict
    bic: dict
    aic: dict
    best_k: int
    best: object
    method: str = "soft"
    n_init: int = 1
    seed: int | None = None
    best_restart: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    collapsed: list = field(default_factory=list)
    warning: str | None = None
    criterion: str = CRITERION
    direction: str = DIRECTION

    @property
    def summary(self) -> str:
        """One line saying which k was chosen, by which criterion, in which direction (English; see :meth:`describe`)."""
        return self.describe("en")

    def describe(self, lang: str | Words | None = None) -> str:
        """:attr:`summary` in ``lang`` ("en", "ko", a :class:`vizgmm.i18n.Words`; default the user's locale's)."""
        w = get_words(lang)
        line = w.gettext("k={k} chosen: lowest BIC ({direction})").format(k=self.best_k, direction=w.gettext(self.direction))
        ranked = sorted(self.bic, key=lambda k: (self.bic[k], k))
        if len(ranked) > 1:
            runner_up = ranked[1]
            line += w.gettext("; BIC {best} vs {other} for the next best k={k}").format(
                best=w.number(self.bic[self.best_k], 1), other=w.number(self.bic[runner_up], 1), k=runner_up)
        lost = sorted({f["k"] for f in self.failures} - set(self.ks) - set(self.skipped))
        if lost:
            line += w.gettext("; k={ks} left out: every restart failed numerically").format(ks=",".join(map(str, lost)))
        if self.skipped:
            line += w.gettext("; k={ks} skipped: every restart collapsed a component onto repeated values (its "
                              "likelihood grows without bound), so BIC cannot judge it").format(
                ks=",".join(map(str, self.skipped)))
        return line

    @property
    def skipped(self) -> list[int]:
        """The k left out because every restart's final model had a collapsed component, ascending."""
        return sorted({c["k"] for c in self.collapsed} - set(self.ks))

    def table(self) -> list[dict[str, Any]]:
        """One row per fitted k, for the report's BIC/AIC table.

        Returns
        -------
        list of dict
            Keys: ``k``, ``n_parameters``, ``log_likelihood`` (best restart's
            final total), ``bic``, ``aic``, ``delta_bic`` (minus the lowest),
            ``restarts`` (successful fits), ``converged`` (how many of them
            converged), ``chosen`` (bool).
        """
        lowest = self.bic[self.best_k]
        rows = []
        for k in self.ks:
            if k not in self.best_by_k:
                continue
            best = self.best_by_k[k]
            rows.append({
                "k": k,
                "n_parameters": best.n_parameters(),
                "log_likelihood": float(best.final.log_likelihood),
                "bic": self.bic[k],
                "aic": self.aic[k],
                "delta_bic": self.bic[k] - lowest,
                "restarts": len(self.fits[k]),
                "converged": sum(h.converged for h in self.fits[k]),
                "chosen": k == self.best_k,
            })
        return rows

    @property
    def restarts(self) -> list[History]:
        """Every restart of the chosen k (the histories the restart chart draws)."""
        return self.fits[self.best_k]

    def __repr__(self):
        return f"<vizgmm.Selection ks={self.ks}, n_init={self.n_init}: {self.summary}>"


def select(
    X: ArrayLike,
    ks: Sequence[int],
    *,
    n_init: int = 1,
    method: str = DEFAULT_METHOD,
    init: Any = DEFAULT_INIT,
    covariance_type: str = DEFAULT_COVARIANCE_TYPE,
    max_iter: int = DEFAULT_MAX_ITER,
    tol: float = DEFAULT_TOL,
    reg_covar: float = DEFAULT_REG_COVAR,
    seed: int | None = None,
    progress: bool = False,
) -> Selection:
    """Fit every k in ``ks`` ``n_init`` times and choose k by the lowest BIC.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    ks : iterable of int, or str
        Candidate numbers of components; a string is read by :func:`parse_ks`
        (``"auto"``, ``"1-6"``, ``"2,3,5"``).
    n_init : int
        Restarts per k, each from its own initialisation.
    method, init, covariance_type, max_iter, tol, reg_covar :
        As in :func:`vizgmm.fit`. ``init`` must be one of the random
        initialisations (an explicit dict fits one k only; use ``fit``).
    seed : int or None
        Root seed. Restart r of k uses a seed derived from (seed, k, r).
    progress : bool
        Show a progress bar over all ``len(ks) * n_init`` fits.

    Returns
    -------
    Selection
    """
    X = as_data_matrix(X)
    if isinstance(ks, str):
        ks = parse_ks(ks, X)
    ks = _check_ks(ks, X)
    n_init = check("n_init", n_init)
    if not isinstance(init, str):
        raise OptionError(
            "select needs a random initialisation (kmeans++, random-split, random-from-data); "
            "explicit initial parameters fix k, so call vizgmm.fit instead"
        )
    if seed is None:
        # Record the entropy drawn so the run can be repeated from the Selection.
        seed = int(cast(int, np.random.SeedSequence().entropy))
    seed = check("seed", seed)

    jobs: Any = [(k, r) for k in ks for r in range(n_init)]
    if progress:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, desc="fits", unit="fit", leave=False)
    fits: dict[int, list[History]] = {k: [] for k in ks}
    failures, collapsed = [], []
    for k, r in jobs:
        try:
            history = fit(
                X, k, method=method, init=init, covariance_type=covariance_type,
                max_iter=max_iter, tol=tol, reg_covar=reg_covar, seed=restart_seed(seed, k, r),
            )
        except FitError as exc:
            failures.append({"k": k, "restart": r, "message": str(exc)})
            continue
        history.meta["restart"] = r
        history.meta["n_init"] = n_init
        # settings["seed"] is this restart's derived seed; the report shows the
        # root seed the user gave, which is what repeats the whole selection.
        history.meta["seed"] = seed
        spikes = [e for e in history.final.events if e["type"] == "collapse"]
        if spikes:
            collapsed.append({
                "k": k, "restart": r, "components": [e["component"] for e in spikes],
                "message": spikes[0]["message"],
            })
            continue
        fits[k].append(history)
    if progress:
        jobs.close()

    best_by_k, best_restart, bic, aic = {}, {}, {}, {}
    for k in ks:
        if not fits[k]:
            continue
        finals = [h.final.log_likelihood for h in fits[k]]
        index = int(np.argmax(finals))  # ties go to the earlier restart
        best_restart[k] = index
        best_by_k[k] = fits[k][index]
        bic[k] = float(best_by_k[k].bic())
        aic[k] = float(best_by_k[k].aic())
    if not best_by_k:
        what = "failed" if not collapsed else "collapsed" if not failures else "failed or collapsed"
        raise FitError(f"every fit {what}: {(failures or collapsed)[0]['message']}")
    # A k whose every restart failed has no model to score; failures says why.
    ks = [k for k in ks if k in best_by_k]
    fits = {k: fits[k] for k in ks}
    warning = rounding_warning(X, reg_covar) if collapsed else None
    if warning:
        warnings.warn(warning, stacklevel=2)
    # Sorted ks and a strict "<" make ties go to the smaller k, the simpler model.
    best_k = min(bic, key=lambda k: (bic[k], k))
    return Selection(
        ks=ks,
        fits=fits,
        best_by_k=best_by_k,
        bic=bic,
        aic=aic,
        best_k=best_k,
        best=best_by_k[best_k],
        method=method,
        n_init=n_init,
        seed=seed,
        best_restart=best_restart,
        failures=failures,
        collapsed=collapsed,
        warning=warning,
    )


def restart_seed(seed, k, restart):
    """The seed of restart ``restart`` of ``k`` components under root ``seed``.

    Derived by NumPy's SeedSequence so that seeds of different (k, restart)
    pairs are independent streams, and the same triple always gives the same
    seed whatever other k are fitted alongside.
    """
    return int(np.random.SeedSequence([seed, k, restart]).generate_state(1)[0])


_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")


def parse_ks(text, X=None):
    """Read a -k value into a sorted list of candidate k.

    ``"auto"`` is 1..8 (1..distinct points of ``X`` when fewer); ``"1-6"`` a
    range; ``"3"`` one k; ``"2,3,5"`` a list (items may be ranges too).

    Parameters
    ----------
    text : str or int
    X : array, shape (n, d), optional
        Only used by ``"auto"``.

    Returns
    -------
    list of int
    """
    if isinstance(text, (int, np.integer)) and not isinstance(text, bool):
        text = str(int(text))
    if not isinstance(text, str):
        raise OptionError(f"k must be a number, a range like 1-6, a list like 2,3,5, or auto; got {text!r}")
    spec = text.strip().lower()
    if spec == "auto":
        top = AUTO_MAX_K
        if X is not None:
            top = max(1, min(AUTO_MAX_K, count_distinct(as_data_matrix(X), AUTO_MAX_K)))
        return list(range(1, top + 1))
    ks = set()
    for item in spec.split(","):
        item = item.strip()
        match = _RANGE.match(item)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if low > high:
                raise OptionError(f"k range {item!r} runs backwards; write the smaller k first, e.g. {high}-{low}")
            ks.update(range(low, high + 1))
        elif item.isdigit():
            ks.add(int(item))
        else:
            raise OptionError(
                f"cannot read k from {text!r}; use a number (3), a range (1-6), a list (2,3,5) or auto"
            )
    if 0 in ks:
        raise OptionError(f"k must be at least 1, got {text!r}")
    return sorted(ks)


def _check_ks(ks, X):
    try:
        ks = list(ks)
    except TypeError:
        raise OptionError(f"ks must be a list of numbers of components, got {ks!r}") from None
    if not ks:
        raise OptionError("give at least one k to try")
    # Check every k before fitting any, so a bad k fails in a moment, not after minutes.
    return sorted({check_k(k, X) for k in ks})
