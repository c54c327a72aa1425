"""The commands that fit data: ``demo``, ``fit``, ``compare``, ``anneal``, and ``simulate``, which draws data to fit.

One ``cmd_<name>(args) -> int`` per subcommand: each calls the public API a notebook user calls. The commands
that redraw a saved history are in :mod:`vizgmm.cli.redraw`.
"""

from pathlib import Path

from vizgmm.cli.arguments import (
    build_init,
    check_fit_numbers,
    check_selection_options,
    command_line,
    notes_enabled,
    parse_component_names,
    parse_floats,
    parse_k,
    parse_k_choices,
    progress_enabled,
    render_options,
)
from vizgmm.cli.lock import out_lock
from vizgmm.cli.outputs import default_out_dir, write_collapse_demo, write_comparison, write_outputs, write_simulated
from vizgmm.cli.priors import compare_priors_option, variational_priors
from vizgmm.cli.summary import human_size, print_selection_summary, print_summary
from vizgmm.errors import OptionError
from vizgmm.pages.explain import explain
from vizgmm.text import shown


def cmd_demo(args):
    import vizgmm

    if args.scene == "collapse":
        return _collapse_demo(args)
    args.method = args.method or "hard"
    args.out = args.out or "outputs/demo"
    names = parse_component_names(args.component_names, 2)
    render_options(args)
    x, true_labels = vizgmm.walkthrough_data(seed=args.seed)
    progress = progress_enabled(args)
    with out_lock(Path(args.out)):
        return _demo(args, vizgmm, x, true_labels, names, progress)


def _collapse_demo(args):
    import vizgmm

    names = parse_component_names(args.component_names, 3)
    render_options(args)
    args.method = args.method or "soft"
    out = Path(args.out or "outputs/demo-collapse")
    with out_lock(out):
        fits = vizgmm.collapse_demo(seed=args.seed, method=args.method, lang=render_options(args).get("lang"))
        for history in fits.values():
            history.meta["command"] = command_line(args)
            if names:
                history.meta["component_names"] = names
        files = write_collapse_demo(fits, out, args)
        print_summary(args, None, files, out, fitted=False)
    return 0


def _demo(args, vizgmm, x, true_labels, names, progress):
    history = vizgmm.fit(
        x, 2, method=args.method, init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10, seed=0, progress=progress
    )
    from vizgmm.cli.arguments import resolve_lang
    from vizgmm.i18n import words

    w = words(resolve_lang(getattr(args, "lang", None)))
    history.meta.update(
        source=w.gettext("walk-through foot sizes (simulated)"),
        feature_names=[w.gettext("foot size (mm)")],
        title=args.title or w.gettext("{method} EM on the walk-through's foot sizes").format(
            method=args.method.capitalize()),
        command=command_line(args),
    )
    if names:
        history.meta["component_names"] = names
    history.true_labels = true_labels
    files = write_outputs(history, Path(args.out), args, html=args.html)
    print_summary(args, history, files, Path(args.out))
    return 0


def cmd_fit(args):
    ks = parse_k_choices(args.k)
    names = parse_component_names(args.component_names, ks[0] if len(ks) == 1 else None)
    check_fit_numbers(args)
    init = build_init(args)
    check_selection_options(args, ks, init)
    render_options(args)
    out = Path(args.out) if args.out else default_out_dir(args.data)
    # The lock also proves the folder writable, before any time goes into fitting.
    with out_lock(out):
        return _fit(args, out, ks, names, init)


def _fit(args, out, ks, names, init):
    from vizgmm.data.loading import load_data

    # Notes wait until the fit has worked, so that an error stays a single line.
    notes, facts = [], {}
    X, feature_names, true_labels, source = load_data(
        args.data, column=args.column, columns=args.columns, labels_column=args.labels_column,
        dropna=args.dropna, on_note=notes.append, facts=facts,
    )
    if args.standardize:
        X, feature_names = standardized(X, feature_names)
    progress = progress_enabled(args)
    history, selection = fit_or_select(X, ks, init, args, progress, on_note=notes.append)
    for message in notes:
        notes_enabled(args)(message)
    if names and selection is not None:
        names = parse_component_names(args.component_names, history.k)
    _record(history, args, source, feature_names, facts, true_labels, names)
    files = write_outputs(history, out, args, html=args.html, selection=selection)
    print_selection_summary(args, selection)
    print_summary(args, history, files, out)
    return 0


def cmd_compare(args):
    k = parse_k(args.k)
    names = parse_component_names(args.component_names, k)
    check_fit_numbers(args)
    init = build_init(args)
    priors = compare_priors_option(args)
    if priors is None:
        variational_priors(args, 1)  # a prior flag without --method variational --priors: a one-line error
    if args.methods and args.method:
        raise OptionError("give the methods once: --methods hard,soft,kmeans or --method hard --method soft")
    # Checked once, by vizgmm.compare (params.CONSTRAINTS["methods"]); a bad value names --methods.
    if priors is None and args.method and (len(args.method) != 2 or len(set(args.method)) != 2):
        raise OptionError("compare needs two different methods: --method hard --method soft (or --methods hard,soft)")
    methods = args.methods or tuple(args.method or ("hard", "soft"))
    if args.frames:
        raise OptionError("compare writes no PNG frames; leave out --frames")
    from vizgmm.animate.writers import registry

    others = [f.name for f in registry.formats() if not f.grid and not f.folder and getattr(args, f.name, False)]
    if others:
        grid = " and ".join(f.title for f in registry.formats("grid"))
        raise OptionError(f"compare writes {grid} only; leave {' and '.join(others)} out of --formats")
    render_options(args)
    out = Path(args.out) if args.out else default_out_dir(args.data).with_name(default_out_dir(args.data).name + "-compare")
    with out_lock(out):
        return _compare(args, out, k, names, init, methods, priors)


def _compare(args, out, k, names, init, methods, priors=None):
    import vizgmm
    from vizgmm.data.loading import load_data

    notes = []
    X, feature_names, true_labels, source = load_data(
        args.data, column=args.column, columns=args.columns, labels_column=args.labels_column,
        dropna=args.dropna, on_note=notes.append,
    )
    if priors is None:
        comparison = vizgmm.compare(
            X, k, methods, init=init, covariance_type=args.covariance_type, max_iter=args.max_iter,
            tol=args.tol, reg_covar=args.reg_covar, seed=args.seed,
        )
    else:
        comparison = vizgmm.compare(
            X, k, priors=priors, init=init, covariance_type=args.covariance_type, max_iter=args.max_iter,
            tol=args.tol, reg_covar=args.reg_covar, seed=args.seed,
            **variational_priors(args, X.shape[1] if X.ndim > 1 else 1),
        )
    for message in notes:
        notes_enabled(args)(message)
    fits = comparison.histories.values() if priors is None else comparison.histories
    for history in fits:
        history.meta.update(source=source, feature_names=feature_names, command=command_line(args))
        history.true_labels = true_labels
        named = _match_classes(history, true_labels, names)
        if named:
            history.meta["component_names"] = named
    files = write_comparison(comparison, out, args)
    if not getattr(args, "quiet", False):
        print("\n\n".join(explain(comparison, lang=render_options(args).get("lang"))) + "\n", flush=True)
    print_summary(args, None, files, out, fitted=False)
    return 0


def cmd_anneal(args):
    k = parse_k(args.k)
    names = parse_component_names(args.component_names, k)
    render_options(args)
    out = Path(args.out) if args.out else default_out_dir(args.data).with_name(default_out_dir(args.data).name + "-anneal")
    with out_lock(out):
        return _anneal(args, out, k, names)


def _anneal(args, out, k, names):
    import vizgmm
    from vizgmm.data.loading import load_data

    notes, facts = [], {}
    X, feature_names, true_labels, source = load_data(
        args.data, column=args.column, columns=args.columns, labels_column=args.labels_column,
        dropna=args.dropna, on_note=notes.append, facts=facts,
    )
    history = vizgmm.anneal(X, k, init=args.init, steps=args.steps, end_fraction=args.end_fraction,
                            iterations=args.iterations, max_iter=args.max_iter, seed=args.seed)
    for message in notes:
        notes_enabled(args)(message)
    _record(history, args, source, feature_names, facts, true_labels, names)
    files = write_outputs(history, out, args, html=args.html)
    print_summary(args, history, files, out)
    return 0


def cmd_simulate(args):
    import vizgmm

    components = [parse_floats(text, "--component", example="240,7,700") for text in args.component]
    for text, values in zip(args.component, components):
        if len(values) != 3:
            raise OptionError(f"--component {text} needs three numbers MEAN,STD,COUNT, e.g. --component 240,7,700")
    x, labels = vizgmm.simulate([(m, s, c) for m, s, c in components], seed=args.seed)
    write_simulated(args.output, x, labels)
    if args.output != "-":
        print(f"Wrote {shown(args.output)}: {len(x)} values from {len(components)} components "
              f"({human_size(Path(args.output).stat().st_size)})")
    return 0


def fit_or_select(X, ks, init, args, progress, on_note=None):
    """One fit; or, with several k or --n-init > 1, the best model of a selection by BIC and the selection.

    Without --init the animated run starts from "spread", checked against k-means++ (vizgmm.model.showcase):
    for one fit, against one k-means++ fit; after a selection, against its best fit of the chosen k.
    """
    import vizgmm
    from vizgmm.model.selection import parse_ks

    options = dict(
        method=args.method, init=init, covariance_type=args.covariance_type, max_iter=args.max_iter,
        tol=args.tol, reg_covar=args.reg_covar, seed=args.seed, progress=progress,
        **variational_priors(args, X.shape[1] if X.ndim > 1 else 1),
    )
    if len(ks) == 1 and args.n_init == 1:
        if args.init is None and isinstance(init, str):
            from vizgmm.model.showcase import fit_to_show

            options.pop("init")
            return fit_to_show(X, ks[0], on_note=on_note, **options), None
        return vizgmm.fit(X, ks[0], **options), None
    if str(args.k).strip().lower() == "auto":
        ks = parse_ks("auto", X)  # no more components than distinct points
    selection = vizgmm.select(X, ks, n_init=args.n_init, **options)
    tried = sorted(selection.bic)
    if on_note is not None and len(tried) > 2 and selection.best_k == tried[-1]:
        # The lowest BIC at the edge of the range may only mean the range stopped too soon (issue 20).
        on_note(f"k={selection.best_k} is the largest k tried ({tried[0]}-{tried[-1]}): the BIC may keep falling "
                f"beyond it; try a wider range, e.g. -k {tried[0]}-{2 * tried[-1]}")
    if args.init is None and isinstance(init, str):
        from vizgmm.model.showcase import fit_to_show

        options.pop("init")
        return fit_to_show(X, selection.best_k, on_note=on_note, reference=selection.best, **options), selection
    return selection.best, selection


def _record(history, args, source, feature_names, facts, true_labels, names):
    """Write where the data came from, the rows --dropna left out, the title, the true labels and the
    component names (the user's, else the classes matched) into the fitted ``history``."""
    history.meta.update(source=source, feature_names=feature_names, command=command_line(args))
    if facts.get("rows_dropped"):
        history.meta["rows_dropped"] = [facts["rows_dropped"], facts["rows_read"]]
    if args.title:
        history.meta["title"] = args.title
    history.true_labels = true_labels
    names = _match_classes(history, true_labels, names)
    if names:
        history.meta["component_names"] = names


def _match_classes(history, true_labels, names):
    """With true classes and k equal to their number, number components after the classes they match.

    Returns the names to show: the user's --component-names, else the class names, else None.
    """
    if true_labels is None:
        return names
    from vizgmm.model.ordering import order_by_classes

    class_names = order_by_classes(history, true_labels)
    return names or class_names


def standardized(X, feature_names):
    """--standardize: fit and draw z-scores, (x − mean) / std per column, with names that say so."""
    import numpy as np

    X = np.asarray(X, dtype=float)
    X = X.reshape(len(X), -1)
    std = X.std(axis=0)
    z = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)
    return z, [f"{name} (z-score)" for name in feature_names]
