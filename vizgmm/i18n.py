"""The words vizgmm writes, in the reader's language: one gettext catalogue per language.

Every sentence, title, legend and label vizgmm generates goes through a
:class:`Words` (``words.gettext(...)``, ``words.ngettext(...)``), which wraps
Python's :mod:`gettext` over the catalogues in ``vizgmm/locale/<lang>/LC_MESSAGES/vizgmm.mo``.
English is the source language (the msgids are the English text, so English
needs no catalogue and its outputs are the words the code spells); Korean
(``ko``) has one. The ``.po`` files are edited and the ``.mo`` compiled with
Babel (``pybabel extract/update/compile``, see ``babel.cfg`` and the README);
the compiled ``.mo`` is committed and shipped in the wheel, and a test checks
it equals a fresh compile of its ``.po``.

:func:`resolve_lang` chooses the language: the one asked for, else the
user's locale (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in
gettext's order) when vizgmm has a catalogue for it, else English. Error
messages stay English on purpose: they are what a user pastes into an issue
or a search box.

Numbers follow a small per-language rule (:data:`NUMBER_SYMBOLS`): English
and Korean both group thousands with "," and write decimals with "." (CLDR's
``en`` and ``ko``; the tests check the rule against Babel's ``format_decimal``),
so a Korean caption's numbers read as its English twin's.
"""

import functools
import gettext
import os
from dataclasses import dataclass
from pathlib import Path

from vizgmm.errors import OptionError

DOMAIN = "vizgmm"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANG = "en"
#: Every language vizgmm writes, with its own name (for a caption track's label).
LANGUAGES = {"en": "English", "ko": "한국어"}
#: Decimal mark and thousands separator per language.
NUMBER_SYMBOLS = {"en": (".", ","), "ko": (".", ",")}
# The environment variables gettext reads, in its order.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def resolve_lang(lang=None, environ=None):
    """The language code to write in: ``lang`` if given, else the user's locale's when vizgmm has it, else "en".

    Parameters
    ----------
    lang : str or None
        "en" or "ko" (case and a region such as "ko_KR" or "ko-KR" are accepted).
    environ : mapping, optional
        Where to read the locale variables (default ``os.environ``).

    Raises
    ------
    OptionError
        When ``lang`` is given and vizgmm has no catalogue for it.
    """
    if lang is not None:
        code = _code(lang)
        if code not in LANGUAGES:
            raise OptionError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r} (no catalogue for it)")
        return code
    environ = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if not value:
            continue
        # LANGUAGE is a priority list ("ko:en"); the others name one locale ("ko_KR.UTF-8", "C").
        for entry in value.split(":") if name == "LANGUAGE" else [value]:
            code = _code(entry)
            if code in LANGUAGES:
                return code
        if name != "LANGUAGE":
            # The first locale variable that is set decides, as in gettext; C, POSIX or a language
            # without a catalogue mean English.
            return SOURCE_LANG
    return SOURCE_LANG


def _code(text):
    return str(text).split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()


@dataclass(frozen=True)
class Words:
    """One language's words: gettext and ngettext over its catalogue, and its numbers."""

    lang: str
    catalogue: gettext.NullTranslations

    def gettext(self, message):
        """``message`` (the English text) in this language."""
        return self.catalogue.gettext(message)

    def ngettext(self, singular, plural, n):
        """The form of ``singular``/``plural`` for the count ``n`` (Korean has one form)."""
        return self.catalogue.ngettext(singular, plural, n)

    def number(self, value, decimals=0):
        """``value`` with ``decimals`` decimals and thousands grouped, in this language's symbols."""
        return self.numeral(f"{float(value) if decimals else value:,.{decimals}f}")

    def numeral(self, text):
        """A number written the English way ("3,904.12") in this language's decimal mark and separator."""
        point, group = NUMBER_SYMBOLS[self.lang]
        return str(text).replace(",", "\0").replace(".", point).replace("\0", group)

    @property
    def name(self):
        """The language's own name ("English", "한국어")."""
        return LANGUAGES[self.lang]


@functools.cache
def _words(code):
    if code == SOURCE_LANG:
        return Words(code, gettext.NullTranslations())
    return Words(code, gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[code]))


def words(lang=None):
    """The :class:`Words` for ``lang`` (resolved by :func:`resolve_lang`); an existing Words passes through."""
    if isinstance(lang, Words):
        return lang
    return _words(resolve_lang(lang))


def N_(message):
    """Mark ``message`` for the catalogue where it is defined; translate it later with ``words.gettext``."""
    return message
