"""The Jinja environment of vizgmm's pages: the packaged templates, or a user's folder over them.

A user's template folder is not trusted more than the data: templates run in
Jinja's sandbox (no attribute starting with ``_``, no Python internals, so no
way to import a module or run a program), and a template file is read only
when it really lies inside its folder — a symlink that leads out of the
folder (``style.css -> /etc/passwd``) is refused, not embedded.
"""

import os
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from vizgmm.errors import OptionError, OutputError
from vizgmm.i18n import words as get_words
from vizgmm.pages.formatting import format_number, format_signed, format_size


def default_template_dir():
    """The folder of the default templates: inside the installed package, else the checkout's."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only files whose real path is inside its folder.

    Jinja already refuses ``..`` in a template name; this also refuses a
    symlink (of a file or of a sub-folder) that resolves outside the folder,
    and anything that is not a regular file (a FIFO would hang the report).
    """

    def __init__(self, folder):
        self.root = Path(folder).resolve()
        super().__init__(str(self.root))

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        candidate = self.root.joinpath(*pieces)
        if not os.path.lexists(candidate):
            raise jinja2.TemplateNotFound(template)
        real = candidate.resolve()
        if not real.is_relative_to(self.root):
            raise OptionError(
                f"template {template} in {self.root} leads outside that folder (to {real}); "
                "copy the file into the template folder instead of linking to it"
            )
        if not real.is_file():
            raise OptionError(f"template {template} in {self.root} is not a regular file; replace it with one")
        return super().get_source(environment, template)


#: Bidi classes that can reorder the text around a string: right-to-left letters and the
#: embedding, override and isolate controls (a U+202E in a file name reversed the rest of its line).
_BIDI_CLASSES = {"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}
FSI, PDI = "\u2068", "\u2069"


def isolate_bidi(value):
    """Jinja's ``finalize``: a printed string with right-to-left text or bidi controls goes inside FSI … PDI.

    The Unicode isolate (what ``<bdi>`` does, but valid in attributes and
    ``<title>`` too) keeps the string's direction from leaking into the text
    around it; PDI also closes any embedding or override the string left open.
    Markup (already HTML) and plain left-to-right strings are printed as they are.
    """
    import unicodedata

    if isinstance(value, str) and not hasattr(value, "__html__"):
        if any(unicodedata.bidirectional(ch) in _BIDI_CLASSES for ch in value):
            return FSI + value + PDI
    return value


def template_environment(template_dir=None, lang=None):
    """A sandboxed Jinja2 environment: ``template_dir`` (if any) overrides templates by name, the defaults fill in.

    Autoescaping is on for every template and undefined variables raise. Templates say their words
    as ``{{ _("Summary") }}`` (Jinja's i18n extension over vizgmm's catalogue, in ``lang``:
    :func:`vizgmm.i18n.words`); ``lang`` is also a global, for ``<html lang>``.
    """
    folders = []
    if template_dir is not None:
        template_dir = Path(template_dir)
        if not template_dir.is_dir():
            raise OptionError(
                f"template folder {template_dir} does not exist or is not a folder; "
                "pass a folder holding templates such as report.html"
            )
        folders.append(ConfinedLoader(template_dir))
    default = default_template_dir()
    if not (default / "base.html").is_file():
        raise OutputError(
            f"vizgmm's report templates are missing from {default}; reinstall vizgmm"
        )
    folders.append(jinja2.FileSystemLoader(str(default)))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    words = get_words(lang)
    env.install_gettext_callables(words.gettext, words.ngettext, newstyle=True)
    env.globals["lang"] = words.lang
    env.finalize = isolate_bidi
    env.filters["num"] = format_number
    env.filters["signed"] = format_signed
    env.filters["filesize"] = format_size
    env.filters["text"] = plain_text
    return env


def plain_text(value):
    """Jinja's ``text`` filter: a catalogue message (Markup) back to plain text, so autoescaping writes it as any string.

    A translated label is Markup (the catalogue's text is trusted); an attribute printed through this
    filter is escaped the same way whether its words came from the catalogue or not ("'" as ``&#39;``).
    """
    import html

    return html.unescape(str(value)) if hasattr(value, "__html__") else value
