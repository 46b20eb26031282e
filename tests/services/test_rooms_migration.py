"""Migration 0047 on a database of before it, on both backends: which center each existing room
goes to (a packet's kept room to its center, a room a township's head saved to that township,
every other to the county), and the sessions of before keep their calendar UIDs."""

from __future__ import annotations

from sqlalchemy import text

from mediation_desk import demo
from mediation_desk.db import Database, migrate_to, upgrade
from mediation_desk.services import sessions

AUDIT_IN = ("INSERT INTO audit_entry (at, user_id, username, action, entity, entity_id, detail, prev_hash,"
            " entry_hash) VALUES (:at, :u, :name, 'room.save', 'room', :r, '{}', '', '')")
ROOM_IN = ("INSERT INTO mediation_room (name, capacity, active, location, version, created_at, updated_at)"
           " VALUES (:n, 6, :a, :w, 1, :at, :at)")


def test_existing_rooms_go_to_the_center_they_were_set_up_for(db: Database) -> None:
    with db.write() as session:
        demo.seed(session, 4, township_cases=1)
    migrate_to(db, "0044")
    at = "2026-11-01 09:00:00"
    with db.write() as session:
        centers = {str(n): int(i) for i, n in session.execute(text("SELECT id, name FROM center"))}
        county, ljd, dz = (centers["张掖市甘州区矛盾纠纷调处中心"], centers["甘州区梁家墩镇综治中心"],
                           centers["甘州区党寨镇综治中心"])
        # Before 0047 a township had no rooms of its own but what its head set up, or a packet kept.
        session.execute(text("DELETE FROM mediation_room WHERE location LIKE '综治中心%'"))
        session.execute(text(ROOM_IN), {"n": "梁家墩说事室", "a": True, "w": "镇政府一楼", "at": at})
        session.execute(text(ROOM_IN), {"n": "第一调解室（甘州区党寨镇综治中心）", "a": False,
                                        "w": "甘州区党寨镇综治中心", "at": at})
        rooms = {str(n): int(i) for i, n in session.execute(text("SELECT id, name FROM mediation_room"))}
        ljd_head = int(session.execute(text("SELECT id FROM app_user WHERE username = 'ljd_head'")).scalar_one())
        head = int(session.execute(text("SELECT id FROM app_user WHERE username = 'head'")).scalar_one())
        session.execute(text(AUDIT_IN), {"at": at, "u": ljd_head, "name": "ljd_head", "r": rooms["梁家墩说事室"]})
        # The county head renamed it later: the center it was set up for is the first saver's.
        session.execute(text(AUDIT_IN), {"at": at, "u": head, "name": "head", "r": rooms["梁家墩说事室"]})
        case_id = int(session.execute(text("SELECT min(id) FROM dispute_case WHERE center_id = :c"),
                                      {"c": county}).scalar_one())
        for hour in (9, 14):
            session.execute(text(
                "INSERT INTO mediation_session (case_id, room_id, starts_at, ends_at, bring, invited, note, version,"
                " created_at, updated_at) VALUES (:c, :r, :s, :e, '', '[]', '', 1, :at, :at)"),
                {"c": case_id, "r": rooms["第一调解室"], "s": f"2026-11-02 {hour:02}:00:00",
                 "e": f"2026-11-02 {hour + 1:02}:00:00", "at": at})
        last_session = int(session.execute(text("SELECT max(id) FROM mediation_session")).scalar_one())
    upgrade(db)
    with db.read() as session:
        owner = {str(n): int(c) for n, c in session.execute(text("SELECT name, center_id FROM mediation_room"))}
        kept = sessions.legacy_uids_until(session)
    assert owner == {"第一调解室": county, "第二调解室": county, "联合调解室": county, "梁家墩说事室": ljd,
                     "第一调解室（甘州区党寨镇综治中心）": dz}
    assert kept == last_session
