"""The frozen executables' entry point: the ``landbank`` command (the GUI without arguments,
a subcommand otherwise), as the console script installed by pip runs it."""

import sys

from landbank.cli import main

if __name__ == "__main__":
    sys.exit(main())
