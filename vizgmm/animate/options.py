"""The drawing options every animation function takes, declared once.

Each :class:`Option` carries its default, the outputs it applies to and its
numpydoc text. :func:`takes_options` gives a render function the full
keyword signature and an "Other Parameters" section built from this table,
so ``help(vizgmm.render_gif)`` lists every option while the defaults live
here only. Values are checked where they are used (presets, timing,
encoders), each check naming the option.
"""

import inspect
from dataclasses import dataclass

from vizgmm.animate.writers import registry
from vizgmm.errors import OptionError

# Who takes an option: every output (ALL), every movie (MOVIES: every frame state, with timing), every
# registered format (FORMATS), or only the formats that list it in their registry entry (FORMAT_OWN).
ALL, MOVIES, FORMATS, FORMAT_OWN = "all", "movies", "formats", "own"
# Kinds that are not file formats: one still frame; the side-by-side grid.
STILL, GRID = "still", "grid"


@dataclass(frozen=True)
class Option:
    """One keyword option: its name, default, who takes it and its documentation.

    ``takers`` is one of ALL, MOVIES, FORMATS, FORMAT_OWN (then the formats' registry entries say),
    and ``grid`` whether the side-by-side grid takes it too.
    """

    name: str
    default: object
    type: str
    doc: str
    takers: str = ALL
    grid: bool = False


OPTIONS = (
    Option("preset", "blog", '{"blog", "slides", "square"} or dict',
           "Canvas and type sizes: blog 640×480 (default), slides 1920×1080, square 1080×1080, or a dict "
           "like those of :data:`vizgmm.look.presets.PRESETS`."),
    Option("size", None, "(int, int), optional",
           "Canvas (width, height) in pixels, overriding the preset's; type sizes scale with it."),
    Option("theme", "light", '{"light", "dark"} or dict',
           "Colours of background, text and components (see :mod:`vizgmm.look.presets`)."),
    Option("tween", 0, "int",
           "In-between frames per epoch, 0 to 60: means, covariances and weights glide between epochs.",
           MOVIES, grid=True),
    Option("duration_ms", None, "float, optional",
           "How long one epoch is shown (default 500 ms), shared by its ``tween + 1`` frames.",
           MOVIES, grid=True),
    Option("fps", None, "float, optional",
           "Or: frames per second (each frame 1000/fps ms); not together with ``duration_ms``.",
           MOVIES, grid=True),
    Option("hold_first_ms", None, "float, optional",
           "Extra time on the first frame (default 1000 ms).", MOVIES, grid=True),
    Option("hold_last_ms", None, "float, optional",
           "Extra time on the last frame (default 2000 ms).", MOVIES, grid=True),
    Option("title", None, "str, optional",
           "A line above the plot (default ``history.meta['title']``); drawn as plain text."),
    Option("component_names", None, "list of str, optional",
           "One name per component, e.g. ``['여자', '남자']`` (default ``history.meta``)."),
    Option("lang", None, '{"en", "ko"} or None',
           "Language of every word vizgmm writes on the frames and in the captions (:mod:`vizgmm.i18n`); "
           "None: the user's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) when vizgmm has its catalogue, else English."),
    Option("panels", (), 'sequence of {"loglik", "bound", "weights", "params"}',
           "Side panels: the log-likelihood curve with a cursor, EM's lower bound along its path, the parameter table."),
    Option("focus", "data", '{"data", "bound"}',
           '"bound": EM\'s lower bound along its path fills the frame (the full-frame bound scene), the data '
           'beside it; "data" (default): the data, with any side panels.'),
    Option("features", None, "(int, int), optional",
           "For d > 2: plot these two features (0-based) instead of the first two principal components."),
    Option("aspect", "auto", '{"auto", "equal"}',
           '2-D: "auto" scales each axis to its own data; "equal" draws one unit the same length on both axes.'),
    Option("trails", "fade", '{"fade", "full", "off"}',
           '2-D: the means\' paths. "fade" (default) draws the last few steps, older ones fainter, none from '
           'outside the view; "full" every step since the start; "off" none.'),
    Option("standardize", None, "bool or None",
           "None: PCA of z-scores for d > 2, 2-D data in its own units; True: z-scores everywhere; "
           "False: raw principal components."),
    Option("show_loglik", True, "bool", "Put the log-likelihood in the frame's title."),
    Option("half_steps", False, "bool",
           "Two stops per epoch: the E-step (points take their new colours, curves stay), then the M-step "
           "(μ, σ, φ move).", FORMATS),
    Option("progress", False, "bool", "Show a tqdm progress bar.", MOVIES, grid=True),
    Option("workers", "auto", '{"auto", 1, 2}',
           'Processes that draw GIF frames: "auto" forks a second one when a core is idle '
           "(the ffmpeg formats and PNG already use a second core for encoding).", FORMATS),
    Option("loop", 0, "int or None", "Repetitions of a looping format: 0 loops forever, None plays once.",
           FORMAT_OWN, grid=True),
    Option("gifsicle", "auto", '{"auto", True, False}',
           'Run ``gifsicle -O3`` on the GIF: "auto" when it is installed.', FORMAT_OWN, grid=True),
    Option("colors", 64, "int",
           "Palette size of a palette format, 2 to 255 (anti-aliased edges need few shades).",
           FORMAT_OWN, grid=True),
    Option("lossless", True, "bool",
           "Lossless over the shared palette (the GIF's pixels); False is lossy at ``quality``.", FORMAT_OWN),
    Option("quality", None, "int, optional",
           "Quality 1–10 (default 7), mapped to each codec's own scale (its writer's documentation says how).",
           FORMAT_OWN, grid=True),
    Option("crf", None, "int, optional", "Or: the codec's CRF itself (its writer says the range).", FORMAT_OWN,
           grid=True),
    Option("max_bytes", None, 'int or str, optional',
           'A size budget, e.g. 3_000_000 or "3MB": colours or quality, then frame rate, then size are lowered '
           "until the file fits (see :mod:`vizgmm.animate.writers.budget`); never a file over it.", FORMAT_OWN,
           grid=True),
    Option("notes", True, "bool", "Print what the size budget lowered.", FORMAT_OWN, grid=True),
    Option("transparent", False, "bool",
           "Transparent figure background (formats with alpha, and stills).", FORMATS),
)


def takes(option, kind):
    """Whether output ``kind`` (a registered format's name, "still" or "grid") takes ``option``."""
    if kind == GRID:
        return option.grid or option.takers == ALL
    if kind == STILL:
        return option.takers == ALL or option.name == "transparent"
    if option.takers == FORMAT_OWN:
        return option.name in registry.get(kind).options
    return True


def defaults(kind):
    """The default of every option that ``kind`` (a format's name such as "gif", "still" or "grid") takes."""
    return {o.name: o.default for o in OPTIONS if takes(o, kind)}


def still_options(given):
    """The options among ``given`` that draw a still (not the movie formats' own, not transparency)."""
    drawing = set(defaults("still")) - {"transparent"}
    return {name: value for name, value in given.items() if name in drawing}


def resolve(given, kind):
    """The given options over the defaults; an unknown name is an OptionError that lists the known ones."""
    allowed = defaults(kind)
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise OptionError(
            f"unknown option {unknown[0]!r} for {kind} output; use any of: {', '.join(sorted(allowed))}"
        )
    return {**allowed, **given}


def takes_options(kind):
    """Decorator: give a ``(..., **opts)`` function the keyword signature and docs of ``kind``'s options."""

    def decorate(func):
        signature = inspect.signature(func)
        params = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        taken = {p.name for p in params}
        params += [
            inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default)
            for o in OPTIONS if takes(o, kind) and o.name not in taken
        ]
        func.__signature__ = signature.replace(parameters=params)
        func.__doc__ = (func.__doc__ or "").rstrip() + "\n\n" + _other_parameters(kind, taken) + "\n"
        return func

    return decorate


def _other_parameters(kind, taken=()):
    lines = ["    Other Parameters", "    ----------------"]
    for o in OPTIONS:
        if takes(o, kind) and o.name not in taken:
            lines.append(f"    {o.name} : {o.type}, default {o.default!r}")
            lines.append(f"        {o.doc}")
    return "\n".join(lines)
