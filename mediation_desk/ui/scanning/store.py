"""Scanned pages of an unsaved registration, kept beside its draft so that a crash loses none.

The draft (``services.drafts``) holds the form as JSON. Page images are too big for that, so the
encoded bytes of each page are written once, named by their SHA-256, into a folder next to the
draft file (``drafts/clerk.json`` → ``drafts/clerk.pages/``); the JSON names the files and keeps
each page's size, resolution and rotation. Order and rotation live only in the JSON, so turning or
moving a page writes no image again.

Pages are written by the worker that made them (scan, import, watched folder), each to a temporary
name, flushed and renamed: a kill leaves a whole file or none. Reading one back checks its
SHA-256, so a damaged page is reported and left out, never shown as if it were fine.

The folder goes when the draft goes (the case was saved, or the clerk discarded the draft). Files
of documents deleted before that stay until then: a few megabytes for the length of one visit.

No Qt here; the form calls it on the GUI thread only for pages a worker could not write.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediation_desk.files import write_atomically
from mediation_desk.models import AttachmentKind
from mediation_desk.scanning.pages import Page, PageFormat, ScannedDocument
from mediation_desk.services import drafts

log = logging.getLogger(__name__)

PDF_SUFFIX = ".pdf"
_SUFFIX = {PageFormat.JPEG: ".jpg", PageFormat.PNG: ".png"}


class PageStore:
    """The page files of one user's draft."""

    def __init__(self, username: str) -> None:
        self.username = username
        # id(bytes) -> (the bytes, their SHA-256): the same page is hashed once, however often the
        # draft is written. The bytes are held so the id cannot be reused while remembered.
        self._digests: dict[int, tuple[bytes, str]] = {}

    @property
    def folder(self) -> Path:
        # Looked up on each use: the data folder is per test, per install.
        return drafts.draft_path(self.username).with_suffix(".pages")

    def digest(self, data: bytes) -> str:
        known = self._digests.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        value = hashlib.sha256(data).hexdigest()
        self._digests[id(data)] = (data, value)
        return value

    def put(self, data: bytes, suffix: str) -> str:
        """Write ``data`` unless a file of the same content is there; returns its file name."""
        name = self.digest(data) + suffix
        target = self.folder / name
        if target.exists():
            return name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data, what="扫描页")
        return name

    def put_pages(self, pages: Iterable[Page]) -> None:
        """Best effort, from a worker: a page that cannot be written now is tried again when the
        draft is next saved (and then reported if it still fails)."""
        for page in pages:
            try:
                self.put(page.data, _SUFFIX[page.format])
            except OSError:
                log.warning("Could not keep a scanned page with the draft", exc_info=True)

    def get(self, name: str) -> bytes | None:
        """The content of ``name``, or None when it is missing or no longer matches its name."""
        if not _safe_name(name):
            return None
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != name.split(".", 1)[0]:
            return None
        return data

    def keep_only(self, pages: Iterable[Page]) -> None:
        """Forget the hashes of pages no longer on the form (the files stay until the draft goes)."""
        alive = {id(page.data) for page in pages}
        self._digests = {key: value for key, value in self._digests.items() if key in alive}

    def discard(self) -> None:
        self._digests.clear()
        with contextlib.suppress(OSError):
            shutil.rmtree(self.folder)


def _safe_name(name: str) -> bool:
    stem, _dot, suffix = name.partition(".")
    return len(stem) == 64 and all(c in "0123456789abcdef" for c in stem) and f".{suffix}" in (
        *_SUFFIX.values(), PDF_SUFFIX)


# --------------------------------------------------------------------------- documents in a draft


@dataclass(frozen=True)
class StoredDocument:
    """A document as the draft gives it back."""

    document: ScannedDocument
    pdf: bytes | None
    pdf_pages: int
    origin: str
    #: Index of the party on the form, or None.
    party: int | None
    #: Pages (or the PDF) whose files were missing or damaged and are left out.
    lost: int = 0


def document_state(store: PageStore, document: ScannedDocument, *, pdf: bytes | None, pdf_pages: int,
                   origin: str, party: int | None) -> dict[str, Any]:
    """What the draft's JSON holds for one document (the files themselves go to ``store``)."""
    state: dict[str, Any] = {"kind": str(document.kind), "title": document.title, "origin": origin,
                             "party": party}
    if pdf is not None:
        state["pdf"] = store.put(pdf, PDF_SUFFIX)
        state["pdf_pages"] = pdf_pages
        return state
    state["pages"] = [
        {"file": store.put(page.data, _SUFFIX[page.format]), "format": str(page.format), "width": page.width,
         "height": page.height, "dpi": list(page.dpi), "rotation": page.rotation, "source": page.source}
        for page in document.pages
    ]
    return state


def document_from_state(store: PageStore, state: object) -> StoredDocument | None:
    """A document back from the draft; None when nothing of it can be read. Never raises: a draft
    must not keep the form from opening."""
    if not isinstance(state, dict):
        return None
    try:
        kind = AttachmentKind(str(state.get("kind")))
    except ValueError:
        kind = AttachmentKind.OTHER
    title = state.get("title") if isinstance(state.get("title"), str) else ""
    origin = state.get("origin") if isinstance(state.get("origin"), str) else ""
    party = state.get("party") if isinstance(state.get("party"), int) else None
    assert isinstance(title, str) and isinstance(origin, str)
    if "pdf" in state:
        content = store.get(str(state["pdf"]))
        if content is None:
            return None
        count = state.get("pdf_pages")
        return StoredDocument(ScannedDocument(kind, title), content, count if isinstance(count, int) else 0,
                              origin, party)
    pages: list[Page] = []
    lost = 0
    raw_pages = state.get("pages")
    for raw in raw_pages if isinstance(raw_pages, list) else []:
        page = _page(store, raw)
        if page is None:
            lost += 1
        else:
            pages.append(page)
    if not pages:
        return None
    return StoredDocument(ScannedDocument(kind, title, tuple(pages)), None, 0, origin, party, lost)


def _page(store: PageStore, raw: object) -> Page | None:
    if not isinstance(raw, dict):
        return None
    data = store.get(str(raw.get("file", "")))
    if data is None:
        return None
    try:
        dpi = raw["dpi"]
        return Page(data, PageFormat(str(raw["format"])), int(raw["width"]), int(raw["height"]),
                    (float(dpi[0]), float(dpi[1])), int(raw.get("rotation", 0)), str(raw.get("source", "")))
    except (KeyError, TypeError, ValueError, IndexError):
        return None


__all__ = ["PageStore", "StoredDocument", "document_from_state", "document_state"]
