"""Fonts for frame labels, with a fallback list so Hangul (여자 / 남자) renders.

matplotlib (3.6+) takes a list of families and falls back glyph by glyph.
DejaVu Sans comes first because it has the minus sign and the Greek letters
the labels use (NanumGothic lacks the minus); CJK fonts follow for Hangul,
kana and ideographs. Only installed families are passed on, so matplotlib
does not warn about each missing family on every frame.
"""

import functools
import logging
import warnings

# The label rule is vizgmm.text's, the one for every user string; kept importable from here.
from vizgmm.text import MAX_COMPONENT_NAME, MAX_TITLE, check_label, check_user_text  # noqa: F401

FALLBACK_FAMILIES = [
    "DejaVu Sans",
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Noto Sans CJK JP",
    "Noto Sans CJK SC",
    "Source Han Sans KR",
    "UnDotum",
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "AppleGothic",
    "Arial Unicode MS",
]

INSTALL_HINT = (
    "install a font that has them (Debian/Ubuntu: apt install fonts-nanum; "
    "macOS and Windows have Apple SD Gothic Neo / Malgun Gothic) and clear "
    "matplotlib's font cache (delete ~/.cache/matplotlib)"
)

# Characters already reported, so each missing glyph is reported once per process.
_reported: set[str] = set()


class _NearestWeightIsFine(logging.Filter):
    """Drops matplotlib's "Failed to find font weight bold for NanumGothic, now using 600" lines.

    A fallback family's bold is often 600, not 700 (NanumGothicBold.ttf says 600):
    matplotlib draws the nearest weight, as wanted, and says so on stderr for each
    family, which read like an error under `vizgmm restarts` (its ranking's bold row).
    """

    def filter(self, record):
        return not str(record.msg).startswith("findfont: Failed to find font weight")


@functools.lru_cache(maxsize=1)
def installed_families():
    """The fallback families that are installed, in fallback order (list of str)."""
    from matplotlib import font_manager

    logging.getLogger("matplotlib.font_manager").addFilter(_NearestWeightIsFine())
    available = {entry.name for entry in font_manager.fontManager.ttflist}
    found = [name for name in FALLBACK_FAMILIES if name in available]
    return found or ["DejaVu Sans"]


@functools.lru_cache(maxsize=1)
def _charmaps():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    maps = []
    for name in installed_families():
        try:
            path = font_manager.findfont(
                font_manager.FontProperties(family=name), fallback_to_default=False
            )
            maps.append(frozenset(FT2Font(path).get_charmap()))
        except (ValueError, RuntimeError, OSError):
            continue
    return maps


def missing_characters(text):
    """The characters of ``text`` that no installed fallback font has (sorted str)."""
    maps = _charmaps()
    missing = {
        ch for ch in set(text)
        if not ch.isspace() and not any(ord(ch) in cmap for cmap in maps)
    }
    return "".join(sorted(missing))


def check_labels(texts):
    """Warn once, naming the characters, when no installed font covers some label text.

    Returns the characters that will not render (str, empty when all do).
    """
    missing = missing_characters("".join(texts))
    new = "".join(ch for ch in missing if ch not in _reported)
    if new:
        _reported.update(new)
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in new[:8])
        warnings.warn(
            f"no installed font has the characters {new[:8]!r} ({codes}) used in the labels; "
            f"they will show as empty boxes. To fix it, {INSTALL_HINT}",
            UserWarning,
            stacklevel=3,
        )
    return missing


def rc_params(preset):
    """matplotlib rcParams for a frame: the fallback font list and the preset's type sizes."""
    return {
        "font.family": installed_families(),
        "font.size": preset["font_size"],
        "axes.titlesize": preset["title_size"],
        "legend.fontsize": preset["legend_size"],
        "axes.unicode_minus": True,
        # User text (titles, component names, column headers) is drawn as typed: "$\\foo$" failed
        # after the whole fit and "costs $5 and $6" came out in italics without its dollars.
        "text.parse_math": False,
    }

