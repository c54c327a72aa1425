"""The CLI's default fit: from a start that shows EM move, unless it ends worse than k-means++.

The Python API's default start stays scikit-learn's k-means++. ``vizgmm fit``
without ``--init`` animates, so it starts from ``"spread"``
(:mod:`vizgmm.model.starts`), whose animation shows several epochs of
motion, and checks it against a k-means++ fit of the same data: when the
spread start ends more than :data:`FALLBACK_SHARE` worse in log-likelihood,
the k-means++ fit is kept and a note says so.
"""

from vizgmm.model.em import fit

#: The spread start's final log-likelihood may be this share of |log L| below k-means++'s.
FALLBACK_SHARE = 0.01


def fit_to_show(X, k, *, on_note=None, **options):
    """Fit from the "spread" start, or from k-means++ when that ends more than 1 % better.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
    on_note : callable(str), optional
        Told when the fit falls back to k-means++.
    **options
        As for :func:`vizgmm.fit` (except ``init``).

    Returns
    -------
    History
        ``settings["init"]`` says which start was kept.
    """
    shown = fit(X, k, init="spread", **options)
    quiet = dict(options, progress=False)
    reference = fit(X, k, init="kmeans++", **quiet)
    best, ours = reference.final.log_likelihood, shown.final.log_likelihood
    if ours >= best - FALLBACK_SHARE * abs(best):
        return shown
    if on_note is not None:
        on_note(
            f"the spread start ended at log-likelihood {ours:,.1f}, more than 1% below k-means++'s "
            f"{best:,.1f}; showing the k-means++ fit (choose with --init)"
        )
    return reference
