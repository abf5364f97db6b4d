"""``python -m landbank``: the same as the ``landbank`` command."""

import sys

from landbank.cli import main

sys.exit(main())
