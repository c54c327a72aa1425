"""vizgmm: watch EM fit a Gaussian mixture, epoch by epoch.

One call from data to a history of every epoch (:func:`fit`), and from that
history to an animation (:func:`render_gif`, :func:`render_mp4`,
:func:`render_frames`) and a self-contained HTML report (:func:`report`).
"""

__version__ = "0.1.0"

from .data import simulate, walkthrough_data, WALKTHROUGH_INIT
from .em import fit
from .errors import (
    DataError,
    FitError,
    HistoryFileError,
    InitError,
    OptionError,
    OutputError,
    VizgmmError,
)
from .history import History, Snapshot
from .loading import load_data
from .render import render_gif, render_mp4, render_frames, render_still
from .report import report
from .compare import Comparison, animate_restarts, compare, compare_report, render_comparison
from .select import Selection, select
from .sklearn_bridge import from_sklearn

__all__ = [
    "fit",
    "History",
    "Snapshot",
    "simulate",
    "walkthrough_data",
    "WALKTHROUGH_INIT",
    "VizgmmError",
    "DataError",
    "OptionError",
    "InitError",
    "FitError",
    "HistoryFileError",
    "OutputError",
    "render_gif",
    "render_mp4",
    "render_frames",
    "render_still",
    "report",
    "select",
    "Selection",
    "compare",
    "Comparison",
    "compare_report",
    "render_comparison",
    "animate_restarts",
    "from_sklearn",
    "load_data",
]
