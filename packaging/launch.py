"""Entry point of the Linux bundle: ``registre`` and ``registre-app`` are one executable.

``registre-app`` is a symbolic link to ``registre``; the name the program was started under
chooses the desktop application or the command line.
"""

import multiprocessing

# First thing: a batch export's worker processes (forkserver, or spawn on Windows) start this
# same executable; freeze_support() turns such a start into the worker instead of a new Registre.
multiprocessing.freeze_support()

import os  # noqa: E402
import sys  # noqa: E402

if os.path.basename(sys.argv[0]).startswith("registre-app"):
    from registre_ui.launcher import main
else:
    from registre.cli import main

main()
