"""``python -m vizgmm`` is the ``vizgmm`` command."""

import sys

from .cli import main

sys.exit(main())
