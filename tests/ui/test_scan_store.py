"""Scanned pages kept beside a draft: written whole or not at all, owner-only, checked when read."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from mediation_desk.services import drafts
from mediation_desk.ui.scanning.store import PageStore

PAGE = b"\xff\xd8\xff\xe0 a scanned page \xff\xd9"


def test_a_page_is_kept_by_its_hash_and_read_back() -> None:
    store = PageStore("clerk")
    name = store.put(PAGE, ".jpg")
    assert name == hashlib.sha256(PAGE).hexdigest() + ".jpg"
    assert store.folder == drafts.draft_path("clerk").with_suffix(".pages")
    assert store.get(name) == PAGE
    assert store.put(PAGE, ".jpg") == name  # the same content is written once
    assert sorted(p.name for p in store.folder.iterdir()) == [name]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_page_is_readable_by_its_owner_only_even_under_a_lax_umask() -> None:
    store = PageStore("clerk")
    previous = os.umask(0o022)
    try:
        name = store.put(PAGE, ".jpg")  # an ID card scan is as private as the draft
    finally:
        os.umask(previous)
    assert stat.S_IMODE((store.folder / name).stat().st_mode) == 0o600


def test_a_failed_write_leaves_no_page_and_no_temporary_file(monkeypatch: pytest.MonkeyPatch) -> None:
    store = PageStore("clerk")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(os, "fsync", disk_full)
        store.put(PAGE, ".jpg")
    assert list(store.folder.iterdir()) == []
    # Tried again when the draft is next saved, and then kept.
    name = store.put(PAGE, ".jpg")
    assert store.get(name) == PAGE


def test_a_damaged_page_is_not_read_as_if_it_were_fine() -> None:
    store = PageStore("clerk")
    name = store.put(PAGE, ".jpg")
    (store.folder / name).write_bytes(PAGE[:-2])
    assert store.get(name) is None
    assert store.get("../clerk.json") is None
