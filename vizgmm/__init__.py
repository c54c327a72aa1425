"""vizgmm: watch EM fit a Gaussian mixture, epoch by epoch.

One call from data to a history of every epoch (:func:`fit`), and from that
history to an animation (:func:`render_gif`, :func:`render_mp4`,
:func:`render_frames`) and a self-contained HTML report (:func:`report`).
"""

import importlib

__version__ = "0.1.0"

from .errors import (  # noqa: E402  (cheap, and every caller needs them)
    DataError,
    FitError,
    HistoryFileError,
    InitError,
    OptionError,
    OutputError,
    VizgmmError,
)

# The public API, by the module that holds it. Modules load on first use, so
# that `vizgmm --version`, `--help` and a one-line error do not pay for
# importing scipy and matplotlib.
_API = {
    "data.simulate": ["simulate", "walkthrough_data", "WALKTHROUGH_INIT", "eruption_durations"],
    "data.loading": ["load_data"],
    "model.em": ["fit"],
    "model.showcase": ["fit_to_show"],
    "model.ordering": ["order_by_classes"],
    "model.history": ["History"],
    "model.snapshot": ["Snapshot"],
    "model.selection": ["select", "Selection"],
    "model.comparison": ["compare", "Comparison"],
    "model.prior_comparison": ["PriorComparison"],
    "model.anneal": ["anneal"],
    "model.kmeans": ["kmeans"],
    "model.bound": ["bound_slice", "BoundSlice"],
    "model.collapse_demo": ["collapse_demo"],
    "model.restarts": ["restarts", "Restarts", "group_optima"],
    "model.basins": ["basin_map", "BasinMap"],
    "model.sklearn_bridge": ["from_sklearn"],
    "animate.api": ["render", "render_gif", "render_mp4", "render_webm", "render_webp", "render_frames", "render_still"],
    "animate.scenes.grid": ["render_comparison", "animate_restarts"],
    "animate.scenes.race": ["animate_race"],
    "animate.mpl_animation": ["animation"],
    "animate.scenes.basins": ["plot_basins"],
    "animate.scenes.plot": ["plot_snapshot"],
    "pages.build": ["report"],
    "pages.compare": ["compare_report"],
    "pages.explain": ["explain"],
    "pages.player": ["player"],
    "pages.widget": ["widget"],
    "pages.description": ["describe_fit"],
    "pages.captions": ["captions", "write_captions"],
    "pages.embed": ["embed_snippets"],
    "decks.slides": ["slides"],
    "decks.beamer": ["beamer"],
    "decks.reveal": ["reveal_deck"],
}
_HOME = {name: module for module, names in _API.items() for name in names}

__all__ = [
    *(name for names in _API.values() for name in names),
    "VizgmmError",
    "DataError",
    "OptionError",
    "InitError",
    "FitError",
    "HistoryFileError",
    "OutputError",
]


def __getattr__(name):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'vizgmm' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    if module.startswith("model."):
        # A History shows itself in a notebook through the view the pages stage registers.
        importlib.import_module(".pages.notebook", __name__)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
