"""Drafts of the registration form: one per user, written atomically, any character kept."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest

from mediation_desk import settings
from mediation_desk.services import drafts

RARE = "吉𠮷 王䶮 李堃 张喆"
FORM = {
    "title": f"{RARE}等人追讨工资",
    "requests": "请求支付工资 12,000 元\n\n请求赔偿损失",
    "amount_involved": "１２０００",  # invalid or odd values are kept exactly as typed
    "parties": [{"name": "吉𠮷", "id_number": "11010519491231002x", "has_agent": True},
                {"name": "甘州区宏达建筑工程有限公司", "credit_code": ""}],
    "dispute_type_id": 11,
    "is_group_dispute": False,
}


def test_a_draft_comes_back_exactly(app_home: Path) -> None:
    at = datetime(2026, 11, 22, 10, 31, 5, 123456)
    written = drafts.save_draft("clerk", FORM, at=at)
    loaded = drafts.load_draft("clerk")
    assert loaded == written
    assert loaded is not None and loaded.form == FORM
    assert loaded.saved_at == datetime(2026, 11, 22, 10, 31, 5)
    path = drafts.draft_path("clerk")
    assert path == settings.data_dir() / "drafts" / "clerk.json"
    assert app_home in path.parents
    assert RARE in path.read_text(encoding="utf-8")  # readable UTF-8, not \\u escapes


def test_each_user_has_their_own_draft() -> None:
    drafts.save_draft("clerk", {"title": "甲"})
    drafts.save_draft("head", {"title": "乙"})
    assert drafts.load_draft("nobody") is None
    clerk, head = drafts.load_draft("clerk"), drafts.load_draft("head")
    assert clerk is not None and clerk.form == {"title": "甲"}
    assert head is not None and head.form == {"title": "乙"}
    drafts.discard_draft("clerk")
    drafts.discard_draft("clerk")  # nothing there: no error
    assert drafts.load_draft("clerk") is None
    assert drafts.load_draft("head") is not None


def test_user_names_that_are_not_file_names() -> None:
    names = ["王晓燕", "../etc/passwd", ".hidden", "a/b", "con"]
    paths = {drafts.draft_path(name) for name in names}
    assert len(paths) == len(names)
    for path in paths:
        assert path.parent == drafts.drafts_dir()
        assert not path.name.startswith(".")
    for i, name in enumerate(names):
        drafts.save_draft(name, {"n": i})
    assert [d.form["n"] for d in map(drafts.load_draft, names) if d is not None] == list(range(len(names)))


def test_a_failed_write_leaves_the_previous_draft(monkeypatch: pytest.MonkeyPatch) -> None:
    drafts.save_draft("clerk", {"title": "第一版"})

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(os, "fsync", disk_full)
        drafts.save_draft("clerk", {"title": "第二版"})
    loaded = drafts.load_draft("clerk")
    assert loaded is not None and loaded.form == {"title": "第一版"}
    assert sorted(p.name for p in drafts.drafts_dir().iterdir()) == ["clerk.json"]  # no temp file left


def test_an_unreadable_draft_is_set_aside_not_lost() -> None:
    path = drafts.draft_path("clerk")
    path.write_text('{"format": 1, "saved_at": "2026-11-22T10:31:05", "form": {"title": "半截', encoding="utf-8")
    assert drafts.load_draft("clerk") is None
    assert not path.exists()
    aside = list(drafts.drafts_dir().glob("clerk.unreadable-*.json"))
    assert len(aside) == 1 and "半截" in aside[0].read_text(encoding="utf-8")
    # The next draft is written normally.
    drafts.save_draft("clerk", {"title": "新"})
    assert drafts.load_draft("clerk") is not None


@pytest.mark.parametrize("content", ["[]", '{"format": 1, "form": {}}', '{"format": 1, "saved_at": "x", "form": {}}',
                                     '{"format": 1, "saved_at": "2026-11-22T10:31:05", "form": []}'])
def test_malformed_drafts(content: str) -> None:
    drafts.draft_path("clerk").write_text(content, encoding="utf-8")
    assert drafts.load_draft("clerk") is None


def test_a_draft_of_a_newer_version_is_left_alone() -> None:
    path = drafts.draft_path("clerk")
    path.write_text(json.dumps({"format": drafts.FORMAT_VERSION + 1, "saved_at": "2026-11-22T10:31:05",
                                "form": {}}), encoding="utf-8")
    assert drafts.load_draft("clerk") is None
    assert path.exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_draft_is_readable_by_its_owner_only_even_under_a_lax_umask() -> None:
    previous = os.umask(0o022)
    try:
        drafts.save_draft("clerk", FORM)  # it holds parties' ID numbers
    finally:
        os.umask(previous)
    assert stat.S_IMODE(drafts.draft_path("clerk").stat().st_mode) == 0o600
