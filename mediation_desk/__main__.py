"""Entry point: ``python -m mediation_desk`` and the ``mediation-desk`` command."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
