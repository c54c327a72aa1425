"""What the two side-by-side pages share: the animation and its still, how to repeat the run, writing the page.

:mod:`vizgmm.pages.compare` (methods from one start) and
:mod:`vizgmm.pages.compare_priors` (concentration priors from one start)
build their own facts and words; the rest of the page is made here once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import jinja2

from vizgmm.animate.scenes.grid import GRID_DRAWING, render_side_by_side, still_side_by_side
from vizgmm.errors import OptionError
from vizgmm.files import scratch_prefix, write_text
from vizgmm.pages.media import animation_media, png_uri


def side_by_side_media(histories, titles, path, animation, gif_path, mp4_path, render_opts):
    """The page's side-by-side animation (rendered once, or the given file) and its still, as the page embeds them."""
    # The still shows the grid as the animation draws it (columns, size, panels, ...), not the movie's own options.
    still_opts = {k: v for k, v in render_opts.items() if k in GRID_DRAWING}
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("compare")) as scratch:
        media = animation_media(
            lambda kind, movie: render_side_by_side(histories, movie, titles=titles, **render_opts),
            animation, gif_path if animation == "gif" else None, mp4_path if animation == "mp4" else None,
            Path(scratch), path,
        )
    still = still_side_by_side(histories, titles=titles, **still_opts)
    return media, {"uri": png_uri(still), "width": still.shape[1], "height": still.shape[0]}


def reproducibility(command, seed, first):
    """The page's "how to repeat it": the call, the seed, the versions the fits and the page were made with."""
    from vizgmm.pages.sections import _report_versions

    return {
        "command": str(command),
        "seed": seed,
        "restart_seed": None,
        "fit_versions": sorted(first.versions.items()),
        "report_versions": sorted(_report_versions().items()),
    }


def write_page(env, template, context, path):
    """Render ``template`` with ``context`` into ``path``; a broken (user's) template is a one-line OptionError."""
    try:
        html = env.get_template(template).render(context)
    except jinja2.TemplateError as exc:
        where = f" ({exc.name}, line {exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise OptionError(f"the compare template failed{where}: {exc.message}; fix or remove the override") from None
    write_text(path, html)
    return path
