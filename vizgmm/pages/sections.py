"""The report's context: what each section shows, built from a History."""

import numpy as np

from vizgmm.i18n import N_
from vizgmm.i18n import words as get_words
from vizgmm.look.colors import colour_index
from vizgmm.look.names import short_names
from vizgmm.look.notes import engine_message
from vizgmm.look.variational import active_count, active_sentence, faded, fades, prior_words, scores
from vizgmm.pages.charts import line_chart
from vizgmm.pages.formatting import format_number

# -- what the page says --------------------------------------------------
# Marked for the catalogue (English here; a deck says them through its Words).
METHOD_NAMES = {
    "soft": N_("soft EM (responsibilities)"),
    "hard": N_("hard EM (each point takes its most probable component)"),
    "kmeans": N_("k-means (Lloyd's algorithm: each point takes its nearest centre)"),
}
#: scikit-learn's covariance types and the starts' names as the summary says them (unknown ones as recorded).
COVARIANCE_WORDS = {"full": N_("full"), "diag": N_("diag"), "spherical": N_("spherical"), "tied": N_("tied")}
INIT_WORDS = {"explicit": N_("explicit")}


def _method_name(settings, w):
    """The method in ``w``'s words; an annealing (vizgmm.anneal) names its schedule."""
    if settings.get("annealing") and settings.get("temperatures"):
        temperatures = [t for t in settings["temperatures"] if t > 0]
        return w.gettext("soft EM annealed into k-means: equal weights and one shared σ² held fixed, lowered from "
                         "{high} to {low} over {count} steps, then Lloyd's steps (σ² → 0)").format(
            high=f"{temperatures[0]:.3g}", low=f"{temperatures[-1]:.3g}", count=len(temperatures))
    if settings.get("method") == "variational":
        return w.gettext("the variational Bayesian mixture (scikit-learn's BayesianGaussianMixture) with {prior} "
                         "on the weights").format(prior=prior_words(settings, w))
    method = settings.get("method")
    return w.gettext(METHOD_NAMES[method]) if method in METHOD_NAMES else str(method)


def default_title(history, lang=None):
    source = history.meta.get("source")
    w = get_words(lang)
    if source:
        return w.gettext("{k}-component Gaussian mixture of {source}").format(k=history.k, source=source)
    return w.gettext("{k}-component Gaussian mixture").format(k=history.k)


def component_names(history, override=None):
    """One display name per component: the given names, ``meta["component_names"]``, else 1..k."""
    return short_names(history, override)


def component_palette(theme="light"):
    """The renderer's component colours for ``theme`` as ``#rrggbb``, so swatches match the figures."""
    from matplotlib.colors import to_hex

    from vizgmm.look import presets

    return [to_hex(colour) for colour in presets.theme(theme)["components"]]


def fit_summary(history, lang=None):
    """The facts at the top of the page, as display strings and plain numbers (the sentences in ``lang``)."""
    settings = history.settings
    final = history.final
    feature_names = history.meta.get("feature_names")
    values, score_name = scores(history)
    variational = fades(history)
    w = get_words(lang)
    covariance, init = str(settings.get("covariance_type")), str(settings.get("init"))
    return {
        "source": history.meta.get("source") or w.gettext("an array passed to vizgmm.fit"),
        "n": history.n,
        "d": history.d,
        "k": history.k,
        "feature_names": [str(name) for name in feature_names] if feature_names else [],
        "method": _method_name(settings, w),
        "init": init,
        "init_words": w.gettext(INIT_WORDS[init]) if init in INIT_WORDS else init,
        "covariance_type": covariance,
        "covariance_words": w.gettext(COVARIANCE_WORDS[covariance]) if covariance in COVARIANCE_WORDS else covariance,
        "converged": history.converged,
        "stuck": history.stuck,
        "epochs": history.epochs,
        "max_iter": settings.get("max_iter"),
        "tol": settings.get("tol"),
        "log_likelihood": final.log_likelihood,
        "mean_log_likelihood": final.log_likelihood / history.n,
        "bic": float(history.bic()),
        "aic": float(history.aic()),
        "n_parameters": history.n_parameters(),
        # A variational fit's score is its lower bound (ELBO); its prior drains what the data do not need.
        "variational": variational,
        "score_name": score_name,
        "elbo": float(values[-1]) if variational else None,
        "active": active_count(final.weights) if variational else None,
        "active_sentence": active_sentence(history, words=lang),
        # Convergence has its own line in the summary; the Events list is for what went wrong.
        "events": [line for s in history for line in _event_lines(s, w, skip=("converged",))],
    }


def _event_lines(snapshot, w, skip=()):
    epoch = w.gettext("epoch {epoch}").format(epoch=snapshot.epoch)
    return [f"{epoch}: {engine_message(e['message'], w)}" for e in snapshot.events if e.get("type") not in skip]


def snapshot_rows(history, lang=None):
    """One row per snapshot: per-component μ, spread, φ and count; log-likelihood and its change.

    The spread is σ for 1-D data; for d > 1 the per-axis standard deviations
    (square roots of the covariance diagonal) and, for d = 2, the correlation ρ.
    The events are the engine's messages in ``lang`` (``event_types`` says each one's kind).
    """
    w = get_words(lang)
    rows = []
    previous = None
    values, _ = scores(history)
    fade = fades(history)
    for i, snap in enumerate(history):
        components = []
        drained = faded(snap.weights) if fade else np.zeros(snap.k, dtype=bool)
        for j in range(snap.k):
            cov = snap.covariances[j]
            sd = np.sqrt(np.diag(cov))
            if history.d == 1:
                mean, spread = format_number(snap.means[j, 0]), format_number(sd[0])
            else:
                # Three digits keep a row of d-vectors narrow enough to read.
                mean = _vector(snap.means[j], 3)
                # d > 2: the column's header says "σ per axis"; the row stays narrow enough to fit the page.
                spread = _vector(sd, 3) if history.d > 2 else "σ " + _vector(sd, 3)
                if history.d == 2:
                    rho = cov[0, 1] / (sd[0] * sd[1]) if sd[0] * sd[1] > 0 else 0.0
                    spread += f", ρ {format_number(rho, 2)}"
            components.append(
                {
                    "colour": colour_index(j),
                    "mean": mean,
                    "spread": spread,
                    "weight": format_number(snap.weights[j], 3),
                    "count": int(snap.counts[j]),
                    "faded": bool(drained[j]),
                }
            )
        ll = float(values[i])
        rows.append(
            {
                "epoch": snap.epoch,
                "components": components,
                "log_likelihood": ll,
                "change": None if previous is None or not np.isfinite(previous - ll) else ll - previous,
                "events": [engine_message(e["message"], w) for e in snap.events],
                "event_types": [e.get("type") for e in snap.events],
            }
        )
        previous = ll
    return rows


def _vector(values, digits=4):
    return "(" + ", ".join(format_number(v, digits) for v in values) + ")"


# -- several fits ----------------------------------------------------------
def selection_summary(selection, lang=None):
    """Table rows and chart geometry for a model selection over k (BIC and AIC per k); its sentence in ``lang``."""
    w = get_words(lang)
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
        x_label=w.gettext("number of components k"),
        y_label=w.gettext("criterion (lower is better)"),
        integer_x=True,
        mark_x=int(selection.best_k),
    )
    failures = getattr(selection, "failures", None) or []
    return {
        "criterion": str(selection.criterion).upper(),
        "best_k": int(selection.best_k),
        "summary": str((selection.describe(lang) if hasattr(selection, "describe") else getattr(selection, "summary", ""))
                       or ""),
        "failures": [_restart_line(f, w) for f in failures],
        "collapsed": [_restart_line(c, w) for c in getattr(selection, "collapsed", None) or []],
        "warning": str(getattr(selection, "warning", "") or ""),
        "rows": rows,
        "chart": chart,
    }


def _restart_line(record, w):
    """"k = 3, restart 2: its message" (a failed or collapsed restart of a selection), in ``w``'s words."""
    return w.gettext("k = {k}, restart {number}: {message}").format(
        k=record.get("k"), number=int(record.get("restart", 0)) + 1,
        message=engine_message(str(record.get("message", "")), w))


def restarts_summary(restarts, lang=None):
    """Every restart's log-likelihood per epoch on one chart; the best final log-likelihood highlighted.

    ``restarts`` is a list of histories, or a :class:`vizgmm.model.restarts.Restarts`, whose
    optima add a column (which optimum each start reached), the init column and a sentence (in ``lang``).
    """
    w = get_words(lang)
    grouped = getattr(restarts, "optima", None) is not None
    histories = restarts.histories if grouped else list(restarts)
    finals = [r.final.log_likelihood for r in histories]
    best = int(np.argmax(finals))
    series = []
    for i, r in enumerate(histories):
        series.append(
            {
                "name": (w.gettext("restart {number} (chosen)") if i == best else w.gettext("restart {number}")).format(
                    number=i + 1),
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
                "init": restarts.inits[i] if grouped else None,
                "optimum": restarts.optimum_of(i).rank if grouped else None,
            }
            for i, r in enumerate(histories)
        ],
        "best": best + 1,
        "summary": restarts.describe(lang) if grouped else None,
        "chart": line_chart(series, x_label=w.gettext("epoch"), y_label=w.gettext("total log-likelihood"), integer_x=True),
    }


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
    # A variational fit's priors, as resolved (scikit-learn's defaults filled in): the same fit again.
    args += [f"{name}={value!r}" for name, value in (s.get("priors") or {}).items()]
    return f"vizgmm.fit({', '.join(args)})"


def _report_versions():
    from vizgmm.model.history import package_versions

    versions = package_versions()
    try:
        from PIL import __version__ as pillow

        versions["pillow"] = pillow
    except ImportError:  # pragma: no cover - Pillow is a dependency
        pass
    return versions

