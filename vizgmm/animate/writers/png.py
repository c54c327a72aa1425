"""PNG frames: a numbered sequence (or files named by epoch) in a folder, compressed in a second thread."""

import contextlib
import io
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from vizgmm.animate.writers.base import FrameWriter
from vizgmm.animate.writers.registry import Format, register
from vizgmm.files import atomic_path, ensure_folder


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
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode=mode).save(buffer, format="PNG", compress_level=4)
    data = buffer.getvalue()
    for target in targets:
        with atomic_path(target, suffix=".png") as tmp:
            tmp.write_bytes(data)





register(Format(
    name="png", suffix="", title="PNG frames", mime="image/png", writer=PngWriter, rank=4, folder=True,
    make=lambda path, o: PngWriter(path, transparent=o.transparent),
    alpha=True, named_frames=True,
))
