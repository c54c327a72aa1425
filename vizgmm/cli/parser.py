"""The argument parser: one ``add_<name>_parser`` per subcommand and the option groups they share."""

import argparse
import re

from vizgmm import __version__
from vizgmm.cli.console import EXIT_USAGE
from vizgmm.cli.fitting import cmd_anneal, cmd_compare, cmd_demo, cmd_fit, cmd_simulate
from vizgmm.cli.option_groups import (
    add_data_options,
    add_fit_options,
    add_label_options,
    add_output_options,
    add_render_options,
    add_selection_options,
)
from vizgmm.cli.redraw import cmd_player, cmd_render, cmd_report, cmd_slides
from vizgmm.cli.starts import add_restarts_parser
from vizgmm.model.defaults import (
    DEFAULT_ANNEAL_STEPS,
    DEFAULT_END_FRACTION,
    DEFAULT_MAX_ITER,
)


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


SUBPARSERS: dict = {}


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
    p.add_argument("--out", metavar="DIR", help="output folder (default: outputs/demo, or outputs/demo-collapse)")
    p.add_argument("--method", choices=("hard", "soft"), help="hard: the walk-through's loop (default); soft: true EM")
    p.add_argument("--seed", type=int, default=0, help="seed of the simulated foot sizes (default: 0)")
    p.add_argument("--scene", choices=("walkthrough", "collapse"), default="walkthrough", help="collapse: k=3 on "
                   "rounded eruption times, reg_covar 1e-6 (collapses) beside 0.01, into collapse.gif/.mp4")
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
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars, notes or summary (as for render)")
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
        help="hard EM, soft EM (and k-means) from the same start, side by side",
        description=(
            "Fit DATA with K components by hard EM (labels, the walk-through's loop) and by soft EM "
            "(responsibilities, true EM), and with --methods hard,soft,kmeans also by k-means (Lloyd's "
            "algorithm from the same initial means), all from the same initial parameters. Writes compare.gif "
            "and compare.mp4 (the fits side by side, epoch by epoch, with a note at the first epoch where their "
            "labels differ), compare.html (what differs, with this data's numbers) and each fit's history "
            "(hard/history.json, soft/history.json, kmeans/history.json) into DIR. DATA as for fit. "
            "With --method variational --priors A,B[,C,D]: the variational mixture under 2 to 4 weight "
            "concentration priors instead, one panel each, from the same initial responsibilities "
            "(prior-A/history.json, ...), the page saying how many components each prior keeps."
        ),
        epilog=_examples(
            "vizgmm compare feet.csv -k 2 --methods hard,soft,kmeans --column x",
            "vizgmm compare feet.csv -k 2 --means 210,290 --stds 12,15 --out outputs/feet-compare",
            "vizgmm compare iris.csv -k 6 --columns petal_length,petal_width --method variational --priors 0.001,1,1000",
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


def add_anneal_parser(subparsers):
    p = subparsers.add_parser(
        "anneal",
        help="soft EM cooled into k-means: responsibilities hardening, animated",
        description=(
            "Run soft EM on DATA with K components whose weights are equal and whose one shared spherical "
            "variance σ² is held fixed and lowered step by step: geometrically from the data's overall variance "
            "(the mean of its features' variances) to --end-fraction of it over --steps temperatures, "
            "warm-started at each, then Lloyd's steps in the σ² → 0 limit. The points' colours harden from "
            "blends into k-means partitions; the temperature is in each frame's title. Writes animation.gif, "
            "animation.mp4, report.html and history.json into DIR, as fit does. DATA as for fit."
        ),
        epilog=_examples(
            "vizgmm anneal iris.csv -k 3 --columns petal_length,sepal_width",
            "vizgmm anneal iris.csv -k 3 --columns petal_length,sepal_width --steps 40 --end-fraction 0.005",
        ),
    )
    p.add_argument("data", metavar="DATA", help="CSV/TSV/.npy/text file, or - for standard input")
    p.add_argument("-k", "--components", dest="k", metavar="K", required=True, help="number of components")
    add_data_options(p)
    g = p.add_argument_group("annealing")
    g.add_argument("--steps", type=int, default=DEFAULT_ANNEAL_STEPS, metavar="N",
                   help=f"temperatures in the schedule (default: {DEFAULT_ANNEAL_STEPS})")
    g.add_argument("--end-fraction", type=float, default=DEFAULT_END_FRACTION, metavar="X",
                   help=f"the last σ² as a share of the first (default: {DEFAULT_END_FRACTION:g})")
    g.add_argument("--iterations", type=int, default=1, metavar="N",
                   help="EM iterations at each temperature (default: 1)")
    g.add_argument("--init", choices=("kmeans++", "random-split", "random-from-data", "spread"), default="kmeans++",
                   help="where the means start (default: kmeans++)")
    g.add_argument("--max-iter", type=int, default=DEFAULT_MAX_ITER, metavar="N",
                   help=f"most Lloyd steps in the σ² → 0 limit (default: {DEFAULT_MAX_ITER})")
    g.add_argument("--seed", type=int, default=0, help="seed for the start (default: 0)")
    add_label_options(p)
    p.add_argument("--out", metavar="DIR", help="output folder (default: outputs/<DATA's name>-anneal)")
    add_output_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_anneal)
    return p


def add_player_parser(subparsers):
    p = subparsers.add_parser(
        "player",
        help="write the interactive epoch player of a saved history (no refit)",
        description=(
            "Write one self-contained HTML file that steps through a saved history epoch by epoch, drawn as "
            "vectors from its numbers: play, pause, step, scrub, E-step and M-step apart, the log-likelihood "
            "and the parameters of each stop. #epoch=5 (or #epoch=5e, the E-step of epoch 5) in the URL opens "
            "that stop. With --embed, only the player's fragment, to paste into a blog page."
        ),
        epilog=_examples(
            "vizgmm player outputs/demo/history.json -o player.html",
            "vizgmm player outputs/demo/history.json -o feet.html --embed --half-steps --theme auto --live",
        ),
    )
    p.add_argument("history", metavar="HISTORY", help="a history.json written by demo, fit or History.save")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="the HTML file to write (default: player.html beside the history)")
    p.add_argument("--embed", action="store_true",
                   help="write only the player's <div> (scoped style and script) to paste into another page")
    p.add_argument("--half-steps", action="store_true", help="start with E-step and M-step as separate stops")
    p.add_argument("--live", action="store_true", help="EM in the page: the reader adds points, steps, runs, changes k")
    p.add_argument("--theme", choices=("light", "dark", "auto"),
                   help="colours: light (default), dark, or auto (follows the reader's system setting)")
    p.add_argument("--duration-ms", type=float, metavar="MS", help="milliseconds per epoch when playing (default: 500)")
    p.add_argument("--no-loop", dest="loop", action="store_false", help="stop at the last epoch instead of starting over")
    p.add_argument("--features", metavar="I,J",
                   help="for data with more than 2 columns: the two columns to draw (1 = first)")
    p.add_argument("--aspect", choices=("auto", "equal"),
                   help="2-D axes: auto scales each axis to its data (default); equal keeps one unit the same length "
                        "on both, as the frames' option")
    p.add_argument("--trails", choices=("fade", "full", "off"),
                   help="2-D: the means' paths: fade (default), full or off, as the frames' option")
    add_label_options(p)
    p.add_argument("-q", "--quiet", action="store_true", help="no summary")
    p.set_defaults(func=cmd_player)
    return p


def add_slides_parser(subparsers):
    p = subparsers.add_parser(
        "slides",
        help="a PowerPoint deck (and Beamer frames) from a saved history",
        description=(
            "Write a PowerPoint deck of a saved history (no refit): a title slide, the MP4 embedded with a poster "
            "frame, the start, the epoch of the largest change and the final fit as stills, the log-likelihood "
            "chart and a parameter table, each with speaker notes. Needs python-pptx (pip install '.[slides]' from a "
            "checkout). --beamer DIR also writes PNG frames and animation.tex (animate package, with an overlay "
            "fallback); --reveal DIR writes a reveal.js deck (index.html beside its files, opens from file:// "
            "offline). Without python-pptx, --beamer or --reveal alone writes only those (with a note)."
        ),
        epilog=_examples(
            "vizgmm slides outputs/demo/history.json -o talk/em.pptx",
            "vizgmm slides outputs/demo/history.json --theme dark --beamer talk/em-beamer",
            "vizgmm slides outputs/demo/history.json --no-pptx --beamer talk/em-beamer",
            "vizgmm slides outputs/demo/history.json --no-pptx --reveal talk/em-deck",
        ),
    )
    p.add_argument("history", metavar="HISTORY", help="a history.json written by demo, fit or History.save")
    p.add_argument("-o", "--output", metavar="FILE", help="the deck to write (default: slides.pptx beside the history)")
    p.add_argument("--pptx", action=argparse.BooleanOptionalAction, default=None,
                   help="write the PowerPoint deck (default: yes; with --beamer or --reveal, only if python-pptx is installed)")
    p.add_argument("--beamer", metavar="DIR", help="also write Beamer frames and animation.tex into DIR")
    p.add_argument("--reveal", metavar="DIR", help="also write a reveal.js deck into DIR (open DIR/index.html)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars or summary")
    add_label_options(p)
    add_render_options(p)
    p.set_defaults(func=cmd_slides)
    return p


#: Every subcommand's parser builder, in the order --help lists them.
COMMANDS = [add_demo_parser, add_fit_parser, add_compare_parser, add_restarts_parser, add_anneal_parser, add_render_parser,
            add_report_parser, add_player_parser, add_slides_parser, add_simulate_parser]
