"""Mediation Desk (矛调工作台): case management for county conflict-mediation centers.

The package is layered: ``models`` (SQLAlchemy), ``services``/``documents``/``exchange`` (plain
Python, no Qt) and ``ui`` (PySide6). Only ``ui`` and ``app`` may import Qt.
"""

__version__ = "0.1.0"
APP_NAME = "mediation-desk"
APP_TITLE = "矛调工作台"
