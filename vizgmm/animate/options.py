"""The drawing options every animation function takes, declared once: :class:`RenderOptions`.

Each field of :class:`RenderOptions` carries its default, the outputs it
applies to and its numpydoc text; the defaults live here only (the timing
and quality defaults a ``None`` stands for too: :data:`EPOCH_MS`,
:data:`HOLD_FIRST_MS`, :data:`HOLD_LAST_MS`, :data:`QUALITY`). The public
functions take keywords; :func:`resolve` turns them, once and at the edge,
into one frozen :class:`RenderOptions` (with the preset's canvas and the
theme's colours looked up) that every stage below reads.
:func:`takes_options` gives a render function the full keyword signature
and an "Other Parameters" section built from the same fields, so
``help(vizgmm.render_gif)`` lists every option with its default. Values are
checked where they are used (presets, timing, encoders), each check naming
the option.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from vizgmm.errors import OptionError
from vizgmm.look import presets

# Who takes an option: every output (ALL), every movie (MOVIES: every frame state, with timing), every
# registered format (FORMATS), or only the formats that list it in their registry entry (FORMAT_OWN).
ALL, MOVIES, FORMATS, FORMAT_OWN = "all", "movies", "formats", "own"
# Kinds that are not file formats: one still frame; the side-by-side grid.
STILL, GRID = "still", "grid"

#: How long one epoch is shown when neither ``duration_ms`` nor ``fps`` is given (ms).
EPOCH_MS = 500
#: Extra time on the first and on the last frame when ``hold_first_ms`` / ``hold_last_ms`` are None (ms).
HOLD_FIRST_MS = 1000
HOLD_LAST_MS = 2000
#: vizgmm's quality scale 1–10 (higher is better) when ``quality`` is None; each codec maps it to its own.
QUALITY = 7


def _option(default: Any, type: str, doc: str, takers: str = ALL, grid: bool = False) -> Any:
    """A :class:`RenderOptions` field: its default, and for the docs its type text, who takes it, its text."""
    return field(default=default, metadata={"type": type, "doc": doc, "takers": takers, "grid": grid})


@dataclass(frozen=True)
class RenderOptions:
    """Every drawing, timing and writer option of one render, resolved once at the API's edge.

    Built by :func:`resolve` from the keyword arguments of :func:`vizgmm.render`
    and its siblings; frozen, so every stage reads the same values (the size
    budget derives lowered copies with :func:`dataclasses.replace`). Besides
    the options below it holds ``canvas`` (the preset's sizes, ``size``
    applied) and ``colours`` (the theme's colours), looked up once; treat them
    as read-only (copy before changing).
    """

    preset: str | Mapping[str, Any] = _option(
        "blog", '{"blog", "slides", "square"} or dict',
        "Canvas and type sizes: blog 640×480 (default), slides 1920×1080, square 1080×1080, or a dict "
        "like those of :data:`vizgmm.look.presets.PRESETS`.")
    size: tuple[int, int] | None = _option(
        None, "(int, int), optional", "Canvas (width, height) in pixels, overriding the preset's; type sizes scale with it.")
    theme: str | Mapping[str, Any] = _option(
        "light", '{"light", "dark"} or dict', "Colours of background, text and components (see :mod:`vizgmm.look.presets`).")
    tween: int = _option(
        0, "int", "In-between frames per epoch, 0 to 60: means, covariances and weights glide between epochs.",
        MOVIES, grid=True)
    duration_ms: float | None = _option(
        None, "float, optional", f"How long one epoch is shown (default {EPOCH_MS} ms), shared by its ``tween + 1`` frames.",
        MOVIES, grid=True)
    fps: float | None = _option(
        None, "float, optional", "Or: frames per second (each frame 1000/fps ms); not together with ``duration_ms``.",
        MOVIES, grid=True)
    hold_first_ms: float | None = _option(
        None, "float, optional", f"Extra time on the first frame (default {HOLD_FIRST_MS} ms).", MOVIES, grid=True)
    hold_last_ms: float | None = _option(
        None, "float, optional", f"Extra time on the last frame (default {HOLD_LAST_MS} ms).", MOVIES, grid=True)
    title: str | None = _option(
        None, "str, optional", "A line above the plot (default ``history.meta['title']``); drawn as plain text.")
    component_names: Sequence[str] | None = _option(
        None, "list of str, optional", "One name per component, e.g. ``['여자', '남자']`` (default ``history.meta``).")
    lang: str | None = _option(
        None, '{"en", "ko"} or None',
        "Language of every word vizgmm writes on the frames and in the captions (:mod:`vizgmm.i18n`); "
        "None: the user's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) when vizgmm has its catalogue, else English.")
    panels: Sequence[str] = _option(
        (), 'sequence of {"loglik", "bound", "weights", "params"}',
        "Side panels: the log-likelihood curve with a cursor, EM's lower bound along its path, the parameter table.")
    focus: str = _option(
        "data", '{"data", "bound"}',
        '"bound": EM\'s lower bound along its path fills the frame (the full-frame bound scene), the data '
        'beside it; "data" (default): the data, with any side panels.')
    features: tuple[int, int] | None = _option(
        None, "(int, int), optional",
        "For d > 2: plot these two features (0-based) instead of the first two principal components.")
    aspect: str = _option(
        "auto", '{"auto", "equal"}',
        '2-D: "auto" scales each axis to its own data; "equal" draws one unit the same length on both axes.')
    trails: str = _option(
        "fade", '{"fade", "full", "off"}',
        '2-D: the means\' paths. "fade" (default) draws the last few steps, older ones fainter, none from '
        'outside the view; "full" every step since the start; "off" none.')
    standardize: bool | None = _option(
        None, "bool or None",
        "None: PCA of z-scores for d > 2, 2-D data in its own units; True: z-scores everywhere; "
        "False: raw principal components.")
    show_loglik: bool = _option(True, "bool", "Put the log-likelihood in the frame's title.")
    half_steps: bool = _option(
        False, "bool",
        "Two stops per epoch: the E-step (points take their new colours, curves stay), then the M-step "
        "(μ, σ, φ move).", FORMATS)
    progress: bool = _option(False, "bool", "Show a tqdm progress bar.", MOVIES, grid=True)
    workers: str | int = _option(
        "auto", '{"auto", 1, 2}',
        'Processes that draw GIF frames: "auto" forks a second one when a core is idle '
        "(the ffmpeg formats and PNG already use a second core for encoding).", FORMATS)
    loop: int | None = _option(
        0, "int or None", "Repetitions of a looping format: 0 loops forever, None plays once.", FORMAT_OWN, grid=True)
    gifsicle: str | bool = _option(
        "auto", '{"auto", True, False}', 'Run ``gifsicle -O3`` on the GIF: "auto" when it is installed.',
        FORMAT_OWN, grid=True)
    colors: int | None = _option(
        64, "int", "Palette size of a palette format, 2 to 255 (anti-aliased edges need few shades).",
        FORMAT_OWN, grid=True)
    lossless: bool = _option(
        True, "bool", "Lossless over the shared palette (the GIF's pixels); False is lossy at ``quality``.", FORMAT_OWN)
    quality: float | None = _option(
        None, "int, optional",
        f"Quality 1–10 (default {QUALITY}), mapped to each codec's own scale (its writer's documentation says how).",
        FORMAT_OWN, grid=True)
    crf: int | None = _option(
        None, "int, optional", "Or: the codec's CRF itself (its writer says the range).", FORMAT_OWN, grid=True)
    max_bytes: int | str | None = _option(
        None, "int or str, optional",
        'A size budget, e.g. 3_000_000 or "3MB": colours or quality, then frame rate, then size are lowered '
        "until the file fits (see :mod:`vizgmm.animate.writers.budget`); never a file over it.", FORMAT_OWN,
        grid=True)
    notes: bool = _option(True, "bool", "Print what the size budget lowered.", FORMAT_OWN, grid=True)
    transparent: bool = _option(
        False, "bool", "Transparent figure background (formats with alpha, and stills).", FORMATS)
    # Looked up once from preset/size and theme (and again by dataclasses.replace, which builds a new object).
    canvas: dict[str, Any] = field(init=False, repr=False, compare=False)
    colours: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "canvas", presets.preset(self.preset, size=self.size))
        object.__setattr__(self, "colours", presets.theme(self.theme))

    def replace(self, **changes: Any) -> RenderOptions:
        """A copy with ``changes`` applied (the canvas and colours looked up again)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class Option:
    """One keyword option as the docs and the CLI show it: name, default, type text, who takes it, documentation.

    ``takers`` is one of ALL, MOVIES, FORMATS, FORMAT_OWN (then the formats' registry entries say),
    and ``grid`` whether the side-by-side grid takes it too.
    """

    name: str
    default: object
    type: str
    doc: str
    takers: str = ALL
    grid: bool = False


#: Every option in :class:`RenderOptions`' order, read from its fields.
OPTIONS: tuple[Option, ...] = tuple(
    Option(f.name, f.default, **f.metadata) for f in fields(RenderOptions) if f.init
)
#: The defaults, as one object (what ``--help`` and the size budget quote).
DEFAULTS = RenderOptions()


def takes(option: Option, kind: str, own: Collection[str] = ()) -> bool:
    """Whether output ``kind`` ("still", "grid" or a format's name with its own options ``own``) takes ``option``."""
    if kind == GRID:
        return option.grid or option.takers == ALL
    if kind == STILL:
        return option.takers == ALL or option.name == "transparent"
    if option.takers == FORMAT_OWN:
        return option.name in own
    return True


def names(kind: str, own: Collection[str] = ()) -> tuple[str, ...]:
    """The names of the options that ``kind`` takes (``own``: a format's own, from its registry entry)."""
    return tuple(o.name for o in OPTIONS if takes(o, kind, own))


def still_options(given: Mapping[str, Any]) -> dict[str, Any]:
    """The options among ``given`` that draw a still (not the movie formats' own, not transparency)."""
    drawing = set(names(STILL)) - {"transparent"}
    return {name: value for name, value in given.items() if name in drawing}


def resolve(given: Mapping[str, Any], kind: str, own: Collection[str] = ()) -> RenderOptions:
    """The one :class:`RenderOptions` of a call: ``given`` over the defaults.

    An option that ``kind`` does not take is an OptionError listing the ones it does.
    """
    allowed = names(kind, own)
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise OptionError(
            f"unknown option {unknown[0]!r} for {kind} output; use any of: {', '.join(sorted(allowed))}"
        )
    return RenderOptions(**given)


F = TypeVar("F", bound=Callable[..., Any])


def takes_options(kind: str, own: Collection[str] = ()) -> Callable[[F], F]:
    """Decorator: give a ``(..., **options)`` function the keyword signature and docs of ``kind``'s options."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        params = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        taken = {p.name for p in params}
        params += [
            inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default)
            for o in OPTIONS if takes(o, kind, own) and o.name not in taken
        ]
        func.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        func.__doc__ = (func.__doc__ or "").rstrip() + "\n\n" + _other_parameters(kind, own, taken) + "\n"
        return func

    return decorate


def _other_parameters(kind: str, own: Collection[str] = (), taken: Collection[str] = ()) -> str:
    lines = ["    Other Parameters", "    ----------------"]
    for o in OPTIONS:
        if takes(o, kind, own) and o.name not in taken:
            lines.append(f"    {o.name} : {o.type}, default {o.default!r}")
            lines.append(f"        {o.doc}")
    return "\n".join(lines)


def _document_fields() -> None:
    lines = ["", "    Attributes", "    ----------"]
    for o in OPTIONS:
        lines.append(f"    {o.name} : {o.type}, default {o.default!r}")
        lines.append(f"        {o.doc}")
    RenderOptions.__doc__ = (RenderOptions.__doc__ or "").rstrip() + "\n" + "\n".join(lines) + "\n"


_document_fields()
