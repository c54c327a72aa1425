"""Hard vs soft EM from the same start: the fits, and what differs, in this data's numbers.

The walk-through's loop gives each point the label of its most probable
component and re-estimates every group from its own points: hard
(classification) EM. True EM is soft: every point counts for every component
in proportion to its responsibility p(z = j | x). :func:`compare` fits both
from the very same initial parameters, so every difference in the result
comes from the method, and :class:`Comparison` explains the differences with
the numbers of the data at hand.

Why hard labels bias σ low: where two components overlap, hard labels cut
each one at the decision boundary. The tail of component A that reaches into
B's side is counted wholly in B, and A's own estimate loses it, so A looks
narrower than it is (and the means are pushed apart). Soft responsibilities
keep those tails, shared in proportion.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from .data import as_data_matrix, check_k
from .em import METHODS, fit, initial_parameters
from .errors import OptionError
from .history import epochs_text

#: A point is "uncertain" when no component's responsibility reaches this.
CERTAIN = 0.9

METHOD_TITLES = {
    "soft": "soft EM (responsibilities)",
    "hard": "hard EM (labels)",
}


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
        The numbers the explanation quotes (see :func:`comparison_facts`).
    """

    methods: tuple
    histories: dict
    k: int
    initial: dict
    init: str
    seed: int = None
    facts: dict = field(default_factory=dict)

    @property
    def explanation(self):
        """Paragraphs (list of str) saying where the methods differ, with this data's numbers."""
        return explain(self.facts)

    def __repr__(self):
        return f"<vizgmm.Comparison {' vs '.join(self.methods)}, k={self.k}>"


def compare(
    X,
    k,
    methods=("hard", "soft"),
    *,
    init="kmeans++",
    covariance_type="full",
    max_iter=100,
    tol=1e-3,
    reg_covar=1e-6,
    seed=None,
    keep_responsibilities=False,
):
    """Fit ``X`` with each EM method from the same initial parameters.

    The start is computed once (:func:`vizgmm.em.initial_parameters`) and
    given to every fit as explicit parameters.

    Parameters
    ----------
    X : array-like, shape (n,) or (n, d)
    k : int
    methods : sequence of {"hard", "soft"}
        Two different methods.
    init, covariance_type, max_iter, tol, reg_covar, seed, keep_responsibilities :
        As in :func:`vizgmm.fit`.

    Returns
    -------
    Comparison
    """
    X = as_data_matrix(X)
    k = check_k(k, X)
    methods = tuple(methods) if not isinstance(methods, str) else (methods,)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise OptionError(f"unknown method {unknown[0]!r}; use one of: {', '.join(METHODS)}")
    if len(methods) != 2 or len(set(methods)) != 2:
        raise OptionError("compare needs two different methods: --method hard --method soft")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise OptionError(f"seed must be a whole number >= 0, got {seed!r}")
    means, covariances, weights = initial_parameters(
        X, k, init, covariance_type=covariance_type, reg_covar=reg_covar,
        rng=np.random.default_rng(seed),
    )
    start = {"means": means, "covariances": covariances, "weights": weights}
    histories = {}
    for method in methods:
        history = fit(
            X, k, method=method, init=start, covariance_type=covariance_type, max_iter=max_iter,
            tol=tol, reg_covar=reg_covar, seed=seed, keep_responsibilities=keep_responsibilities,
        )
        # The fit only saw explicit parameters; say where they came from.
        history.settings["init_source"] = init if isinstance(init, str) else "explicit"
        history.meta.setdefault("title", METHOD_TITLES[method])
        histories[method] = history
    comparison = Comparison(
        methods=methods,
        histories=histories,
        k=k,
        initial={"means": means, "covariances": covariances, "weights": weights},
        init=init if isinstance(init, str) else "explicit",
        seed=None if seed is None else int(seed),
    )
    comparison.facts = comparison_facts(comparison)
    return comparison


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


def explain(facts):
    """Paragraphs that explain a comparison's facts in words, with the numbers.

    Returns
    -------
    list of str
    """
    n, k = facts["n"], facts["k"]
    epochs, ll = facts["epochs"], facts["log_likelihood"]
    sigma_word = "σ" if facts["d"] == 1 else "σ (geometric mean of the axes' standard deviations)"
    start = "the same initial parameters" + (
        f" (from {facts['init']})" if facts["init"] != "explicit" else " (given explicitly)"
    )
    out = [
        f"Both fits started from {start}, so every difference below comes from the method. "
        f"Soft EM {_ran(epochs['soft'], facts['converged']['soft'])}; "
        f"hard EM {_ran(epochs['hard'], facts['converged']['hard'])}."
    ]
    if k == 1:
        out.append("With k = 1 every point belongs to the one component, so both methods give the same fit.")
        return out
    share = facts["uncertain"] / n
    text = (
        "Labels vs responsibilities: hard EM gives each point wholly to its most probable component; "
        "soft EM lets every point count for every component in proportion to its responsibility. "
        f"Here {facts['uncertain']} of {n} points ({share:.1%}) have no component with responsibility "
        f"of at least {facts['certain_level']:g}"
    )
    if facts["uncertain_range"] is not None and facts["uncertain"]:
        low, high = facts["uncertain_range"]
        text += f" (all between {low:.4g} and {high:.4g}, where the components overlap)"
    text += ": hard EM treats each of them as certain."
    out.append(text)

    rows = []
    for c in facts["components"]:
        rows.append(
            f"component {c['component']}: hard {c['sigma']['hard']:.4g} vs soft {c['sigma']['soft']:.4g} "
            f"({c['sigma_change']:+.1%})"
        )
    narrower = facts["narrower"]
    text = f"Spread {sigma_word} per component — " + "; ".join(rows) + ". "
    if narrower:
        names = ", ".join(str(j) for j in narrower)
        text += (
            f"Hard EM's {sigma_word.split(' ')[0]} is smaller for component{'s' if len(narrower) > 1 else ''} {names}: "
            "hard labels cut each component at the decision boundary, so the tail that reaches into a "
            "neighbour's side is counted in the neighbour and the variance is biased low when components overlap."
        )
    else:
        text += (
            "Hard EM's σ is not smaller here, so the components barely overlap: with few points near a "
            "boundary, truncating the tails costs little."
        )
    gap = facts["mean_gap"]
    if gap is not None and gap["hard"] > gap["soft"]:
        text += f" For the same reason the means are pushed apart: {gap['hard']:.4g} apart under hard EM vs {gap['soft']:.4g} under soft EM."
    out.append(text)

    text = f"The final labels of {facts['labels_differ']} of {n} points differ between the two fits"
    if facts["differ_range"] is not None and facts["labels_differ"]:
        low, high = facts["differ_range"]
        text += f" (between {low:.4g} and {high:.4g})"
    text += "."
    diff = ll["soft"] - ll["hard"]
    places = _matching_places(ll["soft"], ll["hard"])
    text += (
        f" Total log-likelihood of the data under the final parameters: soft {ll['soft']:,.{places}f}, "
        f"hard {ll['hard']:,.{places}f}"
        f" ({'soft higher by' if diff >= 0 else 'hard higher by'} {abs(diff):,.{places}f}); soft EM climbs exactly this "
        "quantity, hard EM climbs the likelihood of the labelled data instead."
    )
    empty = [c["component"] for c in facts["components"] if c["weight"]["hard"] == 0]
    if empty:
        names = ", ".join(str(j) for j in empty)
        text += (
            f" Hard EM emptied component{'s' if len(empty) > 1 else ''} {names}: no point had it as its most "
            "probable component, so its weight φ fell to 0 and it cannot come back; soft EM keeps every "
            "component alive with a small share."
        )
    out.append(text)
    return out


def _matching_places(a, b, most=6):
    """Decimal places (1 to ``most``) at which the rounded a and b differ by the rounded a − b.

    At one place, -3,879.46 and -3,879.69 print as -3,879.5 and -3,879.7 with
    a difference of 0.2: a reader's subtraction would not match.
    """
    for places in range(1, most + 1):
        shown = round(round(a, places) - round(b, places), places)
        if shown == round(a - b, places) and (a == b or round(a - b, places) != 0):
            return places
    return most


def _ran(epochs, converged):
    return f"converged after {epochs_text(epochs)}" if converged else f"ran {epochs_text(epochs)} without converging"


# -- several histories in one animation ------------------------------------
#: Small multiples shrink each panel (pixels and dpi alike, so the layout holds).
RESTART_SCALE = 0.75
MAX_COLUMNS = 4


def render_comparison(comparison, path, **opts):
    """One animation with the methods side by side, epoch by epoch; returns the Path.

    ``path`` ends in .gif or .mp4. Options as :func:`render_side_by_side`.
    """
    histories = [comparison.histories[m] for m in comparison.methods]
    titles = [METHOD_TITLES[m] for m in comparison.methods]
    return render_side_by_side(histories, path, titles=titles, **opts)


def animate_restarts(histories, path, *, best=None, scale=RESTART_SCALE, columns=None, **opts):
    """Every restart as a small multiple in one animation, the best one framed; returns the Path.

    A poor local optimum shows as a panel that settles somewhere else.

    Parameters
    ----------
    histories : list of History
        The restarts of one k (e.g. ``selection.restarts``).
    best : int, optional
        Index of the restart to frame; default the highest final log-likelihood.
    """
    histories = list(histories)
    if not histories:
        raise OptionError("animate_restarts needs at least one history")
    if best is None:
        best = int(np.argmax([h.final.log_likelihood for h in histories]))
    titles = [
        f"restart {i + 1}" + (" (best)" if i == best else "") for i in range(len(histories))
    ]
    return render_side_by_side(histories, path, titles=titles, highlight=best, scale=scale,
                               columns=columns, **opts)


def render_side_by_side(
    histories,
    path,
    *,
    titles=None,
    columns=None,
    highlight=None,
    scale=1.0,
    preset="blog",
    theme="light",
    tween=0,
    fps=None,
    duration_ms=None,
    hold_first_ms=None,
    hold_last_ms=None,
    quality=None,
    component_names=None,
    features=None,
    progress=False,
):
    """Animate several histories in one grid of panels, all on the same epoch clock.

    Frame g shows every history at its frame g; a history with fewer epochs
    stays on its last frame, so a fit that converged early is seen waiting
    for the others. Each panel is the renderer's own scene
    (:mod:`vizgmm.scenes`) and the frames go through its encoders
    (:mod:`vizgmm.encoders`).

    Parameters
    ----------
    histories : list of History
    path : str or Path
        Ends in ``.gif`` or ``.mp4``.
    titles : list of str, optional
        One per panel; default each history's ``meta["title"]``.
    columns : int, optional
        Panels per row; default all in one row up to 3, else a near-square grid.
    highlight : int, optional
        Index of a panel to frame in the theme's cursor colour.
    scale : float
        Panel size relative to the preset's canvas.
    preset, theme, tween, fps, duration_ms, hold_first_ms, hold_last_ms, quality,
    component_names, features, progress :
        As for :func:`vizgmm.render_gif` / :func:`vizgmm.render_mp4`.

    Returns
    -------
    Path
    """
    from pathlib import Path

    from . import encoders, frames

    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("gif", "mp4"):
        raise OptionError(f"cannot tell the animation format from {path.name!r}; end the file name in .gif or .mp4")
    timing = frames.make_timing(tween, fps, duration_ms, hold_first_ms, hold_last_ms)
    with PanelGrid(histories, titles=titles, columns=columns, highlight=highlight, scale=scale,
                   preset=preset, theme=theme, tween=tween, component_names=component_names,
                   features=features) as grid:
        total = grid.total
        first, last = grid.frame(0), grid.frame(total - 1)
        size = (first.shape[1], first.shape[0])
        if kind == "gif":
            writer = encoders.GifWriter(path)
            setup = {"palette_frames": [first, last]}
        else:
            writer = encoders.Mp4Writer(path, quality=quality)
            setup = {"pad_color": tuple(int(v) for v in grid.background)}
        steps = range(total)
        if progress:
            from tqdm.auto import tqdm

            steps = tqdm(steps, desc="frames", unit="frame", leave=False)
        with writer.saving(size, timing.frame_ms, **setup):
            for g in steps:
                frame = first if g == 0 else last if g == total - 1 else grid.frame(g)
                duration = timing.frame_ms
                if g == 0:
                    duration += timing.hold_first_ms
                if g == total - 1:
                    duration += timing.hold_last_ms
                writer.grab_frame(frame, duration)
    return path


def still_side_by_side(histories, snapshot=-1, **opts):
    """One snapshot (default the last) of every history in one grid image, shape (H, W, 3) uint8.

    A history with fewer snapshots shows its last. Options as
    :func:`render_side_by_side` (``titles``, ``columns``, ``highlight``,
    ``scale``, ``preset``, ``theme``, ``component_names``, ``features``).
    """
    with PanelGrid(histories, **opts) as grid:
        longest = max(len(h) for h in grid.histories)
        index = snapshot if snapshot >= 0 else longest + snapshot
        return grid.frame(index * (grid.tween + 1))


class PanelGrid:
    """The renderer's scenes for several histories, composed into one grid per frame.

    Use as a context manager (the scenes' figures are closed on exit);
    :meth:`frame` gives the composite of frame g, shape (H, W, 3) uint8.
    """

    def __init__(self, histories, *, titles=None, columns=None, highlight=None, scale=1.0,
                 preset="blog", theme="light", tween=0, component_names=None, features=None):
        from matplotlib.colors import to_rgb

        from . import frames, presets

        self.histories = list(histories)
        count = len(self.histories)
        if not count:
            raise OptionError("give at least one history to animate")
        if titles is not None and len(titles) != count:
            raise OptionError(f"{len(titles)} titles for {count} histories; give one title per history")
        try:
            scale = float(scale)
        except (TypeError, ValueError):
            scale = float("nan")
        if not 0.25 <= scale <= 4:
            raise OptionError(f"scale must be from 0.25 to 4, got {scale!r}")
        if columns is None:
            columns = count if count <= 3 else min(MAX_COLUMNS, int(np.ceil(np.sqrt(count))))
        if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)) or columns < 1:
            raise OptionError(f"columns must be a whole number >= 1, got {columns!r}")
        self.columns = min(int(columns), count)
        self.rows = -(-count // self.columns)
        self.titles = titles
        self.component_names = component_names
        self.features = features
        self.highlight = highlight
        self.scale = scale
        self.tween = frames.check_tween(tween)
        self.canvas = presets.preset(preset)
        width, height = self.canvas["size"]
        self.canvas["size"] = (max(64, int(round(width * scale))), max(64, int(round(height * scale))))
        self.canvas["dpi"] = self.canvas["dpi"] * scale
        self.colours = presets.theme(theme)
        self.background = (np.asarray(to_rgb(self.colours["background"])) * 255).round().astype(np.uint8)
        self.edge_colour = (np.asarray(to_rgb(self.colours["cursor"])) * 255).round().astype(np.uint8)
        self.factors = [[frames.covariance_factor(s.covariances) for s in h] for h in self.histories]
        self.counts = [frames.frame_count(h, self.tween) for h in self.histories]
        self.total = max(self.counts)
        self.scenes = []

    def __enter__(self):
        from . import scenes

        try:
            for i, h in enumerate(self.histories):
                title = None if self.titles is None else self.titles[i]
                self.scenes.append(scenes.make_scene(
                    h, preset=self.canvas, theme=self.colours, title=title,
                    component_names=self.component_names, features=self.features,
                ))
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        for scene in self.scenes:
            scene.close()
        self.scenes = []

    def frame(self, g):
        """The grid at frame g: every history at its own frame min(g, last)."""
        from . import frames

        tiles = []
        for i, (h, scene) in enumerate(zip(self.histories, self.scenes)):
            state = frames.state_at(h, min(g, self.counts[i] - 1), self.tween, factors=self.factors[i])
            tile = np.array(scene.render(state)[..., :3])
            if i == self.highlight:
                edge = max(2, int(round(3 * self.scale)))
                tile[:edge], tile[-edge:] = self.edge_colour, self.edge_colour
                tile[:, :edge], tile[:, -edge:] = self.edge_colour, self.edge_colour
            tiles.append(tile)
        ph, pw = tiles[0].shape[:2]
        grid = np.empty((self.rows * ph, self.columns * pw, 3), np.uint8)
        grid[:] = self.background
        for i, tile in enumerate(tiles):
            r, c = divmod(i, self.columns)
            grid[r * ph:(r + 1) * ph, c * pw:(c + 1) * pw] = tile
        return grid


# -- the comparison's report --------------------------------------------------
COMPARE_TEMPLATE = "compare.html"


def compare_report(comparison, path, *, title=None, animation="mp4", gif_path=None, mp4_path=None,
                   template_dir=None, command=None, **render_opts):
    """Write one self-contained HTML page comparing the methods; returns its Path.

    The page (``templates/compare.html``, extending the report's
    ``base.html``) holds the side-by-side animation, the explanation with
    this data's numbers, the per-component table, both log-likelihood
    trajectories on one chart, and how to repeat the run.

    Parameters
    ----------
    comparison : Comparison
    path : str or Path
    title : str, optional
    animation : {"mp4", "gif", "none"}
    gif_path, mp4_path : str or Path, optional
        An already rendered side-by-side animation to embed (and link, when it
        lies beside the page) instead of rendering it again.
    template_dir : str or Path, optional
        A folder whose templates override the defaults by name.
    command : str, optional
        The command that made the comparison (shown for reproducibility).
    **render_opts
        Passed to :func:`render_side_by_side`.
    """
    import tempfile
    from pathlib import Path

    import jinja2

    from .files import build_time, write_text
    from .reporting import (
        ANIMATIONS, PALETTE_SIZE, _data_uri, _file_entry, _report_versions, format_number, line_chart,
        template_environment,
    )

    if animation not in ANIMATIONS:
        raise OptionError(f"unknown animation {animation!r}; use one of: {', '.join(ANIMATIONS)}")
    path = Path(path)
    env = template_environment(template_dir)
    facts = comparison.facts
    first = comparison.histories[comparison.methods[0]]
    if title is None:
        source = first.meta.get("source")
        title = f"Hard vs soft EM, k={comparison.k}" + (f", on {source}" if source else "")

    methods = []
    for m in comparison.methods:
        h = comparison.histories[m]
        methods.append({
            "key": m, "name": METHOD_TITLES[m], "epochs": h.epochs, "converged": h.converged,
            "log_likelihood": h.final.log_likelihood, "bic": float(h.bic()), "aic": float(h.aic()),
        })

    def vector(values):
        values = list(values)
        if len(values) == 1:
            return format_number(values[0])
        return "(" + ", ".join(format_number(v) for v in values) + ")"

    components = [
        {
            "component": c["component"],
            "colour": (c["component"] - 1) % PALETTE_SIZE,
            "mean": {m: vector(c["mean"][m]) for m in comparison.methods},
            "sigma": {m: c["sigma"][m] for m in comparison.methods},
            "weight": {m: c["weight"][m] for m in comparison.methods},
            "sigma_change": c["sigma_change"],
        }
        for c in facts["components"]
    ]
    chart = line_chart(
        [
            {"name": METHOD_TITLES[m], "x": [s.epoch for s in comparison.histories[m]],
             "y": list(comparison.histories[m].log_likelihoods),
             "colour": "accent" if m == "soft" else "aic", "highlight": True}
            for m in comparison.methods
        ],
        x_label="epoch",
        y_label="total log-likelihood",
        integer_x=True,
    )
    histories = [comparison.histories[m] for m in comparison.methods]
    titles = [METHOD_TITLES[m] for m in comparison.methods]
    still_opts = {k: v for k, v in render_opts.items()
                  if k in ("preset", "theme", "scale", "component_names", "features")}
    given = {"gif": gif_path, "mp4": mp4_path}.get(animation)
    with tempfile.TemporaryDirectory(prefix="vizgmm-compare-") as scratch:
        media = None
        if animation != "none":
            if given is not None:
                movie = Path(given)
                if not movie.is_file():
                    raise OptionError(f"{animation}_path {movie} does not exist; render it first or leave it out")
            else:
                movie = render_side_by_side(histories, Path(scratch) / f"compare.{animation}", titles=titles,
                                            **render_opts)
            data = movie.read_bytes()
            from PIL import Image

            if animation == "gif":
                with Image.open(movie) as im:
                    width, height = im.size
            else:
                width, height = _mp4_size(movie)
            entry = {"uri": _data_uri(data, "video/mp4" if animation == "mp4" else "image/gif"),
                     "width": width, "height": height, "bytes": len(data)}
            media = {"kind": animation, "mp4": entry if animation == "mp4" else None,
                     "gif": entry if animation == "gif" else None,
                     "files": [] if given is None else [_file_entry(movie, path)]}
    still = still_side_by_side(histories, titles=titles, **still_opts)
    context = {
        "title": str(title),
        "generated": build_time(),
        "facts": facts,
        "source": first.meta.get("source") or "an array passed to vizgmm.compare",
        "methods": methods,
        "method_keys": list(comparison.methods),
        "method_names": {m: METHOD_TITLES[m] for m in comparison.methods},
        "explanation": comparison.explanation,
        "components": components,
        "loglik_chart": chart,
        "animation": media,
        "still": {"uri": _png_uri(still), "width": still.shape[1], "height": still.shape[0]},
        "reproducibility": {
            "command": str(command or compare_call(comparison)),
            "seed": comparison.seed,
            "versions": sorted(_report_versions().items()),
        },
    }
    try:
        html = env.get_template(COMPARE_TEMPLATE).render(context)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise OptionError(f"the compare template failed{where}: {exc.message}; fix or remove the override") from None
    write_text(path, html)
    return path


def compare_call(comparison):
    """A ``vizgmm.compare(...)`` call string that repeats the comparison."""
    s = comparison.histories[comparison.methods[0]].settings
    init = repr(comparison.init) if comparison.init != "explicit" else repr({
        "means": comparison.initial["means"].tolist(),
        "covariances": comparison.initial["covariances"].tolist(),
        "weights": comparison.initial["weights"].tolist(),
    })
    return (
        f"vizgmm.compare(X, {comparison.k}, methods={comparison.methods!r}, init={init}, "
        f"covariance_type={s['covariance_type']!r}, max_iter={s['max_iter']!r}, tol={s['tol']!r}, "
        f"reg_covar={s['reg_covar']!r}, seed={comparison.seed!r})"
    )


def _png_uri(pixels):
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _mp4_size(path):
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        width, height = next(reader)["size"]
    finally:
        reader.close()
    return int(width), int(height)
