"""Entry point of the bundled command line (``registre``)."""

from registre.cli import main

main()
