"""The batch import's bulk path (issue 20 item 5) leaves the database exactly as the same rows
imported one by one would: cases, parties, timelines, case numbers of each year, the search index
(SQLite's FTS5 vocabulary, PostgreSQL's gram counts), the monthly figures (each equal to a recount)
and the audit — on SQLite (executemany, the index and the figures made once at the end), on
PostgreSQL as the owner (COPY) and as the clerk's own login role (row-level security refuses COPY
FROM: COPY into a temporary table and INSERT … SELECT, or without the TEMPORARY right INSERT …
SELECT FROM unnest). Hostile cells (COPY's own escapes, quotes, tabs, line breaks) arrive as they
were written; refused rows sit between good ones of the same chunk and leave nothing behind."""

from __future__ import annotations

import csv
import json
import os
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from mediation_desk.db import Database
from mediation_desk.demo import mobile, person_name, resident_id
from mediation_desk.models import Gender, Role
from mediation_desk.services import auth, bulk_indexes, case_import, hotline_facts, stat_months
from mediation_desk.services.actor import Actor

from .helpers import PASSWORD

pytestmark = pytest.mark.story_day("2026-11-30T10:00")

IMPORTED_AT = datetime(2026, 11, 30, 10, 0)
SYSTEM = Actor.system("test")
#: Cases written before the file: one of them is in the file again (skipped, not doubled).
EARLIER = 3


#: Cell values a COPY or an INSERT could misread if they were not escaped.
HOSTILE = ("\\.", "第一行\n\\.\n第三行", "制表\t符\r\n回车", "\\N", "反斜杠\\t不是制表符", "引号\"'`；%s%(x)s",
           "NULL", "E'\\x41'", "\\\\")


def _rows(count: int) -> list[dict[str, str]]:
    """Tickets of two years, every source system and risk, companies, minors, amounts and none;
    the ones at every 9th place are wrong in some way (refused row by row)."""
    rng = random.Random(20)
    rows = []
    systems = ["12345", "网格", "110", "法院", "信访", "部门", "网上", "热线"]
    for n in range(count):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 60 * 365))  # some under eighteen
        gender = rng.choice(list(Gender))
        company = n % 5 == 0
        row = {
            "来源编号": f"GD{n:05d}", "来源系统": systems[n % len(systems)],
            "登记时间": f"{datetime(2025, 12, 20, 8) + timedelta(hours=n * 7):%Y-%m-%d %H:%M}",
            "纠纷类型": rng.choice(["邻里", "物业", "劳动争议", "拖欠农民工工资", "婚姻家庭"]),
            "纠纷名称": f"{person_name(rng)}反映通行问题{n}", "纠纷简要情况": "邻居在公共通道堆放杂物，影响通行。%_\"",
            "申请事项": "请求清理杂物；恢复通行" if n % 2 else "", "申请人": person_name(rng),
            "申请人身份证号": resident_id(rng, born, gender), "申请人电话": mobile(rng) if n % 3 else "0936-8212345",
            "被申请人": f"甘州区宏达物业有限公司{n}" if company else person_name(rng),
            "被申请人统一社会信用代码": "91350100M000100Y43" if company else "",
            "风险等级": rng.choice(["红", "橙", "黄", "蓝", ""]), "涉及人数": str(rng.randrange(0, 9)),
            "涉及金额": rng.choice(["", "12,500", "3500.50", "1.2万", "800元"]),
        }
        if n % 9 == 4:
            row[rng.choice(["登记时间", "申请人身份证号", "纠纷类型", "涉及金额"])] = "２０２６－１３－４０x"
        elif n % 9 == 7:
            # What COPY's text format and SQL must carry through untouched: its end-of-data mark,
            # backslashes, tabs, line breaks, quotes, NULL's spelling, a statement's end.
            row["纠纷简要情况"] = HOSTILE[n % len(HOSTILE)]
            row["纠纷名称"] = f"\\.{n}\\N'); DROP TABLE dispute_case; --"
        rows.append(row)
    rows.append(dict(rows[10]))  # the same ticket twice in one file
    return rows


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _import(db: Database, actor: Actor, path: Path, *, row_by_row: bool,
            bulk_load: bool | None = None) -> case_import.ImportReport:
    with time_machine.travel(IMPORTED_AT, tick=False), db.write() as session:
        return case_import.import_records(session, actor, case_import.read_records(path), today=IMPORTED_AT,
                                          row_by_row=row_by_row, bulk_load=bulk_load)


def _schema(db: Database) -> dict[str, Any]:
    """The schema as SQLite holds it, byte for byte: every object's text, each written table's
    indexes in the order the planner meets them, and the planner's statistics."""
    with db.read() as session:
        connection = session.connection()
        schema: dict[str, Any] = {"objects": connection.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all()}
        for table in case_import.BULK_LOAD_TABLES:
            schema[table] = connection.exec_driver_sql(f"PRAGMA index_list({table})").all()
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
            schema["stat1"] = connection.exec_driver_sql(
                "SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx").all()
    return schema


def _set_aside_spy(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The names of the indexes each import sets aside."""
    calls: list[list[str]] = []
    set_aside = bulk_indexes.set_aside

    def spy(connection: Any, tables: tuple[str, ...]) -> bulk_indexes.SetAside:
        aside = set_aside(connection, tables)
        calls.append([name for name, _ in aside.indexes])
        return aside

    monkeypatch.setattr(bulk_indexes, "set_aside", spy)
    return calls


_TABLES = {"dispute_case": "id", "party": "id", "case_event": "id", "case_number_sequence": "year",
           "hotline_order": "id"}


def _state(db: Database) -> dict[str, Any]:
    """Everything an import writes, as the database holds it."""
    with db.read() as session:
        state: dict[str, Any] = {
            table: [tuple(r) for r in session.execute(text(f"SELECT * FROM {table} ORDER BY {key}"))]
            for table, key in _TABLES.items()}
        state["audit"] = [tuple(r) for r in session.execute(text(
            "SELECT user_id, username, action, entity, entity_id, detail FROM audit_entry "
            "WHERE action LIKE 'case.%' ORDER BY id"))]
        if db.is_sqlite:
            for vocab in ("search_case_vocab", "search_party_vocab"):
                state[vocab] = session.execute(text(f"SELECT term, doc, cnt FROM {vocab} ORDER BY term")).all()
            state["fts rows"] = session.execute(text(
                "SELECT (SELECT count(*) FROM search_case_fts_docsize), (SELECT count(*) FROM search_party_fts_docsize)"
            )).one()
            state["triggers"] = session.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")).all()
        else:
            state["grams"] = session.execute(text("SELECT gram, cases FROM search_gram_count ORDER BY gram")).all()
            recount = session.execute(text(
                "SELECT g, count(*) FROM dispute_case, unnest(search_text_grams(title, facts)) AS g "
                "GROUP BY g ORDER BY g")).all()
            assert [tuple(r) for r in state["grams"]] == [tuple(r) for r in recount]
    with db.write() as session:  # the recount runs in a savepoint that is rolled back
        state["months"] = stat_months.kept(session)
        assert state["months"] == stat_months.recounted(session), "the monthly figures equal a recount"
        state["orders"] = hotline_facts.kept(session)
        assert state["orders"] == hotline_facts.recounted(session), "the orders' kept facts equal a recount"
    return state


def _refs(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(r) for r in session.execute(text("SELECT id, source_ref FROM dispute_case "
                                                        "WHERE source_ref IS NOT NULL ORDER BY id"))]


def _pg_copy(request: pytest.FixtureRequest, name: str) -> tuple[str, Any]:
    """A database cloned from the test template; (its url, the engine that drops it)."""
    server = request.getfixturevalue("pg_server")
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{request.getfixturevalue("pg_template")}"'))
    return server.url_for(name), admin


def _drop(admin: Any, name: str) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def twin(request: pytest.FixtureRequest, db: Database, tmp_path: Path) -> Iterator[Database]:
    """A second database in the state ``db`` starts in, on the same backend."""
    if db.is_sqlite:
        from mediation_desk.db import upgrade
        from mediation_desk.services import reference

        other = Database(f"sqlite:///{tmp_path / 'twin.sqlite3'}")
        upgrade(other)
        with other.write() as session:
            reference.ensure_dispute_types(session)
        yield other
        other.dispose()
        return
    name = f"md_twin_{os.getpid()}_{abs(hash(tmp_path))}"
    url, admin = _pg_copy(request, name)
    other = Database(url)
    yield other
    other.dispose()
    _drop(admin, name)


def _earlier(db: Database, rows: list[dict[str, str]], tmp_path: Path, actor: Actor = SYSTEM) -> None:
    """Cases already in the database: a few tickets imported before (by the plain path)."""
    _import(db, actor, _write_csv(tmp_path / f"earlier-{id(db)}.csv", rows[:EARLIER]), row_by_row=True)


def _refused_lines(count: int) -> set[int]:
    return {n + 2 for n in range(count) if n % 9 == 4}


@pytest.mark.parametrize("bulk_load", [False, True], ids=["indexes-kept", "indexes-set-aside"])
def test_a_bulk_import_leaves_the_state_of_importing_row_by_row(db: Database, twin: Database, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               bulk_load: bool) -> None:
    """On SQLite both ways of writing: the tables' secondary indexes kept row by row, or set aside
    and built again at the end (a big load) — either leaves the schema as it was, byte for byte
    (the timeline triggers an import cannot fire are set aside on both)."""
    if bulk_load and not db.is_sqlite:
        pytest.skip("PostgreSQL keeps its indexes")
    # Chunks of 16 rows: numbers, ids and the search index carry on across chunks and years.
    monkeypatch.setattr(case_import, "CHUNK_ROWS", 16)
    monkeypatch.setattr(case_import, "SERVER_CHUNK_ROWS", 16)
    set_aside = _set_aside_spy(monkeypatch)
    rows = _rows(120)
    path = _write_csv(tmp_path / "tickets.csv", rows)
    for database in (db, twin):
        _earlier(database, rows, tmp_path)
    schema = _schema(db) if db.is_sqlite else None
    bulk = _import(db, SYSTEM, path, row_by_row=False, bulk_load=bulk_load)
    one_by_one = _import(twin, SYSTEM, path, row_by_row=True, bulk_load=bulk_load)
    if bulk_load:
        assert len(set_aside) == 1, "the row-by-row import keeps its indexes"
        assert {"ix_party_name", "ix_dispute_case_received", "ix_case_event_action_at",
                "ix_hotline_order_received"} <= set(set_aside[0])
        assert not [name for name in set_aside[0] if name.startswith("sqlite_autoindex")], "unique ones stay"
    else:
        assert set_aside == []
    if db.is_sqlite:
        assert _schema(db) == schema

    assert bulk.already_imported == EARLIER and bulk.imported == 120 - EARLIER - len(_refused_lines(120))
    assert (bulk.imported, bulk.already_imported, bulk.numbers, bulk.warnings) == (
        one_by_one.imported, one_by_one.already_imported, one_by_one.numbers, one_by_one.warnings)
    messages = [str(e) for e in bulk.errors]
    assert messages == [str(e) for e in one_by_one.errors]
    assert {e.line for e in bulk.errors} == _refused_lines(120) | {122}
    assert "第 122 行，来源编号：与第 12 行的来源编号重复" in messages
    assert bulk.warnings, "the file holds minors: each is named in a warning"
    state = _state(db)
    assert [row[0] for row in state["case_number_sequence"]] == [2025, 2026]  # (year, last value, center)
    assert state == _state(twin)
    # A refused row leaves nothing behind, the good rows of its chunk around it are all there.
    refused = {rows[line - 2]["来源编号"] for line in _refused_lines(120)}
    imported = {ref.split(":", 1)[1] for *_, ref in _refs(db)}
    assert imported.isdisjoint(refused)
    assert len(imported) == 120 - len(refused)
    hostile = {r["纠纷名称"]: r["纠纷简要情况"] for n, r in enumerate(rows[:120]) if n % 9 == 7}
    with db.read() as session:
        kept = {str(title): str(facts) for title, facts in session.execute(text(
            "SELECT title, facts FROM dispute_case WHERE title LIKE '%DROP TABLE%'"))}
    assert kept == hostile, "hostile cells are stored as written"


@pytest.mark.parametrize("staging", [True, False], ids=["temporary-table", "arrays"])
def test_the_clerks_own_login_imports_under_row_level_security(pg_database_url: str, tmp_path: Path,
                                                                request: pytest.FixtureRequest,
                                                                monkeypatch: pytest.MonkeyPatch, staging: bool) -> None:
    """A desk signed in as the clerk: PostgreSQL refuses COPY FROM into a table whose row-level
    security applies, so the import copies into a temporary table and inserts from it (the
    TEMPORARY right of migration 0027), or without that right inserts from arrays — leaving what
    the owner's row-by-row import of the same file for the same clerk leaves."""
    monkeypatch.setattr(case_import, "SERVER_CHUNK_ROWS", 16)  # several chunks through one temporary table
    rows = _rows(40)
    path = _write_csv(tmp_path / "tickets.csv", rows)
    name = f"md_twin_{os.getpid()}_{abs(hash(tmp_path))}"
    twin_url, admin = _pg_copy(request, name)
    owner, twin = Database(pg_database_url), Database(twin_url)
    try:
        for database in (owner, twin):
            with database.write() as session:
                auth.create_user(session, SYSTEM, username="clerk", display_name="受理员", role=Role.INTAKE,
                                 password=PASSWORD, must_change_password=False)
        with owner.write() as session:
            desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
            if staging:  # a copy of the database has not the original's privileges (as after a restore)
                session.execute(text("SELECT md_install_import_staging()"))
        desk = Database(make_url(pg_database_url).set(username=desk_role))
        try:
            clerk = auth.login(desk, "clerk", PASSWORD)
            with desk.read() as session:
                assert session.scalar(text("SELECT row_security_active('dispute_case')")) is True
                assert session.scalar(text(
                    "SELECT has_database_privilege(current_database(), 'TEMPORARY')")) is staging
            report = _import(desk, clerk, path, row_by_row=False)
        finally:
            desk.dispose()
        assert report.imported == 40 - len(_refused_lines(40))
        assert {e.line for e in report.errors} == _refused_lines(40) | {42}
        one_by_one = _import(twin, clerk, path, row_by_row=True)
        assert report.numbers == one_by_one.numbers
        with owner.read() as session:
            assert session.scalar(text(
                "SELECT count(*) FROM audit_entry WHERE action = 'case.import' AND username = 'clerk'")) == 1
        assert _state(owner) == _state(twin)
    finally:
        owner.dispose()
        twin.dispose()
        _drop(admin, name)


@pytest.fixture(params=["owner", "clerk"], ids=["copy-as-owner", "copy-under-row-level-security"])
def copy_importer(request: pytest.FixtureRequest, pg_database_url: str) -> Iterator[tuple[Database, Actor, Database]]:
    """(where the import runs, who imports, the database as its owner) for PostgreSQL's COPY paths:
    as the owner (COPY into the tables) and as the clerk's own login under row-level security
    (COPY into the temporary table, then INSERT … SELECT)."""
    owner = Database(pg_database_url)
    if request.param == "owner":
        yield owner, SYSTEM, owner
        owner.dispose()
        return
    with owner.write() as session:
        auth.create_user(session, SYSTEM, username="clerk", display_name="受理员", role=Role.INTAKE,
                         password=PASSWORD, must_change_password=False)
        desk_role = str(session.scalar(text("SELECT md_install_desk_role()")))
        session.execute(text("SELECT md_install_import_staging()"))
    desk = Database(make_url(pg_database_url).set(username=desk_role))
    clerk = auth.login(desk, "clerk", PASSWORD)
    yield desk, clerk, owner
    desk.dispose()
    owner.dispose()


def _nothing_imported(owner: Database) -> None:
    """No case, number, timeline entry, 12345 order or audit entry of an import is left."""
    with owner.read() as session:
        assert session.scalar(text("SELECT count(*) FROM dispute_case")) == 0
        assert session.scalar(text("SELECT count(*) FROM case_number_sequence")) == 0
        assert session.scalar(text("SELECT count(*) FROM case_event")) == 0
        assert session.scalar(text("SELECT count(*) FROM hotline_order")) == 0
        assert session.scalar(text("SELECT count(*) FROM audit_entry WHERE action = 'case.import'")) == 0


@pytest.mark.postgresql
def test_copy_progress_moves_chunk_by_chunk_on_the_calling_thread(
        copy_importer: tuple[Database, Actor, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL formats the next chunks while the server writes one: the progress is still told
    chunk by chunk, on the thread that called the import (a dialog's worker), and the refused rows
    of later chunks are reported by their lines like the first chunk's."""
    import threading

    desk, actor, _ = copy_importer
    monkeypatch.setattr(case_import, "SERVER_CHUNK_ROWS", 16)
    path = _write_csv(tmp_path / "tickets.csv", _rows(120))
    told: list[tuple[int, int]] = []
    with time_machine.travel(IMPORTED_AT, tick=False), desk.write() as session:
        report = case_import.import_records(session, actor, case_import.read_records(path), today=IMPORTED_AT,
                                            progress=lambda done: told.append((done, threading.get_ident())))
    assert {thread for _, thread in told} == {threading.get_ident()}
    counts = [done for done, _ in told]
    assert counts == sorted(counts)
    assert len(set(counts)) >= 6, "one report per chunk written (120 rows less the refused, 16 a chunk)"
    assert counts[-1] == report.imported == 120 - len(_refused_lines(120))
    assert {e.line for e in report.errors} == _refused_lines(120) | {122}
    assert max(_refused_lines(120)) > 100, "refused rows in the last chunks too"


@pytest.mark.postgresql
def test_a_server_error_in_a_later_chunk_undoes_the_whole_import(
        copy_importer: tuple[Database, Actor, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server refuses a row of the sixth chunk (here a trigger of the test's own) while the
    next chunks are being formatted: the import raises the server's error, the caller's
    transaction rolls back and nothing of the file is left — the chunks written before included."""
    desk, actor, owner = copy_importer
    with owner.write() as session:
        session.execute(text(
            "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the server: %', NEW.title; END $$"))
        session.execute(text("CREATE TRIGGER test_refuse BEFORE INSERT ON dispute_case FOR EACH ROW "
                             "WHEN (NEW.title = '服务器拒收') EXECUTE FUNCTION test_refuse()"))
    monkeypatch.setattr(case_import, "SERVER_CHUNK_ROWS", 16)
    rows = _rows(120)
    rows[95]["纠纷名称"] = "服务器拒收"
    path = _write_csv(tmp_path / "tickets.csv", rows)
    told: list[int] = []
    with pytest.raises(Exception, match="refused by the server: 服务器拒收"), \
            time_machine.travel(IMPORTED_AT, tick=False), desk.write() as session:
        case_import.import_records(session, actor, case_import.read_records(path), today=IMPORTED_AT,
                                   progress=told.append)
    assert told, "chunks before it had been written"
    _nothing_imported(owner)


class _Stop(Exception):
    """What a caller's progress raises to stop an import (a dialog's Cancel)."""


def _stopped_at_first_progress(session: Session, actor: Actor, path: Path) -> int:
    """Import ``path`` with a progress that stops it at its first call; the cases written then."""

    def stop(_done: int) -> None:
        raise _Stop

    with pytest.raises(_Stop):
        case_import.import_records(session, actor, case_import.read_records(path), today=IMPORTED_AT, progress=stop)
    return int(session.scalar(text("SELECT count(*) FROM dispute_case")) or 0)


@pytest.mark.postgresql
def test_stopping_during_a_copy_import_writes_no_more_chunks_and_undoes_it(
        copy_importer: tuple[Database, Actor, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller stops the import when the first chunk is written (its progress raises): the
    chunk under way ends, the ones waiting are not written, and the rollback leaves nothing."""
    desk, actor, owner = copy_importer
    monkeypatch.setattr(case_import, "SERVER_CHUNK_ROWS", 16)
    path = _write_csv(tmp_path / "tickets.csv", _rows(120))

    with time_machine.travel(IMPORTED_AT, tick=False), desk.write() as session:
        written = _stopped_at_first_progress(session, actor, path)
        session.rollback()
    assert 0 < written <= case_import._CopyPipeline.DEPTH * 16, "no chunk after the one under way"
    _nothing_imported(owner)


@pytest.mark.postgresql
def test_a_file_unreadable_after_chunks_went_to_the_server_is_refused_whole(
        copy_importer: tuple[Database, Actor, Database], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON file broken near its end, after chunks were handed to the server: the file is
    refused as a whole, the chunks written are rolled back."""
    desk, actor, owner = copy_importer
    monkeypatch.setattr(case_import, "SERVER_CHUNK_ROWS", 16)
    content = json.dumps(_rows(120)[:-1], ensure_ascii=False)
    path = tmp_path / "tickets.json"
    path.write_text(content[:-1] + " x]", encoding="utf-8")
    told: list[int] = []
    with pytest.raises(case_import.ImportFileError, match="JSON 格式错误"), \
            time_machine.travel(IMPORTED_AT, tick=False), desk.write() as session:
        case_import.import_records(session, actor, case_import.read_records(path), today=IMPORTED_AT,
                                   progress=told.append)
    assert told, "chunks had been written before the error was met"
    _nothing_imported(owner)


@pytest.mark.parametrize("apart", [False, True], ids=["checked-here", "checked-apart"])
def test_sqlite_progress_moves_chunk_by_chunk_on_the_calling_thread(sqlite_db: Database, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch,
                                                                     apart: bool) -> None:
    """SQLite's bulk path, the file checked here or in the second process: the progress is told
    once a chunk is written and indexed, chunk by chunk, on the calling thread, and the search index
    holds every imported row."""
    import threading

    monkeypatch.setattr(case_import, "CHUNK_ROWS", 16)
    path = _write_csv(tmp_path / "tickets.csv", _rows(120))
    told: list[tuple[int, int]] = []
    with time_machine.travel(IMPORTED_AT, tick=False), sqlite_db.write() as session:
        report = case_import.import_records(session, SYSTEM, case_import.read_records(path), today=IMPORTED_AT,
                                            check_apart=apart,
                                            progress=lambda done: told.append((done, threading.get_ident())))
    assert {thread for _, thread in told} == {threading.get_ident()}
    good = 120 - len(_refused_lines(120))
    assert [done for done, _ in told] == [*range(16, good, 16), good, good]  # each chunk, then the end
    assert report.imported == good
    with sqlite_db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM search_case_fts_docsize")) == good
        assert session.scalar(text("SELECT count(*) FROM search_party_fts_docsize")) == session.scalar(
            text("SELECT count(*) FROM party"))


def test_stopping_a_sqlite_import_writes_no_more_chunks_and_undoes_it(sqlite_db: Database, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller stops the import when the first chunk is written and indexed (its progress
    raises): no chunk after it is written, and the rollback leaves nothing — the search index
    included."""
    monkeypatch.setattr(case_import, "CHUNK_ROWS", 16)
    path = _write_csv(tmp_path / "tickets.csv", _rows(120))

    with time_machine.travel(IMPORTED_AT, tick=False), sqlite_db.write() as session:
        written = _stopped_at_first_progress(session, SYSTEM, path)
        indexed = session.scalar(text("SELECT count(*) FROM search_case_fts_docsize"))
        session.rollback()
    assert written == indexed == 16, "the first chunk, indexed; none after it"
    _nothing_imported(sqlite_db)
    with sqlite_db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM search_case_fts_docsize")) == 0


def test_a_sqlite_import_writes_with_a_big_page_cache_and_gives_it_back(sqlite_db: Database, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The import writes with its own page cache (``BULK_CACHE_KIB``: a 100,000-row load touches
    ~310 MB of pages); the connection's own cache is back after it, and after a refused file."""
    monkeypatch.setattr(case_import, "CHUNK_ROWS", 16)
    path = _write_csv(tmp_path / "tickets.csv", _rows(40))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(_rows(40)[:-1], ensure_ascii=False)[:-1] + " x]", encoding="utf-8")
    for records, refused in ((path, False), (broken, True)):
        with time_machine.travel(IMPORTED_AT, tick=False), sqlite_db.write() as session:
            connection = session.connection()
            own = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            during: list[int] = []

            def look(_done: int, connection: Any = connection, during: list[int] = during) -> None:
                during.append(connection.exec_driver_sql("PRAGMA cache_size").scalar())

            try:
                case_import.import_records(session, SYSTEM, case_import.read_records(records), today=IMPORTED_AT,
                                           progress=look)
            except case_import.ImportFileError:
                assert refused
            else:
                assert not refused
            assert during and set(during) == {-case_import.BULK_CACHE_KIB}
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == own != -case_import.BULK_CACHE_KIB
            session.rollback()


def _import_checked(db: Database, path: Path, *, apart: bool) -> case_import.ImportReport:
    with time_machine.travel(IMPORTED_AT, tick=False), db.write() as session:
        return case_import.import_records(session, SYSTEM, case_import.read_records(path), today=IMPORTED_AT,
                                          check_apart=apart)


def test_checking_in_a_second_process_leaves_what_checking_here_leaves(sqlite_db: Database, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite reads and checks a big file in a second process while it writes: the same refusals
    (every message, in order), numbers, warnings and rows as the same file checked in-process —
    chunk boundaries (the chunk size is handed to the other process), years and hostile cells
    included."""
    from mediation_desk.db import upgrade
    from mediation_desk.services import reference

    monkeypatch.setattr(case_import, "CHUNK_ROWS", 16)
    rows = _rows(120)
    rows.insert(30, {**rows[31], "纠纷名称": "同一工单在文件中第二次出现"})  # a duplicate whose first is later
    path = _write_csv(tmp_path / "tickets.csv", rows)
    here = Database(f"sqlite:///{tmp_path / 'here.sqlite3'}")
    try:
        upgrade(here)
        with here.write() as session:
            reference.ensure_dispute_types(session)
        for database in (sqlite_db, here):
            _earlier(database, rows, tmp_path)
        apart = _import_checked(sqlite_db, path, apart=True)
        checked_here = _import_checked(here, path, apart=False)
        assert apart.imported == checked_here.imported > 90
        assert [str(e) for e in apart.errors] == [str(e) for e in checked_here.errors]
        assert len(apart.errors) > len(_refused_lines(120))
        assert (apart.already_imported, apart.numbers, apart.warnings) == (
            checked_here.already_imported, checked_here.numbers, checked_here.warnings)
        assert _state(sqlite_db) == _state(here)
    finally:
        here.dispose()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件是空的。"),
    ("来源编号,登记时间,纠纷类型,纠纷名称\n".encode(), "缺少必填列：申请人。"),
    (b"\xff\xfe\x00\xd8bad", "文件既不是 UTF-8 也不是 GB18030 编码"),
    # Good records, then a JSON error: refused whole although rows before it were checked.
    (('[{"来源编号": "A1", "登记时间": "2026-11-20", "纠纷类型": "邻里", "纠纷名称": "x", "申请人": "张三"},\n'
      '{"来源编号": "A2", "登记时间": "2026-11-20", "纠纷类型": "邻里", "纠纷名称": "y", "申请人": "李四"} x]'
      ).encode(),
     "JSON 格式错误（第 2 行第"),
])
def test_a_file_refused_by_the_checking_process_is_refused_as_here(sqlite_db: Database, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    content: bytes, message: str) -> None:
    """A file the second process cannot read raises the same refusal here, and nothing is written
    (not even the rows it had checked before the bad line)."""
    monkeypatch.setattr(case_import, "CHUNK_ROWS", 1)  # the first record is sent before the error is met
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    refusals = []
    for apart in (True, False):
        with pytest.raises(case_import.ImportFileError) as caught:
            _import_checked(sqlite_db, path, apart=apart)
        refusals.append(caught.value.message)
    assert refusals[0] == refusals[1]
    assert message in refusals[0]
    assert _refs(sqlite_db) == []


def test_a_checking_process_that_dies_undoes_the_import(sqlite_db: Database, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The second process killed half-way (out of memory, a user's task manager): the import stops
    with a message, and the chunks already written are rolled back with the rest."""
    import multiprocessing

    monkeypatch.setattr(case_import, "CHUNK_ROWS", 1)  # the other process stays a few rows ahead
    path = _write_csv(tmp_path / "tickets.csv", _rows(200))
    killed: list[int] = []

    def kill_the_checker(_done: int) -> None:
        for child in multiprocessing.active_children():
            if child.name == "case-import-check" and child.is_alive():
                child.kill()
                killed.append(child.pid or 0)

    with pytest.raises(case_import.ImportCheckError, match="未导入任何案件"), \
            time_machine.travel(IMPORTED_AT, tick=False), sqlite_db.write() as session:
        case_import.import_records(session, SYSTEM, case_import.read_records(path), today=IMPORTED_AT,
                                   check_apart=True, progress=kill_the_checker)
    assert killed
    assert _refs(sqlite_db) == []


@pytest.mark.parametrize("fails", [False, True], ids=["imported", "file-refused-at-its-end"])
def test_the_indexes_set_aside_come_back_as_they_were(sqlite_db: Database, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, fails: bool) -> None:
    """A big load sets the secondary indexes aside inside the import's transaction: after it, and
    after a failure that rolls it back once rows are written, the schema is the same text, the
    indexes in the same order, the planner's statistics (which DROP INDEX deletes) the same."""
    monkeypatch.setattr(case_import, "CHUNK_ROWS", 1)  # every record written before the error is met
    set_aside = _set_aside_spy(monkeypatch)
    rows = _rows(30)
    _earlier(sqlite_db, rows, tmp_path)
    with sqlite_db.write() as session:
        session.execute(text("ANALYZE"))
    schema = _schema(sqlite_db)
    assert "ix_party_name" in {idx for _, idx, _ in schema["stat1"]}
    content = json.dumps(rows[EARLIER:-1], ensure_ascii=False)
    path = tmp_path / "tickets.json"
    path.write_text(content[:-1] + " x]" if fails else content, encoding="utf-8")
    if fails:
        written: list[int] = []
        with pytest.raises(case_import.ImportFileError, match="JSON 格式错误"), \
                time_machine.travel(IMPORTED_AT, tick=False), sqlite_db.write() as session:
            case_import.import_records(session, SYSTEM, case_import.read_records(path), today=IMPORTED_AT,
                                       bulk_load=True, progress=written.append)
        assert written and written[-1] > 20, "rows were written before the error"
        assert len(_refs(sqlite_db)) == EARLIER
    else:
        report = _import(sqlite_db, SYSTEM, path, row_by_row=False, bulk_load=True)
        assert report.imported > 20
        with sqlite_db.read() as session:  # the rebuilt indexes hold the new rows
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert session.execute(text(
                "SELECT count(*) FROM party INDEXED BY ix_party_name WHERE name > ''")).scalar() == session.execute(
                text("SELECT count(*) FROM party NOT INDEXED WHERE name > ''")).scalar()
    assert set_aside and "ix_party_name" in set_aside[0]
    assert _schema(sqlite_db) == schema


def test_the_timeline_triggers_set_aside_cannot_fire_for_an_imported_entry(sqlite_db: Database) -> None:
    """SQLite's bulk path writes its timeline entries with the triggers of ``QUIET_TRIGGERS`` set
    aside: each fires only for an ending, and an import's entries are registrations."""
    assert case_import.IMPORT_ACTION not in stat_months.ENDING_ACTIONS
    endings = ", ".join(f"'{a}'" for a in stat_months.ENDING_ACTIONS)
    with sqlite_db.read() as session:
        triggers: dict[str, str] = {str(name): str(sql) for name, sql in session.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'case_event'"))}
    assert set(case_import.QUIET_TRIGGERS) <= set(triggers)
    for name in case_import.QUIET_TRIGGERS:
        assert " INSERT ON case_event FOR EACH ROW WHEN NEW.action IN (" + endings + ") BEGIN " in triggers[name], name
    inserting = {name for name, sql in triggers.items() if " INSERT ON case_event " in sql}
    assert inserting == set(case_import.QUIET_TRIGGERS), "a new insert trigger is kept (or listed here)"


def test_a_load_many_times_what_the_database_holds_sets_the_indexes_aside(sqlite_db: Database, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule: the records a file holds (its lines, or its JSON objects), against the cases the
    database holds; a load into a database holding more keeps the indexes."""
    monkeypatch.setattr(case_import, "BULK_LOAD_MIN_RECORDS", 10)
    monkeypatch.setattr(case_import, "BULK_LOAD_RATIO", 1.0)
    set_aside = _set_aside_spy(monkeypatch)
    rows = _rows(120)
    _earlier(sqlite_db, rows, tmp_path)
    history = tmp_path / "history.json"
    history.write_text(json.dumps(rows[:100], ensure_ascii=False), encoding="utf-8")
    assert _import(sqlite_db, SYSTEM, history, row_by_row=False).imported > 80  # 100 records, 3 cases held
    assert len(set_aside) == 1
    assert _import(sqlite_db, SYSTEM, _write_csv(tmp_path / "more.csv", rows[100:]), row_by_row=False).imported
    assert len(set_aside) == 1, "20 records beside ~90 cases: the indexes were kept"
    with sqlite_db.read() as session:
        records = list(enumerate(rows, start=2))
        assert case_import.loads_in_bulk(session, records * 2)
        assert not case_import.loads_in_bulk(session, records[:60])
        monkeypatch.setattr(case_import, "BULK_LOAD_MIN_RECORDS", 1000)
        assert not case_import.loads_in_bulk(session, records * 2), "a small file keeps them whatever the database"


def _edge_rows() -> list[dict[str, str]]:
    """One clean row and its variants at each edge of the clean rows' quick tests."""
    rng = random.Random(7)
    clean = {
        "来源编号": "EDGE", "来源系统": "12345", "登记时间": "2026-11-20 09:30", "纠纷类型": "邻里",
        "纠纷名称": "相邻通行", "纠纷简要情况": "堆放杂物", "申请事项": "请求清理；恢复通行",
        "申请人": person_name(rng), "申请人身份证号": resident_id(rng, date(1980, 5, 6), Gender.MALE),
        "申请人电话": mobile(rng), "申请人住址": "甘州区", "被申请人": person_name(rng),
        "被申请人身份证号": resident_id(rng, date(2010, 11, 21), Gender.FEMALE),  # a minor on the day
        "被申请人统一社会信用代码": "", "被申请人电话": mobile(rng), "被申请人住址": "",
        "纠纷发生地": "甘州区，梁家墩镇",
        "村（社区）": "太平堡村", "网格": "第3网格", "风险等级": "黄", "涉及人数": "3", "涉及金额": "12500.5",
        "热线类型编码": "0102",
    }
    variants: list[dict[str, str]] = [
        {}, {"来源系统": ""}, {"来源系统": "网格"}, {"来源系统": "１２３４５"}, {"来源系统": "微信"},
        {"登记时间": "2026-11-20"}, {"登记时间": "2026/11/20 09:30"}, {"登记时间": "2026-11-20T09:30:00+08:00"},
        {"登记时间": "２０２６-11-20 09:30"}, {"登记时间": "1948-12-31 23:59"}, {"登记时间": "1949-01-01"},
        {"登记时间": "2026-11-30 10:00"}, {"登记时间": "2026-11-30 10:01"}, {"登记时间": "2028-01-01"},
        {"纠纷类型": "没有的类型"}, {"纠纷类型": ""}, {"风险等级": "红色"}, {"风险等级": "紫"}, {"风险等级": ""},
        {"涉及人数": ""}, {"涉及人数": "1000000"}, {"涉及人数": "1000001"}, {"涉及人数": "３"}, {"涉及人数": "-1"},
        {"涉及金额": ""}, {"涉及金额": "999999999999.99"}, {"涉及金额": "1000000000000"}, {"涉及金额": "1.234"},
        {"涉及金额": "12,500"}, {"涉及金额": "0.5"}, {"申请事项": ""}, {"申请事项": "一\n二;三；；"},
        {"申请人身份证号": ""}, {"申请人身份证号": "11010519491231002x"}, {"申请人身份证号": "110105194912310021"},
        {"申请人电话": ""}, {"申请人电话": "0936-8212345"}, {"申请人电话": "138 0013 8000"},
        {"被申请人": ""}, {"被申请人统一社会信用代码": "91350100M000100Y43"},
        {"被申请人统一社会信用代码": "91350100M000100Y44"}, {"被申请人身份证号": ""},
        {"纠纷名称": " 前后有空格 "}, {"纠纷名称": "x" * 201}, {"纠纷简要情况": "含\x00空字符"},
        {"纠纷简要情况": "制表\t符\r\n回车"}, {"来源编号": ""}, {"纠纷发生地": ""},
    ]
    return [{**clean, **variant, "来源编号": f"EDGE{n}"} if variant.get("来源编号") != "" else {**clean, **variant}
            for n, variant in enumerate(variants)]


def test_the_clean_rows_quick_path_stores_what_the_full_checks_store(tmp_path: Path) -> None:
    """SQLite's checking turns a row that passes every quick test straight into its stored values
    (``_Clean``); any other row goes through ``_parse_row``. Whatever the quick path takes, it
    stores exactly what the full checks and ``_Storer`` store — hostile cells, minors, companies,
    each edge of its tests — and it takes the clean rows (else it would save nothing)."""
    types = {"邻里": 1, "物业": 2, "劳动争议": 3, "拖欠农民工工资": 4, "婚姻家庭": 5}
    edges = list(case_import.read_records(_write_csv(tmp_path / "edges.csv", _edge_rows())))
    records = list(case_import.read_records(_write_csv(tmp_path / "rows.csv", _rows(300)))) + edges
    storer = case_import._Storer()
    clean = case_import._Clean(storer, types, IMPORTED_AT)
    taken = 0
    for line, record in records:
        quick = clean(line, record)
        if quick is None:
            continue
        taken += 1
        parsed = case_import._parse_row(line, record, types, IMPORTED_AT)
        assert not isinstance(parsed, list), (line, parsed)
        assert quick == storer(parsed), line
    assert taken >= 60
    assert clean(*edges[0]) is not None  # the clean row itself
    assert {line for line, record in edges if clean(line, record) is not None} != {line for line, _ in edges}
