"""The Jinja environment of vizgmm's pages: the packaged templates, or a user's folder over them."""

from pathlib import Path

import jinja2

from vizgmm.errors import OptionError, OutputError
from vizgmm.pages.formatting import format_number, format_signed, format_size


def default_template_dir():
    """The folder of the default templates: inside the installed package, else the checkout's."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


def template_environment(template_dir=None):
    """A Jinja2 environment: ``template_dir`` (if any) overrides templates by name, the defaults fill in.

    Autoescaping is on for every template and undefined variables raise.
    """
    folders = []
    if template_dir is not None:
        template_dir = Path(template_dir)
        if not template_dir.is_dir():
            raise OptionError(
                f"template folder {template_dir} does not exist or is not a folder; "
                "pass a folder holding templates such as report.html"
            )
        folders.append(jinja2.FileSystemLoader(str(template_dir)))
    default = default_template_dir()
    if not (default / "base.html").is_file():
        raise OutputError(
            f"vizgmm's report templates are missing from {default}; reinstall vizgmm"
        )
    folders.append(jinja2.FileSystemLoader(str(default)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = format_number
    env.filters["signed"] = format_signed
    env.filters["filesize"] = format_size
    return env
