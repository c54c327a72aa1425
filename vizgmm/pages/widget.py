"""The epoch player as a notebook widget: :func:`widget`, and the view behind ``fit(..., live=True)``.

The widget is an anywidget (JupyterLab, classic Notebook, VS Code, Colab,
marimo) whose script is the player's own (``partials/widget.js`` includes
``partials/player.js`` and mounts it), so the HTML file, the embed and the
widget run one JavaScript source. anywidget is the optional extra
``vizgmm[notebook]``; without it a History still shows itself as the static
player (:mod:`vizgmm.pages.notebook`) and only :func:`widget` refuses, in one
line. The class itself lives in :mod:`vizgmm.pages.widget_class`, the one
module that imports anywidget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vizgmm.errors import OptionError
from vizgmm.model.live import register_live_view

if TYPE_CHECKING:  # names for the hints only
    from vizgmm.model.history import History

MISSING = ("vizgmm.widget needs anywidget: pip install '.[notebook]' from a checkout, "
           "or pip install 'vizgmm[notebook]' (a History still shows itself as the player without it)")


def widget(history: History, **style: Any) -> Any:
    """The epoch player as a Jupyter widget whose stop Python can set and read.

    The same player as :func:`vizgmm.player` (SVG, play, step, scrub, E and M
    apart), drawn by the same script. Its traits follow the reader: stepping
    in the player sets them, and setting them moves the player.

    Parameters
    ----------
    history : History
    **style
        As :func:`vizgmm.player`: theme, title, component_names, features,
        duration_ms, half_steps (start with E and M apart), loop.

    Returns
    -------
    PlayerWidget
        An ``anywidget.AnyWidget`` with the traits ``epoch`` (int, a recorded
        epoch) and ``half_step`` (``""`` whole epochs; ``"e"`` or ``"m"``: E
        and M apart, the E-step or the M-step of ``epoch``; the start is epoch
        0's ``"m"``), the read-only ``history``, and ``update(history)``, which
        shows a longer (or another) fit at its last epoch. Pass it as
        ``vizgmm.fit(..., live=w)`` to watch a fit arrive in it.

    Raises
    ------
    OptionError
        anywidget is not installed (``pip install 'vizgmm[notebook]'``).

    Examples
    --------
    >>> w = vizgmm.widget(history)  # doctest: +SKIP
    >>> w.epoch, w.half_step = 3, "e"  # the E-step of epoch 3  # doctest: +SKIP
    """
    return widget_class()(history, **style)


def widget_class():
    """:class:`vizgmm.pages.widget_class.PlayerWidget`, or the one-line error when anywidget is missing."""
    try:
        from vizgmm.pages.widget_class import PlayerWidget
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("anywidget", "traitlets", "ipywidgets", "IPython"):
            raise
        raise OptionError(MISSING) from None
    return PlayerWidget


class LiveView:
    """What ``fit(..., live=True)`` updates: a widget, shown in the notebook with the first snapshot."""

    def __init__(self):
        self.cls = widget_class()  # refuse before EM starts, not after its first epoch
        self.widget = None

    def update(self, history, done=False):
        if self.widget is None:
            from IPython.display import display

            self.widget = self.cls(history)
            display(self.widget)
        self.widget.update(history, done=done)


register_live_view(LiveView)
