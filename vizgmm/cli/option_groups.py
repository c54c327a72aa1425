"""The option groups subcommands share: data, fit, choosing k, labels, outputs, drawing."""

import argparse

from vizgmm.animate import options
from vizgmm.cli.priors import add_compare_priors, add_method_and_priors
from vizgmm.look.presets import PRESETS, THEMES
from vizgmm.model.defaults import (
    DEFAULT_COVARIANCE_TYPE,
    DEFAULT_MAX_ITER,
    DEFAULT_REG_COVAR,
    DEFAULT_TOL,
)
from vizgmm.params import choices


def add_data_options(p):
    g = p.add_argument_group("data")
    g.add_argument("--column", metavar="NAME|NUMBER", help="the column to fit, by header name or number (1 = first)")
    g.add_argument("--columns", metavar="A,B", help="several columns for 2-D (or more) data, e.g. --columns x,y")
    g.add_argument("--labels-column", metavar="NAME|NUMBER",
                   help="a column of true labels (numbers or text), for the report's accuracy section; "
                        "a blank or NA label is missing, not a class")
    g.add_argument("--dropna", action="store_true",
                   help="drop rows with a missing value (empty, NA, NaN, N/A, null, ?) in the columns used, "
                        "labels included, with a note saying how many; without it such rows are an error")


def add_fit_options(p, compare=False):
    g = p.add_argument_group("fit")
    if compare:
        g.add_argument("--methods", metavar="A,B[,C]",
                       help="the methods to compare, in panel order: hard and soft EM, optionally kmeans "
                            "(default: hard,soft), e.g. --methods hard,soft,kmeans")
        g.add_argument("--method", choices=("soft", "hard", "variational"), action="append",
                       help="a method to compare, given once per method (older spelling of --methods); "
                            "variational, with --priors, compares the variational mixture under several priors")
        add_compare_priors(p)
    else:
        add_method_and_priors(p, g)
    g.add_argument("--init", choices=("kmeans++", "random-split", "random-from-data", "spread"),
                   help="how to choose the starting parameters. Default for fit with one k: spread (means spread "
                        "along the data's main axis, wide covariances, so the animation shows EM move), kept only "
                        "if it ends within 1%% of kmeans++'s log-likelihood; otherwise, and for compare and "
                        "restarts: kmeans++")
    g.add_argument("--means", metavar="M1,M2,..", help="explicit starting means (1-D data), e.g. --means 210,290")
    g.add_argument("--stds", metavar="S1,S2,..", help="explicit starting stds, with --means, e.g. --stds 12,15")
    g.add_argument("--weights", metavar="W1,W2,..",
                   help="explicit starting weights summing to 1, with --means (default: equal)")
    g.add_argument("--init-file", metavar="JSON",
                   help='starting parameters from a JSON file: {"means": .., "stds" or "covariances": .., "weights": ..}')
    g.add_argument("--covariance-type", choices=("full", "diag", "spherical", "tied"), default=DEFAULT_COVARIANCE_TYPE,
                   help=f"covariance shape, as in scikit-learn (default: {DEFAULT_COVARIANCE_TYPE})")
    g.add_argument("--max-iter", type=int, default=DEFAULT_MAX_ITER, metavar="N",
                   help=f"most epochs to run (default: {DEFAULT_MAX_ITER})")
    g.add_argument("--tol", type=float, default=DEFAULT_TOL, metavar="X",
                   help=f"stop when the mean log-likelihood changes by less than X (default: {DEFAULT_TOL:g}); "
                        "0 runs exactly --max-iter epochs")
    g.add_argument("--reg-covar", type=float, default=DEFAULT_REG_COVAR, metavar="X",
                   help=f"added to every variance so none collapses to 0 (default: {DEFAULT_REG_COVAR:g})")
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
                   help="one name per component for legends and tables, e.g. --component-names 여자,남자. Components "
                        "are numbered left to right in the default picture (by ascending mean of the first "
                        "feature; for 3+ features, along the first principal component), so the first name goes to "
                        "the leftmost; with --labels-column and as many components as classes, "
                        "by the sorted classes they match (and named after them when no names are given)")
    g.add_argument("--lang", metavar="CODE",
                   help="language of the words vizgmm writes (frames, player, report, captions, decks, summary): en or ko "
                        "(default: your locale's, LANG/LC_ALL/LC_MESSAGES, when vizgmm has it, else en); error "
                        "messages stay English")


def format_flags():
    """--formats names (every registered format) and the flag each sets (a folder format: --frames)."""
    from vizgmm.animate.writers import registry  # loads numpy and Pillow: only when --formats is given

    return {fmt.name: "frames" if fmt.folder else fmt.name for fmt in registry.formats()}


class FormatsAction(argparse.Action):
    """--formats gif,webp sets every format's own flag, so the commands read one set of flags."""

    def __call__(self, parser, namespace, values, option_string=None):
        flags = format_flags()
        names = [name.strip().lower() for name in str(values).split(",") if name.strip()]
        unknown = [name for name in names if name not in flags]
        if unknown or not names:
            what = f"unknown format {unknown[0]!r}" if unknown else "no format given"
            parser.error(f"argument --formats: {what}; choose from {','.join(flags)}, e.g. --formats gif,webp")
        for name, dest in flags.items():
            setattr(namespace, dest, name in names)


def size_budget(text):
    """--max-size's value in bytes ("3MB", "500KB", "2MiB"), or argparse's one-line error."""
    from vizgmm.animate.writers.budget import parse_size
    from vizgmm.errors import OptionError

    try:
        return parse_size(text, "--max-size")
    except OptionError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("--max-size must", "must")) from None


def add_output_options(p, html=True):
    g = p.add_argument_group("outputs")
    g.add_argument("--formats", metavar="LIST", action=FormatsAction,
                   help="animations to write, any of gif,mp4,webm,webp,png (png: frames into DIR/frames/); "
                        "default gif,mp4; sets --gif/--mp4/--frames")
    g.add_argument("--gif", action=argparse.BooleanOptionalAction, default=True, help="write animation.gif")
    g.add_argument("--mp4", action=argparse.BooleanOptionalAction, default=True, help="write animation.mp4")
    if html:
        g.add_argument("--html", action=argparse.BooleanOptionalAction, default=True,
                       help="write report.html (self-contained)")
    g.add_argument("--frames", action=argparse.BooleanOptionalAction, default=False,
                   help="also write every frame as PNG into DIR/frames/")
    g.add_argument("--max-size", metavar="SIZE", type=size_budget,
                   help="largest GIF, WebP or WebM file, e.g. 3MB: colours (GIF) or quality (WebM), then frame rate, "
                        "then size are lowered until each fits; exit 2 with nothing written if none does")
    g.add_argument("-q", "--quiet", action="store_true", help="no progress bars, notes or summary")
    p.set_defaults(webm=False, webp=False)


def _marked(texts, default):
    """The choices' texts joined by "; ", the default's marked "(default)" (the default read from RenderOptions)."""
    return "; ".join(f"{text} (default)" if name == default else text for name, text in texts.items())


def _named(names, default, sizes=None):
    """ "a (default), b or c": the names, the default's marked; ``sizes`` adds each one's canvas."""
    shown = []
    for name in names:
        notes = ([f"{sizes[name][0]}x{sizes[name][1]}"] if sizes else []) + (["default"] if name == default else [])
        shown.append(f"{name} ({', '.join(notes)})" if notes else name)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def add_render_options(p):
    # The defaults the help quotes are the API's (vizgmm.animate.options), never typed again here.
    d = options.DEFAULTS
    g = p.add_argument_group("drawing")
    g.add_argument("--preset", metavar="NAME",
                   help="canvas: " + _named(PRESETS, d.preset, {n: v["size"] for n, v in PRESETS.items()}))
    g.add_argument("--theme", metavar="NAME", help="colours: " + _named(THEMES, d.theme))
    g.add_argument("--tween", type=int, metavar="N",
                   help=f"in-between frames per epoch, for smooth motion (default: {d.tween})")
    timing = g.add_mutually_exclusive_group()
    timing.add_argument("--fps", type=float,
                        help=f"frames per second (default: one epoch every {options.EPOCH_MS / 1000:g} s)")
    timing.add_argument("--duration-ms", type=float, metavar="MS",
                        help="milliseconds per epoch, in-between frames included")
    g.add_argument("--panels", metavar="A,B", help="side panels: loglik, bound, weights, params (e.g. --panels bound,params)")
    g.add_argument("--half-steps", action="store_true", default=None,
                   help="two stops per epoch: the E-step (points re-coloured), then the M-step (curves move)")
    g.add_argument("--features", metavar="I,J",
                   help="for data with more than 2 columns: the two columns to draw (1 = first)")
    g.add_argument("--focus", choices=("data", "bound"), help=_marked({
        "bound": "bound: EM's lower bound along its path fills the frame, the data beside it (why EM can only climb)",
        "data": "data: the data, with any --panels"}, d.focus))
    g.add_argument("--aspect", choices=("auto", "equal"), help="2-D axes: " + _marked({
        "auto": "auto scales each axis to its data",
        "equal": "equal keeps one unit the same length on both, so ellipses show their true shape"}, d.aspect))
    g.add_argument("--trails", choices=choices("trails"), help="2-D: the means' paths: " + _marked({
        "fade": "fade draws the last few steps, older ones fainter, none from outside the view",
        "full": "full every step since the start", "off": "off none"}, d.trails))
    g.add_argument("--standardize", action=argparse.BooleanOptionalAction, default=None,
                   help="draw z-scores ((x - mean) / std; fit uses them too). Data with more than 2 columns is "
                        "drawn on principal components of z-scores by default; --no-standardize uses raw units")

