"""Progress reports and cancellation, shared by scanners, import and PDF assembly.

Long work here runs on a worker thread. It reports through a plain callback (the Qt layer turns
that into a queued signal) and asks a plain callable whether to stop (the Qt layer backs it with
a ``threading.Event`` set by the Cancel button). Neither knows about Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .errors import Cancelled


@dataclass(frozen=True)
class Progress:
    done: int
    #: 0 when the amount of work is not known yet (a document feeder's page count).
    total: int
    #: What is happening, for a status line: "正在扫描第 2 页".
    text: str

    @property
    def fraction(self) -> float | None:
        """Between 0 and 1, or None for a busy indicator."""
        if self.total <= 0:
            return None
        return min(1.0, max(0.0, self.done / self.total))


ProgressCallback = Callable[[Progress], None]
#: Returns True when the work should stop as soon as it safely can.
CancelCheck = Callable[[], bool]


def report(progress: ProgressCallback | None, done: int, total: int, text: str) -> None:
    if progress is not None:
        progress(Progress(done, total, text))


def stop_if_cancelled(cancelled: CancelCheck | None, message: str) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled(message)
