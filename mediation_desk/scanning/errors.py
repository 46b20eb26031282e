"""What scanning and import refuse, each with a message for the clerk (Chinese, naming the file
or the scanner and the problem).

They are ``ServiceError``s, so the operation runner shows them as expected refusals, not bugs.
"""

from __future__ import annotations

from enum import StrEnum

from ..errors import ServiceError


class ScanningError(ServiceError):
    """A scan, an import or a PDF assembly that could not be done; ``str(error)`` is the message."""


class ScannerUnavailable(ScanningError):
    """The scanner support is not installed, or not on this operating system."""


class ScanFailed(ScanningError):
    """The scanner reported an error (paper jam, cover open, device busy …)."""


class Cancelled(ScanningError):
    """The clerk pressed Cancel; nothing was kept."""


class FileProblem(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_MANY_PAGES = "too_many_pages"
    CORRUPT = "corrupt"
    MISLABELLED = "mislabelled"
    UNSUPPORTED = "unsupported"
    ENCRYPTED = "encrypted"
    UNREADABLE = "unreadable"


class FileRefused(ScanningError):
    """A file that is not imported. ``problem`` says why for code; the message says it for people."""

    def __init__(self, filename: str, problem: FileProblem, message: str) -> None:
        super().__init__(message)
        self.filename = filename
        self.problem = problem
