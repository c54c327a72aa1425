"""Hard EM, soft EM and k-means from the same start: the fits, and what differs, in this data's numbers.

The walk-through's loop gives each point the label of its most probable
component and re-estimates every group from its own points: hard
(classification) EM. True EM is soft: every point counts for every component
in proportion to its responsibility p(z = j | x). :func:`compare` fits both
from the very same initial parameters, so every difference in the result
comes from the method; :func:`~vizgmm.model.comparison_facts.comparison_facts`
gathers the numbers that the report's explanation quotes.

Why hard labels bias σ low: where two components overlap, hard labels cut
each one at the decision boundary. The tail of component A that reaches into
B's side is counted wholly in B, and A's own estimate loses it, so A looks
narrower than it is (and the means are pushed apart). Soft responsibilities
keep those tails, shared in proportion.

k-means (``methods=("hard", "soft", "kmeans")``) is hard EM with every
weight held at 1/k and one spherical variance shared by all components: its
boundaries are the perpendicular bisectors between centres (in 1-D, the
midpoints), wherever hard EM's weights and spreads would move them. It runs
from the same initial means (:mod:`vizgmm.model.kmeans`).

:func:`~vizgmm.model.comparison_facts.first_difference` finds the first epoch at which the fits' labels
part; :func:`compare` marks that snapshot of every fit with a ``"differ"``
event, which the side-by-side animation shows as a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.data.validate import as_data_matrix, check_k
from vizgmm.errors import OptionError
from vizgmm.i18n import N_
from vizgmm.model.comparison_facts import (
    comparison_facts,
    first_difference,  # noqa: F401  (imported from here before the facts had their own module)
    match_components,  # noqa: F401
    spread,  # noqa: F401
)
from vizgmm.model.defaults import (
    DEFAULT_COVARIANCE_TYPE,
    DEFAULT_INIT,
    DEFAULT_MAX_ITER,
    DEFAULT_REG_COVAR,
    DEFAULT_TOL,
)
from vizgmm.model.em import fit
from vizgmm.model.kmeans import kmeans
from vizgmm.model.starts import initial_parameters
from vizgmm.model.variational import check_prior_names
from vizgmm.params import check

if TYPE_CHECKING:  # imported where a prior comparison is made: the variational fit is not loaded before
    from vizgmm.model.prior_comparison import PriorComparison


METHOD_TITLES = {
    "soft": N_("soft EM (responsibilities)"),
    "hard": N_("hard EM (labels)"),
    "kmeans": N_("k-means (Lloyd)"),
}
#: The methods' names in running text (explanations, frame notes), English; a page says them through its Words.
METHOD_WORDS = {"soft": N_("soft EM"), "hard": N_("hard EM"), "kmeans": N_("k-means")}


@dataclass
class Comparison:
    """Fits of the same data and k by several EM methods, all from one start.

    Attributes
    ----------
    methods : tuple of str
        In the order given, e.g. ``("hard", "soft")``.
    histories : dict str -> History
        One history per method; snapshot 0 is identical in all of them.
    k : int
    initial : dict
        The shared start: ``means`` (k, d), ``covariances`` (k, d, d),
        ``weights`` (k,).
    init : str
        How the start was made (``"kmeans++"``, ..., or ``"explicit"``).
    seed : int or None
    facts : dict
        The numbers the explanation quotes (see :func:`~vizgmm.model.comparison_facts.comparison_facts`).
    """

    methods: tuple
    histories: dict
    k: int
    initial: dict
    init: str
    seed: int | None = None
    facts: dict = field(default_factory=dict)

    def __repr__(self):
        return f"<vizgmm.Comparison {' vs '.join(self.methods)}, k={self.k}>"


def compare(
    X: ArrayLike,
    k: int,
    methods: Sequence[str] | str | None = None,
    *,
    priors: Sequence[float] | None = None,
    init: Any = DEFAULT_INIT,
    covariance_type: str = DEFAULT_COVARIANCE_TYPE,
    max_iter: int = DEFAULT_MAX_ITER,
    tol: float = DEFAULT_TOL,
    reg_covar: float = DEFAULT_REG_COVAR,
    seed: int | None = None,
    keep_responsibilities: bool = False,
    **prior_options: Any,
) -> Comparison | PriorComparison:
    """Fit ``X`` with each EM method from the same initial parameters.

    The start is computed once (:func:`vizgmm.model.starts.initial_parameters`) and
    given to every fit as explicit parameters.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
    methods : sequence of {"hard", "soft", "kmeans"}, or a comma-separated str
        Hard and soft EM (the default), optionally with k-means (Lloyd's algorithm from the
        start's means, :func:`vizgmm.model.kmeans.kmeans`), in the order the
        panels and tables show them. With ``priors``: leave it out (or ``"variational"``).
    priors : sequence of 2 to 4 numbers > 0, optional
        Compare the variational mixture under these ``weight_concentration_prior`` values
        instead, all from the same initial responsibilities
        (:func:`vizgmm.model.prior_comparison.compare_priors`); returns a ``PriorComparison``.
    init, covariance_type, max_iter, tol, reg_covar, seed, keep_responsibilities :
        As in :func:`vizgmm.fit`.
    **prior_options
        With ``priors``: the variational mixture's other priors (``weight_concentration_prior_type``, ...).

    Returns
    -------
    Comparison, or PriorComparison with ``priors``

    Examples
    --------
    >>> vizgmm.compare(x, 2, methods="hard,soft,kmeans", seed=0)  # doctest: +SKIP
    >>> vizgmm.compare(X, 6, priors=[0.001, 1, 1000], seed=0)  # doctest: +SKIP
    """
    # Before any work, and before a stray keyword (method=) reaches fit() twice as a TypeError.
    check_prior_names(prior_options, "compare")
    if priors is not None:
        if methods is not None and tuple([methods] if isinstance(methods, str) else methods) != ("variational",):
            raise OptionError("priors= compares the variational mixture under each prior; leave methods out")
        from vizgmm.model.prior_comparison import compare_priors

        return compare_priors(X, k, priors, init=init, covariance_type=covariance_type, max_iter=max_iter,
                              tol=tol, reg_covar=reg_covar, seed=seed, **prior_options)
    if prior_options:
        raise OptionError(f"{', '.join(sorted(prior_options))}: priors of the variational mixture; "
                          "compare them with priors=[...]")
    if methods is None:
        methods = ("hard", "soft")
    X = as_data_matrix(X)
    k = check_k(k, X)
    methods = check("methods", methods)
    if seed is not None:
        seed = check("seed", seed)
    means, covariances, weights = initial_parameters(
        X, k, init, covariance_type=covariance_type, reg_covar=reg_covar,
        rng=np.random.default_rng(seed),
    )
    start = {"means": means, "covariances": covariances, "weights": weights}
    histories = {}
    for method in methods:
        if method == "kmeans":
            history = kmeans(X, k, means, max_iter=max_iter, tol=tol, reg_covar=reg_covar, seed=seed)
        else:
            history = fit(
                X, k, method=method, init=start, covariance_type=covariance_type, max_iter=max_iter,
                tol=tol, reg_covar=reg_covar, seed=seed, keep_responsibilities=keep_responsibilities,
            )
        # The fit only saw explicit parameters; say where they came from.
        history.settings["init_source"] = init if isinstance(init, str) else "explicit"
        history.meta.setdefault("title", METHOD_TITLES[method])
        histories[method] = history
    comparison = Comparison(
        methods=tuple(methods),
        histories=histories,
        k=k,
        initial={"means": means, "covariances": covariances, "weights": weights},
        init=init if isinstance(init, str) else "explicit",
        seed=None if seed is None else int(seed),
    )
    comparison.facts = comparison_facts(comparison)
    _mark_first_difference(comparison)
    return comparison


def _mark_first_difference(comparison):
    """A "differ" event on every fit's snapshot at the first epoch where the labels part."""
    found = comparison.facts["first_difference"]
    epoch = found["epoch"]
    if epoch is None:
        return
    parted = [pair for pair, e in found["pairs"].items() if e == epoch]
    words = ", ".join(" ≠ ".join(METHOD_WORDS[m] for m in pair.split("-")) for pair in parted)
    message = f"labels first differ here: {found['points']:,} points ({words})"
    for history in comparison.histories.values():
        if epoch <= history.epochs:
            history[epoch].events.append({"type": "differ", "message": message})
