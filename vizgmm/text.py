"""The one rule for user text that reaches a terminal or a file (titles, names, headers, labels, file names).

Two functions, one rule:

- :func:`check_label` refuses, before any work, text a user gives as a
  label (``--title``, ``--component-names``, a CSV's header and labels, a
  saved history's title and names): bytes that are not UTF-8 (a
  command-line argument Python could not decode), control characters
  (ESC sets a terminal's title, a newline breaks a frame's layout, and
  they reached the report, the alt text, a TeX comment and PPTX as
  ``_x001B_``) and text longer than its limit (a 2,000,000-character title
  made the player's page, and a GIF 6x slower).
- :func:`shown` spells text that must be shown as it is (a file name, a
  column name quoted in an error) so that it can do nothing to a terminal
  or file: control and invisible format characters as ``\\x1b`` /
  ``\\u202e``, undecodable bytes of a file name as ``\\xe9``.
"""

import unicodedata

from vizgmm.errors import OptionError

#: Longest title and component name drawn: longer ones were clipped and made a GIF 6x slower.
MAX_TITLE = 200
MAX_COMPONENT_NAME = 40
#: Column names and labels are the user's data: no length limit (a 300,000-character label is read).
MAX_NAME = None

#: Unicode categories that are never shown as themselves: controls, invisible format characters
#: (the bidi overrides that reorder what a terminal shows), line and paragraph separators, surrogates.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def undecodable(text):
    """Whether ``text`` holds bytes that were not UTF-8 (the surrogate escapes of ``os.fsdecode``)."""
    return any(0xDC80 <= ord(ch) <= 0xDCFF for ch in text)


def raw_bytes(text):
    """The bytes a command-line argument or file name was given as (what the user typed)."""
    return text.encode("utf-8", "surrogateescape")


def shown(text, limit=None, keep_format=False):
    """``text`` safe to print or write: hidden characters spelled ``\\x1b``, undecodable bytes ``\\xe9``.

    ``limit`` (characters of the original) cuts a long text with "...".
    ``keep_format`` keeps format characters and line separators (a bidi
    override, U+2028) for text bound for a page, which isolates them
    (``<bdi>``); on a terminal (the default) they are spelled out too.
    """
    hidden = {"Cc", "Cs"} if keep_format else _HIDDEN
    text = str(text)
    cut = limit is not None and len(text) > limit
    if cut:
        text = text[:limit]
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in hidden:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out) + ("..." if cut else "")


def check_label(text, what, limit, error=OptionError):
    """Check one user label before anything is fitted or drawn; returns it as str.

    ``what`` names it in the error ("title", "component name 2", "--title"); ``limit`` None: no length limit;
    ``error`` is the VizgmmError class raised (OptionError for options,
    DataError for a file's header, the history's Malformed for a saved one).
    """
    text = str(text)
    if undecodable(text):
        raise error(f"{what} has bytes that are not UTF-8 ({raw_bytes(text)[:30]!r}); "
                    "write it in UTF-8 (check the terminal's or the script's encoding)")
    # Control characters only: U+2028/2029 and format characters (ZWJ in emoji, ZWNJ in Persian) are text.
    bad = next((ch for ch in text if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise error(f"{what} contains the control character U+{ord(bad):04X} ('{shown(text, 30)}'); remove it")
    if limit is not None and len(text) > limit:
        raise error(f"{what} is {len(text):,} characters long ('{shown(text, 20)}'); keep it to {limit} characters")
    return text


def check_user_text(title=None, component_names=None, error=OptionError):
    """The title and component names a user gave, checked (see :func:`check_label`); returns the title.

    Every page, deck and frame that shows a user's title or names asks this, so one rule holds for all.
    """
    if title is not None:
        title = check_label(title, "title", MAX_TITLE, error)
    for j, name in enumerate(component_names or []):
        check_label(name, f"component name {j + 1}", MAX_COMPONENT_NAME, error)
    return title
