"""The bundled ffmpeg (imageio-ffmpeg's binary): the one encoder pipe of MP4, WebM and WebP, and probes.

imageio-ffmpeg's own writer does not report ffmpeg's exit status, so a full
disk left a corrupt MP4 that was renamed over a good one. Here ffmpeg is
started directly, its status is checked, and each format's writer probes the
finished file (an MP4's top-level boxes tile the file and include the
``moov`` index and ffmpeg counts the expected frames; a WebM or WebP decodes
with its codec) before it may replace anything. Nothing new is installed and
memory does not grow with the number of frames: this process holds one
frame, ffmpeg holds the encoder's state.
"""

import contextlib
import re
import struct
import subprocess
import tempfile
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from vizgmm.animate.writers.base import FrameWriter
from vizgmm.errors import OptionError, OutputError
from vizgmm.files import atomic_path
from vizgmm.processes import helper_preexec

FFMPEG_TIMEOUT_S = 600


def ffmpeg_exe():
    """The ffmpeg that imageio-ffmpeg bundles (it has libx264, libvpx-vp9, libwebp and AV1)."""
    return imageio_ffmpeg.get_ffmpeg_exe()


class EncoderPipe:
    """ffmpeg reading raw RGB frames of ``size`` on its stdin and writing ``path`` with ``codec_args``.

    The one pipe of every ffmpeg format: it runs in its own session (Ctrl-C in
    the terminal reaches only vizgmm, which stops it) and dies with this
    process (:func:`vizgmm.processes.helper_preexec`); its messages go to a
    file, not a pipe nobody reads while frames flow; :meth:`close` checks its
    exit status.
    """

    def __init__(self, path, size, fps, codec_args, name=None):
        w, h = size
        self.path = Path(path)
        self.name = name or self.path.name  # the published file's name, for messages
        fps = Fraction(fps)
        cmd = [
            ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
            "-framerate", f"{fps.numerator}/{fps.denominator}", "-i", "pipe:0", "-an",
            *codec_args, str(self.path),
        ]
        self._log = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log,
                preexec_fn=helper_preexec(), start_new_session=True,
            )
        except OSError as exc:
            self._log.close()
            raise OutputError(f"cannot start ffmpeg ({exc.strerror}); reinstall imageio-ffmpeg") from None

    def write(self, data):
        try:
            self._process.stdin.write(data)
        except (BrokenPipeError, OSError):
            self.close()  # raises with ffmpeg's reason
            raise OutputError(f"ffmpeg stopped while writing {self.name}; check the disk space and path") from None

    def close(self):
        """Wait for ffmpeg to finish; OutputError with its last error line if it failed."""
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        try:
            status = self._process.wait(timeout=FFMPEG_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            raise OutputError(f"ffmpeg took over {FFMPEG_TIMEOUT_S} s to finish {self.name}; try a smaller preset") from None
        self._log.seek(0)
        lines = [line for line in self._log.read().decode(errors="replace").splitlines() if line.strip()]
        self._log.close()
        if status != 0:
            reason = _short(lines[-1]) if lines else f"exit status {status}"
            raise OutputError(f"ffmpeg could not write {self.name}: {reason}; check the disk space and path")

    def kill(self):
        """Stop ffmpeg at once (the output is deleted anyway)."""
        with contextlib.suppress(OSError):
            self._process.kill()
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self._process.wait(timeout=10)
        self._log.close()


class PaddedCanvas:
    """A frame of ``size`` centred on a canvas whose sides are rounded up to ``multiple`` with ``pad_color``.

    yuv420p (H.264, VP9) needs even sides: an odd side gets one pixel of the
    background colour, never a scaled picture.
    """

    def __init__(self, size, multiple=1, pad_color=(255, 255, 255)):
        w, h = size
        self.size = (w, h)
        self.out_size = (-(-w // multiple) * multiple, -(-h // multiple) * multiple)
        self._offset = ((self.out_size[0] - w) // 2, (self.out_size[1] - h) // 2)
        self._canvas = np.empty((self.out_size[1], self.out_size[0], 3), np.uint8)
        self._canvas[:] = np.asarray(pad_color[:3], dtype=np.uint8)

    def bytes(self, frame):
        """The canvas with ``frame`` (h, w, 3|4) in place, as raw RGB bytes."""
        x, y = self._offset
        w, h = self.size
        self._canvas[y:y + h, x:x + w] = frame[..., :3]
        return self._canvas.tobytes()


class FfmpegWriter(FrameWriter):
    """A format ffmpeg encodes from raw RGB frames: one pipe, a padded canvas, a probe before the rename.

    Subclasses set ``suffix``, ``multiple`` (2 for yuv420p's even sides) and
    implement :meth:`codec_args` and :meth:`verify` (which raises an
    OutputError unless the finished temporary file is complete). A constant
    frame rate: a frame shown for several frame times (the holds) is sent
    that many times.
    """

    suffix = ""
    multiple = 1

    def __init__(self, path):
        super().__init__(path)
        self.frames_written = 0
        self._pipe = None

    def codec_args(self):
        raise NotImplementedError

    def verify(self, path):
        raise NotImplementedError

    def setup(self, size, frame_ms, pad_color=(255, 255, 255)):
        self.size = tuple(size)
        self.frame_ms = frame_ms
        self._canvas = PaddedCanvas(self.size, self.multiple, pad_color)
        self.out_size = self._canvas.out_size
        self._tmp = self._stack.enter_context(atomic_path(self.path, suffix=self.suffix))
        fps = Fraction(1000) / Fraction(frame_ms).limit_denominator(1000)
        self._pipe = EncoderPipe(self._tmp, self.out_size, fps, self.codec_args(), name=self.path.name)

    def grab_frame(self, frame, duration_ms):
        data = self._canvas.bytes(frame)
        for _ in range(self.repeats(duration_ms)):
            self._pipe.write(data)
            self.frames_written += 1

    def finish(self):
        pipe, self._pipe = self._pipe, None
        pipe.close()
        # Only a complete file may replace the earlier one: ffmpeg's exit status alone
        # missed a full disk while it rewrote an MP4 for +faststart.
        self.verify(self._tmp)

    def abort(self):
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            pipe.kill()


def mp4_boxes(path):
    """Top-level MP4 box types in order, or None when the boxes do not tile the file exactly."""
    path = Path(path)
    size = path.stat().st_size
    types = []
    with open(path, "rb") as handle:
        offset = 0
        while offset < size:
            header = handle.read(8)
            if len(header) < 8:
                return None
            length, kind = struct.unpack(">I4s", header)
            if length == 1:
                extended = handle.read(8)
                if len(extended) < 8:
                    return None
                length = struct.unpack(">Q", extended)[0]
            elif length == 0:
                length = size - offset
            if length < 8 or offset + length > size:
                return None
            types.append(kind.decode("latin-1"))
            offset += length
            handle.seek(offset)
    return types


def verify_mp4(path, frames, name):
    """Check a finished MP4 before it is published: its index (moov) is there and it holds ``frames`` frames."""
    boxes = mp4_boxes(path)
    if not boxes or "moov" not in boxes or "mdat" not in boxes:
        raise OutputError(f"ffmpeg wrote an incomplete {name} (no index); check the disk space and path")
    counted = count_frames(path)
    if counted != frames:
        raise OutputError(f"ffmpeg wrote {counted} of {frames} frames to {name}; check the disk space and path")


def count_frames(path):
    """Frames in a video file, counted by ffmpeg without decoding (as imageio-ffmpeg's
    ``count_frames_and_secs`` does, but dying with this process); None when ffmpeg cannot read it."""
    cmd = [ffmpeg_exe(), "-nostdin", "-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "null", "-"]
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=600, check=False, preexec_fn=helper_preexec())
    except (OSError, subprocess.TimeoutExpired):
        return None
    counts = re.findall(rb"frame=\s*(\d+)", done.stderr)
    return int(counts[-1]) if done.returncode == 0 and counts else None


def probe_codec(path):
    """The codec of the first video stream if ffmpeg decodes its first frame, else None."""
    try:
        done = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-i", str(path), "-map", "0:v:0",
             "-frames:v", "1", "-f", "null", "-"],
            capture_output=True, text=True, errors="replace", timeout=120, check=False,
            preexec_fn=helper_preexec(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"Stream #0:\d+.*?: Video: (\w+)", done.stderr)
    if done.returncode != 0 or match is None:
        return None
    return match.group(1)


def verify_codec(path, codecs, name):
    """Check a finished video before it is published: ffmpeg decodes its first frame as one of ``codecs``."""
    found = probe_codec(path)
    if found not in codecs:
        raise OutputError(
            f"ffmpeg wrote {name} but it does not decode as {codecs[0]} ({found or 'unreadable'}); "
            "check the disk space and path"
        )


def video_size(path, option="mp4_path"):
    """(width, height) of a video file from its header (imageio's ffmpeg plugin); a one-line OptionError when unreadable."""
    import imageio.v3 as iio

    try:
        width, height = iio.immeta(path, plugin="FFMPEG")["size"]
    except (RuntimeError, OSError, StopIteration, KeyError, ValueError, TypeError):
        raise OptionError(f"{option} {path} is not a readable video; render it again or leave {option} out") from None
    return int(width), int(height)


def _short(line, limit=200):
    # "[out#0/mp4 @ 0x55816b599740] Error closing file: ..." -> "Error closing file: ..."
    line = " ".join(re.sub(r"\[[^\]]*@ 0x[0-9a-fA-F]+\]", " ", line).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
