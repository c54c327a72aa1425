"""The CLI's default fit: from a start that shows EM move, unless it ends worse than k-means++.

The Python API's default start stays scikit-learn's k-means++. ``vizgmm fit``
without ``--init`` animates, so it starts from ``"spread"``
(:mod:`vizgmm.model.starts`), whose animation shows several epochs of
motion, and checks it against a k-means++ fit of the same data: when the
spread start ends more than :data:`FALLBACK_SHARE` worse in log-likelihood,
the k-means++ fit is kept and a note says so.

With several k (``-k auto``, ``-k 2-6``) or ``--n-init`` the choice of k is
made on k-means++ fits, as scikit-learn would; the animated run of the chosen
k then starts from "spread" too, checked against the selection's best fit of
that k (``reference``): a run from k-means++ barely moves (issue 20.11: seven
near-identical epochs), which is no animation.
"""

from collections.abc import Callable
from typing import Any

from numpy.typing import ArrayLike

from vizgmm.model.em import fit
from vizgmm.model.history import History

#: The spread start's final log-likelihood may be this share of |log L| below k-means++'s.
FALLBACK_SHARE = 0.01


def fit_to_show(X: ArrayLike, k: int, *, on_note: Callable[[str], Any] | None = None, reference: History | None = None, **options: Any) -> History:
    """Fit from the "spread" start, or keep the k-means++ fit when that ends more than 1 % better.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
    on_note : callable(str), optional
        Told when the fit falls back to k-means++.
    reference : History, optional
        The k-means++ fit to check against (a model selection's best of k,
        perhaps the best of several starts); default: one fitted here.
    **options
        As for :func:`vizgmm.fit` (except ``init``).

    Returns
    -------
    History
        ``settings["init"]`` says which start was kept.
    """
    shown = fit(X, k, init="spread", **options)
    starts = 1 if reference is None else int(reference.meta.get("n_init") or 1)
    if reference is None:
        quiet = dict(options, progress=False)
        reference = fit(X, k, init="kmeans++", **quiet)
    best, ours = reference.final.log_likelihood, shown.final.log_likelihood
    if ours >= best - FALLBACK_SHARE * abs(best):
        return shown
    if on_note is not None:
        whose = "k-means++'s" if starts == 1 else f"the best of {starts} k-means++ starts'"
        on_note(
            f"the spread start ended at log-likelihood {ours:,.1f}, more than 1% below {whose} "
            f"{best:,.1f}; showing the k-means++ fit (choose with --init)"
        )
    return reference
