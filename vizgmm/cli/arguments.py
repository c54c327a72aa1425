"""From parsed options to the API's arguments: numbers, lists, the start, the render options."""

import json
import shlex
import sys
from pathlib import Path

from vizgmm.cli.console import say
from vizgmm.errors import OptionError
from vizgmm.params import check
from vizgmm.text import check_user_text


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
    """Reject out-of-range fit options before any data is read (the library's own checks, by name)."""
    for name in ("tol", "reg_covar", "max_iter", "seed"):
        check(name, getattr(args, name))


def check_selection_options(args, ks, init):
    """Reject combinations of -k, --n-init, --animate-restarts and an explicit start before any fit."""
    check("n_init", args.n_init)
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
    """--tween, --fps and --duration-ms out of range, and frames shorter than players show: one line."""
    from vizgmm.animate.frames.timing import make_timing

    for name in ("tween", "fps", "duration_ms"):
        if opts.get(name) is not None:
            check(name, opts[name])
    make_timing(opts.get("tween", 0), opts.get("fps"), opts.get("duration_ms"))


def resolve_lang(lang):
    """--lang's code, or the locale's when vizgmm has its catalogue, else "en" (vizgmm.i18n.resolve_lang)."""
    from vizgmm.i18n import resolve_lang as resolve

    try:
        return resolve(lang)
    except OptionError as exc:
        raise OptionError(str(exc).replace("lang must", "--lang must", 1)) from None


def render_options(args):
    """Only the drawing options the user gave, so the renderer's own defaults apply to the rest."""
    from vizgmm.look import presets

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
    if getattr(args, "half_steps", None):
        opts["half_steps"] = True
    if getattr(args, "aspect", None):
        opts["aspect"] = args.aspect
    if getattr(args, "trails", None):
        opts["trails"] = args.trails
    if getattr(args, "focus", None):
        opts["focus"] = args.focus
    if getattr(args, "standardize", None) is not None:
        opts["standardize"] = args.standardize
    if getattr(args, "title", None):
        check_user_text(title=args.title)  # before the fit, not after it
        opts["title"] = args.title
    if getattr(args, "component_names", None):
        opts["component_names"] = parse_component_names(args.component_names, None)
    if hasattr(args, "lang"):
        # Resolved once, here (an unknown code is a one-line error before any fit), so every output agrees.
        opts["lang"] = resolve_lang(args.lang)
    return opts


def apply_labels(history, args):
    if args.title:
        history.meta["title"] = check_user_text(title=args.title)
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
    """The command as the user typed it, for the report; a file name's undecodable bytes as \\xe9."""
    from vizgmm.text import shown

    return shlex.join(["vizgmm", *(shown(a) for a in args.argv)])



#: Metavars of the arguments that name files and folders: the OS takes their bytes as they are.
PATH_METAVARS = frozenset({"DATA", "HISTORY", "DIR", "FILE", "JSON"})


def check_arguments(args, parser):
    """Refuse, before any work, a text argument with bytes that are not UTF-8; file names may have them.

    Python decodes an argument that is not UTF-8 with surrogate escapes; a
    title or name like that failed only when the report was written, after
    the whole fit. A file or folder name is the OS's bytes, so it is used as
    given (``os.fsencode`` gets them back) and shown with ``\\xe9`` escapes.
    """
    from vizgmm.text import raw_bytes, undecodable

    for action in parser._actions:
        value = getattr(args, action.dest, None)
        values = value if isinstance(value, list) else [value]
        if action.metavar in PATH_METAVARS:
            continue
        for item in values:
            if isinstance(item, str) and undecodable(item):
                flag = max(action.option_strings, key=len) if action.option_strings else action.metavar or action.dest
                raise OptionError(f"{flag} has bytes that are not UTF-8 ({raw_bytes(item)[:40]!r}); "
                                  "give it in UTF-8 (check the terminal's, the script's or the locale's encoding)")
