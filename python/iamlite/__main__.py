"""``python -m iamlite``: the ``iamlite`` command line (see ``iamlite.cli``)."""

import sys

from .cli import main

sys.exit(main())
