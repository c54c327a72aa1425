"""The numbers a comparison of EM methods is told in: its fits' components matched, their σ, and where labels part.

:func:`comparison_facts` gathers every number the report's explanation quotes
(:func:`vizgmm.model.comparison.compare` stores them in ``Comparison.facts``);
:func:`first_difference` finds the first epoch at which the fits' labels part.
Components are matched to soft EM's by their final means (:func:`match_components`).
"""

import numpy as np
from scipy.optimize import linear_sum_assignment

#: A point is "uncertain" when no component's responsibility reaches this.
CERTAIN = 0.9


def _aligned_labels(comparison, epoch):
    """Every fit's labels at ``epoch`` (its last snapshot if it stopped earlier), in soft EM's numbering."""
    soft = comparison.histories["soft"]
    labels = {}
    for method, history in comparison.histories.items():
        snap = history[min(epoch, history.epochs)]
        if method == "soft":
            labels[method] = snap.labels
        else:
            # Other label i is other component i, which is soft component inverse[i].
            inverse = np.argsort(match_components(soft.final, history.final))
            labels[method] = inverse[snap.labels]
    return labels


def first_difference(comparison):
    """The first epoch at which the fits' labels differ, per pair of methods and overall.

    Components are matched to soft EM's by their final means
    (:func:`match_components`); a fit that stopped earlier keeps its last
    labels.

    Parameters
    ----------
    comparison : Comparison

    Returns
    -------
    dict
        ``epoch`` (int or None when the labels never differ), ``points``
        (how many points differ between some pair at that epoch), ``pairs``
        (``{"hard-soft": epoch or None, ...}`` for every pair in the order
        of ``comparison.methods``) and ``points_by_pair`` at each pair's epoch.
    """
    methods = comparison.methods
    pairs = [(a, b) for i, a in enumerate(methods) for b in methods[i + 1:]]
    longest = max(h.epochs for h in comparison.histories.values())
    first = {f"{a}-{b}": None for a, b in pairs}
    points = {f"{a}-{b}": 0 for a, b in pairs}
    overall, overall_points = None, 0
    for epoch in range(longest + 1):
        labels = _aligned_labels(comparison, epoch)
        differ_any = np.zeros(comparison.histories["soft"].n, dtype=bool)
        for a, b in pairs:
            differ = labels[a] != labels[b]
            differ_any |= differ
            if first[f"{a}-{b}"] is None and differ.any():
                first[f"{a}-{b}"], points[f"{a}-{b}"] = epoch, int(differ.sum())
        if overall is None and differ_any.any():
            overall, overall_points = epoch, int(differ_any.sum())
        if all(e is not None for e in first.values()):
            break
    return {"epoch": overall, "points": overall_points, "pairs": first, "points_by_pair": points}

def match_components(reference, other):
    """The permutation of ``other``'s components that best matches ``reference``'s.

    Both fits start from the same parameters, so component j usually stays
    component j; matching the final means (scaled per feature) guards against
    the rare swap.

    Parameters
    ----------
    reference, other : Snapshot

    Returns
    -------
    order : array, shape (k,)
        ``other`` component ``order[j]`` corresponds to ``reference`` component j.
    """
    scale = np.sqrt(np.maximum(np.einsum("kii->ki", reference.covariances).mean(axis=0), 1e-300))
    a = reference.means / scale
    b = other.means / scale
    cost = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    order = np.empty(len(rows), dtype=int)
    order[rows] = cols
    return order


def spread(covariances):
    """σ per component: the std for 1-D data, the geometric mean of the axes' stds otherwise, shape (k,).

    Parameters
    ----------
    covariances : array, shape (k, d, d)
    """
    d = covariances.shape[1]
    _, logdet = np.linalg.slogdet(covariances)
    return np.exp(logdet / (2.0 * d))


def comparison_facts(comparison):
    """The numbers behind the explanation of a hard-vs-soft comparison.

    Components are numbered as in the soft fit (1-based in the text).

    Returns
    -------
    dict
        ``n``, ``d``, ``k``, ``epochs`` / ``converged`` / ``log_likelihood``
        per method, ``components`` (list of dicts with ``mean``, ``sigma``,
        ``weight`` per method, ``sigma_change`` = hard σ / soft σ − 1),
        ``uncertain`` (points whose largest soft responsibility is below
        0.9), ``uncertain_range`` (1-D: lowest and highest such x, else
        None), ``labels_differ`` (points whose final labels differ),
        ``differ_range``, ``narrower`` (components whose hard σ is smaller).
    """
    soft = comparison.histories["soft"]
    hard = comparison.histories["hard"]
    X = soft.X
    n, d = X.shape
    order = match_components(soft.final, hard.final)
    hard_means = hard.final.means[order]
    hard_sigma = spread(hard.final.covariances)[order]
    hard_weights = hard.final.weights[order]
    soft_sigma = spread(soft.final.covariances)
    components = []
    for j in range(comparison.k):
        components.append({
            "component": j + 1,
            "mean": {"soft": soft.final.means[j].tolist(), "hard": hard_means[j].tolist()},
            "sigma": {"soft": float(soft_sigma[j]), "hard": float(hard_sigma[j])},
            "weight": {"soft": float(soft.final.weights[j]), "hard": float(hard_weights[j])},
            "sigma_change": float(hard_sigma[j] / soft_sigma[j] - 1.0),
        })
    if "kmeans" in comparison.histories:
        _kmeans_facts(comparison, components)
    resp = soft.posterior(-1)
    uncertain = resp.max(axis=1) < CERTAIN
    # Hard label i means hard component i, which is soft component inverse[i].
    inverse = np.argsort(order)
    hard_labels = inverse[hard.final.labels]
    differ = hard_labels != soft.final.labels
    return {
        "n": n,
        "d": d,
        "k": comparison.k,
        "init": comparison.init,
        "epochs": {m: h.epochs for m, h in comparison.histories.items()},
        "converged": {m: h.converged for m, h in comparison.histories.items()},
        "log_likelihood": {m: float(h.final.log_likelihood) for m, h in comparison.histories.items()},
        "components": components,
        "certain_level": CERTAIN,
        "uncertain": int(uncertain.sum()),
        "uncertain_range": _range_1d(X, uncertain),
        "labels_differ": int(differ.sum()),
        "differ_range": _range_1d(X, differ),
        "narrower": [c["component"] for c in components if c["sigma_change"] < 0],
        "mean_gap": _mean_gap(soft.final.means, hard_means) if comparison.k == 2 else None,
        "methods": list(comparison.methods),
        "first_difference": first_difference(comparison),
        "kmeans": _kmeans_summary(comparison, inverse, differ) if "kmeans" in comparison.histories else None,
    }


def _kmeans_facts(comparison, components):
    """Add k-means' centre, shared σ and weight 1/k to each soft-numbered component's entry."""
    soft = comparison.histories["soft"]
    km = comparison.histories["kmeans"]
    order = match_components(soft.final, km.final)
    sigma = spread(km.final.covariances)[order]
    for j, c in enumerate(components):
        c["mean"]["kmeans"] = km.final.means[order[j]].tolist()
        c["sigma"]["kmeans"] = float(sigma[j])
        c["weight"]["kmeans"] = float(km.final.weights[order[j]])


def _kmeans_summary(comparison, hard_inverse, hard_soft_differ):
    """What k-means does differently from hard EM: its labels, its inertia, and hard EM's weights and spreads."""
    soft = comparison.histories["soft"]
    hard = comparison.histories["hard"]
    km = comparison.histories["kmeans"]
    X = soft.X
    inverse = np.argsort(match_components(soft.final, km.final))
    km_labels = inverse[km.final.labels]
    hard_labels = hard_inverse[hard.final.labels]
    versus_hard = km_labels != hard_labels
    versus_soft = km_labels != soft.final.labels
    # Hard EM's final grouping scored by k-means' own objective: k-means must do at least as well from here.
    hard_inertia = float(((X - hard.final.means[hard.final.labels]) ** 2).sum())
    hard_weights = hard.final.weights
    hard_sigma = spread(hard.final.covariances)
    return {
        "epochs": km.epochs,
        "converged": km.converged,
        "inertia": float(km.settings["inertia"][-1]),
        "hard_inertia": hard_inertia,
        "sigma": float(spread(km.final.covariances)[0]),
        "labels_differ_hard": int(versus_hard.sum()),
        "labels_differ_soft": int(versus_soft.sum()),
        "differ_hard_range": _range_1d(X, versus_hard),
        "all_three_agree": int((~versus_hard & ~versus_soft & ~hard_soft_differ).sum()),
        "hard_weight_range": [float(hard_weights.min()), float(hard_weights.max())],
        "hard_sigma_range": [float(hard_sigma.min()), float(hard_sigma.max())],
    }


def _range_1d(X, mask):
    if X.shape[1] != 1 or not mask.any():
        return None
    values = X[mask, 0]
    return [float(values.min()), float(values.max())]


def _mean_gap(soft_means, hard_means):
    return {
        "soft": float(np.linalg.norm(soft_means[1] - soft_means[0])),
        "hard": float(np.linalg.norm(hard_means[1] - hard_means[0])),
    }
