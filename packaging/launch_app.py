"""Entry point of the bundled desktop application (``registre-app``)."""

from ui.app import main

main()
