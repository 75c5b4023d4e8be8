"""Entry point of the bundled desktop application (``registre-app``)."""

import multiprocessing

# First thing: a batch export's worker processes (forkserver, or spawn on Windows) start this
# same executable; freeze_support() turns such a start into the worker instead of a new Registre.
multiprocessing.freeze_support()

from registre_ui.launcher import main  # noqa: E402

main()
