"""One palette for all frames of an animation: built from the known colours and a few frames, then each colour's nearest entry.

The GIF writer and the palette WebP writer share it, so both keep the
components' and theme's colours exactly and map every frame the same way.
"""

import sys

import numpy as np
from matplotlib.colors import to_rgb
from PIL import Image

from vizgmm.animate.options import DEFAULTS

# 255 colours; index 255 is transparent in delta frames and marks "unchanged
# since the previous frame", which turns a changed rectangle that is mostly
# still into long runs of one index that LZW stores in a few bytes.
PALETTE_COLORS = 255
DEFAULT_GIF_COLORS = DEFAULTS.colors  # the ``colors`` option's default
# Palette entries left to median cut beside the exactly known colours.
MIN_CLUSTERED = 24
TRANSPARENT_INDEX = 255


class SharedPalette:
    """One palette for every frame of an animation (GIF, palette WebP), and each colour's entry in it.

    ``exact_colors``: (r, g, b) 0-255 colours known before drawing (components,
    theme, their blends) that get entries of their own, plus room for the
    anti-aliased shades between them; median cut over ``palette_frames``
    fills the rest (see :func:`shared_palette`).
    """

    def __init__(self, palette_frames, colors, exact_colors=()):
        exact = list(dict.fromkeys(tuple(int(v) for v in c[:3]) for c in exact_colors))
        self.colors = min(PALETTE_COLORS, max(colors, len(exact) + MIN_CLUSTERED))
        self.image = shared_palette(palette_frames, self.colors, exact=exact)
        self.rgb = np.array(self.image.getpalette(), dtype=np.int32).reshape(-1, 3)[: self.colors]
        self._rgb8 = self.rgb.astype(np.uint8)
        self._last_packed = self._last_indices = None
        self._lookup = None

    def quantize(self, frame):
        """Palette indices of a frame (h, w, 3|4) uint8, shape (h, w) uint8.

        Each colour goes to its nearest palette entry exactly (Pillow's
        quantizer goes through a cache of colour cells and can swap two
        close colours, e.g. the background and an anti-aliased edge).
        Only pixels that changed since the previous frame are looked up,
        which keeps this about as fast.
        """
        packed = pack_rgb(frame)
        last = self._last_packed
        if last is None or last.shape != packed.shape:
            indices = self._nearest(packed.reshape(-1)).reshape(packed.shape)
        else:
            changed = packed != last
            indices = self._last_indices.copy()
            if changed.any():
                indices[changed] = self._nearest(packed[changed])
        self._last_packed = packed
        self._last_indices = indices
        return indices

    def _nearest(self, packed):
        """Index of the nearest palette colour (squared RGB distance) per packed pixel, shape (m,) uint8.

        Each colour is looked up once per animation: the answers are kept in
        a table of all 2²⁴ colours (16 MiB, filled lazily; TRANSPARENT_INDEX
        marks "not looked up yet", never a nearest colour). Frames repeat
        their colours, so after the first frame a lookup is one gather.
        """
        if self._lookup is None:
            self._lookup = np.full(1 << 24, TRANSPARENT_INDEX, dtype=np.uint8)
        indices = self._lookup[packed]
        unknown = indices == TRANSPARENT_INDEX
        if unknown.any():
            values = np.unique(packed[unknown])
            colours = np.stack([values & 255, (values >> 8) & 255, (values >> 16) & 255], axis=1).astype(np.int32)
            distance = ((colours[:, None, :] - self.rgb[None, :, :]) ** 2).sum(axis=2)
            self._lookup[values] = distance.argmin(axis=1).astype(np.uint8)
            indices[unknown] = self._lookup[packed[unknown]]
        return indices

    def colours(self, frame):
        """The frame (h, w, 3|4) uint8 in palette colours, shape (h, w, 3) uint8."""
        return self._rgb8[self.quantize(frame)]


def shared_palette(frames, colors=DEFAULT_GIF_COLORS, exact=()):
    """One palette image (mode "P") for all frames, from a montage of several of them.

    ``exact`` colours (r, g, b) come first, each an entry of its own.
    The most frequent exact colours (background, histogram, text) get their
    own entries first, so flat areas keep their true colour rather than a
    cluster's average; median cut without dithering fills the remaining
    entries from the rest. Flat areas then keep one exact colour in every
    frame, so nothing flickers, and long runs of one index compress well.
    A sample of about 250,000 pixels (every second one or sparser) is
    enough to find the colours and keeps this quick at 1920×1080.
    """
    total = sum(f.shape[0] * f.shape[1] for f in frames)
    step = max(2, int(np.ceil(np.sqrt(total / 250_000))))
    montage = np.concatenate([np.ascontiguousarray(f[::step, ::step, :3]) for f in frames], axis=0)
    pixels = montage.reshape(-1, 3)
    packed = (pixels[:, 0].astype(np.uint32) << 16) | (pixels[:, 1].astype(np.uint32) << 8) | pixels[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    order = np.argsort(counts)[::-1]
    frequent = values[order[: min(colors // 3, len(order))]]
    frequent = frequent[counts[order[: len(frequent)]] >= max(1, pixels.shape[0] // 2000)]
    entries = list(dict.fromkeys(tuple(int(v) for v in c[:3]) for c in exact))[:colors]
    budget = max(0, min(colors // 3, colors - len(entries) - MIN_CLUSTERED // 2))
    for v in frequent.tolist()[:budget]:
        colour = ((v >> 16) & 255, (v >> 8) & 255, v & 255)
        if colour not in entries:
            entries.append(colour)
    rest = colors - len(entries)
    if rest > 0:
        clustered = Image.fromarray(montage).quantize(
            colors=rest, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        ).getpalette()[: 3 * rest]
        entries += [tuple(clustered[i:i + 3]) for i in range(0, len(clustered), 3)]
    flat = [channel for entry in entries[:colors] for channel in entry]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    return palette


def pack_rgb(frame):
    """Each pixel's colour as one integer R + 256·G + 65536·B, shape (h, w) uint32."""
    if frame.shape[2] == 4 and frame.flags.c_contiguous and sys.byteorder == "little":
        # RGBA bytes read as little-endian uint32 are already R + 256·G + 65536·B + 2²⁴·A.
        return frame.view(np.uint32)[..., 0] & np.uint32(0xFFFFFF)
    r, g, b = (frame[..., i].astype(np.uint32) for i in range(3))
    return r | (g << 8) | (b << 16)


#: The opacities at which component colours are drawn over the axes (points, trails, overlaps).
BLEND_ALPHAS = (0.35, 0.55, 0.75, 0.9)
THEME_KEYS = ("background", "axes", "foreground", "muted", "grid", "mixture", "cursor", "legend_face", "event")


def known_colours(theme, components):
    """Every colour a frame is known to use before it is drawn, as (r, g, b) 0-255 tuples.

    The theme's own colours, each component colour, each component colour
    blended over the axes at :data:`BLEND_ALPHAS` (points and trails are
    drawn translucent) and with the foreground (marker edges), the halfway
    blends of two components (soft EM's shared points), plus the histogram
    as drawn. The GIF palette
    holds these exactly, so a colour covering few pixels keeps its hue.

    Parameters
    ----------
    theme : dict
    components : list of colours (any matplotlib colour spec), one per component
    """
    def rgb255(colour):
        return np.round(np.asarray(to_rgb(colour)) * 255).astype(int)

    axes = theme["axes"] if theme["axes"] not in ("none", "transparent") else theme["background"]
    under = rgb255(axes)
    out = [rgb255(theme[key]) for key in THEME_KEYS if key in theme]
    out.append(np.round(under + theme["histogram_alpha"] * (rgb255(theme["histogram"]) - under)).astype(int))
    fore = rgb255(theme["foreground"])
    fulls = [rgb255(colour[:3] if isinstance(colour, tuple) else colour) for colour in components]
    for full in fulls:
        out.append(full)
        out += [np.round(under + a * (full - under)).astype(int) for a in BLEND_ALPHAS]
        # The edge of a mean's marker, anti-aliased into the foreground.
        out += [np.round(full + a * (fore - full)).astype(int) for a in (0.25, 0.5)]
    # Soft EM colours a point by its responsibilities: halfway between two components.
    for i, a in enumerate(fulls):
        for b in fulls[i + 1:]:
            half = (a + b) / 2
            out += [np.round(under + alpha * (half - under)).astype(int) for alpha in (0.75, 1.0)]
    return list(dict.fromkeys(tuple(int(v) for v in c) for c in out))
