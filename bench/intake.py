"""Registration at the counter, timed: saving one case with its scans, and a hotline CSV import.

1. Time to save one registration with three parties and a 5-page scanned document. The PDF is
   made before the write (as the form does, on a worker), so the two are timed apart; the
   database part is the form's own write (``services.attachments.register_with_documents``: the case, its
   parties, the attachment and its blob in one transaction, commit included). Budget: ≤ 50 ms
   for the database part. Every round registers other people and other pages, so neither the
   repeat-visitor check nor the blob store's de-duplication makes a round cheaper than a real one.
2. Import rate of a 100,000-row CSV with the Chinese headers of ``case_import.COLUMNS`` (valid
   resident IDs, phones, two parties a row), read, checked and imported in one transaction.
   Budget (issue 20 item 5): ≥ 25,000 rows/s on SQLite, ≥ 15,000 rows/s on PostgreSQL. Beside
   it, in the same run, its floor: the very rows that import wrote (cases, parties, timeline
   entries, 12345 orders), put into the same tables of a fresh database of the same demo center by a plain
   ``executemany`` (SQLite) or ``COPY`` (PostgreSQL), nothing checked — once with the tables'
   triggers as they are (the search index and the monthly figures kept row by row on SQLite,
   per statement on PostgreSQL) and once bare (triggers off, indexes on: the rows alone, the raw
   insert); on SQLite a third time written as the import writes a big load (triggers off, the
   import's page cache, the secondary indexes set aside and built again at the end: the cheapest
   write of its rows, which the import's own time and CPU are also divided by). ``--repeat`` rounds
   of them all, turning which goes first; medians and the ratios.
   On PostgreSQL the import runs as the app runs it: a desk holding the desk role, the clerk
   signed in, so the clerk's own login role and row-level security (``--owner``: as the owner,
   COPY straight into the tables); the floors run as the owner. ``--profile`` prints where the
   first import spends its time.

SQLite always; PostgreSQL too when its server binaries are installed (``tests/pgserver.py``).

    .venv/bin/python bench/intake.py [--rounds 20] [--rows 100000] [--repeat 3] [--import-only]
                                     [--no-postgresql] [--no-sqlite] [--owner] [--profile] [--encrypted]
                                     [--page-size N] [--plain-page-size N]
                                     [--bulk-load auto|on|off|both] [--database DEMO.sqlite]

``--bulk-load both`` runs SQLite's import twice a round, its secondary indexes set aside during the
writes and built again at the end, and kept row by row; with ``--database`` (a copy of a bigger
demo for each import and floor) that shows where one beats the other.

With ``--encrypted`` both are also run on a SQLCipher file (the key in a keychain in memory) and
the figures of the unencrypted and the encrypted file are printed with their ratio (issue 17's
budget: ≤ 1.3×).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import itertools
import math
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SAVE_BUDGET_MS = 50.0
IMPORT_BUDGET_ROWS_PER_S = {"SQLite": 25_000.0, "PostgreSQL": 15_000.0}
PAGES = 5


# --------------------------------------------------------------------------- databases


def sqlite_database(folder: Path, *, encrypted: bool = False, plain_page_size: int = 4096,
                    name: str | None = None) -> Any:
    from mediation_desk.db import Database, upgrade

    path = folder / (name or ("bench-encrypted.sqlite3" if encrypted else "bench.sqlite3"))
    if not encrypted:
        sys.path.insert(0, str(HERE))
        import cipherbench

        cipherbench.new_plain_file(path, plain_page_size)
    db = Database(f"sqlite:///{path}", encrypt_new=encrypted)
    assert (db.cipher_key is not None) == encrypted, db.unencrypted_reason
    upgrade(db)
    return db


def demo_center(db: Any) -> Any:
    """The demo center (users, teams, types) with a few hundred cases — unless the database is a
    copy of a demo already (``--database``) — and its clerk logged in."""
    from mediation_desk import demo
    from mediation_desk.services import auth

    if not max_case_id(db):
        with db.write() as session:
            demo.seed(session, 300)
    return auth.login(db, "clerk", demo.DEMO_PASSWORD)


def sqlite_copy(source: Path, folder: Path, name: str) -> Any:
    """A copy of the demo database at ``source`` (``--database``), upgraded if it must be."""
    import shutil
    import subprocess

    from mediation_desk.db import Database, upgrade

    path = folder / name
    for leftover in folder.glob("bench-*.sqlite3*"):  # one copy at a time: a big demo is gigabytes
        leftover.unlink()
    subprocess.run(["cp", "--reflink=auto", str(source), str(path)], check=True)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{path}{suffix}")
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    return db


# --------------------------------------------------------------------------- 1. one registration


def scanned_document(round_no: int) -> Any:
    """Five A4 pages at 200 dpi, grey, each one different (other bytes, other blob)."""
    from PIL import Image, ImageDraw

    from mediation_desk.models import AttachmentKind
    from mediation_desk.scanning.pages import Page, ScannedDocument

    pages = []
    for number in range(1, PAGES + 1):
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        for y in range(160, 2200, 48):
            draw.line((140, y, 1500, y), fill=40, width=3)
        draw.rectangle((140, 60, 900, 120), fill=0)
        draw.text((160, 75), f"round {round_no} page {number}", fill=255)
        pages.append(Page.from_image(image, 200, source=f"bench 第 {number} 页"))
    return ScannedDocument(AttachmentKind.EVIDENCE, f"工资条{round_no}", tuple(pages))


def case_input(rng: random.Random, type_id: int) -> Any:
    from mediation_desk.demo import mobile, person_name, resident_id
    from mediation_desk.models import Gender, IdDocumentType, PartyKind, PartyRole
    from mediation_desk.services.cases import CaseInput, PartyInput

    def person(role: PartyRole) -> PartyInput:
        gender = rng.choice(list(Gender))
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
        return PartyInput(role=role, name=person_name(rng), gender=gender, birth_date=born,
                          id_type=IdDocumentType.RESIDENT_ID, id_number=resident_id(rng, born, gender),
                          phone=mobile(rng), address="甘州区梁家墩镇太平堡村三社", ethnicity="汉族")

    company = PartyInput(role=PartyRole.RESPONDENT, name=f"甘州区宏达建筑工程有限公司第{rng.randrange(10**6)}项目部",
                         kind=PartyKind.LEGAL_PERSON, legal_representative=person_name(rng), phone="0936-8212345")
    return CaseInput(title="二人追讨工资", dispute_type_id=type_id,
                     parties=[person(PartyRole.APPLICANT), person(PartyRole.APPLICANT), company],
                     facts="2026 年 3 月至 10 月在该公司工地务工，工资至今未付。", requests=["支付拖欠工资 36000 元"],
                     people_involved=2)


def bench_save(db: Any, actor: Any, rounds: int, label: str) -> float:
    from mediation_desk.services import reference
    from mediation_desk.services.attachments import register_with_documents
    from mediation_desk.ui.scanning.documents import assemble_documents

    with db.read() as session:
        type_id = next(t.id for t in reference.dispute_types(session) if t.name == "拖欠农民工工资")
    rng = random.Random(7)
    warm_up = 2
    pdf_ms: list[float] = []
    db_ms: list[float] = []
    size = 0
    for round_no in range(rounds + warm_up):
        document = scanned_document(round_no)
        data = case_input(rng, type_id)
        started = time.perf_counter()
        prepared = assemble_documents([(document, None, 0, "扫描仪 bench")])
        assembled = time.perf_counter()
        with db.write() as session:
            result = register_with_documents(session, actor, data, prepared)
        saved = time.perf_counter()
        assert result.documents == 1
        if round_no >= warm_up:
            pdf_ms.append((assembled - started) * 1000)
            db_ms.append((saved - assembled) * 1000)
            size = len(prepared[0].content)
    median = statistics.median(db_ms)
    verdict = "within" if median <= SAVE_BUDGET_MS else "OVER"
    print(f"  [{label}] save one registration (3 parties, {PAGES}-page scan, {size / 1024:.0f} KB PDF), "
          f"{rounds} rounds:")
    print(f"    database part (register + attach, commit): median {median:6.1f} ms, min {min(db_ms):6.1f} ms, "
          f"max {max(db_ms):6.1f} ms  — {verdict} the {SAVE_BUDGET_MS:.0f} ms budget")
    print(f"    PDF assembly before the write (worker):    median {statistics.median(pdf_ms):6.1f} ms, "
          f"min {min(pdf_ms):6.1f} ms")
    return median


# --------------------------------------------------------------------------- 2. CSV import


def csv_rows(count: int, type_names: list[str]) -> Iterator[list[str]]:
    from mediation_desk.demo import mobile, person_name, resident_id
    from mediation_desk.models import Gender
    from mediation_desk.services.case_import import COLUMNS

    rng = random.Random(2026)
    keys = list(COLUMNS)
    yield [COLUMNS[key][0] for key in keys]
    start = datetime(2026, 1, 1, 8, 0)
    for n in range(count):
        gender = rng.choice(list(Gender))
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 50 * 365))
        other = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 50 * 365))
        received = start + timedelta(minutes=n * 4 % (300 * 24 * 60))
        values = {
            "source_ref": f"GD{2026000000 + n}", "source_system": rng.choice(["12345", "网格", "110"]),
            "received_at": f"{received:%Y-%m-%d %H:%M}", "dispute_type": rng.choice(type_names),
            "title": f"{person_name(rng)}反映相邻通行问题", "facts": "来电人反映邻居在公共通道堆放杂物，影响通行。",
            "requests": "请求清理杂物；恢复通行", "applicant_name": person_name(rng),
            "applicant_id_number": resident_id(rng, born, gender), "applicant_phone": mobile(rng),
            "applicant_address": "甘州区梁家墩镇太平堡村", "respondent_name": person_name(rng),
            "respondent_id_number": resident_id(rng, other, rng.choice(list(Gender))), "respondent_credit_code": "",
            "respondent_phone": mobile(rng), "respondent_address": "甘州区梁家墩镇太平堡村",
            "address": "甘州区梁家墩镇", "village": "太平堡村", "grid": f"第{rng.randrange(1, 30)}网格",
            "risk_level": rng.choice(["蓝", "黄", "橙"]),
            "people_involved": str(rng.randrange(1, 6)), "amount_involved": f"{rng.randrange(0, 50000)}.00",
            "hotline_type": f"0{rng.randrange(1, 9)}0{rng.randrange(1, 9)}",
        }
        yield [values[key] for key in keys]


def write_csv(path: Path, count: int, type_names: list[str]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        for row in csv_rows(count, type_names):
            writer.writerow(row)


def bench_import(db: Any, actor: Any, path: Path, rows: int, label: str, profile: bool,
                 bulk_load: bool | None = None) -> float:
    from mediation_desk.services import case_import

    def work() -> Any:
        with db.write() as session:
            return case_import.import_records(session, actor, case_import.read_records(path), bulk_load=bulk_load)

    profiler = cProfile.Profile() if profile else None
    # The process's CPU time, every thread (on PostgreSQL the import writes on a worker thread);
    # and apart, the CPU time of the process that reads and checks a big file on SQLite.
    started, cpu_started, children_started = time.perf_counter(), time.process_time(), children_cpu()
    server_started = server_cpu()
    report = profiler.runcall(work) if profiler is not None else work()
    seconds = time.perf_counter() - started
    IMPORT_CPU_SECONDS.append(time.process_time() - cpu_started)
    CHECK_CPU_SECONDS.append(children_cpu() - children_started)
    SERVER_CPU_SECONDS.append(server_cpu() - server_started)
    assert report.imported == rows, (report.imported, report.errors[:3])
    rate = rows / seconds
    verdict = "meets" if rate >= IMPORT_BUDGET_ROWS_PER_S[label.split(",", maxsplit=1)[0]] else "MISSES"
    how = {None: "", True: ", indexes set aside", False: ", indexes kept"}[bulk_load]
    print(f"  [{label}{how}] import of a {rows:,}-row CSV ({path.stat().st_size / 2**20:.1f} MB): {seconds:6.1f} s, "
          f"{rate:,.0f} rows/s (CPU of this process {IMPORT_CPU_SECONDS[-1]:.1f} s, of the checking process "
          f"{CHECK_CPU_SECONDS[-1]:.1f} s{_server_cpu_text(SERVER_CPU_SECONDS[-1])}) — {verdict} the "
          f"{IMPORT_BUDGET_ROWS_PER_S[label.split(',', maxsplit=1)[0]]:,.0f} rows/s budget")
    if profiler is not None:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("cumulative").print_stats(r"mediation_desk|sqlalchemy/orm/(session|loading)|psycopg", 26)
        stats.sort_stats("tottime").print_stats(16)
        print("\n".join("    " + line for line in stream.getvalue().splitlines() if line.strip()))
    return rate


# --------------------------------------------------------------------------- 2b. the raw-insert floor


#: The tables an import writes, in the order it writes them (the 12345 orders too: a third of the
#: bench's rows are 12345 tickets, each with its order row and that row's kept facts).
IMPORTED_TABLES = ("dispute_case", "party", "case_event", "hotline_order")


def imported_rows(db: Any, first_case_id: int) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The rows an import wrote (every column, as the driver returns them), table by table."""
    from sqlalchemy import text

    found = {}
    with db.read() as session:
        for table in IMPORTED_TABLES:
            key = "id" if table == "dispute_case" else "case_id"
            result = session.execute(text(f"SELECT * FROM {table} WHERE {key} >= :first ORDER BY id"),
                                     {"first": first_case_id})
            names = list(result.keys())
            # The cases keep their ids (the parties refer to them); parties and timeline entries
            # get the floor database's own (its demo center may hold a different number of them).
            keep = [i for i, n in enumerate(names) if table == "dispute_case" or n != "id"]
            found[table] = ([names[i] for i in keep], [tuple(r[i] for i in keep) for r in result])
    return found


def raw_insert(db: Any, rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]], *,
               bare: bool = False, aside: bool = False) -> tuple[float, float, float]:
    """The floor: the same rows put into the same tables (their indexes and triggers as they are)
    by a plain ``executemany`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL, in one transaction,
    nothing checked. ``bare``: the tables' own triggers off first (their indexes stay): the rows
    and nothing else — no search index (SQLite's FTS5 tables, PostgreSQL's gram counts), no
    monthly figures. ``aside`` (SQLite, with ``bare``): the rows written as the import writes a
    big load — its page cache, the tables' secondary indexes set aside while the rows go in and
    built again before the commit (``services.bulk_indexes``, as the import does): the cheapest
    write of the rows with every index. (wall seconds, CPU seconds of this process, of the
    server's processes)."""
    from mediation_desk.services import bulk_indexes, case_import

    started, cpu_started, server_started = time.perf_counter(), time.process_time(), server_cpu()
    with db.write() as session:
        connection = session.connection()
        raw = connection.connection.dbapi_connection
        set_aside = None
        if aside:
            assert bare and db.is_sqlite
            previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size = -{case_import.BULK_CACHE_KIB}")
            set_aside = bulk_indexes.set_aside(connection, case_import.BULK_LOAD_TABLES)
        if bare and db.is_sqlite:
            listed_tables = ", ".join(f"'{t}'" for t in IMPORTED_TABLES)
            for (name,) in connection.exec_driver_sql(
                    f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({listed_tables})").all():
                connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        elif bare:
            for table in IMPORTED_TABLES:
                connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        for table in IMPORTED_TABLES:
            names, values = rows[table]
            listed = ", ".join(f'"{n}"' for n in names)
            if db.is_sqlite:
                connection.exec_driver_sql(f"INSERT INTO {table} ({listed}) VALUES ({', '.join('?' * len(names))})",
                                           values)
            else:
                from psycopg.types.json import Json

                # psycopg reads a JSON column back as a list: it goes in again as JSON, not an array.
                at = names.index("requests") if "requests" in names else None
                with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                    for row in values:
                        if at is not None and row[at] is not None:
                            copy.write_row((*row[:at], Json(row[at]), *row[at + 1:]))
                        else:
                            copy.write_row(row)
        if set_aside is not None:
            bulk_indexes.restore(connection, set_aside)
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")
    return time.perf_counter() - started, time.process_time() - cpu_started, server_cpu() - server_started


def max_case_id(db: Any) -> int:
    from sqlalchemy import func, select

    from mediation_desk.models import DisputeCase

    with db.read() as session:
        return int(session.scalar(select(func.max(DisputeCase.id))) or 0)


#: ``--bulk-load``: the imports each round runs (SQLite: its secondary indexes set aside and built
#: again at the end, kept row by row, or as the import decides).
IMPORT_KINDS: dict[str, dict[str, bool | None]] = {
    "auto": {"import": None}, "on": {"import": True}, "off": {"import": False},
    "both": {"import, indexes set aside": True, "import, indexes kept": False}}


def import_beside_floor(label: str, make_db: Callable[[], Any], args: argparse.Namespace, csv_path: Path) -> None:
    """The import and its floor, ``args.repeat`` rounds alternating which goes first, each on a
    fresh database with the same demo center; medians and their ratio."""
    imports = IMPORT_KINDS[args.bulk_load]
    floors: tuple[str, ...] = ("bare",) if args.bare_floor_only else ("floor", "bare")
    if label.startswith("SQLite"):
        floors += ("aside",)
    kinds = (*imports, *floors)
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu_s: dict[str, list[float]] = {kind: [] for kind in kinds}
    check_cpu: dict[str, list[float]] = {kind: [] for kind in imports}
    server_s: dict[str, list[float]] = {kind: [] for kind in kinds}
    for round_no in range(args.repeat):
        # Which goes first turns each round: a load that rises or falls is not always on the same one.
        turn = round_no % len(kinds)
        order = kinds[turn:] + kinds[:turn]
        rows: dict[str, Any] | None = None
        if order[0] not in imports:  # the floors need the rows an import made: one on a scratch database
            rows = _rows_of_one_import(label, make_db, csv_path, args.rows, args.owner)
        for what in order:
            db = make_db()
            try:
                actor = demo_center(db)
                first = max_case_id(db) + 1
                if what in imports:
                    desk, actor = signed_in_desk(db, actor, args.owner)
                    try:
                        rate = bench_import(desk, actor, csv_path, args.rows, label, args.profile and round_no == 0,
                                            imports[what])
                    finally:
                        if desk is not db:
                            desk.dispose()
                    wall[what].append(args.rows / rate)
                    cpu_s[what].append(IMPORT_CPU_SECONDS[-1])
                    check_cpu[what].append(CHECK_CPU_SECONDS[-1])
                    server_s[what].append(SERVER_CPU_SECONDS[-1])
                    if rows is None:
                        rows = imported_rows(db, first)
                else:
                    assert rows is not None
                    seconds, cpu, server = raw_insert(db, rows, bare=what in ("bare", "aside"), aside=what == "aside")
                    wall[what].append(seconds)
                    cpu_s[what].append(cpu)
                    server_s[what].append(server)
                    how = "executemany" if db.is_sqlite else "COPY"
                    which = {"bare": "floor, indexes only (no triggers: no search index, no monthly figures)",
                             "aside": "floor, indexes set aside and built again (no triggers; the import's cache)",
                             "floor": "floor (indexes and triggers as they are)"}[what]
                    print(f"  [{label}] {which}: the same {args.rows:,} cases' rows by plain {how}: {seconds:6.1f} s, "
                          f"{args.rows / seconds:,.0f} rows/s (CPU {cpu:.1f} s{_server_cpu_text(server)})")
            finally:
                db.dispose()
    bare, cpu_bare = statistics.median(wall["bare"]), args.rows / statistics.median(cpu_s["bare"])
    flo = statistics.median(wall["floor"]) if wall.get("floor") else float("nan")
    cpu_floor = args.rows / statistics.median(cpu_s["floor"]) if cpu_s.get("floor") else float("nan")
    aside = statistics.median(wall["aside"]) if wall.get("aside") else float("nan")
    cpu_aside = statistics.median(cpu_s["aside"]) if cpu_s.get("aside") else float("nan")
    set_aside = ("" if math.isnan(aside) else f"; floor with the indexes set aside {args.rows / aside:,.0f} rows/s "
                 f"({aside:.1f} s, CPU {cpu_aside:.1f} s: {args.rows / cpu_aside:,.0f} rows/s)")
    print(f"  [{label}] MEDIANS of {args.repeat}: floor {args.rows / flo:,.0f} rows/s (CPU {cpu_floor:,.0f} rows/s); "
          f"bare floor {args.rows / bare:,.0f} rows/s (CPU {cpu_bare:,.0f} rows/s){set_aside}")
    if SERVER_PIDS:
        print(f"  [{label}] MEDIANS of {args.repeat}: the server's CPU "
              + ", ".join(f"{kind} {statistics.median(server_s[kind]):.1f} s" for kind in kinds))
    for what in imports:
        imp, cpu_import = statistics.median(wall[what]), statistics.median(cpu_s[what])
        print(f"  [{label}] MEDIANS of {args.repeat}: {what} {args.rows / imp:,.0f} rows/s (import/floor time "
              f"{imp / flo:.2f}×, import/bare time {imp / bare:.2f}×); CPU of this process {cpu_import:.1f} s "
              f"({args.rows / cpu_import:,.0f} rows/s), of the checking process "
              f"{statistics.median(check_cpu[what]):.1f} s")
        if not math.isnan(aside):
            print(f"  [{label}] MEDIANS of {args.repeat}: {what} ÷ the floor with the indexes set aside: time "
                  f"{imp / aside:.2f}×, CPU of the importing process {cpu_import / cpu_aside:.2f}×")


def signed_in_desk(db: Any, actor: Any, owner: bool) -> tuple[Any, Any]:
    """Where the import runs: on SQLite and with ``owner`` the database as opened; on PostgreSQL
    otherwise as in the app — a desk holding only the desk role, the clerk signed in, so that the
    clerk's own login role (its grants, row-level security) does the import."""
    if db.is_sqlite or owner:
        return db, actor
    from sqlalchemy import text

    from mediation_desk import demo
    from mediation_desk.db import Database
    from mediation_desk.services import auth

    with db.write() as session:
        role = str(session.scalar(text("SELECT md_install_desk_role()")))
        # A database made by CREATE DATABASE starts with its default privileges: the migration's
        # grant is in place; made again as after a copy, in case the server's defaults differ.
        session.execute(text("SELECT md_install_import_staging()"))
    desk = Database(db.url.set(username=role))
    return desk, auth.login(desk, "clerk", demo.DEMO_PASSWORD)


def _rows_of_one_import(label: str, make_db: Callable[[], Any], csv_path: Path, rows: int,
                        owner: bool) -> dict[str, Any]:
    from mediation_desk.services import case_import

    db = make_db()
    try:
        actor = demo_center(db)
        first = max_case_id(db) + 1
        desk, actor = signed_in_desk(db, actor, owner)
        try:
            with desk.write() as session:
                case_import.import_records(session, actor, case_import.read_records(csv_path))
        finally:
            if desk is not db:
                desk.dispose()
        return imported_rows(db, first)
    finally:
        db.dispose()


# --------------------------------------------------------------------------- main


SAVE_FIGURE = "save one registration, median (ms)"
IMPORT_FIGURE = "CSV import (rows/s)"
#: The same two in CPU time of the saving or importing thread (the wall clock of a shared machine
#: carries the other programs' load; the CPU time is what each file costs).
CPU_SAVE_FIGURE = "CPU: save one registration, median (ms)"
CPU_IMPORT_FIGURE = "CPU: CSV import (rows/s)"
#: CPU seconds of each import run by :func:`bench_import`, in order.
IMPORT_CPU_SECONDS: list[float] = []
#: The CPU time of the processes the import started (SQLite reads and checks a big file in one).
CHECK_CPU_SECONDS: list[float] = []


#: The same imports' CPU seconds of the PostgreSQL server's processes (NaN on SQLite).
SERVER_CPU_SECONDS: list[float] = []
#: The bench's own PostgreSQL server: the postmaster's pid (its processes are its children).
SERVER_PIDS: list[int] = []


def server_cpu() -> float:
    """CPU seconds used so far by the bench's PostgreSQL server's running processes (its backends,
    the WAL writer, the checkpointer; a backend's share is lost once it ends, so read it while the
    connection is open); NaN without a server of the bench's own."""
    if not SERVER_PIDS:
        return float("nan")
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == SERVER_PIDS[0] or int(entry.name) == SERVER_PIDS[0]:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _server_cpu_text(seconds: float) -> str:
    return "" if math.isnan(seconds) else f", of the server {seconds:.1f} s"


def children_cpu() -> float:
    """CPU seconds of this process's ended child processes."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run_backend(label: str, make_db: Callable[[], Any], args: argparse.Namespace, csv_path: Path) -> None:
    if not args.import_only:
        db = make_db()
        try:
            bench_save(db, demo_center(db), args.rounds, label)
        finally:
            db.dispose()
    import_beside_floor(label, make_db, args, csv_path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--profile", action="store_true", help="profile the CSV import")
    parser.add_argument("--encrypted", action="store_true",
                        help="also on a SQLCipher file: both figures and their ratio")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of the import and floor (alternating; medians), or with --encrypted of each file")
    parser.add_argument("--import-only", action="store_true", help="only the CSV import and its floor")
    parser.add_argument("--owner", action="store_true",
                        help="PostgreSQL: import as the database's owner (COPY straight into the tables) instead "
                             "of the clerk's own login role under row-level security, as the app does")
    parser.add_argument("--bulk-load", choices=tuple(IMPORT_KINDS), default="auto",
                        help="SQLite: set the tables' secondary indexes aside during the import and build them "
                             "again at the end (on), keep them row by row (off), both in each round, or as the "
                             "import decides (auto)")
    parser.add_argument("--bare-floor-only", action="store_true",
                        help="leave out the floor with the triggers (on SQLite its row-by-row search index is the "
                             "slowest part of a round)")
    parser.add_argument("--database", type=Path,
                        help="SQLite: import into copies of this demo database (one copy per import and floor; "
                             "never the file itself) instead of new ones with 300 cases")
    sys.path.insert(0, str(HERE))
    import cipherbench

    cipherbench.add_page_size_arguments(parser)
    args = parser.parse_args()
    cipherbench.apply_page_size(args.page_size)


    with tempfile.TemporaryDirectory(prefix="md-bench-intake-") as tmp:
        folder = Path(tmp)
        os.environ["MEDIATION_DESK_HOME"] = str(folder / "home")
        csv_path = folder / "12345工单.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.rows, ["邻里", "物业", "合同", "劳动争议", "消费", "其他"])
        print(f"generated {args.rows:,} CSV rows in {time.perf_counter() - started:.1f} s")
        if args.encrypted:
            _plain_and_encrypted(folder, args, csv_path)
        elif not args.no_sqlite:
            files = itertools.count(1)
            if args.database:
                run_backend("SQLite", lambda: sqlite_copy(args.database, folder, f"bench-{next(files)}.sqlite3"),
                            args, csv_path)
            else:
                run_backend("SQLite", lambda: sqlite_database(folder, name=f"bench-{next(files)}.sqlite3"), args,
                            csv_path)
        if not args.no_postgresql:
            from tests import pgserver  # the test suite's throwaway server

            if pgserver.find_bin_dir() is None:
                print("  [PostgreSQL] skipped: server binaries not installed")
                return 0
            server = pgserver.start()
            SERVER_PIDS[:] = [int((server.data_dir / "postmaster.pid").read_text().split()[0])]
            try:
                from sqlalchemy import create_engine, text

                from mediation_desk.db import Database, upgrade

                databases = itertools.count(1)

                def make_pg() -> Any:
                    name = f"bench_{next(databases)}"
                    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
                    with admin.connect() as connection:
                        connection.execute(text(f"CREATE DATABASE {name}"))
                    admin.dispose()
                    db = Database(server.url_for(name))
                    upgrade(db)
                    return db

                run_backend("PostgreSQL", make_pg, args, csv_path)
            finally:
                SERVER_PIDS.clear()
                server.stop()
    return 0


def _save_alternately(pair: dict[bool, tuple[Any, Any]], rounds: int) -> dict[bool, dict[str, float]]:
    """One registration saved on the plain file, then one on the encrypted file, round after round:
    both see the same load of the (shared) machine. The median database time of each."""
    from mediation_desk.services import reference
    from mediation_desk.services.attachments import register_with_documents
    from mediation_desk.ui.scanning.documents import assemble_documents

    warm_up = 2
    rngs = {encrypted: random.Random(7) for encrypted in pair}
    type_ids = {}
    for encrypted, (db, _actor) in pair.items():
        with db.read() as session:
            type_ids[encrypted] = next(t.id for t in reference.dispute_types(session) if t.name == "拖欠农民工工资")
    times: dict[bool, list[float]] = {encrypted: [] for encrypted in pair}
    cpu: dict[bool, list[float]] = {encrypted: [] for encrypted in pair}
    for round_no in range(rounds + warm_up):
        for encrypted, (db, actor) in pair.items():
            prepared = assemble_documents([(scanned_document(round_no), None, 0, "扫描仪 bench")])
            data = case_input(rngs[encrypted], type_ids[encrypted])
            started, cpu_started = time.perf_counter(), time.thread_time()
            with db.write() as session:
                register_with_documents(session, actor, data, prepared)
            if round_no >= warm_up:
                times[encrypted].append((time.perf_counter() - started) * 1000)
                cpu[encrypted].append((time.thread_time() - cpu_started) * 1000)
    for encrypted, values in times.items():
        print(f"  [SQLite{', encrypted' if encrypted else ''}] save one registration, {rounds} rounds alternating: "
              f"median {statistics.median(values):6.1f} ms, min {min(values):6.1f} ms, max {max(values):6.1f} ms")
    return {encrypted: {SAVE_FIGURE: statistics.median(values), CPU_SAVE_FIGURE: statistics.median(cpu[encrypted])}
            for encrypted, values in times.items()}


def _plain_and_encrypted(folder: Path, args: argparse.Namespace, csv_path: Path) -> None:
    """The registrations saved alternately on a plain and an encrypted file; the CSV import run
    ``args.repeat`` times on each, alternately, the best rate of each kept (the bench machine is
    shared: the best run is the one the least disturbed)."""
    sys.path.insert(0, str(HERE))
    import cipherbench

    cipherbench.use_bench_keyring()
    pair: dict[bool, tuple[Any, Any]] = {}
    for encrypted in (False, True):
        db = sqlite_database(folder, encrypted=encrypted, plain_page_size=args.plain_page_size)
        pair[encrypted] = (db, demo_center(db))
    print(f"  page size: unencrypted file {cipherbench.page_size(folder / 'bench.sqlite3'):,} bytes, "
          f"encrypted file {cipherbench.page_size(folder / 'bench-encrypted.sqlite3'):,} bytes")
    try:
        saves = _save_alternately(pair, args.rounds)
    finally:
        for db, _actor in pair.values():
            db.dispose()
    rates: dict[bool, list[float]] = {False: [], True: []}
    cpu_rates: dict[bool, list[float]] = {False: [], True: []}
    for round_no in range(args.repeat):
        # Which goes first changes each round: a load on the machine that rises or falls during the
        # run does not always fall on the same file.
        for encrypted in ((False, True) if round_no % 2 == 0 else (True, False)):
            for leftover in folder.glob("bench*.sqlite3*"):
                leftover.unlink()
            db = sqlite_database(folder, encrypted=encrypted, plain_page_size=args.plain_page_size)
            try:
                actor = demo_center(db)
                label = "SQLite, encrypted" if encrypted else "SQLite"
                rates[encrypted].append(bench_import(db, actor, csv_path, args.rows, label, args.profile))
                cpu_rates[encrypted].append(args.rows / IMPORT_CPU_SECONDS[-1])
            finally:
                db.dispose()
    figures = {encrypted: {SAVE_FIGURE: saves[encrypted][SAVE_FIGURE], IMPORT_FIGURE: max(rates[encrypted]),
                           CPU_SAVE_FIGURE: saves[encrypted][CPU_SAVE_FIGURE],
                           CPU_IMPORT_FIGURE: max(cpu_rates[encrypted])}
               for encrypted in (False, True)}
    cipherbench.print_ratios(figures[False], figures[True], frozenset({IMPORT_FIGURE, CPU_IMPORT_FIGURE}))


if __name__ == "__main__":
    sys.exit(main())
