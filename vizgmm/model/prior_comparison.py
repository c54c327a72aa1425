"""The variational mixture under 2–4 weight concentration priors, all from one start: how many components each keeps.

A variational (Bayesian) mixture does not choose k; its prior on the weights
drains the components the data do not need. How many it drains is set by the
concentration ``weight_concentration_prior``: small values (0.001) favour few
components, large ones (1000) spread the weight over all of them.
:func:`compare_priors` fits the same data with each value from the very same
initial responsibilities (one array, computed once), so every difference
comes from the prior; :func:`prior_facts` gathers the numbers the compare
page quotes.

Each fit numbers its components by ascending final mean
(:mod:`vizgmm.model.ordering`), but the fits keep different components, so
the same cluster can hold another position (and would take another colour)
in each panel. The first fit keeps that order; every other fit's components
are matched to the first's (:func:`match_to_first`), so one cluster has one
number and colour in every panel.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from vizgmm.data.validate import as_data_matrix, check_k
from vizgmm.errors import OptionError
from vizgmm.model.defaults import (
    ACTIVE_WEIGHT,
    DEFAULT_COVARIANCE_TYPE,
    DEFAULT_MAX_ITER,
    DEFAULT_REG_COVAR,
    DEFAULT_TOL,
)
from vizgmm.model.em import fit
from vizgmm.model.ordering import order_components
from vizgmm.model.starts import initial_parameters
from vizgmm.model.variational import initial_responsibilities
from vizgmm.params import check

#: ``history.settings["component_order"]`` of every fit after the first.
ORDER_BY_FIRST_PRIOR = "matched to the first prior's components"


def prior_title(prior):
    """A panel's title: "weight_concentration_prior 0.001"."""
    return f"weight_concentration_prior {prior:g}"


@dataclass
class PriorComparison:
    """Variational fits of the same data and k under several weight concentration priors, from one start.

    Attributes
    ----------
    priors : tuple of float
        The ``weight_concentration_prior`` values, in the order given (one panel each).
    histories : list of History
        One variational history per prior; snapshot 0's responsibilities are the same array for all.
    k : int
    initial : dict
        The shared start: ``responsibilities`` (n, k).
    init : str
        How the start was made (``"kmeans++"``, ..., or ``"explicit"`` for a given array).
    seed : int or None
    weight_concentration_prior_type : str
    facts : dict
        The numbers the compare page quotes (see :func:`prior_facts`).
    """

    priors: tuple
    histories: list
    k: int
    initial: dict
    init: str
    seed: int | None = None
    weight_concentration_prior_type: str = "dirichlet_process"
    facts: dict = field(default_factory=dict)

    @property
    def titles(self) -> list[str]:
        return [prior_title(p) for p in self.priors]

    def __repr__(self):
        return f"<vizgmm.PriorComparison weight_concentration_prior {', '.join(f'{p:g}' for p in self.priors)}, k={self.k}>"


def compare_priors(X, k, priors, *, init="kmeans++", covariance_type=DEFAULT_COVARIANCE_TYPE,
                   max_iter=DEFAULT_MAX_ITER, tol=DEFAULT_TOL, reg_covar=DEFAULT_REG_COVAR, seed=None,
                   **prior_options):
    """Fit ``X`` with the variational mixture once per weight concentration prior, all from one start.

    The initial responsibilities are made once (as ``vizgmm.fit(..., method="variational",
    init=init, seed=seed)`` would make them) and handed to every fit as an (n, k) array, so
    each fit equals ``vizgmm.fit(X, k, method="variational", init=<that array>,
    weight_concentration_prior=p, ...)``, its components numbered as the first fit's
    (:func:`match_to_first`): one cluster, one colour in every panel.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
        Components to start with; the prior drains those the data do not need.
    priors : sequence of 2 to 4 different numbers > 0, or a comma-separated str
        The ``weight_concentration_prior`` of each fit, e.g. ``(0.001, 1, 1000)``.
    init : str, dict or array, shape (n, k)
        As :func:`vizgmm.fit`'s ``init`` for ``method="variational"`` (default ``"kmeans++"``).
    covariance_type, max_iter, tol, reg_covar, seed :
        As in :func:`vizgmm.fit`.
    **prior_options
        The variational mixture's other priors (``weight_concentration_prior_type``,
        ``mean_precision_prior``, ...), the same for every fit.

    Returns
    -------
    PriorComparison

    Examples
    --------
    >>> vizgmm.compare(X, 6, priors=[0.001, 1, 1000], seed=0)  # doctest: +SKIP
    <vizgmm.PriorComparison weight_concentration_prior 0.001, 1, 1000, k=6>
    """
    if "weight_concentration_prior" in prior_options:
        raise OptionError("weight_concentration_prior is what priors= varies; give the values as priors=[...]")
    X = as_data_matrix(X)
    k = check_k(k, X)
    priors = check("priors", priors)
    covariance_type = check("covariance_type", covariance_type)
    seed = None if seed is None else check("seed", seed)
    resp = initial_responsibilities(X, k, init, covariance_type=covariance_type, reg_covar=float(reg_covar),
                                    seed=seed, start=initial_parameters)
    histories = []
    for prior in priors:
        history = fit(X, k, method="variational", init=resp, covariance_type=covariance_type, max_iter=max_iter,
                      tol=tol, reg_covar=reg_covar, seed=seed, weight_concentration_prior=prior, **prior_options)
        # The fit only saw an array; say where it came from.
        history.settings["init_source"] = init if isinstance(init, str) else "explicit"
        history.meta.setdefault("title", prior_title(prior))
        histories.append(history)
    for history in histories[1:]:
        order_components(history, match_to_first(histories[0].final, history.final, X.std(axis=0)),
                         rule=ORDER_BY_FIRST_PRIOR)
    comparison = PriorComparison(
        priors=priors, histories=histories, k=k, initial={"responsibilities": resp},
        init=init if isinstance(init, str) else "explicit", seed=seed,
        weight_concentration_prior_type=histories[0].settings["priors"]["weight_concentration_prior_type"],
    )
    comparison.facts = prior_facts(comparison)
    return comparison


def match_to_first(first, other, scale):
    """The permutation of ``other``'s components that best matches ``first``'s: ``order[j]`` matches component j.

    The Hungarian method (scipy's ``linear_sum_assignment``) on the squared
    distances between final means in units of the data's spread per feature
    (``scale``, shape (d,)). A component that keeps its weight is matched with
    one that keeps its weight wherever both fits have one left, whatever the
    distances: a drained component sits near the prior's mean, close to
    everything, and must not take a cluster's number. The drained ones share
    the remaining numbers.

    Parameters
    ----------
    first, other : Snapshot
        The final snapshots of the first fit and of another.
    scale : array, shape (d,)
    """
    scale = np.where(scale > 0, scale, 1.0)
    a, b = first.means / scale, other.means / scale
    cost = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)
    kept = np.asarray(first.weights) >= ACTIVE_WEIGHT
    other_kept = np.asarray(other.weights) >= ACTIVE_WEIGHT
    # A kept/drained pair costs more than all distances together, the same whatever its distance:
    # as many kept pairs as possible, and only their distances decide which.
    mixed = kept[:, None] != other_kept[None, :]
    cost[mixed] = cost.sum() + 1.0
    rows, cols = linear_sum_assignment(cost)
    order = np.empty(len(rows), dtype=np.intp)
    order[rows] = cols
    return order


def prior_facts(comparison):
    """The numbers behind the page's explanation: per prior, how many components keep weight.

    Returns
    -------
    dict
        ``n``, ``d``, ``k``, ``init``, ``prior_type``, ``fits`` (per prior, in order: ``prior``,
        ``active``, ``drained``, ``drained_weight`` (their total weight), ``weights`` (largest
        first), ``elbo``, ``log_likelihood``, ``epochs``, ``converged``), ``fewest`` and ``most``
        (the first fits keeping the fewest and the most components), ``fewest_priors`` and
        ``most_priors`` (every prior that ties for them) and ``same`` (all keep as many).
    """
    fits = []
    for prior, history in zip(comparison.priors, comparison.histories):
        weights = history.final.weights
        drained = weights < ACTIVE_WEIGHT
        fits.append({
            "prior": float(prior),
            "title": prior_title(prior),
            "active": int((~drained).sum()),
            "drained": int(drained.sum()),
            "drained_weight": float(weights[drained].sum()),
            "weights": sorted((float(w) for w in weights), reverse=True),
            "elbo": float(history.settings["lower_bounds"][-1]),
            "log_likelihood": float(history.final.log_likelihood),
            "epochs": history.epochs,
            "converged": history.converged,
        })
    counts = [f["active"] for f in fits]
    first = comparison.histories[0]
    return {
        "n": first.n,
        "d": first.d,
        "k": comparison.k,
        "init": comparison.init,
        "prior_type": comparison.weight_concentration_prior_type,
        "active_weight": ACTIVE_WEIGHT,
        "fits": fits,
        "fewest": fits[int(np.argmin(counts))],
        "most": fits[int(np.argmax(counts))],
        "same": len(set(counts)) == 1,
        # Every prior that ties for the fewest / the most active components.
        "fewest_priors": [f["prior"] for f in fits if f["active"] == min(counts)],
        "most_priors": [f["prior"] for f in fits if f["active"] == max(counts)],
    }
