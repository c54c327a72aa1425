"""The 1-D points as a rug: the pixels of one round marker per point, at a cost that does not grow with them.

The rug was k Line2D artists, one marker per point: Agg stamps every marker
(up to ``max_points`` of them) one by one, the largest cost of a frame that
grew with n. Yet all markers share one shape, one height and one colour per
component, and Agg rasterises the marker once and stamps that same coverage
at whole pixels (``floor(x + 0.5)``, ``_backend_agg.h`` ``draw_markers``).
So every marker of component j in pixel column c − d blends a pixel at the
same alpha, the kernel's value at offset d (one marker drawn by Agg onto a
transparent canvas gives that kernel exactly). :class:`Rug` counts the points
per pixel column and applies Agg's own 8-bit blend to each pixel m times at
once, read from a table of repeated blends, so its time depends on the canvas
width, not on the points.

Agg's 8-bit blend rounds down at every marker, so the order of the markers
matters a little: Agg itself, given the same points in another order, moves
the faint top and bottom rows of a dense rug by up to ten levels; the rug
here applies the markers offset by offset and stays within that (a few levels
on the walk-through's data). Over a see-through pixel (transparent frames)
Agg's blend also depends on the pixel's alpha; there the rug draws the
markers with matplotlib as before.
"""

import functools
import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox, IdentityTransform


class Rug(Artist):
    """Round markers of the points at one height, coloured by component, as Agg draws them.

    Add it with ``ax.add_artist(rug)``: it draws in that axes' data coordinates,
    clipped to the axes.

    Parameters
    ----------
    y : float
        Height of the rug in data coordinates.
    colors : list of colour
        One per component; component 0 is drawn first, later ones over it.
    markersize : float
        Marker diameter in points, as Line2D's ``ms``.
    alpha : float
        Opacity of one marker.

    A band drawn before over the same pixels is pasted by the scene's
    :class:`~vizgmm.animate.fast.pixelcache.PixelCache`, which keys the rug by its
    points, looks and axes (:meth:`get_window_extent` tells it where the band is).
    """

    def __init__(self, y, colors, *, markersize, alpha, zorder=2):
        super().__init__()
        self.set_zorder(zorder)
        self.y = float(y)
        self.colors = [to_rgba(c) for c in colors]
        self.markersize = float(markersize)
        self.marker_alpha = float(alpha)
        # One marker's looks, fixed now like a Line2D's (antialiasing from the rcParams in force).
        self._marker = Line2D([], [], ls="none", marker="o", ms=self.markersize, mec="none", mfc="black",
                              alpha=self.marker_alpha)
        self.x = np.empty(0)
        self.labels = np.empty(0, dtype=int)
        self._kernel_key = None

    def set_points(self, x, labels):
        """The points' x values, shape (m,), and their component indices, shape (m,)."""
        self.x = np.asarray(x, dtype=float)
        self.labels = np.asarray(labels, dtype=np.intp)
        self.stale = True

    def counts(self):
        """Points drawn per component, shape (k,)."""
        return np.bincount(self.labels, minlength=len(self.colors))

    def draw(self, renderer):
        if not self.get_visible() or not len(self.x):
            return
        pixels = _agg_pixels(renderer)
        if pixels is None:
            self._draw_markers(renderer)
            return
        height, width = pixels.shape[:2]
        y_display = float(self.get_transform().transform((0.0, self.y))[1])
        kernel, top, left = self._kernel(renderer, width, height, y_display)
        xy = np.column_stack([self.x, np.full(self.x.shape, self.y)])
        # Agg's whole-pixel marker positions (draw_markers: floor after +0.5).
        cols = np.floor(self.get_transform().transform(xy)[:, 0] + 0.5)
        span = kernel.shape[1]
        near = np.isfinite(cols) & (cols > -span - left) & (cols < width - left)
        if not near.any():
            self.stale = False
            return
        cols = cols[near].astype(np.intp)
        first = int(cols.min())
        ncols = int(cols.max()) - first + 1
        k = len(self.colors)
        counts = np.bincount(self.labels[near] * ncols + (cols - first), minlength=k * ncols).reshape(k, ncols)
        (r0, r1), (c0, c1) = _clip_rows_cols(self._clip_rect(renderer), width, height)
        rows = slice(max(top, r0), min(top + kernel.shape[0], r1))
        band_cols = slice(max(first + left, c0), min(first + left + ncols + span - 1, c1))
        if rows.stop <= rows.start or band_cols.stop <= band_cols.start:
            self.stale = False
            return
        under = pixels[rows, band_cols]
        if not (under[..., 3] == 255).all():
            # Agg blends over a see-through pixel differently (its alpha enters the colour): draw the markers.
            self._draw_markers(renderer)
            return
        pixels[rows, band_cols] = self._stamp(under, counts, kernel, rows.start - top, band_cols.start - first - left)
        self.stale = False

    def get_window_extent(self, renderer=None):
        """The band the markers can touch, in display pixels: the points' x range and one marker around it."""
        x = self.x[np.isfinite(self.x)]
        if not len(x):
            return Bbox.from_bounds(0, 0, 0, 0)
        ends = self.get_transform().transform([[x.min(), self.y], [x.max(), self.y]])
        # Half the marker's diameter, plus a pixel each side for Agg's whole-pixel snapping and antialiasing.
        reach = self.markersize * self.get_figure(root=True).dpi / 72 / 2 + 2
        return Bbox.from_extents(ends[0, 0] - reach, ends[0, 1] - reach, ends[1, 0] + reach, ends[1, 1] + reach)

    def _stamp(self, under, counts, kernel, row0, col0):
        """The opaque pixels ``under`` after every marker, as Agg's integer blending leaves them.

        All markers of a component at one column offset d from a pixel blend
        it at the same alpha (the kernel's value there), so that pixel gets
        Agg's blend applied m times (m: the markers in column c − d), read
        from a table. Agg applies the offsets in the points' order, this one
        offset after another (see the module's docstring).
        """
        nrows, ncols = under.shape[:2]
        kernel = kernel[row0:row0 + nrows]
        span = kernel.shape[1]
        # Per column offset d, the rows its markers touch (a disc: one run of rows).
        touched = [(d, np.nonzero(kernel[:, d])[0]) for d in range(span)]
        touched = [(d, slice(rows[0], rows[-1] + 1)) for d, rows in touched if len(rows)]
        padded = np.zeros((counts.shape[0], counts.shape[1] + 2 * span), dtype=np.int32)
        padded[:, span:span + counts.shape[1]] = counts
        out = under[..., :3].astype(np.int32)
        alpha = kernel.T  # (span, rows): the alpha of each offset in each row
        for j in range(counts.shape[0]):
            if not counts[j].any():
                continue
            flat, offsets, caps = _table_for(_to8_all(self.colors[j]), tuple(map(tuple, alpha.tolist())))
            for d, rows in touched:
                # Band column c holds the markers of count column col0 + c − d (padded by span).
                times = padded[j, col0 + span - d:col0 + span - d + ncols]
                hit = np.flatnonzero(times)
                if not len(hit):
                    continue
                lo, hi = hit[0], hit[-1] + 1
                index = np.minimum(times[None, lo:hi, None], caps[d, rows, None, :])
                index *= 256
                index += offsets[d, rows, None, :]
                index += out[rows, lo:hi]
                out[rows, lo:hi] = flat[index]
        after = under.copy()
        after[..., :3] = out
        return after

    def _clip_rect(self, renderer):
        gc = renderer.new_gc()
        self._set_gc_clip(gc)
        box = gc.get_clip_rectangle()
        gc.restore()
        return None if box is None else box.extents

    def _draw_markers(self, renderer):
        """The rug as Agg's markers, one per point (see-through canvases and other renderers)."""
        for j, colour in enumerate(self.colors):
            xs = self.x[self.labels == j]
            if not len(xs):
                continue
            line = self._line(xs, np.full(xs.shape, self.y), colour, self.get_transform())
            line.set_figure(self.get_figure(root=False))
            line.set_clip_box(self.get_clip_box())
            line.set_clip_on(self.get_clip_on())
            line.draw(renderer)
        self.stale = False

    def _line(self, x, y, colour, transform):
        line = Line2D(x, y)
        line.update_from(self._marker)
        line.set_markerfacecolor(colour)
        line.set_transform(transform)
        return line

    def _kernel(self, renderer, width, height, y_display):
        """Alpha (0-255) of one marker as Agg draws it, its top row and its left column offset.

        Agg draws one marker onto a transparent canvas of the frame's height at
        the rug's height (so the rows are the frame's); its alpha there is the
        marker's alpha × coverage as Agg blends it, since "over" on alpha 0
        keeps the source's alpha.
        """
        key = (width, height, y_display, renderer.dpi, self.markersize, self.marker_alpha,
               self._marker.get_antialiased())
        if key == self._kernel_key:
            return self._kernel_value
        size = 2 * math.ceil(renderer.points_to_pixels(self.markersize)) + 8
        x0 = size // 2
        probe = RendererAgg(size, height, renderer.dpi)
        self._line([float(x0)], [y_display], "black", IdentityTransform()).draw(probe)
        alpha = np.asarray(probe.buffer_rgba())[..., 3]
        rows = np.nonzero(alpha.any(axis=1))[0]
        cols = np.nonzero(alpha.any(axis=0))[0]
        if not len(rows):
            value = (np.zeros((1, 1), dtype=np.uint8), 0, 0)
        else:
            # x0 + 0.5 floors to x0: the marker's own column.
            value = (alpha[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].copy(), int(rows[0]), int(cols[0]) - x0)
        self._kernel_key, self._kernel_value = key, value
        return value


def _to8_all(colour):
    """A colour's RGB as Agg's 8-bit values (agg::rgba8 rounds)."""
    return tuple(int(v * 255 + 0.5) for v in colour[:3])


@functools.lru_cache(maxsize=64)
def _table_for(rgb, alpha):
    """One flat table of Agg's repeated blends for these colour values and alphas (nested tuples, groups × rows).

    Returns ``flat``, ``offsets`` and ``caps``, with ``offsets`` and ``caps``
    shaped ``alpha.shape + (3,)``: pixel value v of channel ch after m blends
    at ``alpha[i]`` is ``flat[offsets[i, ch] + min(m, caps[i, ch]) * 256 + v]``.
    """
    alpha = np.array(alpha, dtype=np.intp)
    pairs = sorted({(c, int(a)) for c in rgb for a in np.unique(alpha)})
    tables = _repeated_blends(pairs)
    parts, where, start = [], {}, 0
    for pair, table in zip(pairs, tables):
        where[pair] = (start, len(table) - 1)
        parts.append(table.ravel())
        start += table.size
    # int32 like the pixels it is indexed with and stored into: no conversions in the loop.
    flat = np.concatenate(parts).astype(np.int32)
    flat.flags.writeable = False
    offsets = np.empty(alpha.shape + (3,), dtype=np.int32)
    caps = np.empty(alpha.shape + (3,), dtype=np.int32)
    for index in np.ndindex(alpha.shape):
        for ch, c in enumerate(rgb):
            offsets[index + (ch,)], caps[index + (ch,)] = where[(c, int(alpha[index]))]
    offsets.flags.writeable = caps.flags.writeable = False
    return flat, offsets, caps


# (colour value, alpha) -> _repeated_blends' table; a few dozen of 10-60 KiB for a scene's colours.
_REPEATED: dict = {}


def _repeated_blends(pairs):
    """Agg's blend of colour value c at alpha onto an opaque pixel's value v, applied m times, per (c, alpha).

    One table per pair, shape (m_max + 1, 256), uint8: row m is every v after
    m blends; m_max is where no v changes any more (at most about 255 blends:
    each moves v by at least a level, or leaves it). Computed for all new
    pairs at once and kept for the process.
    """
    new = [pair for pair in dict.fromkeys(pairs) if pair not in _REPEATED]
    if new:
        c = np.array([pair[0] for pair in new], dtype=np.int64)[:, None]
        alpha = np.array([pair[1] for pair in new], dtype=np.int64)[:, None]
        rows = [[np.arange(256, dtype=np.uint8)] for _ in new]
        # Blend the pairs still moving; alpha 0 leaves every pixel as it is.
        active = np.flatnonzero(alpha[:, 0] > 0)
        now = np.tile(np.arange(256, dtype=np.int64), (len(active), 1))
        while len(active):
            nxt = _blend_opaque(now, c[active], alpha[active])
            moved = (nxt != now).any(axis=1)
            active, now = active[moved], nxt[moved]
            for i, values in zip(active, now.astype(np.uint8)):
                rows[i].append(values)
        for pair, table in zip(new, rows):
            table = np.stack(table)
            table.flags.writeable = False
            _REPEATED[pair] = table
    return [_REPEATED[pair] for pair in pairs]


def _blend_opaque(v, c, alpha):
    """Agg's plain "over" (matplotlib's fixed_blender_rgba_plain) of colour value c at alpha onto v of an opaque pixel."""
    a = 255
    total = ((alpha + a) << 8) - alpha * a
    r = v * a
    return (((c << 8) - r) * alpha + (r << 8)) // total


def _agg_pixels(renderer):
    """The renderer's RGBA pixels as a writable array (rows top-down), or None for a renderer that is not Agg."""
    if not isinstance(renderer, RendererAgg):
        return None
    return np.asarray(renderer.buffer_rgba())


def _clip_rows_cols(extents, width, height):
    """Rows and columns (half-open) Agg draws into for a clip rectangle, as its set_clipbox rounds it."""
    if extents is None:
        return (0, height), (0, width)
    x0, y0, x1, y1 = extents
    c0 = max(int(math.floor(x0 + 0.5)), 0)
    c1 = min(int(math.floor(x1 + 0.5)), width) + 1
    r0 = max(int(math.floor(height - y1 + 0.5)), 0)
    r1 = min(int(math.floor(height - y0 + 0.5)), height) + 1
    return (r0, min(r1, height)), (c0, min(c1, width))
