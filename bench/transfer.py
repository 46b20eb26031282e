"""Transfer packet: export a failed case with ``--files`` scans of ``--size`` bytes each, against a
plain copy of the same files out of the same database in the same run, then import the packet
into a fresh database. Budget (issue 6): the whole export (reading the case, its five PDFs,
streaming and hashing the files, the manifest, the transfer row) ≤ 2× the plain copy. Each
repeat times the copy and the export back to back; the ratio is the median of the per-repeat
ratios, so both sides of one ratio see the same load on a shared machine.

The case's PDFs exist before the export as in a real centre: its records and statement were
signed through the services (their PDFs kept at signing), and the mediator prints the transfer
letter (with the case summary) for the seal before timing. A cold figure is printed too: the same
case in a second database with nothing kept, whose export renders all five PDFs.

    .venv/bin/python bench/transfer.py [--files 20] [--size 1048576] [--repeat 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BUDGET = 2.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--size", type=int, default=1024 * 1024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from argon2 import PasswordHasher
    from sqlalchemy import delete, select

    from mediation_desk.db import Database, upgrade
    from mediation_desk.exchange.export import export_packet
    from mediation_desk.exchange.importer import import_packet
    from mediation_desk.exchange.letters import print_transfer_letter
    from mediation_desk.models import Attachment, AttachmentKind, FileBlob, KeptDocument
    from mediation_desk.services import attachments, auth, reference
    from mediation_desk.services.actor import Actor
    from tests.exchange.casebuild import CLAIMS, Failed, failed_case

    auth.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    folder = Path(tempfile.mkdtemp(prefix="bench-transfer-")) if args.out is None else args.out
    folder.mkdir(parents=True, exist_ok=True)

    def database(name: str) -> Database:
        db = Database(f"sqlite:///{folder / name}")
        upgrade(db, backup=False)
        with db.write() as session:
            reference.ensure_dispute_types(session)
        return db

    def build(db: Database) -> Failed:
        """The failed case (records and statement signed through the services, so their PDFs
        are kept) with ``--files`` scans. A scan is JPEG data: random bytes behind a JPEG header
        compress as little as a real one."""
        made = failed_case(db, files=False)
        with db.write() as session:
            for index in range(args.files):
                content = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(args.size - 13) + b"\xff\xd9"
                attachments.add_document(session, made.mediator, made.case_id, kind=AttachmentKind.EVIDENCE,
                                         filename=f"扫描件{index + 1:02d}.jpg", content=content,
                                         media_type="image/jpeg")
        return made

    source = database("source.sqlite3")
    built = build(source)
    total = args.files * args.size

    def plain_copy(target: Path, db: Database | None = None, case_id: int | None = None) -> None:
        """What saving the case's files to a folder costs: read each blob, write it out."""
        target.mkdir()
        with (db or source).read() as session:
            ids = session.scalars(select(Attachment.id).where(Attachment.case_id == (case_id or built.case_id))).all()
            for attachment_id in ids:
                row = session.execute(select(Attachment.filename, FileBlob.content)
                                      .join(FileBlob, FileBlob.sha256 == Attachment.sha256)
                                      .where(Attachment.id == attachment_id)).one()
                (target / row[0]).write_bytes(row[1])

    # The mediator prints the transfer letter for the seal before the packet goes: the letter
    # and the case summary are made and kept then (exchange.letters).
    start = time.perf_counter()
    with source.write() as session:
        printed = print_transfer_letter(session, built.mediator, built.case_id, target="court",
                                        target_name="张掖市甘州区人民法院", claims=CLAIMS)
    print_s = time.perf_counter() - start
    # Warm-up: fonts registered, modules imported, pages cached (both sides alike).
    plain_copy(folder / "warm")
    export_packet(source, built.mediator, built.case_id, target="court", target_name="张掖市甘州区人民法院",
                  out=folder / "warm.zip", claims=CLAIMS)
    copies: list[float] = []
    exports: list[float] = []
    reads: list[float] = []
    renders: list[float] = []
    waits: list[float] = []
    ratios: list[float] = []
    copy_cpu: list[float] = []
    export_cpu: list[float] = []
    for run in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        plain_copy(folder / f"copy{run}")
        copies.append(time.perf_counter() - start)
        copy_cpu.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        done = export_packet(source, built.mediator, built.case_id, target="court",
                             target_name="张掖市甘州区人民法院", out=folder / f"packet{run}.zip", claims=CLAIMS)
        exports.append(time.perf_counter() - start)
        export_cpu.append(time.process_time() - cpu)
        reads.append(done.read_seconds)
        renders.append(done.render_seconds)
        waits.append(done.wait_seconds)
        ratios.append(exports[-1] / copies[-1])
    copy_s, export_s = statistics.median(copies), statistics.median(exports)
    # Cold: the same case in another database with nothing kept (as if signed before documents
    # were kept, and the letter never printed): the export renders all five PDFs on its worker.
    cold_db = database("cold.sqlite3")
    cold = build(cold_db)
    with cold_db.write() as session:
        session.execute(delete(KeptDocument))
    start = time.perf_counter()
    plain_copy(folder / "cold-copy", cold_db, cold.case_id)
    cold_copy_s = time.perf_counter() - start
    start = time.perf_counter()
    cold_done = export_packet(cold_db, cold.mediator, cold.case_id, target="court",
                              target_name="张掖市甘州区人民法院", out=folder / "cold.zip", claims=CLAIMS)
    cold_export_s = time.perf_counter() - start
    target = database("target.sqlite3")
    start = time.perf_counter()
    result = import_packet(target, Actor.system("bench"), folder / "packet0.zip")
    import_s = time.perf_counter() - start
    ratio = statistics.median(ratios)
    print(f"files:                    {args.files} × {args.size:,} bytes = {total / 1e6:.1f} MB")
    print(f"packet:                   {(folder / 'packet0.zip').stat().st_size:,} bytes, {result.files} files")
    print(f"plain copy (median):      {copy_s * 1000:8.1f} ms")
    print(f"export (median):          {export_s * 1000:8.1f} ms  (whole: case, PDFs, ZIP, manifest, hashes, row)")
    print(f"  reading the case:       {statistics.median(reads) * 1000:8.1f} ms")
    print(f"  rendering PDFs:         {statistics.median(renders) * 1000:8.1f} ms  (worker; 0 when all were kept)")
    print(f"  waiting for the PDFs:   {statistics.median(waits) * 1000:8.1f} ms  (after the files were written)")
    print(f"CPU time (median):        copy {statistics.median(copy_cpu) * 1000:.1f} ms, export "
          f"{statistics.median(export_cpu) * 1000:.1f} ms  (all threads; wall time above is what is judged)")
    print(f"per-repeat export/copy:   {'  '.join(f'{r:.2f}×' for r in ratios)}")
    print(f"export / copy (median):   {ratio:8.2f}×  (budget ≤ {BUDGET:.0f}×: {'OK' if ratio <= BUDGET else 'OVER'})"
          "  — signed records and statement kept at signing, letter and summary kept when printed")
    print(f"printing the letter:      {print_s * 1000:8.1f} ms  (letter + summary rendered and kept, "
          f"{'reused' if printed.reused else 'new'}; before timing, as the mediator does)")
    print(f"cold export (nothing kept): {cold_export_s * 1000:6.1f} ms against a copy of {cold_copy_s * 1000:.1f} ms = "
          f"{cold_export_s / cold_copy_s:.2f}×  (renders 5 PDFs: {cold_done.render_seconds * 1000:.1f} ms, "
          f"waited {cold_done.wait_seconds * 1000:.1f} ms; one run, not judged)")
    print(f"import (verify + write):  {import_s * 1000:8.1f} ms")
    source.dispose()
    target.dispose()
    cold_db.dispose()
    if args.out is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
