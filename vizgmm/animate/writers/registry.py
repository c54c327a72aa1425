"""The output formats, each registered once by its own module, in the spirit of matplotlib's ``writers.register``.

Every module in :mod:`vizgmm.animate.writers` that defines a format calls
:func:`register` with a :class:`Format`: its name, file suffix, the writer
class, the options it takes beyond the common drawing options, and what it
can do (alpha, loop, a shared palette, a size budget, side-by-side grids).
:func:`get` and :func:`for_path` find one; :func:`formats` lists them. The
render API, the CLI's ``--formats``, the size budget, the side-by-side grid
and the pages all ask here, so adding a format is one new module (and its
tests): the package's modules are imported, and so registered, on the first
lookup.

Example: a format in ``vizgmm/animate/writers/apng.py``::

    class ApngWriter(FrameWriter): ...
    register(Format(name="apng", suffix=".apng", title="APNG", writer=ApngWriter,
                    make=lambda path, o: ApngWriter(path, loop=o.loop), options=("loop",)))
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vizgmm.animate.options import RenderOptions
from vizgmm.errors import OptionError

# Modules of this package that hold no format.
_NOT_FORMATS = frozenset({"base", "registry", "palette", "budget", "ffmpeg"})


@dataclass(frozen=True)
class Format:
    """One output format and what it can do.

    Attributes
    ----------
    name : str
        The format's name in the API (``render(..., format=name)``) and in ``--formats``.
    suffix : str
        The file suffix (``".gif"``); ``""`` for a folder of files (``folder=True``).
    title : str
        How people write it ("WebM").
    writer : type
        The :class:`~vizgmm.animate.writers.base.FrameWriter` subclass.
    make : callable
        ``make(path, options)`` returns a writer for the resolved :class:`~vizgmm.animate.options.RenderOptions`.
    options : tuple of str
        Options this format takes beyond the common drawing ones (see :mod:`vizgmm.animate.options`).
    mime : str, optional
        Its media type, for pages that embed it.
    alpha : bool
        It keeps a transparent background.
    loops : bool
        It can loop by itself (``loop=``).
    palette : bool
        Its writer maps frames to one shared palette, so it needs palette frames and the scene's exact colours
        (a writer with a ``colors`` attribute that is not None asks for them too).
    padded : bool
        Odd sides are padded with the background colour (``pad_color``), as yuv420p needs.
    budget : tuple of str
        What a size budget may lower besides in-betweens and size: "colours" and/or "quality".
    grid : bool
        The side-by-side comparison can be written in it.
    parallel : bool
        Frames may be drawn by a second process (the GIF's serial LZW step stays in this one).
    named_frames : bool
        Files named by epoch, one per frame state (PNG frames).
    folder : bool
        The path is a folder.
    why_opaque : str
        Said when ``transparent=True`` is asked of a format without alpha.
    available : callable, optional
        Returns None when the format can be written here, else why not.
    rank : int
        Where it is listed (lower first): the order people meet the formats in.
    """

    name: str
    suffix: str
    title: str
    writer: type
    make: Callable[[Any, RenderOptions], Any]
    options: tuple[str, ...] = ()
    mime: str | None = None
    alpha: bool = False
    loops: bool = False
    palette: bool = False
    padded: bool = False
    budget: tuple[str, ...] = ()
    grid: bool = False
    parallel: bool = False
    named_frames: bool = False
    folder: bool = False
    why_opaque: str = "it is opaque"
    available: Callable[[], str | None] | None = None
    rank: int = 100


_FORMATS: dict[str, Format] = {}
_loaded = False


def register(fmt: Format) -> Format:
    """Add a format (once per name); returns it."""
    if fmt.name in _FORMATS and _FORMATS[fmt.name] is not fmt:
        raise ValueError(f"format {fmt.name!r} is registered twice")
    _FORMATS[fmt.name] = fmt
    return fmt


def formats(capability: str | None = None) -> tuple[Format, ...]:
    """Every registered format in registration order, or those with a true (or non-empty) ``capability``."""
    _load()
    found = tuple(_FORMATS.values())
    return found if capability is None else tuple(f for f in found if getattr(f, capability))


def names(capability: str | None = None) -> tuple[str, ...]:
    """The names of :func:`formats`."""
    return tuple(f.name for f in formats(capability))


def get(name: str) -> Format:
    """The format called ``name``; an OptionError listing the known ones otherwise."""
    _load()
    if name not in _FORMATS:
        raise OptionError(f"unknown format {name!r}; use any of: {', '.join(_FORMATS)}")
    return _FORMATS[name]


def for_path(path: str | os.PathLike, among: tuple[str, ...] | None = None) -> Format:
    """The file format a path's suffix names (case-insensitive), among ``among`` if given."""
    _load()
    suffix = Path(path).suffix.lower()
    allowed = [f for f in _FORMATS.values() if f.suffix and (among is None or f.name in among)]
    for fmt in allowed:
        if fmt.suffix == suffix:
            return fmt
    raise OptionError(
        f"cannot tell the animation format from {Path(path).name!r}; end the file name in "
        + " or ".join(f.suffix for f in allowed)
    )


def _load() -> None:
    """Import every format module of this package once, which registers it."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module("vizgmm.animate.writers")
    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name not in _NOT_FORMATS):
        importlib.import_module(f"vizgmm.animate.writers.{module}")
    ranked = sorted(_FORMATS.values(), key=lambda f: f.rank)
    _FORMATS.clear()
    _FORMATS.update((f.name, f) for f in ranked)
