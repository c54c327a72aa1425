"""Animated GIF: one shared palette, no dithering, delta frames, optional gifsicle.

Memory: frames stream. Each is mapped to the shared palette as it arrives
(1 byte per pixel), written as soon as the next frame differs, and only the
previous frame is kept to store just the changed rectangle; frames identical
to the previous one are not stored again but lengthen its delay.
"""

import contextlib
import os
import shutil
import subprocess

import numpy as np
from PIL import GifImagePlugin, Image

from vizgmm.animate.writers.base import FrameWriter
from vizgmm.animate.writers.palette import DEFAULT_GIF_COLORS, TRANSPARENT_INDEX, SharedPalette
from vizgmm.animate.writers.registry import Format, register
from vizgmm.errors import OptionError
from vizgmm.files import atomic_path
from vizgmm.params import check
from vizgmm.processes import helper_preexec

GIF_MIN_DELAY_MS = 20


class GifWriter(FrameWriter):
    """An animated GIF with one shared palette, no dithering, delta frames.

    Parameters
    ----------
    path : path
    loop : int or None
        0 loops forever (default); n plays n + 1 times; None plays once.
    gifsicle : bool or "auto"
        Run ``gifsicle -O3`` over the result when the program is installed
        ("auto") or insist on it (True); the smaller file is kept.
    """

    suffix = ".gif"

    def __init__(self, path, loop=0, gifsicle="auto", colors=DEFAULT_GIF_COLORS):
        super().__init__(path)
        if loop is not None:
            loop = check("loop", loop)  # None: play once
        self.loop = loop
        if gifsicle not in ("auto", True, False):
            raise OptionError(f"gifsicle must be 'auto', True or False, got {gifsicle!r}")
        self.gifsicle = shutil.which("gifsicle") if gifsicle else None
        if gifsicle is True and not self.gifsicle:
            raise OptionError("gifsicle=True but the gifsicle program is not installed; install it or use gifsicle='auto'")
        self.colors = check("colors", colors)
        self.delays = []
        self.stored_frames = 0
        self._carry_ms = 0.0

    def setup(self, size, frame_ms, palette_frames=(), exact_colors=()):
        """``palette_frames``: a few frames (h, w, 3|4) that show every colour the animation uses.

        ``exact_colors``: (r, g, b) 0-255 colours known before drawing (components,
        theme, their blends) that get palette entries of their own, so that a
        colour covering few pixels never turns into its neighbour's.
        """
        self.size = tuple(size)
        self.frame_ms = frame_ms
        if not len(palette_frames):
            raise OptionError("the GIF writer needs at least one frame to build its palette from")
        self._shared = SharedPalette(palette_frames, self.colors, exact_colors)
        self.colors = self._shared.colors
        self.palette = self._shared.image
        self._tmp = self._stack.enter_context(atomic_path(self.path, suffix=".gif"))
        self._file = self._stack.enter_context(open(self._tmp, "wb"))
        self._file.write(self._header())
        self._previous = None  # last written frame's palette indices (h, w)
        self._pending = None  # (indices, delay_ms) not yet written: the next frame may repeat it

    def _header(self):
        w, h = self.size
        palette = self.palette.getpalette()[: 3 * self.colors]
        palette += [0] * (3 * 256 - len(palette))
        out = b"GIF89a" + _u16(w) + _u16(h) + bytes([0xF7, 0, 0]) + bytes(palette)
        if self.loop is not None:
            out += b"!\xff\x0bNETSCAPE2.0\x03\x01" + _u16(self.loop) + b"\x00"
        return out

    def quantize(self, frame):
        """Palette indices of a frame (h, w, 3|4) uint8, shape (h, w) uint8 (see :class:`SharedPalette`)."""
        return self._shared.quantize(frame)

    def grab_frame(self, frame, duration_ms):
        self.grab_indices(self.quantize(frame), duration_ms)

    def grab_indices(self, indices, duration_ms):
        """Add a frame already mapped to the palette, shape (h, w) uint8."""
        if self._pending is not None and np.array_equal(indices, self._pending[0]):
            self._pending = (self._pending[0], self._pending[1] + duration_ms)
            return
        self._flush()
        self._pending = (indices, duration_ms)

    def _flush(self):
        if self._pending is None:
            return
        indices, duration = self._pending
        # GIF stores centiseconds: carry each rounding error into the next
        # delay, so 30 fps (33.3 ms) plays as 30, 30, 40, ... and the whole
        # animation lasts what was asked, not 10 % less.
        delay = max(GIF_MIN_DELAY_MS, int(round((duration + self._carry_ms) / 10.0)) * 10)
        self._carry_ms += duration - delay
        if self._previous is None:
            box = (0, 0, indices.shape[1], indices.shape[0])
        else:
            changed = indices != self._previous
            rows = np.flatnonzero(changed.any(axis=1))
            cols = np.flatnonzero(changed.any(axis=0))
            box = (cols[0], rows[0], cols[-1] + 1, rows[-1] + 1)
        x0, y0, x1, y1 = (int(v) for v in box)
        part = indices[y0:y1, x0:x1]
        extra = {}
        if self._previous is not None:
            part = np.where(changed[y0:y1, x0:x1], part, np.uint8(TRANSPARENT_INDEX))
            extra["transparency"] = TRANSPARENT_INDEX
        image = Image.fromarray(np.ascontiguousarray(part, dtype=np.uint8), mode="P")
        # Disposal 1 keeps the previous frame underneath: only changed pixels are stored.
        for chunk in GifImagePlugin.getdata(image, offset=(x0, y0), duration=delay, disposal=1, **extra):
            self._file.write(chunk)
        self.delays.append(delay)
        self.stored_frames += 1
        self._previous = indices
        self._pending = None

    def finish(self):
        self._flush()
        self._file.write(b";")
        self._file.close()
        if self.gifsicle:
            self._squeeze()

    def _squeeze(self):
        smaller = self._tmp.with_name(self._tmp.name + ".o.gif")
        try:
            done = subprocess.run(
                [self.gifsicle, "-O3", "--no-warnings", str(self._tmp), "-o", str(smaller)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, check=False,
                preexec_fn=helper_preexec(),  # killed with vizgmm, not left writing
            )
            if done.returncode == 0 and 0 < smaller.stat().st_size < self._tmp.stat().st_size:
                os.replace(smaller, self._tmp)
        except (OSError, subprocess.TimeoutExpired):
            pass  # the unsqueezed GIF is a good GIF
        finally:
            with contextlib.suppress(OSError):
                smaller.unlink()



def _u16(value):
    return int(value).to_bytes(2, "little")


register(Format(
    name="gif", suffix=".gif", title="GIF", mime="image/gif", writer=GifWriter, rank=0,
    options=("loop", "gifsicle", "colors", "max_bytes", "notes"),
    make=lambda path, o: GifWriter(path, loop=o.loop, gifsicle=o.gifsicle, colors=o.colors),
    palette=True, loops=True, budget=("colours",), grid=True, parallel=True,
    why_opaque="GIF frames are opaque",
))
