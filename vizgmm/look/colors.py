"""Component colours: one palette per theme, and the one rule for more components than colours.

Component j takes the theme's colour ``j mod PALETTE_SIZE``, in frames, GIFs,
videos, the player (which reads :data:`PALETTE_SIZE` from its data), the report's
swatches and the comparison page, so a component looks the same everywhere.
"""

from vizgmm.look import presets

#: Colours in each theme's palette; component j wraps onto colour j mod this.
PALETTE_SIZE = 10


def colour_index(j):
    """The palette slot of component ``j`` (0-based)."""
    return int(j) % PALETTE_SIZE


def component_colors(theme, k):
    """The k component colours of ``theme`` (a name or a theme dict), as the theme spells them."""
    palette = (theme if isinstance(theme, dict) else presets.theme(theme))["components"]
    return [palette[colour_index(j) % len(palette)] for j in range(k)]
