"""One documented order of a fit's components, fixed from the final model.

EM's components come out in whatever order the start gave them, so the same
data fitted from another seed, with restarts or with ``-k auto`` would number
(and colour) the same groups differently, and ``--component-names`` would
land on the wrong group. After a fit every component is renumbered:

- by default left to right in the default picture: in ascending order of
  the final mean along the first feature for d ≤ 2 (ties broken by the next
  features), and along the first principal component of the z-scored data
  (the frames' x axis, :func:`principal_axes`) for d > 2, where the first
  feature alone may not be what the picture shows;
- when true classes are given and k equals their number
  (:func:`order_by_classes`), component j is the one matched to the j-th
  class (sorted), by the Hungarian method on the confusion matrix, and named
  after it — but only when the match is good: at least
  ``MIN_CLASS_AGREEMENT`` (75%) of the points lie in their class's
  component. A poorer match keeps the order by mean and no class names
  (a component named "male" that holds half the females would mislead).

The permutation is taken from the final snapshot and applied to every
snapshot, so a component keeps its number and colour through the animation.
"""

import re

import numpy as np
from numpy.typing import ArrayLike

from vizgmm.model.history import History
from vizgmm.text import MAX_COMPONENT_NAME

#: Share of points in their class's component below which components are not named after classes.
MIN_CLASS_AGREEMENT = 0.75

#: ``history.settings["component_order"]`` for each rule.
ORDER_BY_MEAN = "ascending mean of the first feature"
ORDER_BY_PC = "ascending mean along the first principal component (left to right)"
ORDER_BY_CLASSES = "matched to the true classes"


def canonical_order(means, X=None):
    """The order of components, left to right in the default picture, shape (k,).

    Parameters
    ----------
    means : array, shape (k, d)
    X : array, shape (n, d), optional
        The data. With d > 2 the components go by their mean's place along the
        data's first principal component of z-scores (the frames' x axis),
        then by the features; without X, or d ≤ 2, by the first feature, then the next.
    """
    means = np.asarray(means, dtype=float)
    keys = list(means.T[::-1])
    if X is not None and means.shape[1] > 2:
        X = np.asarray(X, dtype=float)
        scale = _feature_scale(X)
        _, W = principal_axes(X / scale)
        along = ((means - X.mean(axis=0)) / scale) @ W[:, 0]
        # Places equal to 12 digits are ties (broken by the features), not an order set by rounding.
        keys.append(np.round(along / max(float(np.abs(along).max()), 1e-300), 12))
    # lexsort sorts by its last key first.
    return np.lexsort(keys)


def _feature_scale(X):
    std = X.std(axis=0)
    return np.where(std > 0, std, 1.0)


def principal_axes(Z):
    """The variances and directions of ``Z``'s principal components, largest first: (vals (d,), W (d, d)).

    Each direction's largest loading is positive, so the picture (and the
    order of components along it) does not flip between runs. The frames'
    projection (:func:`vizgmm.look.geometry.projection`) takes its axes from here.
    """
    cov = np.atleast_2d(np.cov(Z, rowvar=False))
    vals, vecs = np.linalg.eigh(cov)
    order = np.argsort(vals)[::-1]
    W = vecs[:, order]
    signs = np.sign(W[np.abs(W).argmax(axis=0), np.arange(W.shape[1])])
    return vals[order], W * np.where(signs == 0, 1, signs)


def order_components(history, order=None, rule=ORDER_BY_MEAN):
    """Renumber every snapshot's components so that new component j is old ``order[j]``; in place.

    Parameters
    ----------
    history : History
    order : array, shape (k,), optional
        Default :func:`canonical_order` of the final means.
    rule : str
        Recorded in ``history.settings["component_order"]``.

    Returns
    -------
    History
        The same object.
    """
    k = history.k
    if order is None:
        order = canonical_order(history.final.means, history.X)
        if rule == ORDER_BY_MEAN and history.X.shape[1] > 2:
            rule = ORDER_BY_PC
    order = np.asarray(order, dtype=np.intp)
    history.settings["component_order"] = rule
    if np.array_equal(order, np.arange(k)):
        return history
    new_of_old = np.empty(k, dtype=np.intp)
    new_of_old[order] = np.arange(k)
    for snap in history.snapshots:
        snap.means = snap.means[order]
        snap.covariances = snap.covariances[order]
        snap.weights = snap.weights[order]
        snap.counts = snap.counts[order]
        snap.labels = new_of_old.astype(snap.labels.dtype)[snap.labels]
        if snap.responsibilities is not None:
            snap.responsibilities = snap.responsibilities[:, order]
        snap.events = [_renumber_event(e, new_of_old) for e in snap.events]
    start = history.settings.get("init_parameters")
    if start:
        history.settings["init_parameters"] = {
            name: [values[j] for j in order] for name, values in start.items()
        }
    return history


def class_matching(true_labels, labels, k):
    """Which component matches each true class: (classes, order) or None when k differs from the classes.

    The Hungarian method (scipy's ``linear_sum_assignment``) on the classes ×
    components confusion matrix maximises the points whose component
    matches their class.

    Returns
    -------
    classes : array, shape (k,)
        The distinct true labels, sorted.
    order : array, shape (k,)
        ``order[i]`` is the component matched to ``classes[i]``.
    """
    from scipy.optimize import linear_sum_assignment

    classes, class_index = np.unique(np.asarray(true_labels).ravel(), return_inverse=True)
    if len(classes) != k or len(class_index) != len(labels):
        return None
    table = np.zeros((k, k), dtype=np.int64)
    np.add.at(table, (class_index, np.asarray(labels, dtype=np.intp)), 1)
    rows, cols = linear_sum_assignment(table, maximize=True)
    order = np.empty(k, dtype=np.intp)
    order[rows] = cols
    return classes, order


def order_by_classes(history: History, true_labels: ArrayLike, min_agreement: float = MIN_CLASS_AGREEMENT) -> list[str] | None:
    """Number and name the components after the true classes they match, when the match is good.

    Component j becomes the one matched to the j-th class (classes sorted),
    in every snapshot, and ``history.meta["component_names"]`` becomes the
    class names. The share of points in their class's component is kept in
    ``history.settings["class_agreement"]``.

    Parameters
    ----------
    history : History
        Changed in place.
    true_labels : array, shape (n,)
        One class per point (missing labels dropped beforehand, see ``load_data(dropna=True)``).
    min_agreement : float, default MIN_CLASS_AGREEMENT (0.75)
        Below this share the order and names are left alone.

    Returns
    -------
    list of str or None
        The class names in component order; None (order and names left
        alone) when k differs from the number of classes or the match is poor.
    """
    matched = class_matching(true_labels, history.final.labels, history.k)
    if matched is None:
        return None
    classes, order = matched
    class_index = np.unique(np.asarray(true_labels).ravel(), return_inverse=True)[1].ravel()
    agreement = float((order[class_index] == np.asarray(history.final.labels, dtype=np.intp)).mean())
    history.settings["class_agreement"] = agreement
    if agreement < min_agreement:
        return None
    order_components(history, order, rule=ORDER_BY_CLASSES)
    names = [class_name(c) for c in classes]
    if len(set(names)) < len(names):  # two long classes alike in their first 39 characters
        names = [f"{name[:MAX_COMPONENT_NAME - 4]}… {j + 1}" if name.endswith("…") else name
                 for j, name in enumerate(names)]
    history.meta["component_names"] = names
    return names


def class_name(value):
    """A true class as a component name: text as it is, a number as "class 3".

    A class longer than a component name may be (``MAX_COMPONENT_NAME``, 40
    characters: "Chinstrap penguin (Pygoscelis antarctica)" is 41) is cut
    there with "…": the user did not type it, so it is shown shorter rather
    than refused.
    """
    value = value.item() if hasattr(value, "item") else value
    name = value if isinstance(value, str) else f"class {value}"
    return name if len(name) <= MAX_COMPONENT_NAME else name[:MAX_COMPONENT_NAME - 1] + "…"


def _renumber_event(event, new_of_old):
    if "component" not in event:
        return event
    old = int(event["component"])
    new = int(new_of_old[old])
    event = dict(event, component=new)
    if "message" in event:
        event["message"] = re.sub(rf"\bcomponent {old + 1}\b", f"component {new + 1}", event["message"])
    return event
