"""Where the shipped resources (fonts, translations, icons) are: next to the package in a source
checkout, inside the bundle of a frozen build, or where MEDIATION_DESK_RESOURCES points."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    explicit = os.environ.get("MEDIATION_DESK_RESOURCES")
    if explicit:
        return Path(explicit)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def translations_dir() -> Path:
    return resources_dir() / "i18n"
