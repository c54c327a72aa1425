"""The writer interface every output format implements, as in ``matplotlib.animation``.

A writer is a sink that frames stream into: ``setup`` / ``grab_frame`` /
``finish``, wrapped by ``saving()`` in a context manager that finishes on
success and removes the partial output on any error. Frames arrive one by one
as arrays of shape (h, w, 3) or (h, w, 4) uint8, each with how long it is
shown (ms). A format is one module in this package that subclasses
:class:`FrameWriter` and registers itself (:mod:`vizgmm.animate.writers.registry`).
"""

import contextlib
from pathlib import Path

from vizgmm.animate.frames.timing import frame_repeats
from vizgmm.animate.options import QUALITY
from vizgmm.params import check

#: vizgmm's quality scale 1–10 (higher is better) when none is given; each codec maps it to its own.
DEFAULT_QUALITY = QUALITY


def quality_value(quality):
    """vizgmm's quality 1–10 (checked once, in vizgmm.params), default 7."""
    return DEFAULT_QUALITY if quality is None else float(check("quality", quality))


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
        return frame_repeats(duration_ms, self.frame_ms)

