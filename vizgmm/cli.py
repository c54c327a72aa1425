"""The ``vizgmm`` command: one command from data to GIF, MP4 and an HTML report.

Thin by design: each subcommand parses its options and calls the same public
functions a notebook user calls (:func:`vizgmm.fit`, :func:`vizgmm.simulate`,
``render_gif``/``render_mp4``/``render_frames``, ``report``). vizgmm's own
errors become one line on standard error and exit status 2.

Adding a subcommand is one ``add_<name>_parser(subparsers)`` that ends with
``set_defaults(func=cmd_<name>)``, one ``cmd_<name>(args) -> int``, and one
line in :data:`COMMANDS`. Option groups that several commands share are the
``add_*_options`` functions.
"""

import argparse
import contextlib
import json
import math
import os
import re
import shlex
import signal
import sys
import traceback
import warnings
from pathlib import Path

from . import __version__
from .errors import OptionError, VizgmmError

EXIT_USAGE = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141  # as a shell reports a process killed by SIGPIPE

OUTPUT_NAMES = {
    "gif": "animation.gif",
    "mp4": "animation.mp4",
    "html": "report.html",
    "history": "history.json",
    "frames": "frames",
}


class Terminated(BaseException):
    """SIGTERM, raised as an exception so that every atomic write removes its temporary file.

    A BaseException (like KeyboardInterrupt) so that no ``except Exception``
    in a library swallows it.
    """


class HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions to the terminal but keeps the examples' lines as written."""

    def _fill_text(self, text, width, indent):
        if text.startswith("Example"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


#: Examples for the hint that a value starting with "-" needs "=" (see Parser.error).
NEGATIVE_VALUE_EXAMPLES = {"--means": "-5,5", "--columns": "x,y", "--features": "1,3"}


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line: the problem and where help is."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        message = " ".join(str(message).split())
        # argparse reads a value such as "-5,5" as another option; "--means=-5,5" keeps it a value.
        missing = re.fullmatch(r"argument (-\S+?)(?:/(--\S+))?: expected one argument", message)
        if missing:
            option = missing.group(2) or missing.group(1)
            example = NEGATIVE_VALUE_EXAMPLES.get(option, "-…")
            message += f"; give it a value, joined with '=' if it starts with '-' (e.g. {option}={example})"
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}; see {self.prog} --help\n")


# -- entry point ------------------------------------------------------------------

def main(argv=None):
    """Run the command line; returns the exit status (0 ok, 1 bug, 2 usage or data error, 130 Ctrl-C)."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    parser = build_parser()
    debug = "--debug" in argv
    restore = _install_signal_handlers()
    show_warning = warnings.showwarning
    warnings.showwarning = _show_warning
    try:
        args, extras = parser.parse_known_args(argv)
        command = getattr(args, "command", None)
        if extras:
            (command and SUBPARSERS[command] or parser).error(f"unrecognized arguments: {' '.join(extras)}")
        if command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        debug = args.debug
        args.argv = argv
        check_out_folder(args)
        return args.func(args) or 0
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    except VizgmmError as exc:
        return _fail(exc, EXIT_USAGE, debug)
    except KeyboardInterrupt:
        _say("vizgmm: interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        _say("vizgmm: terminated")
        return EXIT_TERMINATED
    except BrokenPipeError:
        # The reader of our standard output went away (e.g. `| head`): stop quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(
            OSError(f"{exc.strerror or exc}{where}; check the path, free space and permissions"), EXIT_USAGE, debug
        )
    except Exception as exc:  # a bug: say so in one line, traceback on request
        if debug:
            traceback.print_exc()
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        _say(f"vizgmm: internal error: {message} (run again with --debug for the traceback, and report it)")
        return EXIT_INTERNAL
    finally:
        warnings.showwarning = show_warning
        restore()


def _show_warning(message, category, filename, lineno, file=None, line=None):
    # A warning (e.g. no font for some label characters) is one line too, without source lines.
    _say("vizgmm: warning: " + " ".join(str(message).split()))


def _fail(exc, status, debug):
    if debug:
        traceback.print_exc()
    _say("vizgmm: error: " + " ".join(str(exc).split()))
    return status


def _say(line):
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr, flush=True)


def _install_signal_handlers():
    """SIGTERM raises Terminated and SIGINT raises KeyboardInterrupt (even if the shell ignored it).

    Both unwind through vizgmm.files.atomic_path, which deletes its temporary
    file, so an interrupted run leaves no half-written file behind.
    """
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    try:
        previous = {
            signal.SIGTERM: signal.signal(signal.SIGTERM, _on_sigterm),
            signal.SIGINT: signal.signal(signal.SIGINT, _on_sigint),
        }
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None

    def restore():
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore


# A process forked from this one (the renderer's second GIF process) inherits
# these handlers; there an exception could be caught and leave it blocked on a
# full pipe, so a forked helper ignores Ctrl-C (its parent stops it) and dies
# on SIGTERM as if no handler were installed.
_MAIN_PID = None


def _on_sigint(signum, frame):
    if os.getpid() == _MAIN_PID:
        raise KeyboardInterrupt


def _on_sigterm(signum, frame):
    if os.getpid() == _MAIN_PID:
        raise Terminated()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


# -- the parser ---------------------------------------------------------------------

SUBPARSERS = {}


def build_parser():
    parser = Parser(
        prog="vizgmm",
        description="Watch EM fit a Gaussian mixture, epoch by epoch: data in; GIF, MP4 and an HTML report out.",
        epilog=_examples(
            "vizgmm demo                                   # the walk-through, into outputs/demo/",
            "vizgmm fit data.csv -k 2 --column size        # your data, into outputs/data/",
            "vizgmm COMMAND --help                         # each command's options",
        ),
    )
    parser.add_argument("--version", action="version", version=f"vizgmm {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for add in COMMANDS:
        sub = add(subparsers)
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        SUBPARSERS[sub.prog.split()[-1]] = sub
    return parser


def _examples(*lines):
    return "Example:\n" + "\n".join("  " + line for line in lines)


def add_demo_parser(subparsers):
    p = subparsers.add_parser(
        "demo",
        help="the walk-through's foot sizes, end to end",
        description=(
            "Fit the walk-through's scenario: 700 women ~ N(240, 7) and 300 men ~ N(270, 6) (seeded), "
            "starting from means 210 and 290, stds 12 and 15, weights 0.5 and 0.5; hard EM for 10 epochs. "
            "Writes animation.gif, animation.mp4, report.html and history.json (+ history.npz) into DIR."
        ),
        epilog=_examples(
            "vizgmm demo",
            "vizgmm demo --method soft --out outputs/demo-soft",
            "vizgmm demo --component-names 여자,남자 --preset slides",
        ),
    )
    p.add_argument("--out", metavar="DIR", default="outputs/demo", help="output folder (default: outputs/demo)")
    p.add_argument("--method", choices=("hard", "soft"), default="hard",
                   help="hard: the walk-through's loop (default); soft: true EM on the same data")
    p.add_argument("--seed", type=int, default=0, help="seed of the simulated foot sizes (default: 0)")
    add_label_options(p)
    add_output_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_demo)
    return p


def add_fit_parser(subparsers):
    p = subparsers.add_parser(
        "fit",
        help="fit your data and write the animation and report",
        description=(
            "Fit a K-component Gaussian mixture to DATA by EM and write animation.gif, animation.mp4, "
            "report.html and history.json (+ history.npz) into DIR. DATA is CSV or TSV (header optional; "
            "',', tab or ';' sniffed; decimal commas read in ';' files), .npy, plain text with one number per "
            "line, or - for standard input. Without --column/--columns a one-column file uses its column and "
            "a wider file its first numeric column (a note on standard error says which)."
        ),
        epilog=_examples(
            "vizgmm fit feet.csv -k 2 --column x --labels-column label",
            "vizgmm fit feet.csv -k 2 --method hard --means 210,290 --stds 12,15 --weights 0.5,0.5 --tol 0 --max-iter 10",
            "vizgmm fit iris.csv -k 3 --columns petal_length,petal_width --out outputs/iris",
            "seq 1 100 | vizgmm fit - -k 2 --no-mp4",
            "vizgmm fit feet.csv -k auto --n-init 5 --animate-restarts   # choose k by BIC, 5 starts each",
        ),
    )
    p.add_argument("data", metavar="DATA", help="CSV/TSV/.npy/text file, or - for standard input")
    p.add_argument("-k", "--components", dest="k", metavar="K", required=True,
                   help="number of components; or several to choose from by the lowest BIC: "
                        "a range (1-6), a list (2,3,5) or auto (1 to 8)")
    add_data_options(p)
    add_fit_options(p)
    add_selection_options(p)
    add_label_options(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: outputs/<DATA's name without extension>)")
    add_output_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_fit)
    return p


def add_render_parser(subparsers):
    p = subparsers.add_parser(
        "render",
        help="remake the animation from a saved history (no refit)",
        description=(
            "Draw the animation of a saved history again, with new options, without refitting. Writes "
            "animation.gif and animation.mp4 (and PNG frames with --frames) into DIR, by default the history's "
            "own folder (earlier files there are replaced only once the new ones are complete)."
        ),
        epilog=_examples(
            "vizgmm render outputs/demo/history.json --preset slides --theme dark --out outputs/slides",
            "vizgmm render outputs/demo/history.json --no-mp4 --tween 4 --fps 20",
            "vizgmm render outputs/demo/history.json --frames --no-gif --no-mp4",
        ),
    )
    p.add_argument("history", metavar="HISTORY", help="a history.json written by demo, fit or History.save")
    p.add_argument("--out", metavar="DIR", help="output folder (default: the history's folder)")
    add_label_options(p)
    add_output_options(p, html=False)
    add_render_options(p)
    p.set_defaults(func=cmd_render)
    return p


def add_report_parser(subparsers):
    p = subparsers.add_parser(
        "report",
        help="remake the HTML report from a saved history (no refit)",
        description=(
            "Write the self-contained HTML report of a saved history again, without refitting. The animation "
            "beside the history (animation.mp4 / animation.gif, if newer than the history) is embedded as it "
            "is; with any drawing option (--preset, --theme, --tween, ...) or --rerender it is drawn afresh."
        ),
        epilog=_examples(
            "vizgmm report outputs/demo/history.json -o outputs/demo/report-ko.html --component-names 여자,남자 --rerender",
            "vizgmm report outputs/demo/history.json --animation gif --title 'Foot sizes, week 3'",
            "vizgmm report run/history.json --template-dir my-templates",
        ),
    )
    p.add_argument("history", metavar="HISTORY", help="a history.json written by demo, fit or History.save")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="DIR", help="output folder for report.html (default: the history's folder)")
    where.add_argument("-o", "--output", metavar="FILE", help="the report file to write")
    p.add_argument("--animation", choices=("mp4", "gif", "none"), default="mp4",
                   help="embed the MP4 (default, GIF as fallback), the GIF only, or no animation")
    p.add_argument("--template-dir", metavar="DIR", help="a folder whose templates override the defaults by name")
    p.add_argument("--rerender", action="store_true",
                   help="draw the animation afresh even if one lies beside the history")
    add_label_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_report)
    return p


def add_simulate_parser(subparsers):
    p = subparsers.add_parser(
        "simulate",
        help="draw synthetic data from normal components (with true labels)",
        description=(
            "Draw values from 1-D normal components, each given as MEAN,STD,COUNT. The output format follows "
            "the extension: .csv (columns x,label), .tsv (the same, tab-separated), .txt (values only, one per "
            "line), .npy (float array of shape (n, 2): value, label); - writes CSV to standard output."
        ),
        epilog=_examples(
            "vizgmm simulate --component 240,7,700 --component 270,6,300 --seed 0 -o feet.csv",
            "vizgmm fit feet.csv -k 2 --column x --labels-column label",
        ),
    )
    p.add_argument("--component", "-c", metavar="MEAN,STD,COUNT", action="append", required=True,
                   help="one normal component; repeat for each")
    p.add_argument("--seed", type=int, help="random seed (same seed, same data)")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="output file: .csv, .tsv, .txt or .npy; - for standard output (default)")
    p.set_defaults(func=cmd_simulate)
    return p


def add_compare_parser(subparsers):
    p = subparsers.add_parser(
        "compare",
        help="hard vs soft EM from the same start, side by side",
        description=(
            "Fit DATA with K components by hard EM (labels, the walk-through's loop) and by soft EM "
            "(responsibilities, true EM), both from the same initial parameters. Writes compare.gif and "
            "compare.mp4 (both fits side by side, epoch by epoch), compare.html (what differs, with this data's "
            "numbers) and each fit's history (hard/history.json, soft/history.json) into DIR. DATA as for fit."
        ),
        epilog=_examples(
            "vizgmm compare feet.csv -k 2 --method hard --method soft --column x",
            "vizgmm compare feet.csv -k 2 --means 210,290 --stds 12,15 --out outputs/feet-compare",
        ),
    )
    p.add_argument("data", metavar="DATA", help="CSV/TSV/.npy/text file, or - for standard input")
    p.add_argument("-k", "--components", dest="k", metavar="K", required=True, help="number of components")
    add_data_options(p)
    add_fit_options(p, compare=True)
    add_label_options(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: outputs/<DATA's name>-compare)")
    add_output_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_compare)
    return p


#: Every subcommand's parser builder, in the order --help lists them.
COMMANDS = [add_demo_parser, add_fit_parser, add_compare_parser, add_render_parser, add_report_parser,
            add_simulate_parser]


# -- shared option groups -------------------------------------------------------------

def add_data_options(p):
    g = p.add_argument_group("data")
    g.add_argument("--column", metavar="NAME|NUMBER", help="the column to fit, by header name or number (1 = first)")
    g.add_argument("--columns", metavar="A,B", help="several columns for 2-D (or more) data, e.g. --columns x,y")
    g.add_argument("--labels-column", metavar="NAME|NUMBER",
                   help="a column of true labels (numbers or text), for the report's accuracy section")


def add_fit_options(p, compare=False):
    g = p.add_argument_group("fit")
    if compare:
        g.add_argument("--method", choices=("soft", "hard"), action="append",
                       help="a method to compare; give it twice: --method hard --method soft (the default)")
    else:
        g.add_argument("--method", choices=("soft", "hard"), default="soft",
                       help="soft: standard EM (default); hard: each point takes its most probable component")
    g.add_argument("--init", choices=("kmeans++", "random-split", "random-from-data"),
                   help="how to choose the starting parameters (default: kmeans++)")
    g.add_argument("--means", metavar="M1,M2,..", help="explicit starting means (1-D data), e.g. --means 210,290")
    g.add_argument("--stds", metavar="S1,S2,..", help="explicit starting stds, with --means, e.g. --stds 12,15")
    g.add_argument("--weights", metavar="W1,W2,..",
                   help="explicit starting weights summing to 1, with --means (default: equal)")
    g.add_argument("--init-file", metavar="JSON",
                   help='starting parameters from a JSON file: {"means": .., "stds" or "covariances": .., "weights": ..}')
    g.add_argument("--covariance-type", choices=("full", "diag", "spherical", "tied"), default="full",
                   help="covariance shape, as in scikit-learn (default: full)")
    g.add_argument("--max-iter", type=int, default=100, metavar="N", help="most epochs to run (default: 100)")
    g.add_argument("--tol", type=float, default=1e-3, metavar="X",
                   help="stop when the mean log-likelihood changes by less than X (default: 0.001); "
                        "0 runs exactly --max-iter epochs")
    g.add_argument("--reg-covar", type=float, default=1e-6, metavar="X",
                   help="added to every variance so none collapses to 0 (default: 1e-6)")
    g.add_argument("--seed", type=int, default=0,
                   help="seed for the starting parameters (default: 0; same seed, same fit)")


def add_selection_options(p):
    g = p.add_argument_group("choosing k and restarts")
    g.add_argument("--n-init", type=int, default=1, metavar="N",
                   help="fit each k N times from different starts; the best final log-likelihood is kept (default: 1)")
    g.add_argument("--animate-restarts", action="store_true",
                   help="also write restarts.gif (restarts.mp4 with --no-gif): every restart of the chosen k "
                        "side by side, the best framed, so a poor local optimum shows")


def add_label_options(p):
    g = p.add_argument_group("labels")
    g.add_argument("--title", help="title of the animation and the report")
    g.add_argument("--component-names", metavar="A,B,..",
                   help="one name per component for legends and tables, e.g. --component-names 여자,남자")


def add_output_options(p, html=True):
    g = p.add_argument_group("outputs")
    g.add_argument("--gif", action=argparse.BooleanOptionalAction, default=True, help="write animation.gif")
    g.add_argument("--mp4", action=argparse.BooleanOptionalAction, default=True, help="write animation.mp4")
    if html:
        g.add_argument("--html", action=argparse.BooleanOptionalAction, default=True,
                       help="write report.html (self-contained)")
    g.add_argument("--frames", action=argparse.BooleanOptionalAction, default=False,
                   help="also write every frame as PNG into DIR/frames/")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress bars, notes or summary")


def add_render_options(p):
    g = p.add_argument_group("drawing")
    g.add_argument("--preset", metavar="NAME",
                   help="canvas: blog (640x480, default), slides (1920x1080) or square (1080x1080)")
    g.add_argument("--theme", metavar="NAME", help="colours: light (default) or dark")
    g.add_argument("--tween", type=int, metavar="N", help="in-between frames per epoch, for smooth motion (default: 0)")
    timing = g.add_mutually_exclusive_group()
    timing.add_argument("--fps", type=float, help="frames per second (default: one epoch every 0.5 s)")
    timing.add_argument("--duration-ms", type=float, metavar="MS",
                        help="milliseconds per epoch, in-between frames included")
    g.add_argument("--panels", metavar="A,B", help="side panels: loglik, params (e.g. --panels loglik,params)")
    g.add_argument("--features", metavar="I,J",
                   help="for data with more than 2 columns: the two columns to draw (1 = first)")


# -- commands ---------------------------------------------------------------------

def cmd_demo(args):
    import vizgmm

    names = _component_names(args.component_names, 2)
    render_options(args)
    x, true_labels = vizgmm.walkthrough_data(seed=args.seed)
    progress = _progress(args)
    history = vizgmm.fit(
        x, 2, method=args.method, init=vizgmm.WALKTHROUGH_INIT, tol=0, max_iter=10, seed=0, progress=progress
    )
    history.meta.update(
        source="walk-through foot sizes (simulated)",
        feature_names=["foot size (mm)"],
        title=args.title or f"{args.method.capitalize()} EM on the walk-through's foot sizes",
        command=_command_line(args),
    )
    if names:
        history.meta["component_names"] = names
    history.true_labels = true_labels
    files = write_outputs(history, Path(args.out), args, html=args.html)
    _summary(args, history, files, Path(args.out))
    return 0


def cmd_fit(args):
    from .loading import load_data

    ks = parse_k_choices(args.k)
    names = _component_names(args.component_names, ks[0] if len(ks) == 1 else None)
    check_fit_numbers(args)
    init = build_init(args)
    check_selection_options(args, ks, init)
    render_options(args)
    # Notes wait until the fit has worked, so that an error stays a single line.
    notes = []
    X, feature_names, true_labels, source = load_data(
        args.data, column=args.column, columns=args.columns, labels_column=args.labels_column,
        on_note=notes.append,
    )
    out = Path(args.out) if args.out else default_out_dir(args.data)
    progress = _progress(args)
    history, selection = fit_or_select(X, ks, init, args, progress)
    for message in notes:
        _notes(args)(message)
    if names and selection is not None:
        names = _component_names(args.component_names, history.k)
    history.meta.update(source=source, feature_names=feature_names, command=_command_line(args))
    if args.title:
        history.meta["title"] = args.title
    if names:
        history.meta["component_names"] = names
    history.true_labels = true_labels
    files = write_outputs(history, out, args, html=args.html, selection=selection)
    _selection_summary(args, selection)
    _summary(args, history, files, out)
    return 0


def cmd_compare(args):
    import vizgmm
    from .loading import load_data

    k = parse_k(args.k)
    names = _component_names(args.component_names, k)
    check_fit_numbers(args)
    init = build_init(args)
    methods = tuple(args.method or ("hard", "soft"))
    if len(methods) != 2 or len(set(methods)) != 2:
        raise OptionError("compare needs two different methods: --method hard --method soft (or neither)")
    if args.frames:
        raise OptionError("compare writes no PNG frames; leave out --frames")
    render_options(args)
    notes = []
    X, feature_names, true_labels, source = load_data(
        args.data, column=args.column, columns=args.columns, labels_column=args.labels_column,
        on_note=notes.append,
    )
    out = Path(args.out) if args.out else default_out_dir(args.data).with_name(default_out_dir(args.data).name + "-compare")
    comparison = vizgmm.compare(
        X, k, methods, init=init, covariance_type=args.covariance_type, max_iter=args.max_iter,
        tol=args.tol, reg_covar=args.reg_covar, seed=args.seed,
    )
    for message in notes:
        _notes(args)(message)
    for history in comparison.histories.values():
        history.meta.update(source=source, feature_names=feature_names, command=_command_line(args))
        if names:
            history.meta["component_names"] = names
        history.true_labels = true_labels
    files = write_comparison(comparison, out, args)
    if not getattr(args, "quiet", False):
        print("\n\n".join(comparison.explanation) + "\n", flush=True)
    _summary(args, None, files, out, fitted=False)
    return 0


def cmd_render(args):
    from .history import History

    history_path = Path(args.history)
    history = History.load(history_path)
    _apply_labels(history, args)
    out = Path(args.out) if args.out else history_path.parent
    if not (args.gif or args.mp4 or args.frames):
        raise OptionError("nothing to render: --no-gif and --no-mp4 without --frames; keep at least one")
    files = write_outputs(history, out, args, html=False, save_history=False)
    _summary(args, history, files, out, fitted=False)
    return 0


def cmd_report(args):
    from .history import History
    from .reporting import report

    history_path = Path(args.history)
    history = History.load(history_path)
    _apply_labels(history, args)
    if args.output:
        target = Path(args.output)
    else:
        target = Path(args.out or history_path.parent) / OUTPUT_NAMES["html"]
    opts = render_options(args)
    opts.pop("title", None)  # report() takes it as its own argument
    media = {}
    if args.animation != "none" and not args.rerender and not _drawing_changed(args):
        media = reusable_animation(history_path, args.animation)
    report(
        history, target, title=args.title, animation=args.animation, template_dir=args.template_dir,
        progress=_progress(args), **media, **opts,
    )
    # Only now: an error (e.g. -o naming a folder) stays the single line it should be.
    for kind, path in media.items():
        _notes(args)(f"embedding {path} (newer than the history); pass --rerender to draw it afresh")
    _summary(args, history, [target], target.parent, fitted=False)
    return 0


def cmd_simulate(args):
    import vizgmm

    components = [_floats(text, "--component", example="240,7,700") for text in args.component]
    for text, values in zip(args.component, components):
        if len(values) != 3:
            raise OptionError(f"--component {text} needs three numbers MEAN,STD,COUNT, e.g. --component 240,7,700")
    x, labels = vizgmm.simulate([(m, s, c) for m, s, c in components], seed=args.seed)
    write_simulated(args.output, x, labels)
    if args.output != "-":
        print(f"Wrote {args.output}: {len(x)} values from {len(components)} components "
              f"({_human_size(Path(args.output).stat().st_size)})")
    return 0


# -- pieces the commands share ------------------------------------------------------------

def parse_k(text):
    """The number of components from ``-k``: a whole number >= 1 (one place to extend, e.g. 'auto' or '1-6')."""
    try:
        k = int(str(text).strip())
    except ValueError:
        raise OptionError(f"-k must be a whole number of components, e.g. -k 2; got {text!r}") from None
    if k < 1:
        raise OptionError(f"-k must be at least 1, got {k}; use -k 2 or more")
    return k


def parse_k_choices(text):
    """The candidate k from ``-k``: one number, a range (1-6), a list (2,3,5) or auto."""
    from .selection import parse_ks

    # "-1" would otherwise read as a malformed range ("cannot read k"), though it is a number.
    number = str(text).strip()
    if number.lstrip("-").isdigit() and int(number) < 1:
        raise OptionError(f"-k must be at least 1, got {number}; use -k 2 or more, or -k auto")
    return parse_ks(text)


#: Suffixes of the files vizgmm writes: an --out with one is meant as a file, but --out is a folder.
FILE_SUFFIXES = (".gif", ".mp4", ".html", ".png", ".json", ".npz")


def check_out_folder(args):
    """--out names a folder; --out x.gif would silently make a folder called x.gif."""
    out = getattr(args, "out", None)
    if not out or Path(out).suffix.lower() not in FILE_SUFFIXES or Path(out).is_dir():
        return
    folder = Path(out).with_suffix("")
    hint = f"use --out {folder}"
    if args.command == "report" and Path(out).suffix.lower() == ".html":
        hint = f"use -o {out} to name the report file, or --out {folder} for a folder"
    raise OptionError(f"--out is a folder to write into, got {out}; {hint}")


def check_fit_numbers(args):
    """Reject out-of-range fit options by their CLI names, with a value to use, before any data is read.

    The library checks them too, but its messages name keyword arguments
    (``reg_covar``), not the options a command-line user typed.
    """
    tol = args.tol
    if not math.isfinite(tol) or tol < 0:
        raise OptionError(f"--tol must be 0 or more, got {tol:g}; e.g. --tol 0.001 (the default), or --tol 0 to run every epoch")
    if not math.isfinite(args.reg_covar) or args.reg_covar < 0:
        raise OptionError(f"--reg-covar must be 0 or more, got {args.reg_covar:g}; e.g. --reg-covar 1e-6 (the default)")
    if args.max_iter < 0:
        raise OptionError(f"--max-iter must be 0 or more, got {args.max_iter}; e.g. --max-iter 100 (the default)")
    if args.seed < 0:
        raise OptionError(f"--seed must be 0 or more, got {args.seed}; e.g. --seed 0 (the default) or --seed 42")


def check_selection_options(args, ks, init):
    """Reject combinations of -k, --n-init, --animate-restarts and an explicit start before any fit."""
    if args.n_init < 1:
        raise OptionError(f"--n-init must be at least 1, got {args.n_init}")
    if (len(ks) > 1 or args.n_init > 1) and not isinstance(init, str):
        raise OptionError(
            "explicit starting parameters (--means, --init-file) fix k and the start; "
            "use them with one k and --n-init 1, or choose --init instead"
        )
    if args.animate_restarts and args.n_init < 2:
        raise OptionError("--animate-restarts needs several restarts: add --n-init 2 or more")


def fit_or_select(X, ks, init, args, progress):
    """One fit; or, with several k or --n-init > 1, the best model of a selection by BIC and the selection."""
    import vizgmm
    from .selection import parse_ks

    options = dict(
        method=args.method, init=init, covariance_type=args.covariance_type, max_iter=args.max_iter,
        tol=args.tol, reg_covar=args.reg_covar, seed=args.seed, progress=progress,
    )
    if len(ks) == 1 and args.n_init == 1:
        return vizgmm.fit(X, ks[0], **options), None
    if str(args.k).strip().lower() == "auto":
        ks = parse_ks("auto", X)  # no more components than distinct points
    selection = vizgmm.select(X, ks, n_init=args.n_init, **options)
    return selection.best, selection


def write_restarts(selection, out, args, opts, progress):
    """restarts.gif (restarts.mp4 with --no-gif): every restart of the chosen k, the best framed."""
    from .comparison import animate_restarts

    kind = "gif" if args.gif or not args.mp4 else "mp4"
    keep = {k: v for k, v in opts.items() if k not in ("title", "panels")}
    return Path(animate_restarts(selection.restarts, out / f"restarts.{kind}", best=selection.best_restart[selection.best_k],
                                 progress=progress, **keep))


def write_comparison(comparison, out, args):
    """Each fit's history, the side-by-side animations, and the page that explains the difference."""
    from .comparison import compare_report, render_comparison
    from .files import ensure_folder

    ensure_folder(out)
    opts = render_options(args)
    title = opts.pop("title", None)
    opts.pop("panels", None)  # the side-by-side panels have no room for side panels
    progress = _progress(args)
    files = []
    for method, history in comparison.histories.items():
        files.extend(history.save(out / method / OUTPUT_NAMES["history"]))
    media = {}
    for kind in ("gif", "mp4"):
        if getattr(args, kind):
            media[f"{kind}_path"] = Path(render_comparison(comparison, out / f"compare.{kind}", progress=progress, **opts))
            files.append(media[f"{kind}_path"])
    if args.html:
        animation = "mp4" if args.mp4 else "gif" if args.gif else "mp4"
        files.append(Path(compare_report(
            comparison, out / "compare.html", title=title, animation=animation, command=_command_line(args),
            progress=progress, **media, **opts,
        )))
    return files


def _selection_summary(args, selection):
    """The choice of k and the BIC of every k, on standard output."""
    if selection is None or getattr(args, "quiet", False):
        return
    lines = [selection.summary + "."]
    if len(selection.ks) > 1:
        lines.append("  " + "; ".join(
            f"k={row['k']}: BIC {row['bic']:,.1f}{' *' if row['chosen'] else ''}" for row in selection.table()
        ))
    if selection.n_init > 1:
        finals = [h.final.log_likelihood for h in selection.restarts]
        lines.append(
            f"  {selection.n_init} restarts of k={selection.best_k}: final total log-likelihood from "
            f"{min(finals):,.1f} to {max(finals):,.1f}; restart {selection.best_restart[selection.best_k] + 1} kept"
        )
    for failure in selection.failures:
        lines.append(f"  k={failure['k']} restart {failure['restart'] + 1} failed: {failure['message']}")
    print("\n".join(lines), flush=True)


def build_init(args):
    """The ``init`` argument of vizgmm.fit from --init, --means/--stds/--weights or --init-file."""
    explicit = [name for name in ("means", "stds", "weights") if getattr(args, name) is not None]
    if args.init_file and (explicit or args.init):
        raise OptionError("give --init-file alone, without --init, --means, --stds or --weights")
    if explicit and args.init:
        raise OptionError(f"give either --init {args.init} or explicit --means/--stds/--weights, not both")
    if args.init_file:
        return _read_init_file(args.init_file)
    if explicit:
        if args.means is None:
            raise OptionError("--stds and --weights need --means too, e.g. --means 210,290 --stds 12,15")
        if args.stds is None:
            raise OptionError("--means needs --stds too (one std per component), e.g. --means 210,290 --stds 12,15")
        init = {name: _floats(getattr(args, name), "--" + name) for name in explicit}
        return init
    return args.init or "kmeans++"


def _read_init_file(path):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OptionError(f"init file {path} does not exist; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionError(f"cannot read init file {path} ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        init = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OptionError(f"init file {path} is not valid JSON (line {exc.lineno}: {exc.msg}); fix it") from None
    if not isinstance(init, dict):
        raise OptionError(
            f'init file {path} must hold an object like {{"means": [210, 290], "stds": [12, 15], "weights": [0.5, 0.5]}}'
        )
    return init


def default_out_dir(data):
    stem = "stdin" if str(data) == "-" else (Path(data).stem or "data")
    return Path("outputs") / stem


def check_timing_numbers(opts):
    """--tween, --fps and --duration-ms out of range: a one-line error naming the option and a value to use."""
    tween = opts.get("tween")
    if tween is not None and not 0 <= tween <= 60:
        raise OptionError(f"--tween must be from 0 to 60 in-between frames per epoch, got {tween}; e.g. --tween 4")
    fps = opts.get("fps")
    if fps is not None and not (math.isfinite(fps) and 0 < fps <= 120):
        raise OptionError(
            f"--fps must be more than 0 and at most 120, got {fps:g}; e.g. --fps 10, "
            "or leave it out for one epoch every 0.5 s"
        )
    duration = opts.get("duration_ms")
    if duration is not None and not (math.isfinite(duration) and duration > 0):
        raise OptionError(f"--duration-ms must be more than 0, got {duration:g}; e.g. --duration-ms 500 (the default)")
    from .frames import make_timing

    try:
        make_timing(opts.get("tween", 0), fps, duration)
    except OptionError as exc:
        # The remaining case: frames shorter than players show ("raise duration_ms or lower tween").
        raise OptionError(str(exc).replace("duration_ms", "--duration-ms").replace("tween", "--tween")) from None


def render_options(args):
    """Only the drawing options the user gave, so the renderer's own defaults apply to the rest."""
    from . import presets

    opts = {}
    for name in ("preset", "theme", "tween", "fps", "duration_ms"):
        value = getattr(args, name, None)
        if value is not None:
            opts[name] = value
    # Checked here, before a long fit, rather than by the renderer afterwards,
    # and by the options' own names.
    check_timing_numbers(opts)
    if "preset" in opts:
        presets.preset(opts["preset"])
    if "theme" in opts:
        presets.theme(opts["theme"])
    if getattr(args, "panels", None):
        from .loading import split_list

        opts["panels"] = tuple(split_list(args.panels))
    if getattr(args, "features", None):
        features = [int(v) for v in _floats(args.features, "--features", example="1,2")]
        if len(features) != 2 or min(features) < 1:
            raise OptionError(f"--features needs two column numbers (1 = first), e.g. --features 1,3; got {args.features}")
        opts["features"] = tuple(f - 1 for f in features)
    if getattr(args, "title", None):
        opts["title"] = args.title
    if getattr(args, "component_names", None):
        opts["component_names"] = _component_names(args.component_names, None)
    return opts


def _drawing_changed(args):
    return any(
        getattr(args, name, None) is not None
        for name in ("preset", "theme", "tween", "fps", "duration_ms", "panels", "features", "title", "component_names")
    )


def reusable_animation(history_path, animation):
    """Animation files beside the history that are newer than it: {"mp4_path": ..., "gif_path": ...}."""
    media = {}
    try:
        saved = history_path.stat().st_mtime
    except OSError:
        return media
    wanted = ("mp4", "gif") if animation == "mp4" else ("gif",)
    for kind in wanted:
        path = history_path.parent / OUTPUT_NAMES[kind]
        if path.is_file() and path.stat().st_mtime >= saved:
            media[f"{kind}_path"] = path
    return media


def write_outputs(history, out, args, *, html, save_history=True, selection=None):
    """Save the history, render the animations once, and write the report that embeds them.

    Returns the written paths in the order they were written.
    """
    from .files import ensure_folder

    ensure_folder(out)
    opts = render_options(args)
    features = opts.get("features")
    if features is not None and max(features) >= history.d:
        raise OptionError(
            f"--features names column {max(features) + 1}, but the data has {history.d}; "
            f"use two numbers from 1 to {history.d}"
        )
    progress = _progress(args)
    files = []
    if save_history:
        files.extend(history.save(out / OUTPUT_NAMES["history"]))
    media = {}
    if args.gif:
        from .render import render_gif

        media["gif_path"] = Path(render_gif(history, out / OUTPUT_NAMES["gif"], progress=progress, **opts))
        files.append(media["gif_path"])
    if args.mp4:
        from .render import render_mp4

        media["mp4_path"] = Path(render_mp4(history, out / OUTPUT_NAMES["mp4"], progress=progress, **opts))
        files.append(media["mp4_path"])
    if selection is not None and getattr(args, "animate_restarts", False):
        files.append(write_restarts(selection, out, args, opts, progress))
    if args.frames:
        from .render import render_frames

        frames = render_frames(history, out / OUTPUT_NAMES["frames"], progress=progress, **opts)
        files.append((out / OUTPUT_NAMES["frames"], len(frames), sum(Path(f).stat().st_size for f in frames)))
    if html:
        from .reporting import report

        animation = "mp4" if args.mp4 else "gif" if args.gif else "mp4"
        files.append(
            Path(report(history, out / OUTPUT_NAMES["html"], animation=animation, progress=progress,
                        **selection_sections(selection), **media, **opts))
        )
    return files


def selection_sections(selection):
    """The report's selection (BIC/AIC over several k) and restarts (several starts) arguments."""
    if selection is None:
        return {}
    return {
        "selection": selection if len(selection.ks) > 1 else None,
        "restarts": selection.restarts if selection.n_init > 1 else None,
    }


def write_simulated(output, x, labels):
    """Write simulated values and labels in the format the extension names ('-' = CSV to stdout)."""
    import numpy as np

    from .files import atomic_path, write_text

    if output == "-":
        sys.stdout.write(_delimited(x, labels, ","))
        sys.stdout.flush()
        return
    suffix = Path(output).suffix.lower()
    if suffix == ".csv":
        write_text(output, _delimited(x, labels, ","))
    elif suffix == ".tsv":
        write_text(output, _delimited(x, labels, "\t"))
    elif suffix == ".txt":
        write_text(output, "".join(f"{v!r}\n" for v in x.tolist()))
    elif suffix == ".npy":
        with atomic_path(output) as tmp:
            np.save(tmp, np.column_stack([x, labels]).astype(float), allow_pickle=False)
    else:
        raise OptionError(
            f"unknown output format {suffix or '(no extension)'!r} for {output}; use .csv, .tsv, .txt or .npy, "
            "or - for standard output"
        )


def _delimited(x, labels, sep):
    rows = [f"x{sep}label\n"]
    rows.extend(f"{v!r}{sep}{int(c)}\n" for v, c in zip(x.tolist(), labels.tolist()))
    return "".join(rows)


def _apply_labels(history, args):
    if args.title:
        history.meta["title"] = args.title
    if args.component_names:
        history.meta["component_names"] = _component_names(args.component_names, history.k)


def _component_names(text, k):
    if not text:
        return None
    from .loading import split_list

    names = split_list(text)
    if k is not None and len(names) != k:
        raise OptionError(
            f"--component-names gives {len(names)} names for {k} components; give exactly {k}, separated by commas"
        )
    return names


def _floats(text, option, example="210,290"):
    from .loading import split_list

    values = []
    for item in split_list(text):
        try:
            values.append(float(item))
        except ValueError:
            raise OptionError(
                f"{option} takes numbers separated by commas, e.g. {option} {example}; {item!r} is not a number"
            ) from None
    if not values:
        raise OptionError(f"{option} is empty; give numbers separated by commas, e.g. {option} {example}")
    return values


def _progress(args):
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def _notes(args):
    if getattr(args, "quiet", False):
        return lambda message: None
    return lambda message: _say("vizgmm: note: " + message)


def _command_line(args):
    return shlex.join(["vizgmm", *args.argv])


def _final_event_notes(history):
    """What is wrong with the final model: components still empty (reported when they emptied) and collapsed ones.

    An "empty" event is recorded only at the epoch a component lost its
    points, so the whole history is searched for those still at weight 0.
    """
    final = history.final
    notes = {}
    for snapshot in history.snapshots:
        for event in snapshot.events:
            if event["type"] == "empty" and final.weights[event["component"]] == 0:
                notes[("empty", event["component"])] = event["message"]
    for event in final.events:
        if event["type"] == "collapse":
            notes[("collapse", event["component"])] = event["message"]
    return [notes[key] for key in sorted(notes, key=lambda key: (key[1], key[0]))]


def _summary(args, history, files, out, fitted=True):
    """The closing summary on standard output: what was fitted and every file written, with sizes."""
    if getattr(args, "quiet", False):
        return
    from .history import epochs_text

    lines = []
    if fitted:
        final = history.final
        lines.append(
            f"Fitted {history.settings['method']} EM, k={history.k}, to {history.n} points"
            f"{' × ' + str(history.d) + ' columns' if history.d > 1 else ''}"
            f" from {history.meta.get('source', 'the data')}: {epochs_text(history.epochs)}"
            f"{', converged' if history.converged else ''}."
        )
        if history.d == 1:
            lines.append(
                f"  epoch {final.epoch}: μ = {_list(final.means[:, 0])}; σ = {_list(final.stds)}; "
                f"φ = {_list(final.weights, 3)}; mean log-likelihood per point {final.log_likelihood / history.n:.4f}"
            )
        else:
            lines.append(
                f"  epoch {final.epoch}: φ = {_list(final.weights, 3)}; "
                f"mean log-likelihood per point {final.log_likelihood / history.n:.4f}"
            )
        lines.extend(f"  note: {message}" for message in _final_event_notes(history))
    lines.append(f"Wrote to {out}{os.sep}:")
    rows = []
    # What a user came for first: the animations, then the report, then the history.
    rank = {".gif": 0, ".mp4": 1, "": 2, ".html": 3, ".json": 4, ".npz": 5}
    files = sorted(files, key=lambda e: rank.get(Path(e[0] if isinstance(e, tuple) else e).suffix, 6))
    for entry in files:
        if isinstance(entry, tuple):
            folder, count, size = entry
            rows.append((_relative(folder, out) + os.sep, f"{count} PNG frames, {_human_size(size)}"))
        else:
            rows.append((_relative(Path(entry), out), _human_size(Path(entry).stat().st_size)))
    width = max(len(name) for name, _ in rows)
    lines.extend(f"  {name:<{width}}  {size:>8}" for name, size in rows)
    html = [Path(e) for e in files if not isinstance(e, tuple) and Path(e).suffix == ".html"]
    if html:
        lines.append(f"Open {html[0]} in a browser.")
    print("\n".join(lines), flush=True)


def _relative(path, folder):
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return str(path)


def _list(values, digits=4):
    return ", ".join(f"{float(v):.{digits}g}" for v in values)


def _human_size(nbytes):
    if nbytes < 1000:
        return f"{nbytes} B"
    if nbytes < 1_000_000:
        return f"{nbytes / 1000:.0f} KB"
    return f"{nbytes / 1_000_000:.1f} MB"
