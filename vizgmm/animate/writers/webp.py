"""Animated WebP through libwebp's animation encoder, by default lossless over the GIF's shared palette.

Why not Pillow: ``Image.save(save_all=True)`` needs every frame as an image
at once, so its memory grows with the animation. libwebp's animation encoder
merges identical consecutive frames into one with the summed duration.
"""

import numpy as np

from vizgmm.animate.writers.base import quality_value
from vizgmm.animate.writers.ffmpeg import FfmpegWriter, verify_codec
from vizgmm.animate.writers.palette import DEFAULT_GIF_COLORS, PALETTE_COLORS, SharedPalette
from vizgmm.animate.writers.registry import Format, register
from vizgmm.errors import OptionError
from vizgmm.params import check

LOSSLESS_EFFORT = 30


def webp_quality(quality=None):
    """libwebp's quality 0–100 from vizgmm's quality 1–10: ten times it (default 7 → 70)."""
    return int(round(10 * quality_value(quality)))


class WebpWriter(FfmpegWriter):
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

    def __init__(self, path, lossless=True, quality=None, colors=DEFAULT_GIF_COLORS, loop=0):
        super().__init__(path)
        if lossless not in (True, False):
            raise OptionError(f"lossless must be True or False, got {lossless!r}")
        loop = check("loop", loop)
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

    def verify(self, path):
        # ffmpeg 7.1+ decodes animated WebP as "webp_anim"; older ones name the stream "webp".
        verify_codec(path, ("webp_anim", "webp"), self.path.name)


register(Format(
    name="webp", suffix=".webp", title="WebP", mime="image/webp", writer=WebpWriter, rank=3,
    options=("loop", "colors", "lossless", "quality", "max_bytes", "notes"),
    make=lambda path, o: WebpWriter(path, lossless=o.lossless, quality=o.quality, colors=o.colors,
                                    loop=o.loop),
    loops=True, padded=True, budget=("colours", "quality"), why_opaque="this WebP is opaque",
))
