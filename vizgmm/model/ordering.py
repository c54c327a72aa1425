"""One documented order of a fit's components, fixed from the final model.

EM's components come out in whatever order the start gave them, so the same
data fitted from another seed, with restarts or with ``-k auto`` would number
(and colour) the same groups differently, and ``--component-names`` would
land on the wrong group. After a fit every component is renumbered:

- by default in ascending order of the final mean along the first feature
  (ties broken by the next features): in 1-D, left to right;
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

#: Share of points in their class's component below which components are not named after classes.
MIN_CLASS_AGREEMENT = 0.75

#: ``history.settings["component_order"]`` for each rule.
ORDER_BY_MEAN = "ascending mean of the first feature"
ORDER_BY_CLASSES = "matched to the true classes"


def canonical_order(means):
    """The order of components by ascending mean along the first feature, then the next, shape (k,).

    Parameters
    ----------
    means : array, shape (k, d)
    """
    means = np.asarray(means, dtype=float)
    # lexsort sorts by its last key first.
    return np.lexsort(means.T[::-1])


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
    order = canonical_order(history.final.means) if order is None else np.asarray(order, dtype=np.intp)
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
    history.meta["component_names"] = names
    return names


def class_name(value):
    """A true class as a component name: text as it is, a number as "class 3"."""
    value = value.item() if hasattr(value, "item") else value
    return value if isinstance(value, str) else f"class {value}"


def _renumber_event(event, new_of_old):
    if "component" not in event:
        return event
    old = int(event["component"])
    new = int(new_of_old[old])
    event = dict(event, component=new)
    if "message" in event:
        event["message"] = re.sub(rf"\bcomponent {old + 1}\b", f"component {new + 1}", event["message"])
    return event
