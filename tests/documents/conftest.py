"""Helpers for the document tests: text extraction and the poppler tools."""

from __future__ import annotations

import io
import os
import shutil

import pytest
from pypdf import PdfReader


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
