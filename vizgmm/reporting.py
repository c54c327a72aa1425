"""The self-contained HTML report: one file with the fit, its animation and its scores.

:func:`report` reads a :class:`~vizgmm.history.History` (it never refits),
turns it into plain numbers and chart geometry, and renders the Jinja2
templates of the top-level ``templates/`` folder (shipped in the wheel as
``vizgmm/templates``) into one HTML file. Everything is inline: the animation
and the final figure as base64 data URIs, the charts as SVG, the styles in a
``<style>`` element, and a Content-Security-Policy that forbids every fetch,
so the file opens offline and makes no network request at all.

Every string that comes from the user (title, file and column names,
component names, the command) reaches the page through Jinja's autoescaping;
the templates run with ``StrictUndefined`` so a misspelt variable is an error
rather than an empty cell.
"""

import base64
import io
import math
import tempfile
from pathlib import Path

import jinja2
import numpy as np

from .errors import DataError, OptionError, OutputError
from .files import build_time, write_text

ANIMATIONS = ("mp4", "gif", "none")
PAGE_TEMPLATE = "report.html"
# Components beyond the palette's length reuse its colours.
PALETTE_SIZE = 10
# Bytes of MP4 + GIF up to which the GIF also goes inside the <video> as its fallback.
# Base64 adds a third, so this keeps the demo's page under 2 MB with room for the rest.
FALLBACK_BUDGET = 1_200_000


# -- templates ------------------------------------------------------------
def default_template_dir():
    """The folder of the default templates: inside the installed package, else the checkout's."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


def template_environment(template_dir=None):
    """A Jinja2 environment: ``template_dir`` (if any) overrides templates by name, the defaults fill in.

    Autoescaping is on for every template and undefined variables raise.
    """
    folders = []
    if template_dir is not None:
        template_dir = Path(template_dir)
        if not template_dir.is_dir():
            raise OptionError(
                f"template folder {template_dir} does not exist or is not a folder; "
                "pass a folder holding templates such as report.html"
            )
        folders.append(jinja2.FileSystemLoader(str(template_dir)))
    default = default_template_dir()
    if not (default / PAGE_TEMPLATE).is_file():
        raise OutputError(
            f"vizgmm's report templates are missing from {default}; reinstall vizgmm"
        )
    folders.append(jinja2.FileSystemLoader(str(default)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_number
    env.filters["signed"] = format_signed
    env.filters["filesize"] = format_size
    return env


# -- the public call -----------------------------------------------------
def report(
    history,
    path,
    *,
    title=None,
    animation="mp4",
    gif_path=None,
    mp4_path=None,
    true_labels=None,
    template_dir=None,
    selection=None,
    restarts=None,
    command=None,
    **render_opts,
):
    """Write one self-contained HTML report of a fit to ``path`` and return its Path.

    Parameters
    ----------
    history : History
    path : str or Path
        The HTML file to write (atomically).
    title : str, optional
        Default ``history.meta["title"]``, else a title made from the fit.
    animation : {"mp4", "gif", "none"}
        ``"mp4"`` embeds a ``<video>`` with the GIF inside as fallback when a
        GIF is given; ``"gif"`` embeds the GIF alone; ``"none"`` leaves the
        animation out.
    gif_path, mp4_path : str or Path, optional
        Already rendered animations to embed (and name as standalone files).
        Without them the animation is rendered into a temporary folder with
        :func:`vizgmm.render_mp4` / :func:`vizgmm.render_gif`.
    true_labels : array, shape (n,), optional
        Default ``history.true_labels``. Adds accuracy after optimal label
        matching, the adjusted Rand index and the confusion matrix.
    template_dir : str or Path, optional
        A folder whose templates override the defaults by name.
    selection : Selection, optional
        A model selection over several k (fields ``criterion``, ``ks``,
        ``fits``, ``best_by_k``, ``bic``, ``aic``, ``best_k``, ``best``):
        adds the BIC/AIC table and curve.
    restarts : list of History, optional
        Several restarts for one k: adds their log-likelihood trajectories.
    command : str, optional
        The command or call that made the fit. Default
        ``history.meta["command"]``, else a ``vizgmm.fit(...)`` call rebuilt
        from the settings.
    **render_opts
        Passed to the render functions (preset, theme, tween, fps, ...).
    """
    from .history import History

    if not isinstance(history, History):
        raise OptionError(
            f"expected a vizgmm History (from vizgmm.fit or History.load), got {type(history).__name__}"
        )
    if animation not in ANIMATIONS:
        raise OptionError(f"unknown animation {animation!r}; use one of: {', '.join(ANIMATIONS)}")
    if len(history) == 0:
        raise DataError("the history has no snapshots; fit the data first")
    path = Path(path)
    env = template_environment(template_dir)
    if true_labels is None:
        true_labels = history.true_labels
    if title is None:
        title = history.meta.get("title") or default_title(history)
    if command is None:
        command = history.meta.get("command") or fit_call(history)
    names = component_names(history, render_opts.get("component_names"))
    palette = component_palette(render_opts.get("theme", "light"))

    context = {
        "title": str(title),
        "generated": build_time(),
        "fit": fit_summary(history),
        "palette": palette,
        "components": [{"name": name, "colour": j % len(palette)} for j, name in enumerate(names)],
        "snapshots": snapshot_rows(history, len(palette)),
        "loglik_chart": loglik_chart(history),
        "labels": None if true_labels is None else label_scores(history, true_labels, names, len(palette)),
        "selection": None if selection is None else selection_summary(selection),
        "restarts": None if not restarts else restarts_summary(restarts),
        "reproducibility": {
            "command": str(command),
            **reproducibility_seeds(history),
            "fit_versions": sorted(history.versions.items()),
            "report_versions": sorted(_report_versions().items()),
        },
    }
    with tempfile.TemporaryDirectory(prefix="vizgmm-report-") as scratch:
        context["animation"] = animation_media(
            history, animation, gif_path, mp4_path, Path(scratch), path, render_opts
        )
        context["still"] = still_figure(history, render_opts)
    try:
        html = env.get_template(PAGE_TEMPLATE).render(context)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        message = (exc.message or type(exc).__name__).splitlines()[0]
        advice = "fix or remove your template" if template_dir is not None else "please report this vizgmm bug"
        raise OptionError(f"the report template failed{where}: {message}; {advice}") from None
    write_text(path, html)
    return path


# -- what the page says --------------------------------------------------
METHOD_NAMES = {
    "soft": "soft EM (responsibilities)",
    "hard": "hard EM (each point takes its most probable component)",
}


def default_title(history):
    source = history.meta.get("source")
    what = f"{history.k}-component Gaussian mixture"
    return f"{what} of {source}" if source else what


def component_names(history, override=None):
    """One display name per component: the given names, ``meta["component_names"]``, else 1..k."""
    names = override if override is not None else history.meta.get("component_names")
    if not names:
        return [str(j + 1) for j in range(history.k)]
    names = [str(name) for name in names]
    if len(names) != history.k:
        raise OptionError(
            f"{len(names)} component names for {history.k} components; give exactly one name per component"
        )
    return names


def component_palette(theme="light"):
    """The renderer's component colours for ``theme`` as ``#rrggbb``, so swatches match the figures."""
    from matplotlib.colors import to_hex

    from . import presets

    return [to_hex(colour) for colour in presets.theme(theme)["components"]]


def fit_summary(history):
    """The facts at the top of the page, as display strings and plain numbers."""
    settings = history.settings
    final = history.final
    feature_names = history.meta.get("feature_names")
    return {
        "source": history.meta.get("source") or "an array passed to vizgmm.fit",
        "n": history.n,
        "d": history.d,
        "k": history.k,
        "feature_names": [str(name) for name in feature_names] if feature_names else [],
        "method": METHOD_NAMES.get(settings.get("method"), str(settings.get("method"))),
        "init": str(settings.get("init")),
        "covariance_type": str(settings.get("covariance_type")),
        "converged": history.converged,
        "epochs": history.epochs,
        "max_iter": settings.get("max_iter"),
        "tol": settings.get("tol"),
        "log_likelihood": final.log_likelihood,
        "mean_log_likelihood": final.log_likelihood / history.n,
        "bic": float(history.bic()),
        "aic": float(history.aic()),
        "n_parameters": history.n_parameters(),
        "events": [msg for s in history for msg in _event_lines(s) if not msg.startswith("converged")],
    }


def _event_lines(snapshot):
    return [f"epoch {snapshot.epoch}: {e['message']}" for e in snapshot.events]


def snapshot_rows(history, n_colours=PALETTE_SIZE):
    """One row per snapshot: per-component μ, spread, φ and count; log-likelihood and its change.

    The spread is σ for 1-D data; for d > 1 the per-axis standard deviations
    (square roots of the covariance diagonal) and, for d = 2, the correlation ρ.
    """
    rows = []
    previous = None
    for snap in history:
        components = []
        for j in range(snap.k):
            cov = snap.covariances[j]
            sd = np.sqrt(np.diag(cov))
            if history.d == 1:
                mean, spread = format_number(snap.means[j, 0]), format_number(sd[0])
            else:
                # Three digits keep a row of d-vectors narrow enough to read.
                mean = _vector(snap.means[j], 3)
                spread = "σ " + _vector(sd, 3)
                if history.d == 2:
                    rho = cov[0, 1] / (sd[0] * sd[1]) if sd[0] * sd[1] > 0 else 0.0
                    spread += f", ρ {format_number(rho, 2)}"
            components.append(
                {
                    "colour": j % n_colours,
                    "mean": mean,
                    "spread": spread,
                    "weight": format_number(snap.weights[j], 3),
                    "count": int(snap.counts[j]),
                }
            )
        ll = snap.log_likelihood
        rows.append(
            {
                "epoch": snap.epoch,
                "components": components,
                "log_likelihood": ll,
                "change": None if previous is None else ll - previous,
                "events": [e["message"] for e in snap.events],
            }
        )
        previous = ll
    return rows


def _vector(values, digits=4):
    return "(" + ", ".join(format_number(v, digits) for v in values) + ")"


def loglik_chart(history):
    """Geometry of the log-likelihood-per-epoch chart (one series, one dot per snapshot)."""
    epochs = [s.epoch for s in history]
    lls = list(history.log_likelihoods)
    return line_chart(
        [{"name": "log-likelihood", "x": epochs, "y": lls, "colour": "accent", "highlight": True}],
        x_label="epoch",
        y_label="total log-likelihood",
        integer_x=True,
    )


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


def label_scores(history, true_labels, names, n_colours=PALETTE_SIZE):
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
        "columns": [{"name": names[j], "colour": j % n_colours} for j in range(history.k)],
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


# -- several fits ----------------------------------------------------------
def selection_summary(selection):
    """Table rows and chart geometry for a model selection over k (BIC and AIC per k)."""
    ks = [int(k) for k in selection.ks]
    rows = []
    for k in ks:
        if k not in selection.best_by_k:
            continue  # every restart of this k failed; the failures list says why
        best = selection.best_by_k[k]
        fits = selection.fits.get(k) or [best]
        rows.append(
            {
                "k": k,
                "bic": float(selection.bic[k]),
                "aic": float(selection.aic[k]),
                "log_likelihood": float(best.final.log_likelihood),
                "restarts": len(fits),
                "epochs": best.epochs,
                "converged": best.converged,
                "chosen": k == int(selection.best_k),
            }
        )
    chart = line_chart(
        [
            {"name": "BIC", "x": [r["k"] for r in rows], "y": [r["bic"] for r in rows], "colour": "bic",
             "highlight": selection.criterion == "bic"},
            {"name": "AIC", "x": [r["k"] for r in rows], "y": [r["aic"] for r in rows], "colour": "aic",
             "highlight": selection.criterion == "aic"},
        ],
        x_label="number of components k",
        y_label="criterion (lower is better)",
        integer_x=True,
        mark_x=int(selection.best_k),
    )
    failures = getattr(selection, "failures", None) or []
    return {
        "criterion": str(selection.criterion).upper(),
        "best_k": int(selection.best_k),
        "summary": str(getattr(selection, "summary", "") or ""),
        "failures": [
            f"k = {f.get('k')}, restart {int(f.get('restart', 0)) + 1}: {f.get('message', '')}" for f in failures
        ],
        "rows": rows,
        "chart": chart,
    }


def restarts_summary(restarts):
    """Every restart's log-likelihood per epoch on one chart; the best final log-likelihood highlighted."""
    finals = [r.final.log_likelihood for r in restarts]
    best = int(np.argmax(finals))
    series = []
    for i, r in enumerate(restarts):
        series.append(
            {
                "name": f"restart {i + 1}" + (" (chosen)" if i == best else ""),
                "x": [s.epoch for s in r],
                "y": list(r.log_likelihoods),
                "colour": "accent" if i == best else "muted",
                "highlight": i == best,
            }
        )
    # The chosen one is drawn last so that it sits on top.
    series.append(series.pop(best))
    return {
        "rows": [
            {
                "index": i + 1,
                "seed": r.settings.get("seed"),
                "epochs": r.epochs,
                "converged": r.converged,
                "log_likelihood": float(finals[i]),
                "chosen": i == best,
            }
            for i, r in enumerate(restarts)
        ],
        "best": best + 1,
        "chart": line_chart(series, x_label="epoch", y_label="total log-likelihood", integer_x=True),
    }


# -- chart geometry (the templates draw it) --------------------------------
CHART = {"width": 500, "height": 270, "left": 60, "right": 14, "top": 14, "bottom": 46}


def line_chart(series, *, x_label, y_label, integer_x=False, mark_x=None):
    """Pixel geometry of a line chart for the ``line_chart`` template macro.

    ``series`` is a list of dicts with ``name``, ``x``, ``y`` (equal-length
    sequences), ``colour`` (a CSS class suffix) and ``highlight``. Returns the
    SVG size, the plot box, ticks with positions and labels, and each series'
    polyline points; no markup.
    """
    from matplotlib.ticker import MaxNLocator

    xs = np.concatenate([np.asarray(s["x"], dtype=float) for s in series])
    ys = np.concatenate([np.asarray(s["y"], dtype=float) for s in series])
    ys = ys[np.isfinite(ys)]
    xmin, xmax = float(xs.min()), float(xs.max())
    ymin, ymax = (float(ys.min()), float(ys.max())) if ys.size else (0.0, 1.0)
    if xmax == xmin:
        xmin, xmax = xmin - 0.5, xmax + 0.5
    if ymax == ymin:
        pad = abs(ymin) * 0.01 or 1.0
        ymin, ymax = ymin - pad, ymax + pad
    x_ticks = MaxNLocator(nbins=8, integer=integer_x).tick_values(xmin, xmax)
    x_ticks = [t for t in x_ticks if xmin - 1e-9 <= t <= xmax + 1e-9]
    y_ticks = list(MaxNLocator(nbins=5).tick_values(ymin, ymax))
    ymin, ymax = min(ymin, y_ticks[0]), max(ymax, y_ticks[-1])
    y_labels = _tick_labels(y_ticks)

    box = dict(CHART)
    # Room for the widest y tick label (about 9 px a character at the phone's 15.5 px) and the axis title.
    box["left"] = max(box["left"], 36 + 9 * max(len(label) for label in y_labels))
    x0, x1 = box["left"], box["width"] - box["right"]
    y0, y1 = box["height"] - box["bottom"], box["top"]

    def px(x):
        return x0 + (x - xmin) / (xmax - xmin) * (x1 - x0)

    def py(y):
        return y0 + (y - ymin) / (ymax - ymin) * (y1 - y0)

    out_series = []
    for s in series:
        points = [
            (round(px(x), 1), round(py(y), 1))
            for x, y in zip(np.asarray(s["x"], float), np.asarray(s["y"], float))
            if np.isfinite(y)
        ]
        out_series.append(
            {
                "name": str(s["name"]),
                "colour": s.get("colour", "accent"),
                "highlight": bool(s.get("highlight")),
                "points": " ".join(f"{x},{y}" for x, y in points),
                "dots": points if len(points) <= 60 else [],
            }
        )
    return {
        **box,
        "plot": {"x0": x0, "x1": x1, "y0": y0, "y1": y1},
        "x_label": x_label,
        "y_label": y_label,
        "x_ticks": [{"pos": round(px(t), 1), "label": label} for t, label in zip(x_ticks, _tick_labels(x_ticks))],
        "y_ticks": [{"pos": round(py(t), 1), "label": label} for t, label in zip(y_ticks, y_labels)],
        "series": out_series,
        "mark": None if mark_x is None else {"pos": round(px(mark_x), 1), "label": f"{mark_x:g}"},
    }


def _tick_labels(ticks):
    """Tick values with as many decimals as their step needs: 2 reads "2", 0.25 reads "0.25"."""
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = max(0, -int(math.floor(math.log10(step)))) if step else 0
    return [f"{t:,.{decimals}f}" for t in ticks]


# -- embedded media ------------------------------------------------------------
def animation_media(history, animation, gif_path, mp4_path, scratch, report_path, render_opts):
    """The animation as data URIs (rendering it if no file was given), with the standalone files' names.

    With ``animation="mp4"`` a given GIF goes inside the ``<video>`` as its
    fallback only while both files stay within :data:`FALLBACK_BUDGET`; a
    GIF is never rendered just to be a fallback.
    """
    if animation == "none":
        return None
    from . import render

    files = []
    mp4 = gif = None
    if mp4_path is not None:
        mp4 = _existing(mp4_path, "mp4_path")
        files.append(mp4)
    if gif_path is not None:
        gif = _existing(gif_path, "gif_path")
        files.append(gif)
    if animation == "mp4" and mp4 is None:
        mp4 = Path(render.render_mp4(history, scratch / "animation.mp4", **render_opts))
    if animation == "gif" and gif is None:
        gif = Path(render.render_gif(history, scratch / "animation.gif", **render_opts))
    if animation == "gif":
        mp4 = None
    gif_left_out = False
    if mp4 is not None and gif is not None and mp4.stat().st_size + gif.stat().st_size > FALLBACK_BUDGET:
        gif, gif_left_out = None, True
    media = {
        "kind": animation,
        "mp4": None,
        "gif": None,
        "gif_left_out": gif_left_out,
        "files": [_file_entry(f, report_path) for f in files],
    }
    if mp4 is not None:
        width, height = _video_size(mp4)
        media["mp4"] = {"uri": _data_uri(mp4.read_bytes(), "video/mp4"), "width": width, "height": height,
                        "bytes": mp4.stat().st_size}
    if gif is not None:
        from PIL import Image

        with Image.open(gif) as im:
            width, height = im.size
        media["gif"] = {"uri": _data_uri(gif.read_bytes(), "image/gif"), "width": width, "height": height,
                        "bytes": gif.stat().st_size}
    return media


def still_figure(history, render_opts):
    """The final snapshot's figure as a PNG data URI with its size."""
    from PIL import Image

    from . import render

    # Only the drawing options apply to a still; file-format ones (loop, quality, ...) do not.
    opts = {k: v for k, v in render_opts.items() if k in render.COMMON_OPTIONS and k != "progress"}
    pixels = np.asarray(render.render_still(history, -1, **opts))
    buffer = io.BytesIO()
    Image.fromarray(pixels[..., :3].astype(np.uint8)).save(buffer, format="PNG", optimize=True)
    return {"uri": _data_uri(buffer.getvalue(), "image/png"), "width": pixels.shape[1], "height": pixels.shape[0]}


def _existing(path, option):
    path = Path(path)
    if not path.is_file():
        raise OptionError(f"{option} {path} does not exist; render the animation first or leave {option} out")
    return path


def _file_entry(path, report_path):
    """Display name and a relative link for a standalone file next to (or below) the report."""
    from urllib.parse import quote

    try:
        rel = path.resolve().relative_to(report_path.resolve().parent).as_posix()
    except ValueError:
        rel = None
    # "./" keeps a name such as "javascript:x.gif" a relative path, never a URL scheme.
    return {
        "name": path.name if rel is None else rel,
        "href": None if rel is None else "./" + quote(rel),
        "bytes": path.stat().st_size,
    }


def _video_size(path):
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    try:
        meta = next(reader)
    finally:
        reader.close()
    width, height = meta["size"]
    return int(width), int(height)


def _data_uri(data, mime):
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


# -- reproducibility ---------------------------------------------------------
def reproducibility_seeds(history):
    """The seed the user gave and, for a restart of a selection, that restart's own derived seed.

    ``settings["seed"]`` of a restart is derived from the user's root seed, so
    showing it as "the seed" would name a number the user never typed.
    """
    own = history.settings.get("seed")
    root = history.meta.get("seed", own)
    restart = history.meta.get("restart")
    return {
        "seed": root,
        "restart_seed": own if restart is not None and own != root else None,
        "restart": None if restart is None else int(restart) + 1,
        "n_init": history.meta.get("n_init"),
    }


def fit_call(history):
    """A ``vizgmm.fit(...)`` call string that repeats the fit from its recorded settings."""
    s = history.settings
    if s.get("init") == "explicit" and "init_parameters" in s:
        p = s["init_parameters"]
        init = repr({"means": p["means"], "covariances": p["covariances"], "weights": p["weights"]})
    else:
        init = repr(s.get("init"))
    args = [
        "X",
        repr(history.k),
        f"method={s.get('method')!r}",
        f"init={init}",
        f"covariance_type={s.get('covariance_type')!r}",
        f"max_iter={s.get('max_iter')!r}",
        f"tol={s.get('tol')!r}",
        f"reg_covar={s.get('reg_covar')!r}",
        f"seed={s.get('seed')!r}",
    ]
    return f"vizgmm.fit({', '.join(args)})"


def _report_versions():
    from .history import package_versions

    versions = package_versions()
    try:
        from PIL import __version__ as pillow

        versions["pillow"] = pillow
    except ImportError:  # pragma: no cover - Pillow is a dependency
        pass
    return versions


# -- numbers -----------------------------------------------------------------
def format_number(x, digits=4):
    """A number with about ``digits`` significant digits, thousands separated; huge/tiny ones in e-notation."""
    if x is None:
        return "–"
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    if magnitude >= 15 or magnitude < -4:
        return f"{x:.{max(digits - 1, 0)}e}"
    decimals = max(0, digits - 1 - magnitude)
    text = f"{x:,.{decimals}f}"
    return text


def format_signed(x, digits=4):
    """Like :func:`format_number` with an explicit + for positive values (changes)."""
    if x is None:
        return "–"
    text = format_number(x, digits)
    return "+" + text if float(x) > 0 else text


def format_size(nbytes):
    """A byte count as kB/MB (powers of 1000, as file managers show them)."""
    nbytes = float(nbytes)
    for unit in ("bytes", "kB", "MB", "GB"):
        if nbytes < 1000 or unit == "GB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1000
