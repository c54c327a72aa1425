"""Frame writers for the web: WebM (VP9) and animated WebP, streamed through ffmpeg.

Both are :class:`~vizgmm.animate.writers.encoders.FrameWriter` subclasses beside the
GIF, MP4 and PNG writers. They pipe raw RGB frames into the ffmpeg that
imageio-ffmpeg bundles (which has libvpx-vp9 and libwebp), so nothing new
is installed and memory does not grow with the number of frames: this
process holds one frame, ffmpeg holds the encoder's state (for WebP the
compressed frames, a few kilobytes each, until it writes the file).

Why not Pillow for WebP: ``Image.save(save_all=True)`` needs every frame
as an image at once, so its memory grows with the animation.

Why our own pipe rather than ``imageio_ffmpeg.write_frames``: that writer
does not report ffmpeg's failure when it is closed. Here ``finish`` checks
ffmpeg's exit status, then probes the written file (ffmpeg must decode its
first frame with the expected codec) before the file is renamed into place.

Both formats have a constant frame rate, as MP4: a frame shown for several
frame times (the first and last holds) is sent that many times. VP9 codes a
repeated frame in a few bytes; libwebp's animation encoder merges identical
consecutive frames into one with the summed duration.
"""

import contextlib
import re
import subprocess
import tempfile
from fractions import Fraction

import numpy as np

from vizgmm.animate.writers.encoders import DEFAULT_QUALITY, FrameWriter
from vizgmm.animate.writers.palette import DEFAULT_GIF_COLORS, PALETTE_COLORS, SharedPalette
from vizgmm.errors import OptionError, OutputError
from vizgmm.files import atomic_path
from vizgmm.params import check

FFMPEG_TIMEOUT_S = 600
LOSSLESS_EFFORT = 30


def vp9_crf(quality=None, crf=None):
    """VP9 CRF (0–63, lower is better) from quality 1–10 (higher is better) or an explicit CRF 4–63.

    ``63 − 4.5·quality``: 7 (the default) gives CRF 31, what Google suggests
    for 1080p; 10 gives 18.
    """
    if crf is not None:
        if isinstance(crf, bool) or not isinstance(crf, (int, np.integer)) or not 4 <= crf <= 63:
            raise OptionError(f"crf for WebM must be a whole number from 4 (best) to 63, got {crf!r}")
        return int(crf)
    return int(round(63 - 4.5 * _quality(quality)))


def webp_quality(quality=None):
    """libwebp's quality 0–100 from vizgmm's quality 1–10: ten times it (default 7 → 70)."""
    return int(round(10 * _quality(quality)))


def _quality(quality):
    """vizgmm's quality 1–10 (checked once, in vizgmm.params), default 7."""
    return DEFAULT_QUALITY if quality is None else float(check("quality", quality))


class FfmpegPipeWriter(FrameWriter):
    """Raw RGB frames into an ffmpeg process; exit status and a probe checked before the rename.

    Subclasses set ``suffix``, ``codecs`` (what the probe may find),
    ``even`` (pad sides to even numbers: yuv420p needs them) and
    :meth:`codec_args`.
    """

    suffix = ""
    codecs = ()
    even = False

    def __init__(self, path):
        super().__init__(path)
        self.frames_written = 0
        self._proc = None

    def codec_args(self):
        raise NotImplementedError

    def setup(self, size, frame_ms, pad_color=(255, 255, 255)):
        import imageio_ffmpeg

        self.size = tuple(size)
        self.frame_ms = frame_ms
        w, h = self.size
        self.out_size = (w + w % 2, h + h % 2) if self.even else (w, h)
        self._offset = ((self.out_size[0] - w) // 2, (self.out_size[1] - h) // 2)
        self._canvas = np.empty((self.out_size[1], self.out_size[0], 3), np.uint8)
        self._canvas[:] = np.asarray(pad_color[:3], dtype=np.uint8)
        self._tmp = self._stack.enter_context(atomic_path(self.path, suffix=self.suffix))
        # ffmpeg's messages go to a file, not a pipe nobody reads while frames flow (it could fill and block).
        self._log = self._stack.enter_context(tempfile.TemporaryFile())
        fps = Fraction(1000) / Fraction(frame_ms).limit_denominator(1000)
        command = [
            imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{self.out_size[0]}x{self.out_size[1]}",
            "-framerate", f"{fps.numerator}/{fps.denominator}", "-i", "pipe:0", "-an",
            *self.codec_args(), str(self._tmp),
        ]
        try:
            self._proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._log)
        except OSError as exc:
            raise OutputError(f"cannot start ffmpeg to write {self.path}: {exc.strerror or exc}; reinstall imageio-ffmpeg") from None

    def grab_frame(self, frame, duration_ms):
        x, y = self._offset
        w, h = self.size
        self._canvas[y:y + h, x:x + w] = frame[..., :3]
        data = self._canvas.tobytes()
        try:
            for _ in range(self.repeats(duration_ms)):
                self._proc.stdin.write(data)
                self.frames_written += 1
        except (BrokenPipeError, OSError):
            self._fail("stopped reading frames")

    def finish(self):
        proc, self._proc = self._proc, None
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            status = proc.wait(timeout=FFMPEG_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise OutputError(f"ffmpeg took over {FFMPEG_TIMEOUT_S} s to finish {self.path}; try a smaller preset") from None
        if status != 0:
            self._fail(f"exited with status {status}")
        found = probe_codec(self._tmp)
        if found not in self.codecs:
            raise OutputError(
                f"ffmpeg wrote {self.path} but it does not decode as {self.codecs[0]} ({found or 'unreadable'}); "
                "check the disk space and path"
            )

    def abort(self):
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.kill()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            with contextlib.suppress(OSError):
                proc.stdin.close()

    def _fail(self, what):
        self._log.seek(0)
        lines = [line for line in self._log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        detail = f": {lines[-1].strip()}" if lines else ""
        raise OutputError(f"ffmpeg {what} while writing {self.path}{detail}; check the disk space and path")


class WebmWriter(FfmpegPipeWriter):
    """VP9 WebM (yuv420p, constant quality), which Chromium, Firefox and Safari 14.1+ play.

    Odd widths or heights are padded by one pixel with ``pad_color``
    (yuv420p needs even sides), never scaled.

    Parameters
    ----------
    quality : float 1–10
        Higher is better and larger; VP9 CRF ``63 − 4.5·quality`` (default 7 → CRF 31).
    crf : int 4–63, optional
        libvpx-vp9's CRF, overriding ``quality``.
    """

    suffix = ".webm"
    codecs = ("vp9",)
    even = True

    def __init__(self, path, quality=None, crf=None):
        super().__init__(path)
        self.crf = vp9_crf(quality, crf)

    def codec_args(self):
        # -b:v 0 with -crf is VP9's constant-quality mode. Chart frames are a still picture with a few
        # moving curves, so the bits go to the first frame and the changes: alternate reference frames
        # (look-ahead 25) code the changes better, with ARNR's temporal filter off (it blends frames,
        # a ghost of the last epoch's curve), and one tile column (tiles split the picture's context).
        # On the walk-through demo: 11 % smaller than cpu-used 4 with row threads, frames as close; cpu-used 1
        # saves 2 % more at twice the encode time.
        return ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", str(self.crf),
                "-deadline", "good", "-cpu-used", "2", "-auto-alt-ref", "1", "-lag-in-frames", "25",
                "-arnr-strength", "0", "-tile-columns", "0", "-f", "webm"]


class WebpWriter(FfmpegPipeWriter):
    """Animated WebP through libwebp's animation encoder; loops forever by default.

    By default the frames are mapped to one shared palette of ``colors``
    entries, exactly as the GIF's, and stored losslessly: the same pixels as
    the GIF in about 0.7 of its bytes (libwebp's lossless mode codes
    palette images well). ``lossless=False`` stores full-colour frames
    lossily instead, smaller again at low ``quality`` but with soft edges.

    Parameters
    ----------
    lossless : bool
        Exact pixels (default True).
    quality : float 1–10
        Lossy: libwebp quality ``10·quality`` (default 7 → 70). Lossless: the
        effort spent on compression, ``10·quality`` (default 30: more was
        slower without being smaller on these frames).
    colors : int 2–255 or None
        Lossless only: the shared palette's size (default 64, as the GIF);
        None keeps every colour (larger).
    loop : int
        0 loops forever (default); n plays n times.
    """

    suffix = ".webp"
    # ffmpeg 7.1+ decodes animated WebP as "webp_anim"; older ones name the stream "webp".
    codecs = ("webp_anim", "webp")

    def __init__(self, path, lossless=True, quality=None, colors=DEFAULT_GIF_COLORS, loop=0):
        super().__init__(path)
        if lossless not in (True, False):
            raise OptionError(f"lossless must be True or False, got {lossless!r}")
        if isinstance(loop, bool) or not isinstance(loop, (int, np.integer)) or not 0 <= loop < 65536:
            raise OptionError(f"loop for WebP must be 0 (forever) or a play count up to 65535, got {loop!r}")
        if colors is not None and (
            isinstance(colors, bool) or not isinstance(colors, (int, np.integer)) or not 2 <= colors <= PALETTE_COLORS
        ):
            raise OptionError(f"colors must be a whole number from 2 to {PALETTE_COLORS}, or None for every colour; got {colors!r}")
        self.lossless = lossless
        # Lossless, quality is effort: on the demo 30 gave the bytes of 70 (within 0.5 %) in 40 % of the time.
        self.quality = LOSSLESS_EFFORT if lossless and quality is None else webp_quality(quality)
        self.colors = None if colors is None or not lossless else int(colors)
        self.loop = int(loop)
        self._mapper = None

    def setup(self, size, frame_ms, pad_color=(255, 255, 255), palette_frames=(), exact_colors=()):
        """``palette_frames``: a few frames that show every colour (needed when ``colors`` is set).

        ``exact_colors``: colours known before drawing that keep entries of their own (as in the GIF).
        """
        if self.colors is not None:
            if not len(palette_frames):
                raise OptionError("the WebP writer needs at least one frame to build its palette from")
            self._mapper = SharedPalette(palette_frames, self.colors, exact_colors)
        super().setup(size, frame_ms, pad_color=pad_color)

    def grab_frame(self, frame, duration_ms):
        if self._mapper is not None:
            frame = self._mapper.colours(frame)
        super().grab_frame(frame, duration_ms)

    def codec_args(self):
        # bgra in: libwebp does its own RGB → YUV conversion for lossy frames.
        # (No -preset: ffmpeg then takes lossless and quality from the preset, not from us.)
        return ["-c:v", "libwebp_anim", "-pix_fmt", "bgra", "-lossless", str(int(self.lossless)),
                "-quality", str(self.quality), "-compression_level", "4", "-loop", str(self.loop), "-f", "webp"]


def probe_codec(path):
    """The codec of the first video stream if ffmpeg decodes its first frame, else None."""
    import imageio_ffmpeg

    try:
        done = subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path), "-map", "0:v:0",
             "-frames:v", "1", "-f", "null", "-"],
            capture_output=True, text=True, errors="replace", timeout=120, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"Stream #0:\d+.*?: Video: (\w+)", done.stderr)
    if done.returncode != 0 or match is None:
        return None
    return match.group(1)


WEB_WRITERS = {"webm": WebmWriter, "webp": WebpWriter}
