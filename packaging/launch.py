"""Entry point of the Linux bundle: ``registre`` and ``registre-app`` are one executable.

``registre-app`` is a symbolic link to ``registre``; the name the program was started under
chooses the desktop application or the command line.
"""

import os
import sys

if os.path.basename(sys.argv[0]).startswith("registre-app"):
    from registre_ui.launcher import main
else:
    from registre.cli import main

main()
