"""Entry point of the bundled desktop application (``registre-app``)."""

from registre_ui.launcher import main

main()
