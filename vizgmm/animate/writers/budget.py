"""A size budget for the formats whose registry entry says one (GIF, WebP, WebM): encode, measure, lower, retry; never publish a file over it.

Blogging platforms cap uploads (Medium is reported to cap GIFs at 3 MB), so
``max_bytes=3_000_000`` (CLI ``--max-size 3MB``) makes the renderer lower
its settings one step at a time until the file fits, in this order:

1. **colours** (GIF and lossless WebP): the shared palette from 64 to 32,
   then 16; or **quality** (WebM and lossy WebP): to 5, 3, then 1 (lossy
   WebP of these frames was larger than lossless WebP with 16 colours, so
   a lossless WebP stays lossless);
2. **frame rate**: half the in-between frames (``tween``) per step down to
   none, each epoch still lasting as long (skipped when ``tween`` is 0:
   one frame per epoch is the least an animation of the fit can show);
3. **size**: the canvas to 3/4, then 1/2 of its width and height (the
   whole figure scales, text included).

Every try is encoded to a temporary file in the target's folder and
measured; only a file within the budget is renamed to the target, and
then each change is reported in one line (what changed, the size it gave). When
even the last step is over budget, nothing is written and an
:class:`~vizgmm.errors.OptionError` names the smallest size reached.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from vizgmm.animate.frames import timing as frames
from vizgmm.animate.options import DEFAULTS, QUALITY, RenderOptions
from vizgmm.animate.writers import registry
from vizgmm.animate.writers.registry import Format
from vizgmm.errors import OptionError
from vizgmm.files import ensure_folder

UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000 ** 2, "mb": 1000 ** 2, "g": 1000 ** 3, "gb": 1000 ** 3,
         "kib": 1024, "mib": 1024 ** 2, "gib": 1024 ** 3}
COLOR_STEPS = (32, 16)
QUALITY_STEPS = (5, 3, 1)
SCALE_STEPS = (0.75, 0.5)
MIN_SIDE = 64
# Where lowering the palette starts when ``colors`` is None: the option's default.
DEFAULT_COLORS = cast(int, DEFAULTS.colors)


def parse_size(value: int | float | str, name: str = "max_bytes") -> int:
    """Bytes from a count (3000000) or a text such as "3MB", "500 KB", "1.5M" or "2MiB" (MB = 1,000,000 bytes)."""
    if isinstance(value, bool):
        raise OptionError(f"{name} must be a size such as 3MB or 3000000 (bytes), got {value!r}")
    if isinstance(value, (int, float)):
        number, unit = float(value), ""
    else:
        match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*", str(value))
        if not match or match.group(2).lower() not in UNITS:
            raise OptionError(f"{name} must be a size such as 3MB, 500KB or 3000000 (bytes), got {value!r}")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * UNITS[unit])
    if not number > 0 or size < 1:
        raise OptionError(f"{name} must be more than 0 bytes, e.g. 3MB; got {value!r}")
    return size


def human(nbytes: int) -> str:
    """A byte count as people read it: 812 bytes, 45.3 kB, 2.95 MB (powers of 1000)."""
    for unit, scale in (("MB", 1000 ** 2), ("kB", 1000)):
        if nbytes >= scale:
            return f"{nbytes / scale:.3g} {unit}" if nbytes < 100 * scale else f"{nbytes / scale:.0f} {unit}"
    return f"{nbytes} bytes"


def ladder(kind: str | Format, options: RenderOptions) -> list[tuple[str, str, dict[str, Any]]]:
    """The lowering steps for format ``kind`` (a name or registry Format) from ``options``, in order.

    A list of (setting, new value, options to change). What a format may lower
    besides in-betweens and size is in its registry entry (``Format.budget``):
    a palette format lowers colours; a lossless palette WebP too; any other lowers quality.
    Where an option is None, its default (:mod:`vizgmm.animate.options`) is where lowering starts.
    """
    fmt = registry.get(kind) if isinstance(kind, str) else kind
    steps: list[tuple[str, str, dict[str, Any]]] = []
    paletted = fmt.palette or (options.lossless and options.colors is not None)
    if "colours" in fmt.budget and paletted:
        colours = options.colors or DEFAULT_COLORS
        steps += [("colours", str(c), {"colors": c}) for c in COLOR_STEPS if c < colours]
    elif "quality" in fmt.budget:
        quality = QUALITY if options.quality is None else float(options.quality)
        # An explicit CRF would override the lowered quality.
        reset = {"crf": None} if "crf" in fmt.options else {}
        steps += [("quality", str(q), {"quality": q, **reset}) for q in QUALITY_STEPS if q < quality]
    tween = options.tween or 0
    if tween:
        timing = frames.make_timing(tween, options.fps, options.duration_ms)
        epoch_ms = timing.frame_ms * (tween + 1)
        while tween:
            tween //= 2
            steps.append(("in-between frames", str(tween), {"tween": tween, "fps": None, "duration_ms": epoch_ms}))
    base = options.canvas
    w, h = base["size"]
    for scale in SCALE_STEPS:
        size = (max(MIN_SIDE, 2 * round(w * scale / 2)), max(MIN_SIDE, 2 * round(h * scale / 2)))
        if size != (w, h):
            # The dpi shrinks with the canvas, so the whole figure scales down (text too) instead of crowding.
            smaller = {**base, "size": size, "dpi": base["dpi"] * size[0] / w}
            steps.append(("size", f"{size[0]}×{size[1]}", {"preset": smaller, "size": None}))
    return steps


def _starting(options: RenderOptions, size_scale: float = 1.0) -> dict[str, str]:
    """The first encode's value of every setting the ladder may lower, as the notes print them."""
    values = {"in-between frames": str(options.tween or 0), "size": _size_text(options.canvas["size"], size_scale)}
    values["colours"] = str(options.colors or DEFAULT_COLORS)
    values["quality"] = str(QUALITY) if options.quality is None else f"{float(options.quality):g}"
    return values


def _size_text(size: tuple[int, int], scale: float) -> str:
    """A canvas (w, h) drawn at ``scale`` as the notes print it: "480×360" (a grid's panel, scaled as it scales them)."""
    w, h = size
    return f"{max(64, int(round(w * scale)))}×{max(64, int(round(h * scale)))}"


def encode_within(encode: Callable[[Path, RenderOptions], Any], path: str | os.PathLike, kind: str | Format,
                  options: RenderOptions, names: dict[str, str] | None = None, size_scale: float = 1.0) -> Path:
    """Run ``encode(temporary_path, options)`` until the file fits ``options.max_bytes``; returns the Path.

    Parameters
    ----------
    encode : callable
        Writes the animation to the path it is given, with the options it is given.
    path : str or Path
        The target; written only by renaming a try that fits.
    kind : str or Format
        A registered format with a size budget (``Format.budget``).
    options : RenderOptions
        The render options, with ``max_bytes`` (bytes or "3MB") and ``notes``
        (print each change on standard error).
    names : dict, optional
        A setting's name in the notes and the error, when the file's words differ
        (a grid lowers each panel's size: ``{"size": "panel size"}``).
    size_scale : float
        What the canvas is drawn at (a grid's ``scale``), so that the sizes printed are the drawn ones.
    """
    names = names or {}
    path = Path(path)
    if options.max_bytes is None:
        raise OptionError("encode_within needs a size budget (max_bytes)")
    budget = parse_size(options.max_bytes)
    current = options.replace(max_bytes=None)
    values = _starting(options, size_scale)
    changed: dict[str, str] = {}
    tries: list[tuple[int, str]] = []
    first: int | None = None
    notes: list[str] = []
    ensure_folder(path.parent if str(path.parent) else Path("."))
    with tempfile.TemporaryDirectory(prefix=f".{path.stem}.budget-", dir=path.parent if str(path.parent) else ".") as scratch:
        steps: list[tuple[str | None, str | None, dict[str, Any]]] = [(None, None, {}), *ladder(kind, options)]
        for step, (setting, value, change) in enumerate(steps):
            current = current.replace(**change)
            if setting == "size":
                value = _size_text(change["preset"]["size"], size_scale)
            if setting and value:
                note = f"{names.get(setting, setting)} {values[setting]} → {value}"
                values[setting] = value
                changed[names.get(setting, setting)] = value
            attempt = Path(scratch) / f"try{step}{path.suffix}"
            encode(attempt, current)
            size = attempt.stat().st_size
            tries.append((size, ", ".join(f"{k} {v}" for k, v in changed.items())))
            if first is None:
                first = size
            else:
                notes.append(f"vizgmm: note: {path.name} is {human(first)}, over the {human(budget)} budget; "
                             f"{note}: {human(size)}")
            if size <= budget:
                os.replace(attempt, path)
                # Printed once the file fits: a failure stays the one line of its error.
                if notes and options.notes:
                    print("\n".join(notes), file=sys.stderr, flush=True)
                return path
            attempt.unlink()
    smallest, how = min(tries, key=lambda t: t[0])
    raise OptionError(
        f"max_bytes {human(budget)} cannot be met for {path.name}: the smallest reached was {human(smallest)}"
        f"{' (' + how + ')' if how else ''}; raise the budget, or use fewer epochs or another format"
    )
