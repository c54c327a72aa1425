"""Frame writers: GIF, MP4 and PNG sequences behind the same three calls.

As in ``matplotlib.animation``, every format is one small class with
``setup`` / ``grab_frame`` / ``finish``, and ``saving()`` wraps them in a
context manager that finishes on success and removes the partial output on
any error. Frames arrive one by one as arrays of shape (h, w, 3) or
(h, w, 4) uint8, each with how long it is shown (ms). Adding a format is
one more :class:`FrameWriter` subclass.

Memory: the MP4 and PNG writers hold one frame at a time. The GIF writer
streams too: it maps each frame to one shared palette as it arrives (1 byte
per pixel), writes it as soon as the next frame differs, and keeps only the
previous frame to store just the changed rectangle; frames identical to the
previous one are not stored again but lengthen its delay.
"""

import contextlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
from PIL import GifImagePlugin, Image

from vizgmm.animate.writers.palette import (
    DEFAULT_GIF_COLORS,
    TRANSPARENT_INDEX,
    SharedPalette,
)
from vizgmm.errors import OptionError
from vizgmm.files import atomic_path, ensure_folder
from vizgmm.params import check
from vizgmm.processes import helper_preexec

GIF_MIN_DELAY_MS = 20
DEFAULT_QUALITY = 7
# H.264 in yuv420p needs even sides only: 1920×1080 stays 1920×1080 (no padded band).
MACRO_BLOCK = 2


class FrameWriter:
    """Base class: a sink that frames stream into.

    Subclasses implement :meth:`setup`, :meth:`grab_frame` and
    :meth:`finish`; :meth:`abort` cleans up after an error.
    """

    def __init__(self, path):
        self.path = Path(path)
        self._stack = None

    @contextlib.contextmanager
    def saving(self, size, frame_ms, **setup_options):
        """Context manager: ``setup`` on entry, ``finish`` on success, ``abort`` on error."""
        self._stack = contextlib.ExitStack()
        with self._stack:
            try:
                self.setup(size, frame_ms, **setup_options)
                yield self
                self.finish()
            except BaseException:
                # Before the stack unwinds: stop any encoder process while its
                # temp file still exists; the stack then deletes the temp file.
                self.abort()
                raise

    def setup(self, size, frame_ms, **options):
        """Prepare to receive frames of ``size`` (w, h), each nominally ``frame_ms`` long."""
        raise NotImplementedError

    def grab_frame(self, frame, duration_ms):
        """Add one frame, shape (h, w, 3|4) uint8, shown for ``duration_ms``."""
        raise NotImplementedError

    def finish(self):
        """Complete the output."""

    def abort(self):
        """Remove anything partial (the atomic temp files go with the ExitStack)."""

    def repeats(self, duration_ms):
        """How many copies a constant-frame-rate output needs for a frame shown ``duration_ms``."""
        return max(1, int(round(duration_ms / self.frame_ms)))


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
        if loop is not None and (isinstance(loop, bool) or not isinstance(loop, (int, np.integer)) or not 0 <= loop < 65536):
            raise OptionError(f"loop must be 0 (forever), a repeat count up to 65535, or None (once); got {loop!r}")
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


class Mp4Writer(FrameWriter):
    """H.264 MP4 (yuv420p, +faststart) streamed through imageio-ffmpeg's ffmpeg.

    Frames with an odd width or height are padded by one pixel with
    ``pad_color``, never scaled, so nothing is stretched; 1920×1080 stays
    exactly 1920×1080.

    Parameters
    ----------
    quality : int 1–10
        Higher is better and larger; mapped to x264's CRF as 38 − 2.6·quality
        (10 → CRF 12, visually lossless but never the lossless CRF 0 that many
        players refuse). Default 7 (CRF 20).
    crf : int 1–51, optional
        x264's constant rate factor, overriding ``quality``.
    """

    suffix = ".mp4"

    def __init__(self, path, quality=None, crf=None):
        super().__init__(path)
        self.crf = quality_to_crf(quality, crf)
        self.frames_written = 0

    def setup(self, size, frame_ms, pad_color=(255, 255, 255)):
        from fractions import Fraction

        from vizgmm.animate.writers.ffmpeg import EncoderPipe

        self.size = tuple(size)
        self.frame_ms = frame_ms
        w, h = self.size
        self.out_size = (-(-w // MACRO_BLOCK) * MACRO_BLOCK, -(-h // MACRO_BLOCK) * MACRO_BLOCK)
        self._offset = ((self.out_size[0] - w) // 2, (self.out_size[1] - h) // 2)
        self._canvas = np.empty((self.out_size[1], self.out_size[0], 3), np.uint8)
        self._canvas[:] = np.asarray(pad_color[:3], dtype=np.uint8)
        self._tmp = self._stack.enter_context(atomic_path(self.path, suffix=".mp4"))
        fps = Fraction(1000) / Fraction(frame_ms).limit_denominator(1000)
        self._gen = EncoderPipe(
            self._tmp, self.out_size, fps,
            # x264's veryfast preset: on these flat, mostly still frames it made
            # files no larger than "medium" (and "-tune animation" larger) in half the time.
            ["-crf", str(self.crf), "-preset", "veryfast", "-profile:v", "high", "-movflags", "+faststart"],
            name=self.path.name,
        )

    def grab_frame(self, frame, duration_ms):
        x, y = self._offset
        w, h = self.size
        self._canvas[y:y + h, x:x + w] = frame[..., :3]
        data = self._canvas.tobytes()
        for _ in range(self.repeats(duration_ms)):
            self._gen.write(data)
            self.frames_written += 1

    def finish(self):
        from vizgmm.animate.writers.ffmpeg import verify_mp4

        pipe, self._gen = self._gen, None
        pipe.close()
        # Only a complete file may replace the earlier one: ffmpeg's exit status alone
        # missed a full disk while it rewrote the file for +faststart.
        verify_mp4(self._tmp, self.frames_written, self.path.name)

    def abort(self):
        pipe = getattr(self, "_gen", None)
        if pipe is not None:
            self._gen = None
            pipe.kill()


class PngWriter(FrameWriter):
    """A numbered PNG sequence in a folder: frame_00000.png, frame_00001.png, …

    A frame shown for several frame times (the first and last holds) is
    written as that many numbered files, so the sequence plays at a constant
    rate. Each file is written atomically; leftover ``frame_NNNNN.png`` files
    of an earlier, longer run are removed at the end so the folder holds
    exactly this sequence.

    Parameters
    ----------
    transparent : bool
        Keep the alpha channel (RGBA files).
    """

    suffix = ""
    PATTERN = "frame_{:05d}.png"
    NAME_RE = re.compile(r"^frame_(\d{5,})\.png$")
    # Files named by epoch (render_frames): epoch_003.png, epoch_003_t2.png, epoch_003e.png (half steps).
    EPOCH_RE = re.compile(r"^epoch_\d{3,}[em]?(_t\d+)?\.png$")

    def __init__(self, folder, transparent=False, threads=True):
        super().__init__(folder)
        self.transparent = bool(transparent)
        self.threads = bool(threads)
        self.paths = []

    def setup(self, size, frame_ms, **_):
        from concurrent.futures import ThreadPoolExecutor

        self.size = tuple(size)
        self.frame_ms = frame_ms
        ensure_folder(self.path)
        # zlib runs without the GIL, so PNG compression in a second thread
        # overlaps the drawing of the next frame; two files in flight at most.
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="vizgmm-png") if self.threads else None
        self._inflight = []

    def grab_frame(self, frame, duration_ms, name=None):
        """Add a frame; with ``name`` it is written once under that file name, whatever its duration."""
        mode = "RGBA" if self.transparent else "RGB"
        pixels = np.array(frame if self.transparent else frame[..., :3])  # the caller reuses its buffer
        targets = []
        if name is not None:
            targets.append(self.path / name)
            self.paths.append(targets[-1])
        for _ in range(0 if name is not None else self.repeats(duration_ms)):
            targets.append(self.path / self.PATTERN.format(len(self.paths)))
            self.paths.append(targets[-1])
        if self._pool is None:
            _write_png(pixels, mode, targets)
            return
        while len(self._inflight) >= 2:
            self._inflight.pop(0).result()
        self._inflight.append(self._pool.submit(_write_png, pixels, mode, targets))

    def finish(self):
        self._drain()
        written = {path.name for path in self.paths}
        for old in self.path.iterdir():
            if (self.NAME_RE.match(old.name) or self.EPOCH_RE.match(old.name)) and old.name not in written:
                with contextlib.suppress(OSError):
                    old.unlink()

    def abort(self):
        with contextlib.suppress(Exception):
            self._drain()

    def _drain(self):
        try:
            for job in self._inflight:
                job.result()
        finally:
            self._inflight = []
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None


def _write_png(pixels, mode, targets):
    """Encode once, write every numbered copy atomically."""
    import io

    buffer = io.BytesIO()
    Image.fromarray(pixels, mode=mode).save(buffer, format="PNG", compress_level=4)
    data = buffer.getvalue()
    for target in targets:
        with atomic_path(target, suffix=".png") as tmp:
            tmp.write_bytes(data)




def quality_to_crf(quality=None, crf=None):
    """x264 CRF from quality 1–10 (higher is better) or an explicit CRF 1–51."""
    if crf is not None:
        return check("crf", crf)
    quality = DEFAULT_QUALITY if quality is None else float(check("quality", quality))
    return int(round(38 - 2.6 * quality))


def _u16(value):
    return int(value).to_bytes(2, "little")
