"""Build the transfer packet of a failed case: the PDFs, the case's files, and the manifest.

The packet's PDFs exist before the export, made when a centre makes them (``services.kept``):
a signed record and a signed statement of undisputed facts were rendered and kept when they
were signed (the document of record), and the transfer letter and the case summary when the
mediator printed the letter for the seal (``exchange.letters``, keyed by a fingerprint of their
inputs). The export reads the case once (one session), finds those kept PDFs and streams them
from their blobs like the case's files, each checked against its stored digest.

What is not kept yet (an unsigned record, a letter never printed or printed from other inputs)
is rendered on a worker thread while this thread streams the files, appended when both are
done (``zipfile`` writes stay on one thread and in one sequence), and kept in the final write
transaction, beside the transfer row, so the next export of the unchanged case finds it. Rendering
there costs the streaming dearly: the two threads contend for the GIL (the stream thread waits up
to the switch interval on each re-acquire), which is why the PDFs are made beforehand.

Files are streamed into the ZIP one at a time, in chunks (a packet of many scans never sits in
memory whole); already-compressed content (PDFs, scans, photos) is stored, not deflated again —
deflating scans gains nothing and is many times slower (PLATFORM.md). The ZIP is written beside
the target as ``.NAME.part`` and renamed when complete and recorded, so nobody picks up half a
packet; a cancelled or failed export leaves no file behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import queue
import re
import threading
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .. import __version__
from ..db import Database
from ..files import TargetRefused, atomic_output, check_target
from ..models import FileBlob, Party, PartyKind, TransferTarget, now
from ..services import kept, transfers
from ..services.actor import Actor
from ..services.attachments import ContentDamaged
from ..services.errors import InvalidInput
from ..services.transfers import TransferInfo
from . import letters
from .errors import PacketCancelled
from .manifest import FORMAT, MANIFEST_NAME, SCHEMA_VERSION

#: Progress: bytes done, bytes in all, what is being done.
Progress = Callable[[int, int, str], None]
CHUNK = 1024 * 1024
#: Media types that are compressed already; everything else is deflated.
_STORED_PREFIXES = ("image/", "video/", "audio/")
_STORED_TYPES = frozenset({"application/pdf", "application/zip", "application/gzip"})
_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")


@dataclass(frozen=True)
class ExportResult:
    path: Path
    packet_id: str
    sha256: str
    size: int
    files: int
    transfer: TransferInfo | None
    #: Seconds spent reading the case (before anything is written).
    read_seconds: float = 0.0
    #: Seconds the worker thread spent rendering the PDFs, overlapped with the files' streaming.
    render_seconds: float = 0.0
    #: Seconds the export waited for the PDFs after the files were written (what the overlap
    #: did not hide).
    wait_seconds: float = 0.0


@dataclass
class _Entry:
    path: str
    media_type: str
    content: bytes | None = None  # generated PDFs, once rendered; stored files are read when written
    #: How a PDF not kept yet is made (off the session); None for what is streamed from a blob
    #: (the case's files, and the PDFs kept already).
    render: Callable[[], bytes] | None = None
    #: A generated PDF's key among the kept documents (``services.kept``): rendered, it is kept.
    key: tuple[str, str] | None = None
    source_id: int | None = None
    sha256: str = ""
    size: int = 0


@dataclass
class _Plan:
    manifest: dict[str, Any]
    entries: list[_Entry] = field(default_factory=list)


def _iso(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.replace(microsecond=0).isoformat(timespec="seconds")
    return moment.isoformat()


def _compression(media_type: str) -> int:
    if media_type in _STORED_TYPES or media_type.startswith(_STORED_PREFIXES):
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def evidence_path(index: int, filename: str) -> str:
    """``evidence/003.jpg``: the original name (often Chinese) stays in the manifest; the path
    inside the ZIP is plain ASCII so every unzip tool and file system takes it."""
    _stem, dot, extension = filename.rpartition(".")
    suffix = f".{extension.lower()}" if dot and _EXTENSION.match(extension) else ""
    return f"evidence/{index:03d}{suffix}"


def _party(p: Party, unit: str) -> dict[str, Any]:
    """``unit``: the work unit as the court summary prints it."""
    return {
        "role": str(p.role), "kind": str(p.kind), "name": p.name,
        "sex": str(p.gender) if p.gender is not None else None,
        "birth_date": _iso(p.birth_date), "ethnicity": p.ethnicity, "occupation": p.occupation,
        "work_unit": unit, "address": p.address, "phone": p.phone,
        "id_type": str(p.id_type) if p.id_type is not None else None, "id_number": p.id_number,
        "legal_representative": p.legal_representative, "credit_code": p.credit_code, "is_minor": p.is_minor,
        "agent": {"name": p.agent_name, "phone": p.agent_phone, "authority": p.agent_authority},
        # Since version 2: the back of the ID card as read at the counter, and for a minor the
        # 法定代理人 (the agent the desk required at registration), so the court sees who signs.
        "id_issuer": p.id_issuer, "id_validity": p.id_validity,
        "guardian": (p.agent_name.strip() or None) if p.is_minor else None,
    }


#: A party as a packet carries it (the crossing packets carry parties in the same shape).
party_entry = _party


def _plan(session: Session, actor: Actor, case_id: int, target: TransferTarget, target_name: str,
          claims: list[str] | None, packet_id: str, created: datetime) -> _Plan:
    from ..documents import records as record_docs
    from ..documents import transfer as docs
    from ..documents.forms import work_unit_or_blank

    found = letters.gather(session, actor, case_id, target, target_name, claims, today=created.date())
    case, detail, issuer, kind, name = found.case, found.detail, found.issuer, found.target, found.target_name
    ended, reason, facts, chosen_claims = found.ended, found.reason, found.facts, found.claims
    parties = found.parties
    party_index = {p.id: i for i, p in enumerate(parties)}
    mediators = detail.lead_mediator
    facts_data = found.data.undisputed

    entries: list[_Entry] = []
    record_items: list[dict[str, Any]] = []
    for index, record in enumerate(found.records, start=1):
        render = record_docs.render_investigation if record.kind == "investigation" else \
            record_docs.render_mediation_record
        path = f"records/{index:02d}-{record.kind}.pdf"
        # A signed record is its PDF kept at signing; an unsigned one is rendered now.
        key = kept.record_key(record.kind, record.id) if record.signed else None
        entries.append(_Entry(path, "application/pdf", render=partial(render, detail, issuer, record),
                              key=key, source_id=record.id))
        values = {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in record.values.items()}
        values.pop("held_at", None)
        values.pop("place", None)
        record_items.append({"kind": record.kind, "held_at": _iso(record.held_at), "place": record.place,
                             "signed": record.signed, "file": path, **values})
    evidence_items: list[dict[str, Any]] = []
    data = found.data
    # Each file with its source and purpose in the summary's words (证据来源, 证明目的: CPL art. 124);
    # ``found.data.evidence`` lists the same attachments in the same order.
    for index, (a, printed) in enumerate(zip(found.attachments, data.evidence, strict=True), start=1):
        path = evidence_path(index, a.filename)
        entries.append(_Entry(path, a.media_type, sha256=a.sha256, size=a.size))
        evidence_items.append({"file": path, "filename": a.filename, "kind": str(a.kind),
                               "party": party_index.get(a.party_id) if a.party_id is not None else None,
                               "note": a.note, "added_at": _iso(a.created_at),
                               "source": docs.evidence_source(printed), "purpose": docs.evidence_purpose(printed)})
    # The witnesses as the summary lists them: name, who named them, address, phone, what they can prove.
    witness_items = [{"name": w.name, "party": party_index.get(w.party_id) if w.party_id is not None else None,
                      "named_by": w.named_by, "address": docs.witness_address(w), "phone": w.phone.strip(),
                      "proves": docs.witness_proves(w), "text": docs.witness_line(w)} for w in data.witnesses]
    # A natural person's work unit as the court summary prints it (CPL art. 124): "无" or "不详"
    # when none is on file, never blank; an organisation has none.
    units = {v.id: work_unit_or_blank(v) if v.kind is PartyKind.PERSON else v.work_unit for v in detail.parties}
    documents = [
        {"kind": "transfer_letter", "title": docs.letter_title(kind), "file": "documents/transfer-letter.pdf"},
        {"kind": "case_summary", "title": docs.SUMMARY_TITLE, "file": "documents/case-summary.pdf"},
    ]
    generated = [_Entry("documents/transfer-letter.pdf", "application/pdf",
                        render=partial(docs.render_transfer_letter, detail, issuer, data),
                        key=(kept.TRANSFER_LETTER, found.fingerprint)),
                 _Entry("documents/case-summary.pdf", "application/pdf",
                        render=partial(docs.render_case_summary, detail, issuer, data),
                        key=(kept.CASE_SUMMARY, found.fingerprint))]
    if facts_data is not None:
        documents.append({"kind": "undisputed_facts", "title": docs.UNDISPUTED_FACTS_TITLE,
                          "file": "documents/undisputed-facts.pdf"})
        generated.append(_Entry("documents/undisputed-facts.pdf", "application/pdf",
                                render=partial(docs.render_undisputed_facts, detail, issuer, facts_data,
                                               mediators=mediators),
                                key=kept.facts_key(facts_data.id) if facts_data.signed else None,
                                source_id=facts_data.id))
    entries = generated + entries
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "packet_id": packet_id,
        "created_at": _iso(created),
        "generator": f"矛调工作台 {__version__}",
        "origin": {"center": issuer.center_name, "committee": issuer.committee, "case_number": case.number},
        "target": {"kind": str(kind), "name": name},
        "case": {
            "number": case.number, "title": case.title, "dispute_type": detail.dispute_type or "其他",
            "source_channel": str(case.source_channel), "risk_level": str(case.risk_level),
            "is_group_dispute": case.is_group_dispute, "may_turn_criminal": case.may_turn_criminal,
            "people_involved": case.people_involved,
            "amount_involved": str(case.amount_involved) if case.amount_involved is not None else None,
            "address": case.address, "village": case.village, "grid": case.grid,
            "received_at": _iso(case.received_at), "accepted_at": _iso(case.accepted_at),
            "facts": case.facts, "requests": list(case.requests or []),
        },
        "parties": [_party(p, units.get(p.id, p.work_unit)) for p in parties],
        "claims": chosen_claims,
        "failure_reason": reason,
        "terminated_on": _iso(ended.terminated_on) if ended else None,
        "undisputed_facts": ({"facts": facts.facts, "disputed": facts.disputed, "signed": facts.signed,
                              "signed_on": _iso(facts.signed_on), "file": "documents/undisputed-facts.pdf"}
                             if facts is not None else None),
        "records": record_items,
        "evidence": evidence_items,
        "witnesses": witness_items,
        "documents": documents,
        "files": [],  # filled in once every file is written
    }
    # The PDFs made before (signed documents, a printed letter) are streamed from their blobs
    # like the case's files, and checked against their digest the same way.
    made = kept.find(session, [e.key for e in entries if e.key is not None])
    for entry in entries:
        ref = made.get(entry.key) if entry.key is not None else None
        if ref is not None:
            entry.render, entry.sha256, entry.size = None, ref.sha256, ref.size
    return _Plan(manifest, entries)


class _Hasher(threading.Thread):
    """SHA-256 on a second core: the packet's digest and each file's check against its stored
    digest are fed here in order while the exporting thread computes the ZIP's CRC-32s and writes.
    ``hashlib`` releases the GIL on large buffers, so the two hashes of every byte cost the export
    no time of its own. The queue is bounded: at most ``_QUEUED`` chunks wait (a few MB)."""

    _QUEUED = 16

    def __init__(self) -> None:
        super().__init__(name="packet-hashes", daemon=True)
        self._queue: queue.Queue[tuple[Any, memoryview] | None] = queue.Queue(self._QUEUED)

    def feed(self, digest: Any, data: memoryview) -> None:
        self._queue.put((digest, data))

    def run(self) -> None:
        while (item := self._queue.get()) is not None:
            item[0].update(item[1])

    def finish(self) -> None:
        """Wait until everything fed is hashed."""
        self._queue.put(None)
        self.join()


class _HashingFile(io.RawIOBase):
    """The packet file as ``zipfile`` writes it, hashed on the way: the packet's SHA-256 costs no
    second read. Not seekable, so ``zipfile`` writes each member's sizes after its data instead of
    seeking back."""

    def __init__(self, target: BinaryIO, hasher: _Hasher) -> None:
        super().__init__()
        self._target = target
        self._hasher = hasher
        self._position = 0
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._hasher.feed(self.digest, view)
        self._target.write(view)
        self._position += view.nbytes
        return view.nbytes

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        self._target.flush()


@dataclass
class _Check:
    """A stored file's bytes checked against what was stored: by the CRC-32 kept with the blob,
    which the ZIP computes for every member anyway (no second pass over the bytes), or, for a
    blob stored before CRC-32s were kept, by its SHA-256 on the hashing thread. Either way a
    damaged blob is refused here; the receiving end checks every SHA-256 again."""

    entry: _Entry
    length: int
    stored_crc: int | None
    digest: Any = None
    crc: int | None = None

    def verify(self) -> None:
        if self.stored_crc is not None:
            intact = self.crc == self.stored_crc
        else:
            intact = self.digest is not None and self.digest.hexdigest() == self.entry.sha256
        if self.length != self.entry.size or not intact:
            raise ContentDamaged(f"材料文件（{self.entry.path}）的内容已损坏（校验值不符），不能移送。"
                                 "请从备份恢复或重新扫描。")


def _write_entry(zf: zipfile.ZipFile, entry: _Entry, content: bytes, stamp: tuple[int, int, int, int, int, int],
                 tick: Callable[[int], None], hasher: _Hasher, *, stored_crc: int | None = None) -> _Check | None:
    """Write one member; for a stored file, return its check (verified once the hasher is done)."""
    info = zipfile.ZipInfo(entry.path, date_time=stamp)
    info.compress_type = _compression(entry.media_type)
    info.file_size = len(content)
    view = memoryview(content)
    check = _Check(entry, len(content), stored_crc) if entry.render is None else None
    if check is not None and stored_crc is None:
        check.digest = hashlib.sha256()
    with zf.open(info, "w") as out:
        for start in range(0, len(view), CHUNK):
            piece = view[start:start + CHUNK]
            if check is not None and check.digest is not None:
                hasher.feed(check.digest, piece)
            out.write(piece)
            tick(len(piece))
    if check is not None:
        check.crc = info.CRC  # set by zipfile when the member is closed
    return check


def export_packet(database: Database, actor: Actor, case_id: int, *, target: TransferTarget | str,
                  target_name: str, out: Path, claims: list[str] | None = None,
                  progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the packet of a case to ``out`` and record the transfer (已生成)."""
    out = Path(out)
    if out.exists() and out.is_dir():
        raise InvalidInput("out", f"“{out}”是一个文件夹，请选择要保存的文件名。")
    if not out.parent.is_dir():
        raise InvalidInput("out", f"目录“{out.parent}”不存在。")
    try:
        check_target(out, what="材料包文件")  # not a device, a pipe …
    except TargetRefused as refused:
        raise InvalidInput("out", refused.message) from None
    packet_id = str(uuid.uuid4())
    created = now()
    stamp = (created.year, created.month, created.day, created.hour, created.minute, created.second)
    report = progress or (lambda _done, _total, _what: None)
    stop = cancelled or (lambda: False)
    kind, name = transfers.check_target(target, target_name)
    renderer: _Renderer | None = None
    hasher = _Hasher()
    hasher.start()
    try:
        with atomic_output(out, what="out") as raw:
            with database.read() as session:
                report(0, 1, "正在读取案件……")
                started = time.perf_counter()
                plan = _plan(session, actor, case_id, kind, name, claims, packet_id, created)
                read_seconds = time.perf_counter() - started
                generated = [e for e in plan.entries if e.render is not None]
                stored = [e for e in plan.entries if e.render is None]
                if generated:
                    renderer = _Renderer(generated)
                    renderer.start()
                # The PDFs' sizes are known only once rendered: progress counts the files' bytes, and
                # one unit a document, written after them.
                total = sum(e.size for e in stored) + len(generated) or 1
                done = 0

                def tick(amount: int) -> None:
                    nonlocal done
                    done += amount
                    if stop():
                        raise PacketCancelled("已取消导出，未生成材料包。")
                    report(done, total, "正在写入材料包……")

                checks: list[_Check] = []
                with zipfile.ZipFile(hashed := _HashingFile(raw, hasher), "w", allowZip64=True) as zf:
                    for entry in stored:
                        if stop():
                            raise PacketCancelled("已取消导出，未生成材料包。")
                        content, stored_crc = _blob(session, entry)
                        check = _write_entry(zf, entry, content, stamp, tick, hasher, stored_crc=stored_crc)
                        del content
                        assert check is not None
                        checks.append(check)
                    wait_seconds = render_seconds = 0.0
                    if renderer is not None:
                        waited = time.perf_counter()
                        report(done, total, "正在生成移送函、案件情况摘要和笔录……")
                        renderer.join()
                        wait_seconds = time.perf_counter() - waited
                        renderer.raise_error()
                        render_seconds = renderer.seconds
                    for entry in generated:
                        assert entry.content is not None
                        _write_entry(zf, entry, entry.content, stamp, lambda _amount: None, hasher)
                        tick(1)
                    plan.manifest["files"] = [{"path": e.path, "size": e.size, "sha256": e.sha256,
                                               "media_type": e.media_type} for e in plan.entries]
                    text = json.dumps(plan.manifest, ensure_ascii=False, indent=2).encode("utf-8")
                    info = zipfile.ZipInfo(MANIFEST_NAME, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, text)
                hasher.finish()
                for check in checks:
                    check.verify()
            report(total, total, "正在登记移送记录……")
            digest = hashed.digest
            size = hashed.tell()
            manifest = plan.manifest
            with database.write() as session:
                recorded = transfers.record_packet(
                    session, actor, case_id, target=manifest["target"]["kind"], target_name=manifest["target"]["name"],
                    packet_id=packet_id, packet_sha256=digest.hexdigest(), claims=manifest["claims"],
                    reason=manifest["failure_reason"])
                # What was rendered now is kept, so the next export of the unchanged case reuses it.
                for entry in generated:
                    if entry.key is not None and entry.content is not None:
                        kept.keep(session, case_id, *entry.key, entry.content, source_id=entry.source_id)
    finally:
        if renderer is not None:
            renderer.abandon()
        if hasher.is_alive():
            hasher.finish()
    return ExportResult(out, packet_id, digest.hexdigest(), size, len(plan.entries), recorded,
                        read_seconds=read_seconds, render_seconds=render_seconds, wait_seconds=wait_seconds)


class _Renderer(threading.Thread):
    """Renders the packet's PDFs into memory, in order, while the files are written.

    It never touches the database session (the documents are built from plain data read
    before) nor the ZIP. An error is kept and raised on the exporting thread; a cancelled or
    failed export stops it before the next document (the cancel check stays on the exporting
    thread: the caller's callback is not asked from another thread)."""

    def __init__(self, entries: list[_Entry]) -> None:
        super().__init__(name="packet-pdfs", daemon=True)
        self._entries = entries
        self._abandoned = False
        self._error: BaseException | None = None
        self.seconds = 0.0

    def run(self) -> None:
        started = time.perf_counter()
        try:
            for entry in self._entries:
                if self._abandoned:
                    return
                assert entry.render is not None
                content = entry.render()
                entry.sha256 = hashlib.sha256(content).hexdigest()
                entry.size = len(content)
                entry.content = content
        except BaseException as exc:  # handed to the exporting thread
            self._error = exc
        finally:
            self.seconds = time.perf_counter() - started

    def raise_error(self) -> None:
        if self._error is not None:
            raise self._error
        if any(e.content is None for e in self._entries):
            raise PacketCancelled("已取消导出，未生成材料包。")

    def abandon(self) -> None:
        self._abandoned = True


#: One file's content, as a Core statement compiled once: the ORM's per-query work was a fifth
#: of reading the files.
_BLOB = select(FileBlob.__table__.c.content, FileBlob.__table__.c.crc32).where(
    FileBlob.__table__.c.sha256 == bindparam("sha256"))


def _blob(session: Session, entry: _Entry) -> tuple[bytes, int | None]:
    """A file's content and the CRC-32 stored with it (None for a blob stored before they were)."""
    row = session.connection().execute(_BLOB, {"sha256": entry.sha256}).first()
    if row is None:
        raise ContentDamaged(f"材料文件（{entry.path}）的内容在数据库中缺失，无法移送。请从备份恢复或重新扫描。")
    # Checked while it is written (_write_entry): one pass over the bytes.
    return bytes(row[0]), row[1]
