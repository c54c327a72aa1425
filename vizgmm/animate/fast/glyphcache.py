"""Remembered glyphs: text that changes every frame (a title with the epoch's number) reuses its glyphs.

:mod:`~vizgmm.animate.fast.pixelcache` pastes a whole string's pixels when the
string repeats. A per-epoch title never repeats, yet its glyphs do: "Epoch
12 · total log-likelihood −3,879.7" shares all but a few with the frame
before. matplotlib's Agg renderer lays a string out and then asks FreeType
to hint and rasterise every glyph again; this module keeps the layout of
each string and the bitmap of each glyph at each 1/64-pixel offset, and
hands Agg the remembered bitmaps. A glyph's bitmap depends only on the font,
size, glyph, rotation and the sub-pixel part of its position, so the pixels
are the same as matplotlib's own.

It replaces ``draw_text`` on one renderer instance only, for plain (non-math)
text, and only with the matplotlib internals it was written against
(``FT2Font._layout`` and ``_render_glyph``); anything else goes to
matplotlib's own method.
"""

import math
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import get_hinting_flag
from matplotlib.ft2font import FT2Font

try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # older matplotlib: no glyph-level API, nothing to install
    RenderMode = None  # type: ignore[misc, assignment]

MAX_LAYOUTS = 512
MAX_GLYPHS = 8192


def supported(renderer):
    """True when this matplotlib has the glyph-level text API the cache drives."""
    return (RenderMode is not None and hasattr(FT2Font, "_layout") and hasattr(FT2Font, "_render_glyph")
            and hasattr(FT2Font, "_set_transform") and hasattr(renderer, "_prepare_font"))


def install(renderer):
    """Make ``renderer.draw_text`` reuse layouts and glyph bitmaps; returns the :class:`GlyphCache` (or None)."""
    cache = getattr(renderer, "_vizgmm_glyph_cache", None)
    if cache is None and supported(renderer):
        cache = GlyphCache(renderer)
        renderer._vizgmm_glyph_cache = cache
        renderer.draw_text = cache.draw_text
    return cache


class GlyphCache:
    """Layouts by string and glyph bitmaps by sub-pixel offset, for one RendererAgg.

    Parameters
    ----------
    renderer : matplotlib.backends.backend_agg.RendererAgg
    """

    def __init__(self, renderer):
        self.renderer = renderer
        self.original = renderer.draw_text  # the bound method of the class
        self.enabled = True
        self._layouts = OrderedDict()  # (font id, string, ...) -> (font, [(ft_object, glyph, dx, dy)])
        self._glyphs = OrderedDict()  # (ft_object id, size, glyph, sub-pixel x, y, ...) -> (ft_object, bitmap, left, top)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or not self.enabled:
            return self.original(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        renderer = self.renderer
        font = renderer._prepare_font(prop)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        key = (id(font), s, size, renderer.dpi, flags, _hashable(features), _hashable(language))
        layout = self._layouts.get(key)
        if layout is None or layout[0] is not font:
            items = font._layout(s, flags=flags, features=features, language=language)
            layout = (font, [(item.ft_object, item.glyph_index, item.x, item.y) for item in items])
            _put(self._layouts, key, layout, MAX_LAYOUTS)
        self._draw_glyphs(gc, x, y, angle, size, flags, layout[1])

    def _draw_glyphs(self, gc, x, y, angle, size, flags, glyphs):
        """matplotlib's ``_draw_text_glyphs_and_boxes`` (no boxes, no slant), with remembered bitmaps."""
        renderer = self.renderer
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        height = renderer.height
        antialiased = gc.get_antialiased()
        transform = None
        for ft_object, glyph_index, dx, dy in glyphs:  # dy is upwards
            x64 = round(0x40 * (x + dx * cos - dy * sin))
            y64 = round(0x40 * (height - y + dx * sin + dy * cos))  # FreeType's y is upwards
            key = (id(ft_object), size, renderer.dpi, glyph_index, x64 & 63, y64 & 63, angle, antialiased, flags)
            glyph = self._glyphs.get(key)
            if glyph is None or glyph[0] is not ft_object:
                if transform is None:
                    transform = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                ft_object.set_size(size, renderer.dpi)
                ft_object._set_transform(transform, [x64, y64])
                bitmap = ft_object._render_glyph(
                    glyph_index, flags, RenderMode.NORMAL if antialiased else RenderMode.MONO)
                buffer = bitmap.buffer.copy()
                if not antialiased:
                    buffer *= 0xff
                glyph = (ft_object, buffer, bitmap.left - (x64 >> 6), bitmap.top - (y64 >> 6))
                _put(self._glyphs, key, glyph, MAX_GLYPHS)
            _, buffer, left, top = glyph
            # draw_text_image's y is downwards and names the bitmap's bottom side.
            renderer._renderer.draw_text_image(
                buffer, left + (x64 >> 6), int(height) - (top + (y64 >> 6)) + buffer.shape[0], 0, gc)


def _put(cache, key, value, limit):
    cache[key] = value
    if len(cache) > limit:
        cache.popitem(last=False)


def _hashable(value):
    if isinstance(value, list):
        return tuple(value)
    return value
