"""Agreement of a fit's labels with the true classes: contingency table, adjusted Rand index, matched accuracy."""


import numpy as np

from vizgmm.errors import DataError
from vizgmm.look.colors import colour_index


# -- scores against true labels --------------------------------------------
def contingency_table(labels_true, labels_pred):
    """Counts of each (true class, fitted label) pair.

    Returns
    -------
    table : array, shape (n_classes, n_labels), int64
    classes : array, shape (n_classes,)
        The distinct true labels, sorted.
    labels : array, shape (n_labels,)
        The distinct fitted labels, sorted.
    """
    labels_true = np.asarray(labels_true).ravel()
    labels_pred = np.asarray(labels_pred).ravel()
    if labels_true.shape != labels_pred.shape:
        raise DataError(
            f"{labels_true.size} true labels for {labels_pred.size} points; give one true label per point"
        )
    classes, true_idx = np.unique(labels_true, return_inverse=True)
    labels, pred_idx = np.unique(labels_pred, return_inverse=True)
    flat = np.bincount(true_idx * len(labels) + pred_idx, minlength=len(classes) * len(labels))
    return flat.reshape(len(classes), len(labels)).astype(np.int64), classes, labels


def adjusted_rand_index(labels_true, labels_pred):
    """Adjusted Rand index of two labellings (1 = identical partitions, about 0 = chance).

    Computed from the pair counts of the contingency table, with exact
    integer arithmetic, as scikit-learn's ``adjusted_rand_score`` does.
    """
    table, _, _ = contingency_table(labels_true, labels_pred)
    n = int(table.sum())
    # Pairs of points put together by both labellings, by one only, by neither.
    sum_squares = int((table.astype(object) ** 2).sum())
    row = [int(v) for v in table.sum(axis=1)]
    col = [int(v) for v in table.sum(axis=0)]
    together_both = (sum_squares - n) // 2
    together_true = (sum(v * v for v in row) - n) // 2
    together_pred = (sum(v * v for v in col) - n) // 2
    all_pairs = n * (n - 1) // 2
    fp = together_pred - together_both  # together in the fit only
    fn = together_true - together_both  # together in the truth only
    tn = all_pairs - together_both - fp - fn
    tp = together_both
    if fn == 0 and fp == 0:
        return 1.0
    return 2.0 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))


def matched_accuracy(labels_true, labels_pred):
    """Share of points whose fitted label matches its true class under the best one-to-one matching.

    The matching maximises the matched counts of the contingency table
    (scipy's ``linear_sum_assignment``); with more components than classes
    the extra components match nothing and count as wrong.

    Returns
    -------
    accuracy : float
    pairs : list of (true class, fitted label)
    """
    from scipy.optimize import linear_sum_assignment

    table, classes, labels = contingency_table(labels_true, labels_pred)
    rows, cols = linear_sum_assignment(table, maximize=True)
    accuracy = table[rows, cols].sum() / table.sum()
    return float(accuracy), [(classes[r].item(), labels[c].item()) for r, c in zip(rows, cols)]


def label_scores(history, true_labels, names):
    """Accuracy, ARI and the confusion matrix of the final labels against the true ones."""
    true_labels = np.asarray(true_labels).ravel()
    if true_labels.size != history.n:
        raise DataError(
            f"{true_labels.size} true labels for {history.n} points; give one true label per point"
        )
    predicted = history.final.labels
    table, classes, _ = contingency_table(true_labels, predicted)
    # Columns are every component, also those that labelled no point.
    full = np.zeros((len(classes), history.k), dtype=np.int64)
    _, class_idx = np.unique(true_labels, return_inverse=True)
    np.add.at(full, (class_idx, predicted.astype(np.intp)), 1)
    accuracy, pairs = matched_accuracy(true_labels, predicted)
    matched = {(str(t), int(p)) for t, p in pairs}
    return {
        "accuracy": accuracy,
        "ari": adjusted_rand_index(true_labels, predicted),
        "n_classes": len(classes),
        "columns": [{"name": names[j], "colour": colour_index(j)} for j in range(history.k)],
        "rows": [
            {
                "name": str(cls.item() if hasattr(cls, "item") else cls),
                "cells": [
                    {"count": int(full[i, j]), "matched": (str(cls.item()), j) in matched}
                    for j in range(history.k)
                ],
                "total": int(full[i].sum()),
            }
            for i, cls in enumerate(classes)
        ],
        "pairs": [(str(t), names[int(p)]) for t, p in pairs],
    }

