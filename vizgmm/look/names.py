"""The one resolver of component names, for frames, player, report and decks.

Names come from the caller (``component_names=``) or the history's
``meta["component_names"]``, and are checked here once: exactly k of them.
Without names, each place has one documented default: frames and legends say
"component j" (:func:`component_label`), tables and swatches say "j"
(:func:`short_names`), and the walk-through's legend shows N(μ, σ) alone.
"""

from vizgmm.errors import OptionError
from vizgmm.i18n import words as get_words
from vizgmm.text import check_user_text


def given_names(history, names=None):
    """The k names given by the caller or the history, as str, or None when there are none.

    Raises
    ------
    OptionError
        When the number of names is not k.
    """
    names = names if names is not None else history.meta.get("component_names")
    if not names:
        return None
    names = [str(name) for name in names]
    check_user_text(component_names=names)
    if len(names) != history.k:
        raise OptionError(
            f"{len(names)} component names for {history.k} components; give exactly one name per component"
        )
    return names


def component_label(names, j, words=None):
    """Component ``j``'s name in a frame or legend: its given name, else "component j" (1-based, in ``words``' language)."""
    return names[j] if names else get_words(words).gettext("component {number}").format(number=j + 1)


def short_names(history, names=None):
    """One short name per component for tables: the given names, else "1".."k"."""
    return given_names(history, names) or [str(j + 1) for j in range(history.k)]
