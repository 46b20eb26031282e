"""The audit chain: tampering found at the row, logins and openings logged, the retention purge."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update

from mediation_desk.db import Database
from mediation_desk.models import AuditEntry, Role
from mediation_desk.services import audit, auth, cases
from mediation_desk.services.actor import Actor
from mediation_desk.services.errors import AuthenticationFailed, InvalidInput, PermissionDenied

from .audit_tampering import bypass_triggers, chain_key, tampering
from .helpers import PASSWORD, make_user, register


def entries(db: Database) -> list[AuditEntry]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def some_history(db: Database) -> Actor:
    clerk = make_user(db, "clerk", Role.INTAKE)
    for title in ("相邻通行纠纷", "宅基地纠纷", "劳务报酬纠纷"):
        register(db, clerk, title=title)
    return clerk


def test_an_untouched_chain_verifies(db: Database) -> None:
    some_history(db)
    with db.read() as session:
        check = audit.verify_chain(session)
    assert check.intact and check.entries == len(entries(db)) >= 5
    assert check.message == f"审计日志完整：共 {check.entries} 条"
    assert check.head_hash == entries(db)[-1].entry_hash


@pytest.mark.parametrize("column", ["username", "detail", "at"])
def test_a_row_edited_by_hand_breaks_the_chain_at_that_row(db: Database, column: str) -> None:
    some_history(db)
    victim = entries(db)[3]
    values = {"username": "'mallory'", "detail": "'{}'", "at": "'2020-01-01 00:00:00'"}[column]
    with tampering(db) as connection:
        connection.execute(text(f"UPDATE audit_entry SET {column} = {values} WHERE id = :id"), {"id": victim.id})
    with db.read() as session:
        check = audit.verify_chain(session)
    assert not check.intact
    assert check.first_broken_id == victim.id
    assert f"记录编号 {victim.id}" in check.message and victim.action in check.message


def test_a_deleted_row_breaks_the_chain_at_the_next_one(db: Database) -> None:
    some_history(db)
    rows = entries(db)
    with tampering(db) as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": rows[2].id})
    with db.read() as session:
        check = audit.verify_chain(session)
    assert check.first_broken_id == rows[3].id
    assert "链接不符" in check.message


def test_rehashing_one_row_breaks_at_its_mac_and_at_its_successor(db: Database) -> None:
    """Editing a row and fixing its own hash is not enough: its keyed MAC no longer matches, and
    the next entry points at the old hash."""
    some_history(db)
    rows = entries(db)
    victim = rows[2]
    with db.write() as session:
        bypass_triggers(session)
        entry = session.get(AuditEntry, victim.id)
        assert entry is not None
        entry.username = "mallory"
        entry.entry_hash = audit._entry_digest(entry.prev_hash, entry.at, "mallory", entry.action, entry.entity,
                                               entry.entity_id, entry.detail)
    with db.read() as session:
        check = audit.verify_chain(session)
    assert check.first_broken_id == victim.id and "MAC" in check.message
    assert [p.id for p in check.problems] == [victim.id, rows[3].id]


def test_login_success_and_failure_are_logged_with_the_workstation(db: Database) -> None:
    make_user(db, "clerk", Role.INTAKE)
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "clerk", "wrong")
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "nobody", PASSWORD)
    auth.login(db, "clerk", PASSWORD)
    rows = [(e.username, e.action, e.detail.get("result"), e.detail.get("workstation")) for e in entries(db)
            if e.action.startswith("login")]
    station = audit.workstation()
    assert rows[-3:] == [("clerk", "login_failed", "failed", station), ("nobody", "login_failed", "failed", station),
                         ("clerk", "login", "ok", station)]
    assert entries(db)[-2].detail["reason"] == "unknown_user"


def test_logout_and_unlock_are_logged(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    with pytest.raises(AuthenticationFailed):
        auth.unlock(db, clerk, "wrong")
    again = auth.unlock(db, clerk, PASSWORD)
    assert again.user_id == clerk.user_id
    with db.write() as session:
        auth.logout(session, clerk)
    assert [e.action for e in entries(db)[-3:]] == ["unlock_failed", "unlock", "logout"]


def test_opening_a_case_is_logged_once_and_never_on_the_read_session(db: Database) -> None:
    clerk = some_history(db)
    case_id = register(db, clerk)
    before = len(entries(db))
    with db.read() as session:
        detail = cases.case_detail(session, clerk, case_id)
        # The read itself writes nothing; the opening is logged beside it, on the writer.
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == before
        audit.record_access(db, clerk, detail.id)
    rows = entries(db)
    assert len(rows) == before + 1
    assert (rows[-1].action, rows[-1].entity, rows[-1].entity_id, rows[-1].username) == (
        "case.open", "case", case_id, "clerk")
    assert rows[-1].detail["workstation"] == audit.workstation()
    with db.read() as session:
        assert audit.verify_chain(session).intact


def test_purge_keeps_180_days_and_the_chain_still_verifies(db: Database) -> None:
    admin = make_user(db, "admin", Role.ADMIN)
    some_history(db)
    rows = entries(db)
    # Age the first four entries; their hashes cover the time, so rewrite the chain like the
    # clock had really been earlier (a test-only rehash of the whole chain).
    old = datetime.now() - timedelta(days=400)
    chain, key = chain_key(db)
    with db.write() as session:
        bypass_triggers(session)
        prev = ""
        for index, entry in enumerate(session.scalars(select(AuditEntry).order_by(AuditEntry.id))):
            if index < 4:
                entry.at = old + timedelta(minutes=index)
            entry.prev_hash = prev
            entry.entry_hash = audit._entry_digest(prev, entry.at, entry.username, entry.action, entry.entity,
                                                   entry.entity_id, entry.detail)
            entry.mac = audit._mac(key, chain, entry.seq or 0, entry.entry_hash)
            prev = entry.entry_hash
    with pytest.raises(InvalidInput, match="至少保留 180 天"), db.write() as session:
        audit.purge(session, admin, keep_days=30)
    with pytest.raises(PermissionDenied), db.write() as session:
        audit.purge(session, make_user(db, "head", Role.HEAD))
    with db.write() as session:
        result = audit.purge(session, admin)
    assert result.removed == 4
    kept = entries(db)
    assert kept[0].id == rows[4].id
    purge_entry = kept[-1]
    assert purge_entry.action == "audit.purge"
    assert purge_entry.detail["first_kept_id"] == rows[4].id
    assert purge_entry.detail["last_purged_hash"] == kept[0].prev_hash != ""
    with db.read() as session:
        check = audit.verify_chain(session)
    assert check.intact and check.starts_after_purge == rows[4].id
    # Nothing older than 180 days left: a second purge removes nothing and logs nothing.
    with db.write() as session:
        assert audit.purge(session, admin).removed == 0
    assert len(entries(db)) == len(kept)
    # Deleting the first kept entry by hand is not covered by the purge entry.
    with tampering(db) as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": rows[4].id})
    with db.read() as session:
        broken = audit.verify_chain(session)
    assert broken.first_broken_id == rows[5].id and "清理记录" in broken.message
    # Forging the purge entry's anchor to vouch for the new start breaks the chain at the purge
    # entry itself, which the chain covers.
    with tampering(db) as connection:
        connection.execute(update(AuditEntry).where(AuditEntry.id == purge_entry.id).values(
            detail={**purge_entry.detail, "first_kept_id": rows[5].id, "last_purged_hash": kept[1].prev_hash}))
    with db.read() as session:
        assert audit.verify_chain(session).first_broken_id == purge_entry.id


def test_list_filters_and_only_head_and_admin_may_read(db: Database) -> None:
    clerk = some_history(db)
    head = make_user(db, "head", Role.HEAD)
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "clerk", "wrong")
    with db.read() as session:
        with pytest.raises(PermissionDenied, match="中心主任和系统管理员"):
            audit.list_entries(session, clerk)
        newest = audit.list_entries(session, head, limit=3)
        assert newest[0].id > newest[1].id > newest[2].id
        failed = audit.list_entries(session, head, audit.AuditFilter(action="login_failed"))
        assert [(r.username, r.result, r.action_label) for r in failed] == [("clerk", "failed", "登录失败")]
        assert audit.count_entries(session, head, audit.AuditFilter(username="clerk")) >= 4
        by_text = audit.list_entries(session, head, audit.AuditFilter(text="登录失败"))
        assert [r.action for r in by_text] == ["login_failed"]
        future = audit.AuditFilter(since=datetime.now() + timedelta(days=1))
        assert audit.count_entries(session, head, future) == 0
        users, actions = audit.usernames_and_actions(session, head)
        assert "clerk" in users and "login_failed" in actions


def test_case_opened_on_the_write_lane_session(db: Database) -> None:
    clerk = some_history(db)
    case_id = register(db, clerk)
    with db.write() as session:
        entry = audit.record_case_opened(session, clerk, case_id, purpose="cli")
    assert (entry.action, entry.detail["purpose"], entry.detail["result"]) == ("case.open", "cli", "ok")
    with db.read() as session:
        assert audit.verify_chain(session).intact
