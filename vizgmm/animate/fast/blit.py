"""The blit layers of a scene: a static background, a layer per snapshot, a layer per frame.

matplotlib's blitting (see its "Faster rendering by using blitting" tutorial):
draw what never changes once and keep its pixels; per frame, restore them and
draw only the artists that move. Three layers keep the per-frame work small:

- "snapshot": what changes only when the epoch changes (title, points,
  legend, table) is drawn once per snapshot over the background and kept;
- "frame": what moves (curves, ellipses, means, cursor) is drawn each frame
  over the snapshot layer;
- "overlay": drawn with the snapshot layer, then pasted back over each frame,
  so moving curves pass under the legend and the event note.

A frame artist that stays still through one snapshot's frames (the bound
panel's gap while only the cursor moves along the path) can be *held*: drawn
once into the snapshot layer instead of on every frame. Only an artist drawn
before every moving artist it may overlap can be held (the lowest in its
axes), so the frames' pixels stay the same.

Every layered artist goes through a :class:`~vizgmm.animate.fast.pixelcache.PixelCache`:
a text, legend or line of points that was drawn before with the same content
over the same pixels is pasted from memory instead of laid out and drawn
again, which is what makes per-epoch frames (``tween=0``) cheap.
"""

import numpy as np

from vizgmm.animate.fast.pixelcache import PixelCache

LAYERS = ("snapshot", "overlay", "frame")


class BlitLayers:
    """The layered artists of one Figure canvas and the pixels they are drawn over.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_agg.FigureCanvasAgg
    cache : bool
        Paste the remembered pixels of text, legends and points drawn before
        over the same pixels (:mod:`~vizgmm.animate.fast.pixelcache`); False draws
        everything anew.

    Attributes
    ----------
    hold : bool
        Draw the held artists of :meth:`draw_snapshot` once per snapshot; False
        draws every frame artist on every frame (for comparisons).
    """

    def __init__(self, canvas, cache=True):
        self.canvas = canvas
        self.cache = PixelCache(canvas, enabled=cache)
        self.hold = True
        self.artists = {layer: [] for layer in LAYERS}
        self._background = None
        self._snapshot_pixels = None
        self._overlay_regions = []
        self.held = frozenset()
        self.key = None

    def add(self, artist, layer="frame"):
        """Register an artist that changes in ``layer``; returns the artist."""
        self.artists[layer].append(artist)
        return artist

    def freeze_background(self):
        """Draw the figure without its layered artists and keep those pixels."""
        for artists in self.artists.values():
            for artist in artists:
                artist.set_animated(True)
            # Within a layer, by zorder as matplotlib draws: ellipses over points, halos under lines.
            artists.sort(key=lambda artist: artist.get_zorder())
        self.canvas.draw()
        self._background = self.canvas.copy_from_bbox(self.canvas.figure.bbox)

    def draw_snapshot(self, key, held=()):
        """Draw the snapshot and overlay layers over the background and keep them as ``key``.

        ``held``: frame artists that do not move until the next snapshot is drawn;
        they are drawn into the kept pixels (under the pasted-back overlays, as on
        a frame) and skipped by :meth:`draw_frame`.
        """
        renderer = self.canvas.get_renderer()
        self.canvas.restore_region(self._background)
        boxes = {}
        for artist in self.artists["snapshot"] + self.artists["overlay"]:
            if artist.get_visible():
                boxes[id(artist)] = self.cache.draw(artist, renderer)
        self._snapshot_pixels = self.canvas.copy_from_bbox(self.canvas.figure.bbox)
        self._overlay_regions = []
        for artist in self.artists["overlay"]:
            box = None
            if artist.get_visible():
                box = boxes.get(id(artist)) or artist.get_window_extent(renderer)
            if box is not None and box.width > 0 and box.height > 0:
                self._overlay_regions.append(self.canvas.copy_from_bbox(box.expanded(1.0, 1.0).padded(2)))
        self.held = frozenset(id(artist) for artist in held) if self.hold else frozenset()
        if self.held:
            for artist in self.artists["frame"]:  # in the frame layer's order
                if id(artist) in self.held and artist.get_visible():
                    self.cache.draw(artist, renderer)
            self._snapshot_pixels = self.canvas.copy_from_bbox(self.canvas.figure.bbox)
        self.key = key

    def draw_frame(self):
        """Restore the snapshot layer, draw the frame layer, paste the overlays back; the RGBA view."""
        renderer = self.canvas.get_renderer()
        self.canvas.restore_region(self._snapshot_pixels)
        for artist in self.artists["frame"]:
            if artist.get_visible() and id(artist) not in self.held:
                self.cache.draw(artist, renderer)
        for region in self._overlay_regions:
            self.canvas.restore_region(region)
        return np.asarray(self.canvas.buffer_rgba())
