"""What a command prints when it is done: the fit in one paragraph and the files it wrote.

In the run's language (--lang, else the locale's: :mod:`vizgmm.i18n`); error messages stay English.
"""

import os
from pathlib import Path

from vizgmm.text import shown


def run_words(args):
    """The run's :class:`vizgmm.i18n.Words`: ``--lang``, else the user's locale's, else English."""
    from vizgmm.cli.arguments import resolve_lang
    from vizgmm.i18n import words

    return words(resolve_lang(getattr(args, "lang", None)))


def print_selection_summary(args, selection):
    """The choice of k and the BIC of every k, on standard output."""
    if selection is None or getattr(args, "quiet", False):
        return
    w = run_words(args)
    lines = [selection.describe(w) + "."]
    if len(selection.ks) > 1:
        lines.append("  " + "; ".join(
            f"k={row['k']}: BIC {row['bic']:,.1f}{' *' if row['chosen'] else ''}" for row in selection.table()
        ))
    if selection.n_init > 1:
        finals = [h.final.log_likelihood for h in selection.restarts]
        lines.append("  " + w.ngettext(
            "{count} restart of k={k}: final total log-likelihood from {low} to {high}; restart {kept} kept",
            "{count} restarts of k={k}: final total log-likelihood from {low} to {high}; restart {kept} kept",
            len(finals)).format(count=len(finals), k=selection.best_k, low=w.number(min(finals), 1),
                                high=w.number(max(finals), 1), kept=selection.best_restart[selection.best_k] + 1))
    for failure in selection.failures:
        lines.append("  " + w.gettext("k={k} restart {number} failed: {message}").format(
            k=failure["k"], number=failure["restart"] + 1, message=failure["message"]))
    for k in sorted({spike["k"] for spike in selection.collapsed}):
        spikes = [spike for spike in selection.collapsed if spike["k"] == k]
        lines.append("  " + w.ngettext("k={k}: {count} of {total} restart not scored; e.g. {message}",
                                       "k={k}: {count} of {total} restarts not scored; e.g. {message}",
                                       selection.n_init).format(k=k, count=len(spikes), total=selection.n_init,
                                                                message=spikes[0]["message"]))
    print("\n".join(lines), flush=True)


def selection_sections(selection, starts=None):
    """The report's selection (BIC/AIC over several k) and restarts (several starts) arguments."""
    if starts is not None:
        return {"restarts": starts}
    if selection is None:
        return {}
    return {
        "selection": selection if len(selection.ks) > 1 else None,
        "restarts": selection.restarts if selection.n_init > 1 else None,
    }


def _final_event_notes(history, w=None):
    """What is wrong with the final model: components still empty (reported when they emptied) and collapsed ones.

    In English the engine's own messages (with their advice); in another language the frames' short
    notes (:func:`vizgmm.look.notes.event_notes`), since the engine records English.

    An "empty" event is recorded only at the epoch a component lost its
    points, so the whole history is searched for those still at weight 0.
    """
    final = history.final
    notes = {}
    for snapshot in history.snapshots:
        for event in snapshot.events:
            if event["type"] == "empty" and final.weights[event["component"]] == 0:
                notes[("empty", event["component"])] = event
    for event in final.events:
        if event["type"] == "collapse":
            notes[("collapse", event["component"])] = event
    events = [notes[key] for key in sorted(notes, key=lambda key: (key[1], key[0]))]
    if w is None or w.lang == "en":
        return [event["message"] for event in events]
    from vizgmm.look.names import component_label, given_names
    from vizgmm.look.notes import event_notes

    names = given_names(history)
    return [event_notes([event], lambda j: component_label(names, j, w), min(history.d, 2), w)[0] for event in events]


def print_summary(args, history, files, out, fitted=True):
    """The closing summary on standard output: what was fitted and every file written, with sizes."""
    if getattr(args, "quiet", False):
        return
    from vizgmm.look.notes import engine_message

    w = run_words(args)
    lines = []
    if fitted:
        from vizgmm.look.variational import active_sentence, fades, scores

        final = history.final
        variational = fades(history)
        epochs = w.ngettext("{count} epoch", "{count} epochs", history.epochs).format(count=history.epochs)
        source = shown(history.meta.get("source") or w.gettext("the data"))
        if variational and history.d > 1:
            fitted_line = w.gettext("Fitted the variational Bayesian mixture, k={k}, to {n} points × {d} columns "
                                    "from {source}: {epochs}")
        elif variational:
            fitted_line = w.gettext("Fitted the variational Bayesian mixture, k={k}, to {n} points from {source}: "
                                    "{epochs}")
        elif history.d > 1:
            fitted_line = w.gettext("Fitted {method} EM, k={k}, to {n} points × {d} columns from {source}: {epochs}")
        else:
            fitted_line = w.gettext("Fitted {method} EM, k={k}, to {n} points from {source}: {epochs}")
        lines.append(
            fitted_line.format(method=history.settings["method"], k=history.k, n=history.n, d=history.d,
                               source=source, epochs=epochs)
            + (w.gettext(", converged") if history.converged else "")
            + (w.gettext("; stuck: the start put components at the same place, use another --init")
               if history.stuck else "") + "."
        )
        # What the fit maximised: the mean log-likelihood per point, or a variational fit's total ELBO.
        per_point = (w.gettext("lower bound (ELBO) {value}").format(value=w.numeral(f"{scores(history)[0][-1]:,.4f}"))
                     if variational else
                     w.gettext("mean log-likelihood per point {value}").format(
                         value=w.numeral(f"{final.log_likelihood / history.n:.4f}")))
        epoch = w.gettext("epoch {epoch}").format(epoch=final.epoch)
        if history.d == 1:
            lines.append(
                f"  {epoch}: μ = {_list(final.means[:, 0], w)}; σ = {_list(final.stds, w)}; "
                f"φ = {_list(final.weights, w, 3)}; {per_point}"
            )
        else:
            lines.append(f"  {epoch}: φ = {_list(final.weights, w, 3)}; {per_point}")
        if variational:
            lines.append(f"  {active_sentence(history, words=w)}")
        lines.extend("  " + w.gettext("note: {message}").format(message=engine_message(message, w))
                     for message in _final_event_notes(history, w))
        lines.extend(_class_lines(history, w))
    lines.append(w.gettext("Wrote to {folder}:").format(folder=f"{shown(out)}{os.sep}"))
    rows = []
    # What a user came for first: the animations, then the report, then the history.
    # Animations, frames, the report, the history; then the words and snippets that go with them.
    from vizgmm.animate.writers import registry  # loaded by the run already; not on the --help path

    # The GIF first (what most come for), then the other registered formats' files.
    rank = {**{f.suffix: 1 for f in registry.formats() if f.suffix}, ".gif": 0, "": 2, ".html": 3, ".json": 4, ".npz": 5}
    by_name = {"report.html": 3, "player.html": 3, "animation.txt": 6, "embed.html": 7, "embed.md": 7, "poster.png": 8}

    def place(entry):
        path = Path(entry[0] if isinstance(entry, tuple) else entry)
        return by_name.get(path.name, rank.get(path.suffix, 9))

    files = sorted(files, key=place)
    for entry in files:
        if isinstance(entry, tuple):
            folder, count, size = entry
            rows.append((_relative(folder, out) + os.sep,
                         w.ngettext("{count} PNG frame, {size}", "{count} PNG frames, {size}", count).format(
                             count=count, size=human_size(size))))
        else:
            rows.append((_relative(Path(entry), out), human_size(Path(entry).stat().st_size)))
    width = max(len(name) for name, _ in rows)
    lines.extend(f"  {name:<{width}}  {size:>8}" for name, size in rows)
    html = [Path(e) for e in files if not isinstance(e, tuple) and Path(e).suffix == ".html"]
    html.sort(key=lambda p: p.name == "embed.html")  # the report, not the blog snippet
    if html:
        lines.append(w.gettext("Open {path} in a browser.").format(path=shown(html[0])))
    print("\n".join(lines), flush=True)


def _relative(path, folder):
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return str(path)


def _list(values, w, digits=4):
    return ", ".join(w.numeral(f"{float(v):.{digits}g}") for v in values)


def human_size(nbytes):
    if nbytes < 1000:
        return f"{nbytes} B"
    if nbytes < 1_000_000:
        return f"{nbytes / 1000:.0f} KB"
    return f"{nbytes / 1_000_000:.1f} MB"



def _class_lines(history, w):
    """"  components 1..k matched to the classes setosa, versicolor, virginica: 96.7% of points agree"."""
    from vizgmm.model.ordering import MIN_CLASS_AGREEMENT, ORDER_BY_CLASSES, class_name

    if history.true_labels is None:
        return []
    agreement = history.settings.get("class_agreement")
    if history.settings.get("component_order") != ORDER_BY_CLASSES:
        if agreement is None:
            return []
        return ["  " + w.gettext("components not named after the classes: only {agreement} of points in their "
                                 "matched class's component (names need {needed})").format(
            agreement=w.numeral(f"{agreement:.1%}"), needed=f"{MIN_CLASS_AGREEMENT:.0%}")]
    import numpy as np

    classes, index = np.unique(np.asarray(history.true_labels), return_inverse=True)
    agree = float((history.final.labels.astype(np.intp) == index).mean())
    names = ", ".join(str(class_name(c)) for c in classes)
    return ["  " + w.gettext("components 1-{k} matched to the classes {names}: {agreement} of points in their class's "
                             "component").format(k=history.k, names=names, agreement=w.numeral(f"{agree:.1%}"))]
