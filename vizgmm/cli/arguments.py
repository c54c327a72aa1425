"""From parsed options to the API's arguments: numbers, lists, the start, the render options."""

import json
import math
import shlex
import sys
from pathlib import Path

from vizgmm.animate.fonts import check_user_text
from vizgmm.cli.console import say
from vizgmm.errors import OptionError


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
    from vizgmm.model.selection import parse_ks

    # "-1" would otherwise read as a malformed range ("cannot read k"), though it is a number.
    number = str(text).strip()
    if number.lstrip("-").isdigit() and int(number) < 1:
        raise OptionError(f"-k must be at least 1, got {number}; use -k 2 or more, or -k auto")
    return parse_ks(text)


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
        init = {name: parse_floats(getattr(args, name), "--" + name) for name in explicit}
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
    from vizgmm.animate.timing import make_timing

    try:
        make_timing(opts.get("tween", 0), fps, duration)
    except OptionError as exc:
        # The remaining case: frames shorter than players show ("raise duration_ms or lower tween").
        raise OptionError(str(exc).replace("duration_ms", "--duration-ms").replace("tween", "--tween")) from None


def render_options(args):
    """Only the drawing options the user gave, so the renderer's own defaults apply to the rest."""
    from vizgmm.animate import presets

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
        from vizgmm.data.loading import split_list

        opts["panels"] = tuple(split_list(args.panels))
    if getattr(args, "features", None):
        features = [int(v) for v in parse_floats(args.features, "--features", example="1,2")]
        if len(features) != 2 or min(features) < 1:
            raise OptionError(f"--features needs two column numbers (1 = first), e.g. --features 1,3; got {args.features}")
        opts["features"] = tuple(f - 1 for f in features)
    if getattr(args, "title", None):
        check_user_text(title=args.title)  # before the fit, not after it
        opts["title"] = args.title
    if getattr(args, "component_names", None):
        opts["component_names"] = parse_component_names(args.component_names, None)
    return opts


def apply_labels(history, args):
    if args.title:
        history.meta["title"] = args.title
    if args.component_names:
        history.meta["component_names"] = parse_component_names(args.component_names, history.k)


def parse_component_names(text, k):
    if not text:
        return None
    from vizgmm.data.loading import split_list

    names = split_list(text)
    check_user_text(component_names=names)  # before the fit, not after it
    if k is not None and len(names) != k:
        raise OptionError(
            f"--component-names gives {len(names)} names for {k} components; give exactly {k}, separated by commas"
        )
    return names


def parse_floats(text, option, example="210,290"):
    from vizgmm.data.loading import split_list

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


def progress_enabled(args):
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def notes_enabled(args):
    if getattr(args, "quiet", False):
        return lambda message: None
    return lambda message: say("vizgmm: note: " + message)


def command_line(args):
    return shlex.join(["vizgmm", *args.argv])

