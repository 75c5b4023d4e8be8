"""Entry point of the bundled command line (``registre``)."""

import multiprocessing

# First thing: a batch export's worker processes (forkserver, or spawn on Windows) start this
# same executable; freeze_support() turns such a start into the worker instead of a new Registre.
multiprocessing.freeze_support()

from registre.cli import main  # noqa: E402

main()
