"""Canvas presets and colour themes, as data.

A preset fixes the canvas (pixels, dpi) and the type sizes for where the
animation is shown; a theme fixes the colours. Both are plain mappings, so a
new one is a new entry, not a new branch: ``PRESETS["poster"] = {...}``.

Sizes are in pixels; type sizes and line widths in points (1/72 inch), so a
preset's dpi decides how large text looks on its canvas. The blog preset is
the walk-through's own figure (640×480 at 100 dpi, matplotlib's default
look); slides are 1920×1080 at 200 dpi, which makes 11-point labels about
30 px tall, readable from the back of a room.
"""

from vizgmm.errors import OptionError

PRESETS = {
    "blog": {
        "size": (640, 480),
        "dpi": 100,
        "font_size": 10,
        "title_size": 12,
        "legend_size": 9,
        "panel_size": 8,
        "line_width": 1.6,
        "point_size": 14,  # marker area in points², as matplotlib's scatter takes it
        "point_size_2d": 9,
        "max_points": 5000,
    },
    "slides": {
        "size": (1920, 1080),
        "dpi": 200,
        "font_size": 11,
        "title_size": 14,
        "legend_size": 10,
        "panel_size": 9,
        "line_width": 2.0,
        "point_size": 14,
        "point_size_2d": 8,
        "max_points": 5000,
    },
    "square": {
        "size": (1080, 1080),
        "dpi": 160,
        "font_size": 11,
        "title_size": 13,
        "legend_size": 9,
        "panel_size": 8,
        "line_width": 1.8,
        "point_size": 14,
        "point_size_2d": 8,
        "max_points": 5000,
    },
}

# Component colours: the light theme keeps matplotlib's tab10 (the
# walk-through's blue and orange); the dark theme uses lighter tints of the
# same hues so they keep their contrast on a dark background.
THEMES = {
    "light": {
        "background": "#ffffff",
        "axes": "#ffffff",
        "foreground": "#222222",
        "muted": "#777777",
        "grid": "#e6e6e6",
        "histogram": "#2ca02c",
        "histogram_alpha": 0.4,
        "mixture": "#333333",
        "cursor": "#d62728",
        "legend_face": "#ffffff",
        "legend_alpha": 0.85,
        "event": "#333333",  # neutral: never a component's colour
        "components": [
            "#1f77b4", "#ff7f0e", "#9467bd", "#d62728", "#8c564b",
            "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#2ca02c",
        ],
    },
    "dark": {
        "background": "#16181d",
        "axes": "#1c1f26",
        "foreground": "#e8e8e8",
        "muted": "#9aa0a6",
        "grid": "#2e323b",
        "histogram": "#4ade80",
        "histogram_alpha": 0.3,
        "mixture": "#f0f0f0",
        "cursor": "#ff6b6b",
        "legend_face": "#23262e",
        "legend_alpha": 0.9,
        "event": "#f0f0f0",
        "components": [
            "#5fb0ff", "#ffa94d", "#c69cff", "#ff6b6b", "#d4a373",
            "#ff8fd8", "#4fe3f0", "#e6e65c", "#bfbfbf", "#7ee787",
        ],
    },
}


def preset(name_or_mapping="blog", size=None):
    """The preset's settings as a new dict (``size`` (w, h) in pixels overrides the canvas)."""
    if isinstance(name_or_mapping, dict):
        out = {**PRESETS["blog"], **name_or_mapping}
    else:
        try:
            out = dict(PRESETS[name_or_mapping])
        except (KeyError, TypeError):
            raise OptionError(
                f"unknown preset {name_or_mapping!r}; use one of: {', '.join(PRESETS)}"
            ) from None
    if size is not None:
        try:
            w, h = (int(v) for v in size)
        except (TypeError, ValueError):
            raise OptionError(f"size must be (width, height) in pixels, got {size!r}") from None
        if not (64 <= w <= 8192 and 64 <= h <= 8192):
            raise OptionError(f"size {w}x{h} is out of range; use 64 to 8192 pixels per side")
        out["size"] = (w, h)
    return out


def theme(name_or_mapping="light"):
    """The theme's colours as a new dict."""
    if isinstance(name_or_mapping, dict):
        return {**THEMES["light"], **name_or_mapping}
    try:
        return dict(THEMES[name_or_mapping])
    except (KeyError, TypeError):
        raise OptionError(
            f"unknown theme {name_or_mapping!r}; use one of: {', '.join(THEMES)}"
        ) from None
