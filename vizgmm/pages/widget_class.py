"""The widget class behind :func:`vizgmm.widget`: the one module that imports anywidget (``vizgmm[notebook]``).

Python sends the player's markup without its script (``_html``) and the stop
(``epoch``, ``half_step``); the module ``partials/widget.js`` mounts the
player's own script on that markup and keeps the two traits in step with the
reader.
"""

import time
import uuid

import anywidget
import traitlets

from vizgmm.errors import OptionError
from vizgmm.pages.player import player_fragment, widget_script

#: The values of ``half_step``: whole epochs, or the E-step / the M-step of ``epoch``.
HALF_STEPS = ("", "e", "m")

#: The player's options the widget takes (see :func:`vizgmm.player`).
STYLE = ("theme", "title", "component_names", "features", "duration_ms", "half_steps", "loop")

#: The least time between two redraws while a fit streams in (``update`` before ``done``), in seconds;
#: a redraw that took longer waits twice its own time, so the view never takes most of the fit's.
LIVE_INTERVAL = 0.1


class PlayerWidget(anywidget.AnyWidget):
    """The epoch player of a History as a widget; see :func:`vizgmm.widget`."""

    _esm = widget_script()
    _html = traitlets.Unicode("").tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)
    half_step = traitlets.Unicode("").tag(sync=True)

    def __init__(self, history, **style):
        if "live" in style:
            raise OptionError("the widget plays the recorded fit; for EM in the page write "
                              "vizgmm.player(history, path, live=True)")
        unknown = sorted(set(style) - set(STYLE))
        if unknown:
            raise OptionError(f"unknown widget option {unknown[0]!r}; use any of: {', '.join(STYLE)}")
        self._style = dict(style)
        # Unique per widget: the fragment's styles and SVG clip paths are scoped by this id.
        self._player_id = f"vzw-{uuid.uuid4().hex[:12]}"
        self._history = None
        self._next_draw = 0.0
        html = self._fragment(history)
        super().__init__()
        with self.hold_sync():
            self._history = history
            self._html = html
            self.half_step = "m" if style.get("half_steps") else ""
            self.epoch = int(history[0].epoch)

    @property
    def history(self):
        """The History the widget shows."""
        return self._history

    def update(self, history, done=False):
        """Show ``history`` (a longer or another fit) at its last epoch.

        ``fit(..., live=widget)`` calls it after every epoch and with
        ``done=True`` at the end. Before the end it redraws at most every
        ``LIVE_INTERVAL`` seconds (or twice as long as the last redraw took)
        and without the lower-bound view, which costs a bound slice per
        epoch; the end is drawn whole.
        """
        start = time.monotonic()
        if not done and start < self._next_draw:
            return
        html = self._fragment(history, bound=done)
        with self.hold_sync():
            self._history = history
            self._html = html
            if self.half_step == "e":
                self.half_step = "m"
            self.epoch = int(history.final.epoch)
        cost = time.monotonic() - start
        self._next_draw = start + cost + max(LIVE_INTERVAL, 2 * cost)

    def _fragment(self, history, bound=True):
        return str(player_fragment(history, player_id=self._player_id, script=False, bound=bound, **self._style))

    @traitlets.validate("epoch")
    def _check_epoch(self, proposal):
        value = proposal["value"]
        epochs = [s.epoch for s in self._history] if self._history is not None else [value]
        if value not in epochs:
            raise OptionError(f"epoch must be a recorded epoch, {epochs[0]} to {epochs[-1]}, got {value}")
        return value

    @traitlets.validate("half_step")
    def _check_half_step(self, proposal):
        value = proposal["value"]
        if value not in HALF_STEPS:
            raise OptionError(
                f"half_step must be '' (whole epochs), 'e' (the E-step) or 'm' (the M-step), got {value!r}"
            )
        return value
