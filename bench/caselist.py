"""Case list at county scale: bulk insert of 1,000,000 cases, then the real case list model.

Prints the insert rate, then — in a fresh process, so its peak memory is the model's and not the
inserter's — the time to the first rows, to the last row, to the first rows after re-sorting by
received date, and the peak RSS. Budgets (issue 2): ≥ 50,000 cases/s; first rows ≤ 300 ms;
re-sort ≤ 300 ms; RSS ≤ 300 MB.

    .venv/bin/python bench/caselist.py [--cases 1000000] [--database PATH] [--reuse] [--postgresql]
                                       [--encrypted [--page-size N] [--plain-page-size N] [--cold]]

With ``--encrypted`` the same load and measurements run twice, on an unencrypted file and on a
SQLCipher one (``PATH`` with ``-encrypted`` before its suffix; the key in a keychain in memory), and
the figures of both are printed with their ratio (issue 17's budget: ≤ 1.3×). The encrypted file
has the page size a new encrypted desk gets (``dbcipher.PAGE_SIZE``, or ``--page-size``), the
unencrypted one SQLite's default that a new plain desk gets (or ``--plain-page-size``). The list
is measured, as the headline, on a new Database whose reader connection first counted the cases
(what the list itself does when it opens); ``--cold`` measures it on connections that have read
nothing (the file's pages are in the OS's cache either way: neither figure reads the disk).

With ``--postgresql`` the same measurements run against a throwaway PostgreSQL cluster (started as
tests/pgserver.py does) loaded with bench/search.py's rows (these rows plus names and facts).
Both print, after the list figures, the time to the first rows of a search typed into the list.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

CHUNK = 50_000
#: The figures measured in CPU seconds (of the loading thread; of the whole process for the list)
#: rather than on the wall clock: printed as their own lines.
CPU_PREFIX = "CPU: "
#: The load's rates (higher is better).
FASTER = frozenset({"cases inserted (cases/s)", "parties inserted (rows/s)", CPU_PREFIX + "cases inserted (cases/s)",
                    CPU_PREFIX + "parties inserted (rows/s)"})

CASE_COLUMNS = (
    "id", "number", "year", "seq", "title", "state", "dispute_type_id", "source_channel", "risk_level",
    "is_group_dispute", "may_turn_criminal", "people_involved", "amount_involved", "address", "village", "grid",
    "facts", "requests", "received_at", "accepted_at", "closed_at", "team_id", "lead_mediator_id",
    "registered_by_id", "origin", "version", "created_at", "updated_at",
)  # fmt: skip


def case_insert_sql(center_id: int) -> str:
    """The bulk insert of cases, each of the center ``center_id`` (a raw insert names it: the
    ORM's default of the county center is not there)."""
    return (f"INSERT INTO dispute_case ({', '.join(CASE_COLUMNS)}, center_id) "
            f"VALUES ({', '.join('?' * len(CASE_COLUMNS))}, {int(center_id)})")


PARTY_COLUMNS = (
    "id", "case_id", "seq", "role", "kind", "name", "gender", "ethnicity", "birth_date", "id_type", "id_number",
    "occupation", "work_unit", "address", "phone", "legal_representative", "credit_code", "is_minor",
    "agent_name", "agent_phone", "agent_authority", "created_at", "updated_at",
)  # fmt: skip


def _case_rows(count: int, type_ids: list[int], team_ids: list[int], rng: random.Random) -> Iterator[list[tuple]]:  # type: ignore[type-arg]
    from mediation_desk.demo import person_name
    from mediation_desk.models import CaseState

    states = [s.value for s in CaseState]
    now = datetime(2026, 11, 20, 17, 0)
    start = now - timedelta(days=3 * 365)
    step = (now - start) / count
    seq_by_year: dict[int, int] = {}
    chunk: list[tuple] = []  # type: ignore[type-arg]
    for i in range(count):
        received = start + step * i
        year = received.year
        seq_by_year[year] = seq_by_year.get(year, 0) + 1
        seq = seq_by_year[year]
        stamp = received.strftime("%Y-%m-%d %H:%M:%S.000000")
        state = rng.choice(states)
        chunk.append((
            i + 1, f"（{year}）甘矛调字第{seq:04d}号", year, seq, f"{person_name(rng)}等相邻纠纷", state,
            rng.choice(type_ids), "visit", "blue", 0, 0, 2, None, "张掖市甘州区", "一村", "第1网格",
            "申请人与被申请人因相邻关系发生争议。", "[]", stamp, None, None,
            rng.choice(team_ids) if state not in ("registered", "accepted", "rejected") else None, None, None,
            None, 1, stamp, stamp,
        ))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build(path: Path, count: int, *, encrypted: bool = False, plain_page_size: int = 4096) -> dict[str, float]:
    from mediation_desk import demo
    from mediation_desk.db import Database, upgrade
    from mediation_desk.models import DisputeType, Team
    from mediation_desk.services import centers, search
    from mediation_desk.services.actor import Actor

    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not encrypted:
        sys.path.insert(0, str(HERE))
        import cipherbench

        cipherbench.new_plain_file(path, plain_page_size)
    db = Database(f"sqlite:///{path}", encrypt_new=encrypted)
    assert (db.cipher_key is not None) == encrypted, db.unencrypted_reason
    upgrade(db)
    with db.write() as session:
        demo.seed_organisation(session, Actor.system("bench"), random.Random(1))
        search.suspend_index(session)  # a bulk load indexes for search once, after the rows
    with db.read() as session:
        from sqlalchemy import select

        type_ids = list(session.scalars(select(DisputeType.id)))
        team_ids = list(session.scalars(select(Team.id)))
        county = centers.root_id(session)
        assert county is not None

    rng = random.Random(2026)
    case_sql = case_insert_sql(county)
    party_sql = f"INSERT INTO party ({', '.join(PARTY_COLUMNS)}) VALUES ({', '.join('?' * len(PARTY_COLUMNS))})"
    insert_seconds = 0.0
    party_seconds = 0.0
    generate_seconds = 0.0
    # CPU time of this (the inserting) thread: what encryption adds, less disturbed than the wall
    # clock by the other programs of a shared machine.
    insert_cpu = party_cpu = 0.0
    raw = db.writer.raw_connection()
    try:
        cursor = raw.cursor()
        rows_iter = _case_rows(count, type_ids, team_ids, rng)
        while True:
            t0 = time.perf_counter()
            chunk = next(rows_iter, None)
            if chunk is None:
                break
            parties = [
                (row[0], row[0], 0, "applicant", "person", row[4][:-6], None, "汉族", None, None, "", "", "",
                 "", "", "", "", 0, "", "", "", row[-1], row[-1])
                for row in chunk
            ]
            t1, c1 = time.perf_counter(), time.thread_time()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(case_sql, chunk)
            cursor.execute("COMMIT")
            t2, c2 = time.perf_counter(), time.thread_time()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(party_sql, parties)
            cursor.execute("COMMIT")
            t3, c3 = time.perf_counter(), time.thread_time()
            generate_seconds += t1 - t0
            insert_seconds += t2 - t1
            party_seconds += t3 - t2
            insert_cpu += c2 - c1
            party_cpu += c3 - c2
        cursor.execute("ANALYZE")
        cursor.close()
    finally:
        raw.close()
    t0, c0 = time.perf_counter(), time.thread_time()
    with db.write() as session:
        search.rebuild_index(session)
    index_seconds = time.perf_counter() - t0
    index_cpu = time.thread_time() - c0
    db.dispose()
    size = path.stat().st_size / 2**20
    print(f"cases inserted:           {count:,} in {insert_seconds:.2f} s = {count / insert_seconds:,.0f} cases/s "
          f"(with all 9 case indexes maintained; budget ≥ 50,000)")
    print(f"applicant parties:        {count:,} in {party_seconds:.2f} s = {count / party_seconds:,.0f} rows/s")
    print(f"search index built:       {index_seconds:.2f} s (after the load, see bench/search.py)")
    print(f"row generation (excluded): {generate_seconds:.2f} s; database file {size:,.0f} MiB")
    print(f"  CPU time of the loading thread: cases {insert_cpu:.2f} s, parties {party_cpu:.2f} s, "
          f"search index {index_cpu:.2f} s")
    return {"cases inserted (cases/s)": count / insert_seconds, "parties inserted (rows/s)": count / party_seconds,
            "search index built (s)": index_seconds, CPU_PREFIX + "cases inserted (cases/s)": count / insert_cpu,
            CPU_PREFIX + "parties inserted (rows/s)": count / party_cpu,
            CPU_PREFIX + "search index built (s)": index_cpu}


def measure(path: Path, url: str | None = None, *, cold: bool = False) -> None:
    """Open the real CaseListModel on a threaded TaskRunner, as the app does. ``cold``: without the
    warming count below, so every page the list reads is read (and, encrypted, decrypted) anew."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv)

    from mediation_desk.db import Database
    from mediation_desk.models import Role
    from mediation_desk.services.actor import Actor
    from mediation_desk.ui.cases.list_model import CaseListModel
    from mediation_desk.ui.common.tasks import TaskRunner

    db = Database(url or f"sqlite:///{path}", create=False)
    runner = TaskRunner(db)
    actor = Actor(user_id=None, username="head", display_name="主任", role=Role.HEAD)

    def wait_for(signal: object, predicate: object, timeout_ms: int = 60_000) -> None:
        loop = QEventLoop()
        def check(*args: object) -> None:
            if predicate(*args):  # type: ignore[operator]
                loop.quit()
        signal.connect(check)  # type: ignore[attr-defined]
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(check)  # type: ignore[attr-defined]

    from sqlalchemy import text

    # Warm the page cache once, as a desk that has been open a while would have.
    cpu: dict[str, float] = {}  # CPU seconds of the whole process (the GUI thread and the lanes)
    if not cold:
        with db.read() as session:
            session.execute(text("SELECT count(*) FROM dispute_case")).scalar()

    t0, c0 = time.perf_counter(), time.process_time()
    model = CaseListModel(runner, actor)
    wait_for(model.rows_loaded, lambda first, last: first == 0)
    first_rows = time.perf_counter() - t0
    cpu["first_rows"] = time.process_time() - c0
    if model.counting:  # a new query's first rows come before its count (ui/cases/list_model.py)
        wait_for(model.count_changed, lambda _total: True)
    total = model.total
    assert model.is_row_loaded(0), "first window did not arrive"

    t0, c0 = time.perf_counter(), time.process_time()
    model.load_rows(total - 1, total - 1)
    wait_for(model.rows_loaded, lambda first, last: last >= total - 1)
    jump_last = time.perf_counter() - t0
    cpu["jump_last"] = time.process_time() - c0
    assert model.is_row_loaded(total - 1)

    t0, c0 = time.perf_counter(), time.process_time()
    model.sort(CaseListModel.COL_RECEIVED, Qt.SortOrder.AscendingOrder)
    model.load_rows(0, 0)
    wait_for(model.rows_loaded, lambda first, last: first == 0)
    resort = time.perf_counter() - t0
    cpu["resort"] = time.process_time() - c0
    oldest = model.data(model.index(0, CaseListModel.COL_RECEIVED))

    t0, c0 = time.perf_counter(), time.process_time()
    model.load_rows(total // 2, total // 2)
    wait_for(model.rows_loaded, lambda first, last: first <= total // 2 <= last)
    jump_middle = time.perf_counter() - t0
    cpu["jump_middle"] = time.process_time() - c0

    from dataclasses import replace

    from mediation_desk.readmodels.caselist import CaseFilter

    with db.read() as session:
        name = session.execute(text("SELECT name FROM party ORDER BY id DESC LIMIT 1")).scalar() or "张伟"
    t0, c0 = time.perf_counter(), time.process_time()
    model.set_query(replace(model.query, filter=CaseFilter(text=name)))
    wait_for(model.rows_loaded, lambda first, last: first == 0)
    searched = time.perf_counter() - t0
    cpu["searched"] = time.process_time() - c0
    search_total = model.total

    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"case list rows:           {total:,}")
    print(f"time to first rows:       {first_rows * 1000:.0f} ms (first screen, before the count; budget ≤ 300 ms)")
    print(f"jump to the last row:     {jump_last * 1000:.0f} ms")
    print(f"jump to the middle row:   {jump_middle * 1000:.0f} ms")
    print(f"re-sort by received date: {resort * 1000:.0f} ms to first rows (budget ≤ 300 ms); oldest: {oldest}")
    print(f"search “{name}” in the list: {searched * 1000:.0f} ms to first rows ({search_total:,} cases)")
    print(f"peak RSS of the app side: {rss_mib:.0f} MiB (budget ≤ 300 MB)")
    figures = {"time to first rows (ms)": first_rows * 1000, "jump to the last row (ms)": jump_last * 1000,
               "jump to the middle row (ms)": jump_middle * 1000, "re-sort by received date (ms)": resort * 1000,
               "search in the list (ms)": searched * 1000}
    figures |= {CPU_PREFIX + name: cpu[var] * 1000 for name, var in zip(
        list(figures), ("first_rows", "jump_last", "jump_middle", "resort", "searched"), strict=True)}
    print("FIGURES " + json.dumps(figures))
    runner.shutdown()
    db.dispose()
    QCoreApplication.processEvents()
    del app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database", type=Path, default=HERE / "out" / "caselist.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database, only measure")
    parser.add_argument("--postgresql", action="store_true", help="measure on a throwaway PostgreSQL cluster")
    parser.add_argument("--encrypted", action="store_true",
                        help="run on an unencrypted and on a SQLCipher file, and print both with their ratio")
    parser.add_argument("--repeat", type=int, default=3, help="with --encrypted: rounds of each (best figure kept)")
    sys.path.insert(0, str(HERE))
    import cipherbench

    cipherbench.add_page_size_arguments(parser)
    parser.add_argument("--cold", action="store_true",
                        help="measure the list on connections that have read nothing yet (no warming count)")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--measure-pair", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_pair:
        return _measure_pair(args.measure_pair[0], args.measure_pair[1], args.repeat, cold=args.cold)
    if args.measure_only:
        if os.environ.get("MEDIATION_DESK_BENCH_KEYS"):
            sys.path.insert(0, str(HERE))
            import cipherbench

            cipherbench.use_bench_keyring()
        measure(args.database, args.url, cold=args.cold)
        return 0
    if args.postgresql:
        return _postgresql(args.cases)
    args.database.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MEDIATION_DESK_HOME", str(args.database.parent / "home"))
    if args.encrypted:
        cipherbench.apply_page_size(args.page_size)
        return _plain_and_encrypted(args.database, args.cases, args.repeat, args.plain_page_size, cold=args.cold)
    if not (args.reuse and args.database.exists()):
        build(args.database, args.cases)
    # A fresh process, so the peak RSS printed is the case list's, not the bulk loader's.
    return subprocess.call([sys.executable, __file__, "--measure-only", "--database", str(args.database)])


def _measure_in_child(path: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """The list measurements in a fresh process (its own peak RSS); its figures."""
    done = subprocess.run([sys.executable, __file__, "--measure-only", "--database", str(path)],
                          capture_output=True, text=True, env=env, check=True)
    figures: dict[str, float] = {}
    for line in done.stdout.splitlines():
        if line.startswith("FIGURES "):
            figures = json.loads(line.removeprefix("FIGURES "))
        else:
            print(line)
    return figures


def _plain_and_encrypted(path: Path, count: int, repeat: int, plain_page_size: int, *, cold: bool = False) -> int:
    """Both files loaded ``repeat`` times, alternately (the best rate of each kept: the bench machine
    is shared, the best run is the least disturbed); then the list measured on both in one process,
    alternately, ``repeat`` × 3 times each, the median of each figure compared — both files see the
    same load."""
    sys.path.insert(0, str(HERE))
    import cipherbench

    backend = cipherbench.use_bench_keyring()
    encrypted_path = path.with_name(f"{path.stem}-encrypted{path.suffix}")
    loads: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for round_no in range(1, repeat + 1):
        for encrypted in ((False, True) if round_no % 2 else (True, False)):  # which goes first alternates
            print(f"— load {round_no}: {'encrypted (SQLCipher 4, raw 256-bit key)' if encrypted else 'unencrypted'} —")
            loads[encrypted].append(build(encrypted_path if encrypted else path, count, encrypted=encrypted,
                                          plain_page_size=plain_page_size))
    faster = FASTER
    plain = cipherbench.best(loads[False], faster)
    encrypted_figures = cipherbench.best(loads[True], faster)
    print(f"page size: unencrypted file {cipherbench.page_size(path):,} bytes, "
          f"encrypted file {cipherbench.page_size(encrypted_path):,} bytes")
    done = subprocess.run([sys.executable, __file__, "--measure-pair", str(path), str(encrypted_path),
                           "--repeat", str(repeat * 3), *(["--cold"] if cold else [])], capture_output=True, text=True,
                          env=cipherbench.child_environment(backend), check=True)
    for line in done.stdout.splitlines():
        if line.startswith("FIGURES "):
            both = json.loads(line.removeprefix("FIGURES "))
            plain |= both["plain"]
            encrypted_figures |= both["encrypted"]
        else:
            print(line)
    cipherbench.print_ratios(plain, encrypted_figures, faster)
    return 0


def _measure_pair(plain: Path, encrypted: Path, repeat: int, *, cold: bool = False) -> int:
    """The list measured on each file in turn, ``repeat`` times; the median of each figure."""
    import contextlib
    import io
    import statistics

    sys.path.insert(0, str(HERE))
    import cipherbench

    cipherbench.use_bench_keyring()
    runs: dict[str, list[dict[str, float]]] = {"plain": [], "encrypted": []}
    for round_no in range(repeat):
        pair = (("plain", plain), ("encrypted", encrypted))
        for name, path in (pair if round_no % 2 == 0 else pair[::-1]):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                measure(path, cold=cold)
            lines = out.getvalue().splitlines()
            runs[name].append(json.loads(next(x for x in lines if x.startswith("FIGURES "))[len("FIGURES "):]))
            if round_no == 0:
                print(f"— the list on the {name} file (first of {repeat} measurements) —")
                print("\n".join(x for x in lines if not x.startswith("FIGURES ")))
    medians = {name: {figure: statistics.median(run[figure] for run in measured) for figure in measured[0]}
               for name, measured in runs.items()}
    print(f"(list figures: the median of {repeat} measurements of each file, taken alternately; "
          + ("cold: new connections that had read nothing)" if cold else
             "each on a new Database whose reader first counted the cases, as an open desk has)"))
    print("FIGURES " + json.dumps(medians))
    return 0


def _postgresql(count: int) -> int:
    from sqlalchemy import create_engine, text

    sys.path.insert(0, str(HERE))
    import search as search_bench  # bench/search.py: the PostgreSQL loader

    from tests import pgserver

    if pgserver.find_bin_dir() is None:
        print("PostgreSQL skipped: server binaries not found (apt-get install postgresql).")
        return 0
    server = pgserver.start()
    try:
        admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench_caselist"))
        admin.dispose()
        url = server.url_for("bench_caselist")
        search_bench.build_postgresql(url, count)
        return subprocess.call([sys.executable, __file__, "--measure-only", "--url", url])
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
