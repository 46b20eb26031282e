"""Helpers for the document tests: text extraction and the poppler tools."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from mediation_desk import demo
from mediation_desk.db import Database
from mediation_desk.services.actor import Actor

from ..conftest import login_as


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF as pypdf extracts it, pages joined by newlines."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def compact(text: str) -> str:
    """Text without whitespace: extraction puts line breaks and spaces where layout had them."""
    return "".join(text.split())


def require_tool(name: str) -> str:
    """The path of a poppler tool; skipped where it is missing, a failure on CI (CI installs
    poppler-utils, so a missing tool there means a broken setup, not an optional check)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; CI must install poppler-utils")
        pytest.skip(f"{name} not installed (Debian package poppler-utils)")
    return path


@dataclass(frozen=True)
class Demo:
    """A seeded demo center and its head, shared by a module's document checks."""

    db: Database
    head: Actor


def seeded_demo(template: Path, folder: Path, today: datetime, cases: int = 160) -> Demo:
    """A copy of the migrated template with the demo center seeded as of ``today``."""
    path = folder / "demo.sqlite3"
    shutil.copyfile(template, path)
    db = Database(f"sqlite:///{path}")
    with db.write() as session:
        demo.seed(session, cases, today=today)
    return Demo(db, login_as(db, "head"))
