"""The bundled ffmpeg (imageio-ffmpeg's binary): an encoder pipe whose failure is seen, and MP4 probes.

imageio-ffmpeg's own writer does not report ffmpeg's exit status, so a full
disk left a corrupt MP4 that was renamed over a good one. Here ffmpeg is
started directly (with the same command line imageio-ffmpeg builds), its
status is checked, and the finished file is probed — its top-level boxes
tile the file and include the ``moov`` index, and ffmpeg counts the expected
number of frames in it — before it may replace anything.
"""

import contextlib
import re
import struct
import subprocess
import tempfile
from pathlib import Path

from vizgmm.errors import OptionError, OutputError
from vizgmm.processes import helper_preexec


def ffmpeg_exe():
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


class EncoderPipe:
    """ffmpeg reading raw RGB frames on its stdin and writing ``path``; it dies with this process."""

    def __init__(self, path, size, fps, output_params, name=None):
        w, h = size
        self.path = Path(path)
        self.name = name or self.path.name  # the published file's name, for messages
        cmd = [
            ffmpeg_exe(), "-y", "-f", "rawvideo", "-vcodec", "rawvideo", "-s", f"{w}x{h}",
            "-pix_fmt", "rgb24", "-r", str(fps), "-i", "-", "-an", "-vcodec", "libx264", "-pix_fmt", "yuv420p",
            # Errors only, into a file we read on failure: our stderr stays one line.
            "-v", "error", *output_params, str(self.path),
        ]
        self._log = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log,
                # Its own session: Ctrl-C in the terminal reaches only vizgmm, which stops it.
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
        status = self._process.wait()
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
        self._process.wait()
        self._log.close()


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
