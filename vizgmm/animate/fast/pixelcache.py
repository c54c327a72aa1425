"""Remembered pixels: a Text, Legend or line of points drawn once is pasted, not drawn again.

Profiling a per-epoch render (``tween=0``, every frame a new epoch) shows
most of a frame's time in text: matplotlib lays out each string with
FreeType and rasterises it glyph by glyph, and a legend also runs its
offset-box layout, several times per draw. Yet the strings repeat: a
legend's numbers stop changing once the fit settles, and the in-between
frames of a tween repeat their title. Points (thousands of markers) are
the next cost, and their colours too stop changing once the fit settles.

:class:`PixelCache` keys each drawn artist by everything that decides its
pixels (string, font, colour, alignment, rotation, display position; for a
legend also its handles and frame; for points, and the 1-D rug, their data,
style and the axes' limits) and remembers the canvas rectangle it
covers *before* and *after* drawing. When an artist with the same key is
drawn over the same pixels again, the "after" pixels are pasted: the
output is exactly what drawing it would give, because Agg blends each
pixel from the artist and the pixel under it only. Anything the key cannot
describe (path effects, a bbox patch, wrapping, TeX, an unknown legend
handle, lines between points, collections) is drawn by matplotlib as usual.
"""

import hashlib
import math
from collections import OrderedDict

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from vizgmm.animate.fast import glyphcache
from vizgmm.animate.fast.rug import Rug

# Pixels around the artist's extent that are kept too: antialiased glyph and frame edges.
PAD = 3
# Remembered "under" variants per key, and all entries' bytes together.
VARIANTS = 4
MAX_BYTES = 48 * 2**20


class PixelCache:
    """Remembered pixels of the Text, Legend and point artists drawn on one canvas.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_agg.FigureCanvasAgg
    enabled : bool
        False draws every artist with matplotlib (for comparisons).
    """

    def __init__(self, canvas, enabled=True):
        self.canvas = canvas
        self.enabled = enabled
        self._entries = OrderedDict()  # key -> [(rows, cols, before, after, extent), ...]
        self._bytes = 0
        self.hits = self.misses = 0

    def draw(self, artist, renderer):
        """Draw ``artist`` (or paste its remembered pixels); its window extent, or None when not kept."""
        glyphs = glyphcache.install(renderer)
        if glyphs is not None:
            glyphs.enabled = self.enabled
        key = signature(artist) if self.enabled else None
        if key is None:
            artist.draw(renderer)
            return None
        pixels = np.asarray(self.canvas.buffer_rgba())
        variants = self._entries.get(key)
        if variants is not None:
            for rows, cols, before, after, extent in variants:
                if np.array_equal(pixels[rows, cols], before):
                    pixels[rows, cols] = after
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return extent
        self.misses += 1
        extent = artist.get_window_extent(renderer)
        rows, cols = _region(extent, pixels.shape)
        before = pixels[rows, cols].copy()
        artist.draw(renderer)
        after = pixels[rows, cols].copy()
        self._remember(key, (rows, cols, before, after, extent.frozen()))
        return extent

    def _remember(self, key, entry):
        variants = self._entries.setdefault(key, [])
        variants.insert(0, entry)
        self._bytes += 2 * entry[2].nbytes
        if len(variants) > VARIANTS:
            self._bytes -= 2 * variants.pop()[2].nbytes
        self._entries.move_to_end(key)
        while self._bytes > MAX_BYTES and len(self._entries) > 1:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= sum(2 * entry[2].nbytes for entry in dropped)


def _region(extent, shape):
    """Row and column slices of the buffer (rows top-down) covering ``extent`` and PAD pixels around it."""
    h, w = shape[:2]
    x0 = max(0, math.floor(extent.x0) - PAD)
    x1 = min(w, math.ceil(extent.x1) + PAD)
    r0 = max(0, h - math.ceil(extent.y1) - PAD)
    r1 = min(h, h - math.floor(extent.y0) + PAD)
    return slice(r0, max(r0, r1)), slice(x0, max(x0, x1))


def signature(artist):
    """A hashable key of everything that decides an artist's pixels, or None when it cannot be kept."""
    if not artist.get_visible() or not _plain(artist):
        return None
    if isinstance(artist, Text):
        core = _text_core(artist)
        if core is None:
            return None
        xy = artist.get_transform().transform(artist.get_unitless_position())
        return ("text", core, float(xy[0]), float(xy[1]), _clip(artist), artist.get_figure(root=True).dpi)
    if isinstance(artist, Legend):
        return _legend_signature(artist)
    if isinstance(artist, Line2D):
        return _points_signature(artist)
    if isinstance(artist, Rug):
        return _rug_signature(artist)
    return None


def _plain(artist):
    """No effect the key does not describe."""
    return not (artist.get_path_effects() or artist.get_agg_filter() is not None
                or artist.get_sketch_params() is not None or artist.get_rasterized())


def _text_core(text):
    """A Text's string and looks, without its position; None for what is not kept."""
    if (text.get_usetex() or text.get_wrap() or text.get_bbox_patch() is not None
            or text.get_parse_math() and "$" in text.get_text()):
        return None
    font = text.get_fontproperties()
    return (
        text.get_text(), to_rgba(text.get_color(), text.get_alpha()),
        tuple(font.get_family()), font.get_style(), font.get_variant(), font.get_weight(),
        font.get_stretch(), font.get_size_in_points(), font.get_file(), font.get_math_fontfamily(),
        text.get_rotation(), text.get_rotation_mode(), text.get_transform_rotates_text(),
        text.get_horizontalalignment(), text.get_verticalalignment(), text._multialignment,
        text.get_linespacing(), text.get_antialiased(), text.get_parse_math(),
        _hashable(text.get_fontfeatures()), text.get_language(), _plain(text),
    )


def _clip(artist):
    if not artist.get_clip_on():
        return None
    if artist.get_clip_path() is not None:
        return "path"  # never equal to a bbox: a clip path is not compared, so such artists never share keys
    box = artist.get_clip_box()
    return None if box is None else tuple(box.bounds)


def _legend_signature(legend):
    parts = []
    for text in [*legend.get_texts(), legend.get_title()]:
        core = _text_core(text) if text.get_visible() else "hidden"
        if core is None:
            return None
        parts.append(core)
    for handle in legend.legend_handles:
        part = _handle(handle)
        if part is None:
            return None
        parts.append(part)
    frame = legend.get_frame()
    parts.append((legend.get_frame_on(), to_rgba(frame.get_facecolor()), to_rgba(frame.get_edgecolor()),
                  frame.get_linewidth(), frame.get_alpha(), frame.get_boxstyle().__class__.__name__))
    parts.append((legend._loc, tuple(legend.get_bbox_to_anchor().bounds), _clip(legend), legend.get_alpha(),
                  legend.get_figure(root=True).dpi))
    return ("legend", tuple(parts))


def _handle(handle):
    """Looks of a legend handle (line, patch); None for any other kind."""
    if handle is None:
        return ("none",)
    if not _plain(handle):
        return None
    if isinstance(handle, Line2D):
        return ("line", _line_looks(handle), _digest(handle.get_xydata()))
    if isinstance(handle, Patch):
        return ("patch", handle.get_visible(), to_rgba(handle.get_facecolor()), to_rgba(handle.get_edgecolor()),
                handle.get_linewidth(), handle.get_hatch(), handle.get_alpha())
    return None


def _points_signature(line):
    """Key of a Line2D of markers only (the points): its data, looks, and where its axes put it."""
    axes = line.axes
    if (axes is None or line.get_transform() is not axes.transData or line.get_marker() in (None, "None", "none", "")
            or line.get_linestyle() not in ("None", "none", " ", "") or line.get_markevery() is not None):
        return None
    return (
        "points", _digest(line.get_xydata()), _line_looks(line), line.get_fillstyle(), line.get_antialiased(),
        tuple(axes.viewLim.bounds), tuple(axes.bbox.bounds), axes.get_xscale(), axes.get_yscale(),
        _clip(line), line.get_figure(root=True).dpi,
    )


def _rug_signature(rug):
    """Key of the 1-D rug: its points and their components, looks, and where its axes put it."""
    axes = rug.axes
    if axes is None or rug.get_transform() is not axes.transData:
        return None
    return (
        "rug", _digest(rug.x), _digest(rug.labels), tuple(rug.colors), rug.markersize, rug.marker_alpha, rug.y,
        rug._marker.get_antialiased(), tuple(axes.viewLim.bounds), tuple(axes.bbox.bounds), axes.get_xscale(),
        axes.get_yscale(), _clip(rug), rug.get_figure(root=True).dpi,
    )


def _line_looks(line):
    return (line.get_visible(), to_rgba(line.get_color(), line.get_alpha()), _hashable(line.get_linestyle()),
            line.get_linewidth(), str(line.get_marker()), line.get_markersize(),
            _hashable(line.get_markerfacecolor()), _hashable(line.get_markeredgecolor()), line.get_markeredgewidth(),
            _hashable(getattr(line, "_unscaled_dash_pattern", None)))


def _digest(values):
    """A short, collision-safe key of an array's shape and values."""
    values = np.ascontiguousarray(values, dtype=float)
    return values.shape, hashlib.blake2b(values.tobytes(), digest_size=16).digest()


def _hashable(value):
    if isinstance(value, np.ndarray):
        return tuple(value.ravel().tolist())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    return value
