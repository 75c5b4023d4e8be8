"""Entry point of the bundled desktop application (``registre-app``)."""

from ui.launcher import main

main()
