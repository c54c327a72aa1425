"""The basin map as a picture: each pair of starting means coloured by the optimum EM reaches from it."""

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from vizgmm.animate.fast import fonts
from vizgmm.animate.scenes.base import _quiet_glyph_warnings
from vizgmm.files import atomic_path
from vizgmm.look import presets
from vizgmm.look.colors import component_colors
from vizgmm.model.basins import BasinMap

#: Optima beyond this many share one colour ("other").
COLOURED = 6


def plot_basins(basin: BasinMap, path: str | os.PathLike, *, preset: str | Mapping[str, Any] = "blog", theme: str | Mapping[str, Any] = "light", feature_name: str | None = None) -> Path:
    """Write the basin map (:func:`vizgmm.model.basins.basin_map`) as a PNG; returns the Path.

    The optima get the theme's component colours in rank order (the best
    first), the saddle the theme's muted grey; each optimum's own means are
    marked with an X at (μ₁, μ₂) and (μ₂, μ₁), so a reader sees where each
    basin leads.
    """
    p, t = presets.preset(preset), presets.theme(theme)
    w, h = p["size"]
    side = min(w, h)  # a square map: μ₁ and μ₂ on the same scale
    dpi = p["dpi"]
    saddle = basin.saddle
    palette = component_colors(t, COLOURED)
    colours, labels = [], []
    for optimum in basin.optima:
        final = basin.finals[optimum.starts[0]]
        mu = ", ".join(f"{v:.3g}" for v in final.means[:, 0]).replace("-", "\u2212")
        share = f"{basin.percent(optimum.rank)}%"
        if optimum.rank == saddle:
            colours.append(t["muted"])
            labels.append(f"saddle, one normal twice: {share}")
        else:
            colours.append(palette[min(optimum.rank, COLOURED) - 1])
            name = "best fit" if optimum.rank == 1 else f"optimum {optimum.rank}"
            labels.append(f"{name}, μ ({mu}): {share}")
    with matplotlib.rc_context(fonts.rc_params(p)), _quiet_glyph_warnings():
        fig = Figure(figsize=(side * 1.6 / dpi, side / dpi), dpi=dpi, facecolor=t["background"])
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_axes((0.075, 0.13, 0.46, 0.75), facecolor=t["axes"])
        starts = basin.starts
        step = starts[1] - starts[0]
        extent = (starts[0] - step / 2, starts[-1] + step / 2) * 2
        cmap = ListedColormap([to_rgba(c) for c in colours])
        ax.imshow(basin.rank.T - 1, origin="lower", extent=extent, cmap=cmap, vmin=-0.5,
                  vmax=len(colours) - 0.5, interpolation="nearest", aspect="equal")
        for optimum, colour in zip(basin.optima, colours):
            m = basin.finals[optimum.starts[0]].means[:, 0]
            ax.plot([m[0], m[1]], [m[1], m[0]], ls="none", marker="X", ms=p["line_width"] * 5, mfc=colour,
                    mec=t["foreground"], mew=0.8)
        name = feature_name or "x"
        ax.set_xlabel(f"starting μ₁ ({name})", color=t["foreground"])
        ax.set_ylabel(f"starting μ₂ ({name})", color=t["foreground"])
        ax.tick_params(colors=t["foreground"])
        for spine in ax.spines.values():
            spine.set_color(t["muted"])
        fig.text(0.5, 0.95, "Where EM ends from each pair of starting means (k = 2)", ha="center", va="center",
                 color=t["foreground"], fontsize=p["title_size"], parse_math=False)
        handles = [Patch(facecolor=c, edgecolor=t["muted"]) for c in colours]
        fig.legend(handles, labels, loc="center left", bbox_to_anchor=(0.56, 0.5), frameon=False,
                   labelcolor=t["foreground"], fontsize=p["legend_size"])
        fig.text(0.57, 0.16, f"each start: σ = {basin.std:.3g} for both, φ = ½", ha="left", va="center",
                 color=t["muted"], fontsize=p["legend_size"], parse_math=False)
        path = Path(path)
        with atomic_path(path) as tmp:
            canvas.print_png(str(tmp))
    return path
