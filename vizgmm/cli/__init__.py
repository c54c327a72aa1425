"""The ``vizgmm`` command: one command from data to GIF, MP4 and an HTML report.

Thin by design: each subcommand parses its options and calls the same public
functions a notebook user calls (:func:`vizgmm.fit`, :func:`vizgmm.simulate`,
``render_gif``/``render_mp4``/``render_frames``, ``report``). vizgmm's own
errors become one line on standard error and exit status 2.

Adding a subcommand is one ``add_<name>_parser(subparsers)`` in
:mod:`~vizgmm.cli.parser` that ends with ``set_defaults(func=cmd_<name>)``,
one ``cmd_<name>(args) -> int`` in :mod:`~vizgmm.cli.fitting` (a command that fits
data) or :mod:`~vizgmm.cli.redraw` (one that redraws a saved history), and one line
in :data:`~vizgmm.cli.parser.COMMANDS`.
"""

from vizgmm.cli.main import main

__all__ = ["main"]
