"""``python -m vizgmm`` is the ``vizgmm`` command."""

from vizgmm.cli.main import run

run()
