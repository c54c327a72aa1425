"""VP9 WebM (yuv420p, constant quality), which Chromium, Firefox and Safari play.

Smaller than the GIF (much smaller with ``tween``, where a GIF stores every
moving frame); VP9 codes a repeated frame (the holds) in a few bytes.
"""


from vizgmm.animate.writers.base import quality_value
from vizgmm.animate.writers.ffmpeg import FfmpegWriter, verify_codec
from vizgmm.animate.writers.registry import Format, register
from vizgmm.params import ParameterError, check


def vp9_crf(quality=None, crf=None):
    """VP9 CRF (0–63, lower is better) from quality 1–10 (higher is better) or an explicit CRF 4–63.

    ``63 − 4.5·quality``: 7 (the default) gives CRF 31, what Google suggests
    for 1080p; 10 gives 18.
    """
    if crf is not None:
        try:
            return check("vp9_crf", crf)
        except ParameterError as exc:
            raise ParameterError("crf for WebM", crf, exc.rule) from None
    return int(round(63 - 4.5 * quality_value(quality)))


class WebmWriter(FfmpegWriter):
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
    multiple = 2

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

    def verify(self, path):
        verify_codec(path, ("vp9",), self.path.name)


register(Format(
    name="webm", suffix=".webm", title="WebM", mime="video/webm", writer=WebmWriter, rank=2,
    options=("quality", "crf", "max_bytes", "notes"),
    make=lambda path, o: WebmWriter(path, quality=o.quality, crf=o.crf),
    padded=True, budget=("quality",), why_opaque="this WebM is opaque",
))
