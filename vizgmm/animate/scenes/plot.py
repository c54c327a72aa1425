"""One epoch drawn into the user's own matplotlib Axes (seaborn's convention: Axes in, Axes out)."""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.look.colors import component_colors
from vizgmm.look.geometry import CURVE_SAMPLES, ellipse_geometry, histogram_edges, subsample_indices
from vizgmm.look.names import component_label, given_names
from vizgmm.model.history import History


def plot_snapshot(history: History, epoch: int = -1, ax: Any = None, *, theme: str | Mapping[str, Any] = "light", component_names: Sequence[str] | None = None, features: tuple[int, int] | None = None,
                  max_points: int = 5000, legend: bool = True, lang: str | None = None) -> Any:
    """Draw one epoch of a fit into a matplotlib Axes, as vectors; returns the Axes.

    1-D: the data's histogram, each component's φ-weighted normal and the
    mixture, with the points on the baseline coloured by their label. 2-D and
    more: the points coloured by label, each component's 1σ and 2σ ellipses
    and its mean. Colours are the frames' colours for ``theme``.

    Parameters
    ----------
    history : History
    epoch : int
        Index into ``history.snapshots`` (default the last; negative counts from the end).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new Figure's Axes.
    theme : {"light", "dark"} or dict
        Component colours (the Axes' own background is left to the caller).
    component_names : list of str, optional
        Legend names; default ``history.meta["component_names"]`` or "component j".
    features : (int, int), optional
        For d > 2, the two features to plot; default the first two principal components.
    max_points : int
        Points drawn at most (a fixed subsample); the histogram always uses every point.
    lang : {"en", "ko"} or None
        The language of the title, legend and axis words (:func:`vizgmm.i18n.words`).
    legend : bool
        Add a legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt  # doctest: +SKIP
    >>> fig, axes = plt.subplots(1, 3, figsize=(12, 3))  # doctest: +SKIP
    >>> for ax, epoch in zip(axes, (0, 2, -1)):  # doctest: +SKIP
    ...     vizgmm.plot_snapshot(history, epoch, ax=ax)
    """
    try:
        snap = history.snapshots[range(len(history))[epoch]]
    except (IndexError, TypeError):
        raise OptionError(f"epoch {epoch!r} does not exist; the history has snapshots 0 to {len(history) - 1}") from None
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure().add_subplot()
    colors = component_colors(theme, history.k)
    given = given_names(history, component_names)
    w = get_words(lang)
    names = [component_label(given, j, w) for j in range(history.k)]
    sub = subsample_indices(history.n, max_points)
    if history.d == 1:
        _plot_1d(ax, history, snap, sub, colors, names, w)
    else:
        _plot_2d(ax, history, snap, sub, colors, names, features, w)
    ax.set_title(w.gettext("Epoch 0") if snap.epoch == 0 else w.gettext("Epoch {epoch}").format(epoch=snap.epoch),
                 parse_math=False)
    if legend:
        ax.legend(loc="upper right", fontsize="small", framealpha=0.8)
    return ax


def _plot_1d(ax, history, snap, sub, colors, names, w):
    from scipy.stats import norm

    x = history.X[:, 0]
    ax.hist(x, bins=histogram_edges(x), density=True, color="0.8", label=w.gettext("data"))
    stds = np.sqrt(snap.covariances[:, 0, 0])
    # The data and every component's ±3σ, so an early guess far from the data is drawn whole.
    lo = min(x.min(), (snap.means[:, 0] - 3 * stds).min())
    hi = max(x.max(), (snap.means[:, 0] + 3 * stds).max())
    grid = np.linspace(lo, hi, CURVE_SAMPLES)
    curves = [w * norm.pdf(grid, m[0], s) for w, m, s in zip(snap.weights, snap.means, stds)]
    for j, curve in enumerate(curves):
        ax.plot(grid, curve, color=colors[j], lw=2,
                label=f"{names[j]}: μ={snap.means[j, 0]:.4g}, σ={stds[j]:.4g}, φ={snap.weights[j]:.3f}")
    ax.plot(grid, np.sum(curves, axis=0), color="0.3", lw=1.2, ls="--", label=w.gettext("mixture"))
    labels = snap.labels[sub]
    ax.scatter(x[sub], np.zeros(len(sub)), c=[colors[j] for j in labels], s=8, marker="|")
    ax.set_xlabel((history.meta.get("feature_names") or ["x"])[0], parse_math=False)
    ax.set_ylabel(w.gettext("density"))


def _plot_2d(ax, history, snap, sub, colors, names, features, w):
    from matplotlib.patches import Ellipse

    X = history.X
    if history.d == 2 or features is not None:
        i, j = features if features is not None else (0, 1)
        basis = np.zeros((history.d, 2))
        basis[i, 0] = basis[j, 1] = 1.0
        centre = np.zeros(history.d)
        feature_names = history.meta.get("feature_names") or [f"feature {f + 1}" for f in range(history.d)]
        axis_names = [feature_names[i], feature_names[j]]
    else:
        centre = X.mean(axis=0)
        basis = np.linalg.svd(X - centre, full_matrices=False)[2][:2].T
        axis_names = ["PC1", "PC2"]
    points = (X[sub] - centre) @ basis
    means = (snap.means - centre) @ basis
    covariances = basis.T @ snap.covariances @ basis
    labels = snap.labels[sub]
    ax.scatter(points[:, 0], points[:, 1], c=[colors[j] for j in labels], s=6, alpha=0.5, linewidths=0)
    for j in range(history.k):
        for radius, style in ((1.0, "-"), (2.0, "--")):
            centre_xy, width, height, angle = ellipse_geometry(means[j], covariances[j], radius)
            ax.add_patch(Ellipse(centre_xy, width, height, angle=angle, fill=False, ec=colors[j], lw=2, ls=style,
                                 zorder=3))
        ax.plot(*means[j], marker="X", ms=10, color=colors[j], mec="black", ls="none", zorder=4,
                label=f"{names[j]}: φ={snap.weights[j]:.3f}")
    ax.set_xlabel(axis_names[0], parse_math=False)
    ax.set_ylabel(axis_names[1], parse_math=False)
