"""The frozen app's entry script (PyInstaller needs a file outside the package)."""

import multiprocessing
import sys

from mediation_desk.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
