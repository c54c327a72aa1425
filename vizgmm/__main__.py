"""``python -m vizgmm`` is the ``vizgmm`` command."""

import sys

from vizgmm.cli.main import main

sys.exit(main())
