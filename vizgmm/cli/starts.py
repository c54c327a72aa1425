"""``vizgmm restarts``: N starts of one k side by side, the optima they reach told apart."""

from pathlib import Path

from vizgmm.cli.arguments import check_fit_numbers, command_line, notes_enabled, parse_k
from vizgmm.cli.lock import out_lock
from vizgmm.cli.option_groups import add_data_options, add_label_options, add_output_options, add_render_options
from vizgmm.cli.outputs import OUTPUT_NAMES, default_out_dir, write_outputs
from vizgmm.cli.summary import print_summary, run_words
from vizgmm.errors import OptionError
from vizgmm.model.defaults import DEFAULT_COVARIANCE_TYPE, DEFAULT_MAX_ITER, DEFAULT_REG_COVAR, DEFAULT_TOL

INIT_NAMES = ("kmeans++", "random-split", "random-from-data", "spread")


def add_restarts_parser(subparsers):
    p = subparsers.add_parser(
        "restarts",
        help="N starts of one k side by side: which reach the best fit, which a worse one",
        description=(
            "Fit DATA with K components from N seeded starts (one initialisation or several in turn), keep "
            "every history, and group the final models into optima: fits that agree up to the numbering of "
            "their components count as one. Writes race.gif and race.mp4 (the best start in full, the others "
            "as ghosts coloured by their final log-likelihood, then a frame ranking the starts), restarts.gif and "
            "restarts.mp4 (every start in its own panel on one epoch clock, the best framed, each titled with the "
            "optimum it reaches), report.html (the best start's "
            "report with a Starts section), the best start's history.json and each start's history "
            "(starts/01/history.json, ...) into DIR. DATA as for fit."
        ),
        epilog="Example:\n  vizgmm restarts iris.csv -k 3 --columns petal_length,sepal_width --n-init 10 "
               "--init kmeans++,random-from-data",
    )
    p.add_argument("data", metavar="DATA", help="CSV/TSV/.npy/text file, or - for standard input")
    p.add_argument("-k", "--components", dest="k", metavar="K", required=True, help="number of components")
    add_data_options(p)
    g = p.add_argument_group("starts")
    g.add_argument("--n-init", type=int, default=10, metavar="N", help="number of starts (default: 10)")
    g.add_argument("--init", default="kmeans++", metavar="A[,B..]",
                   help=f"initialisation of the starts, several used in turn, from {', '.join(INIT_NAMES)} "
                        "(default: kmeans++)")
    g.add_argument("--method", choices=("soft", "hard"), default="soft",
                   help="soft: standard EM (default); hard: each point takes its most probable component")
    g.add_argument("--covariance-type", choices=("full", "diag", "spherical", "tied"), default=DEFAULT_COVARIANCE_TYPE,
                   help=f"covariance shape, as in scikit-learn (default: {DEFAULT_COVARIANCE_TYPE})")
    g.add_argument("--max-iter", type=int, default=DEFAULT_MAX_ITER, metavar="N",
                   help=f"most epochs per start (default: {DEFAULT_MAX_ITER})")
    g.add_argument("--tol", type=float, default=DEFAULT_TOL, metavar="X",
                   help=f"stop a start when its mean log-likelihood changes by less than X (default: {DEFAULT_TOL:g})")
    g.add_argument("--reg-covar", type=float, default=DEFAULT_REG_COVAR, metavar="X",
                   help=f"added to every variance so none collapses to 0 (default: {DEFAULT_REG_COVAR:g})")
    g.add_argument("--seed", type=int, default=0, help="root seed: start i is seeded from (seed, K, i) (default: 0)")
    g.add_argument("--basins", type=int, nargs="?", const=21, metavar="G",
                   help="1-D data, K=2: also write basins.png, the optimum EM reaches from each of G×G pairs of "
                        "starting means (default G: 21)")
    add_label_options(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: outputs/<DATA's name>-restarts)")
    add_output_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_restarts)
    return p


def cmd_restarts(args):
    k = parse_k(args.k)
    check_fit_numbers(args)
    inits = tuple(name.strip() for name in args.init.split(","))
    unknown = [name for name in inits if name not in INIT_NAMES]
    if unknown:
        raise OptionError(f"--init {unknown[0]!r} is not an initialisation; use one or more of {','.join(INIT_NAMES)}")
    if args.frames:
        raise OptionError("restarts writes no PNG frames; leave out --frames")
    if args.basins is not None and k != 2:
        raise OptionError(f"--basins maps starting pairs of means: it needs -k 2, not -k {k}")
    default = default_out_dir(args.data)
    out = Path(args.out) if args.out else default.with_name(default.name + "-restarts")
    with out_lock(out):
        return _restarts(args, out, k, inits)


def _restarts(args, out, k, inits):
    import vizgmm
    from vizgmm.data.loading import load_data

    notes = []
    X, feature_names, true_labels, source = load_data(
        args.data, column=args.column, columns=args.columns, labels_column=args.labels_column,
        dropna=args.dropna, on_note=notes.append,
    )
    for message in notes:
        notes_enabled(args)(message)
    starts = vizgmm.restarts(
        X, k, n_init=args.n_init, init=inits if len(inits) > 1 else inits[0], method=args.method,
        covariance_type=args.covariance_type, max_iter=args.max_iter, tol=args.tol, reg_covar=args.reg_covar,
        seed=args.seed,
    )
    for history in starts.histories:
        history.meta.update(source=source, feature_names=feature_names, command=command_line(args))
        history.true_labels = true_labels
    basins = None
    if args.basins is not None:  # before any file is written: a refused map writes nothing
        basins = vizgmm.basin_map(X, grid=args.basins, method=args.method, reg_covar=args.reg_covar)
    best = starts.histories[starts.best]

    def extras(stage):
        # Every start's history and the basin map go into the run's own staging folder: one output set.
        written = _write_start_histories(starts, stage)
        if basins is not None:
            name = feature_names[0] if feature_names else None
            written.append(vizgmm.plot_basins(basins, stage / "basins.png", preset=args.preset or "blog",
                                              theme=args.theme or "light", feature_name=name))
        return written

    files = write_outputs(best, out, args, html=args.html, starts=starts, also=extras)
    if not getattr(args, "quiet", False):
        w = run_words(args)
        print(starts.describe(w) + ".", flush=True)
        if basins is not None:
            print(basins.describe(w) + ".", flush=True)
    print_summary(args, best, files, out)
    return 0


def _write_start_histories(starts, stage):
    """starts/01/history.json, ...: every start's history, into the run's staging folder."""
    width = max(2, len(str(len(starts.histories))))
    files = []
    for i, history in enumerate(starts.histories):
        files.extend(history.save(stage / "starts" / f"{i + 1:0{width}d}" / OUTPUT_NAMES["history"]))
    return files
