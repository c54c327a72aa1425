"""H.264 MP4 (yuv420p, +faststart): plays in browsers, PowerPoint and QuickTime."""

from vizgmm.animate.writers.base import quality_value
from vizgmm.animate.writers.ffmpeg import FfmpegWriter, verify_mp4
from vizgmm.animate.writers.registry import Format, register
from vizgmm.params import check


def quality_to_crf(quality=None, crf=None):
    """x264 CRF from quality 1–10 (higher is better) or an explicit CRF 1–51."""
    if crf is not None:
        return check("crf", crf)
    return int(round(38 - 2.6 * quality_value(quality)))


class Mp4Writer(FfmpegWriter):
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

    multiple = 2  # H.264 in yuv420p needs even sides only: 1920×1080 stays 1920×1080

    def __init__(self, path, quality=None, crf=None):
        super().__init__(path)
        self.crf = quality_to_crf(quality, crf)

    def codec_args(self):
        # x264's veryfast preset: on these flat, mostly still frames it made
        # files no larger than "medium" (and "-tune animation" larger) in half the time.
        return ["-vcodec", "libx264", "-pix_fmt", "yuv420p", "-crf", str(self.crf), "-preset", "veryfast",
                "-profile:v", "high", "-movflags", "+faststart"]

    def verify(self, path):
        verify_mp4(path, self.frames_written, self.path.name)


register(Format(
    name="mp4", suffix=".mp4", title="MP4", mime="video/mp4", writer=Mp4Writer, rank=1,
    options=("quality", "crf"),
    make=lambda path, o: Mp4Writer(path, quality=o.quality, crf=o.crf),
    padded=True, grid=True, why_opaque="H.264 MP4 has no alpha",
))
