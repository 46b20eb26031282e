"""Transfer packets: a round trip between the two kinds of database, and hostile packets refused."""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.exchange.errors import PacketRefused
from mediation_desk.exchange.export import export_packet
from mediation_desk.exchange.importer import PacketLimits, import_packet, verify_packet
from mediation_desk.exchange.manifest import schema, validate
from mediation_desk.models import (
    Attachment,
    Base,
    CaseEvent,
    CaseState,
    DisputeCase,
    FileBlob,
    InvestigationRecord,
    MediationRecord,
    Party,
    SourceChannel,
    Transfer,
    TransferStatus,
    UndisputedFacts,
)
from mediation_desk.services.actor import Actor

from ..documents.casefile import ON_STORY_DAY
from .casebuild import CLAIMS, FACTS, REASON, failed_case

pytestmark = ON_STORY_DAY

COURT = "张掖市甘州区人民法院"


ISSUER = "张掖市公安局甘州分局"
VALIDITY = "2015.06.01-2035.06.01"


def _card_and_guardian(db: Database, case_id: int) -> None:
    """What the desk records since migration 0020 and the minor rule: the first party's ID card was
    read at the counter (签发机关, 有效期限); the second is a minor whose agent is the 法定代理人."""
    with db.write() as session:
        parties = list(session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq)))
        parties[0].id_issuer, parties[0].id_validity = ISSUER, VALIDITY
        assert parties[1].agent_name
        parties[1].is_minor = True


def _export(db: Database, tmp_path: Path, name: str = "packet.zip") -> tuple[Path, Any]:
    built = failed_case(db)
    _card_and_guardian(db, built.case_id)
    out = tmp_path / name
    export_packet(db, built.mediator, built.case_id, target="court", target_name=COURT, out=out, claims=CLAIMS)
    return out, built


def _case_snapshot(db: Database, case_id: int) -> dict[str, Any]:
    """Everything of a case that must survive the trip, without ids, dates of import and users."""
    with db.read() as session:
        case = session.get(DisputeCase, case_id)
        assert case is not None
        parties = [
            {c: getattr(p, c) for c in ("role", "kind", "name", "gender", "ethnicity", "birth_date", "id_type",
                                        "id_number", "occupation", "work_unit", "address", "phone",
                                        "legal_representative", "credit_code", "is_minor", "agent_name",
                                        "agent_phone", "agent_authority", "id_issuer", "id_validity")}
            for p in session.scalars(select(Party).where(Party.case_id == case_id).order_by(Party.seq))]
        investigations = [(r.held_at, r.place, r.investigators, r.recorder, r.interviewee, r.interviewee_relation,
                           r.content, r.signed)
                          for r in session.scalars(select(InvestigationRecord).where(
                              InvestigationRecord.case_id == case_id))]
        mediations = [(r.held_at, r.place, r.subject, r.mediators, r.recorder, r.participants, r.parties_present,
                       r.notice_given, r.statements, r.verification, r.outcome, r.agreement_reached, r.signed)
                      for r in session.scalars(select(MediationRecord).where(MediationRecord.case_id == case_id))]
        facts = [(f.facts, f.disputed, f.signed, f.signed_on)
                 for f in session.scalars(select(UndisputedFacts).where(UndisputedFacts.case_id == case_id))]
        files = {a.sha256: (a.filename, bytes(blob)) for a, blob in session.execute(
            select(Attachment, FileBlob.content).join(FileBlob, FileBlob.sha256 == Attachment.sha256)
            .where(Attachment.case_id == case_id))}
        return {"title": case.title, "facts": case.facts, "requests": list(case.requests),
                "risk": case.risk_level, "parties": parties, "investigations": investigations,
                "mediations": mediations, "undisputed": facts, "files": files}


def _roundtrip(source: Database, target: Database, tmp_path: Path) -> None:
    packet, built = _export(source, tmp_path)
    sent = _case_snapshot(source, built.case_id)
    receiver = Actor.system("import")
    result = import_packet(target, receiver, packet)
    assert result.created and result.files == 8
    got = _case_snapshot(target, result.case_id)
    for key in ("title", "facts", "requests", "risk", "parties", "investigations", "mediations", "undisputed"):
        assert got[key] == sent[key], key
    # Every file of the sending case arrives byte for byte, with its name; the packet's own PDFs too.
    for digest, (filename, content) in sent["files"].items():
        assert got["files"][digest] == (filename, content)
    with zipfile.ZipFile(packet) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for item in manifest["files"]:
            content = zf.read(item["path"])
            assert hashlib.sha256(content).hexdigest() == item["sha256"]
            assert got["files"][item["sha256"]][1] == content
    with target.read() as session:
        case = session.get(DisputeCase, result.case_id)
        assert case is not None
        assert case.origin == f"packet:{manifest['packet_id']}"
        assert case.source_channel is SourceChannel.COURT_DELEGATED
        assert case.state is CaseState.REGISTERED
        notes = [e.note for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))]
        assert any(built.number in n and REASON in n for n in notes)
    # A second import finds the first and creates nothing.
    before = _counts(target)
    again = import_packet(target, receiver, packet)
    assert not again.created and again.case_id == result.case_id
    assert "未重复创建" in again.message
    assert _counts(target) == before
    with source.read() as session:
        transfer = session.scalars(select(Transfer)).one()
        assert transfer.status is TransferStatus.PREPARED
        assert transfer.packet_id == manifest["packet_id"]
        assert transfer.packet_sha256 == hashlib.sha256(packet.read_bytes()).hexdigest()


@pytest.mark.postgresql
def test_sqlite_to_postgresql(sqlite_db: Database, pg_database_url: str, tmp_path: Path) -> None:
    target = Database(pg_database_url)
    try:
        _roundtrip(sqlite_db, target, tmp_path)
    finally:
        target.dispose()


@pytest.mark.postgresql
def test_postgresql_to_sqlite(sqlite_db: Database, pg_database_url: str, tmp_path: Path) -> None:
    source = Database(pg_database_url)
    try:
        _roundtrip(source, sqlite_db, tmp_path)
    finally:
        source.dispose()


def test_manifest_follows_its_schema_file(sqlite_db: Database, tmp_path: Path) -> None:
    packet, _built = _export(sqlite_db, tmp_path)
    with zipfile.ZipFile(packet) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.getinfo("evidence/002.jpg").compress_type == zipfile.ZIP_STORED
    validate(manifest)
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert manifest["claims"] == CLAIMS
    assert manifest["undisputed_facts"]["facts"] == FACTS and manifest["undisputed_facts"]["signed"]
    assert manifest["failure_reason"] == REASON
    assert {d["kind"] for d in manifest["documents"]} == {"transfer_letter", "case_summary", "undisputed_facts"}
    company = manifest["parties"][2]
    assert company["kind"] == "legal_person" and company["legal_representative"] == "赵明远"
    assert manifest["parties"][1]["agent"] == {"name": "张律", "phone": "13809361234", "authority": "一般授权"}


# --------------------------------------------------------------------------- hostile packets


@pytest.fixture(scope="module")
def good_packet(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("good")
    shutil.copyfile(sqlite_template, folder / "source.sqlite3")
    db = Database(f"sqlite:///{folder / 'source.sqlite3'}")
    try:
        packet, _built = _export(db, folder)
    finally:
        db.dispose()
    yield packet


def _rewrite(src: Path, dst: Path, *, drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None,
             add: tuple[tuple[str, bytes], ...] = (), manifest: Callable[[dict[str, Any]], Any] | None = None) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": that is the point of one test
        for info in zin.infolist():
            if info.filename in drop:
                continue
            content = replace.get(info.filename, zin.read(info.filename))
            if info.filename == "manifest.json" and manifest is not None:
                data = json.loads(content)
                changed = manifest(data)
                content = changed if isinstance(changed, bytes) else json.dumps(data, ensure_ascii=False).encode()
            zout.writestr(info.filename, content, compress_type=info.compress_type)
        for name, content in add:
            zout.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return dst


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def _counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def _set_version(data: dict[str, Any]) -> None:
    data["schema_version"] = 3


def _blank_name(data: dict[str, Any]) -> None:
    data["parties"][0]["name"] = ""


def _party_set(index: int, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["parties"][index][field] = value
    return change


def _party_drop(index: int, field: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del data["parties"][index][field]
    return change


def _as_version_1(keep: str = "") -> Callable[[dict[str, Any]], None]:
    """The manifest a desk from before version 2 writes: no ID-card back, no guardian."""
    def change(data: dict[str, Any]) -> None:
        data["schema_version"] = 1
        for party in data["parties"]:
            for field in ("id_issuer", "id_validity", "guardian"):
                if field != keep:
                    del party[field]
    return change


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _bomb(src: Path, dst: Path) -> Path:
    zeros = bytes(50 * 1024 * 1024)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = json.loads(zin.read(info)) if info.filename == "manifest.json" else None
            if data is not None:
                data["files"].append({"path": "evidence/bomb.bin", "size": len(zeros),
                                      "sha256": hashlib.sha256(zeros).hexdigest(), "media_type": "application/pdf"})
                zout.writestr(info.filename, json.dumps(data, ensure_ascii=False))
            else:
                zout.writestr(info.filename, zin.read(info), compress_type=info.compress_type)
        zout.writestr("evidence/bomb.bin", zeros, compress_type=zipfile.ZIP_DEFLATED)
    return dst


HOSTILE: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "path traversal": (lambda s, d: _rewrite(s, d, add=(("../../etc/cron.d/evil", b"x"),)), "跳出材料包目录"),
    "absolute path": (lambda s, d: _rewrite(s, d, add=(("/etc/passwd", b"x"),)), "绝对路径"),
    "drive letter": (lambda s, d: _rewrite(s, d, add=(("C:/Windows/evil.dll", b"x"),)), "盘符"),
    "backslash": (lambda s, d: _rewrite(s, d, add=(("..\\evil.txt", b"x"),)), "反斜杠"),
    "altered file": (lambda s, d: _rewrite(s, d, replace={"evidence/002.jpg": _flip(
        zipfile.ZipFile(s).read("evidence/002.jpg"))}), "evidence/002.jpg”的 SHA-256 校验值与清单不符"),
    "missing file": (lambda s, d: _rewrite(s, d, drop=("evidence/001.pdf",)), "缺少清单所列的文件“evidence/001.pdf”"),
    "extra file": (lambda s, d: _rewrite(s, d, add=(("evidence/extra.pdf", b"%PDF-1.4"),)), "清单未列出的文件"),
    "duplicate names": (lambda s, d: _rewrite(s, d, add=(("evidence/001.pdf", b"other"),)), "重名文件"),
    "case-insensitive duplicate": (lambda s, d: _rewrite(s, d, add=(("Evidence/001.PDF", b"other"),)), "重名文件"),
    "truncated zip": (lambda s, d: _written(d, s.read_bytes()[: s.stat().st_size // 2]), "不是完整的 ZIP 材料包"),
    "not a zip": (lambda s, d: _written(d, b"PK\x03\x04" + bytes(200)), "不是完整的 ZIP 材料包"),
    "bomb": (_bomb, "压缩炸弹"),
    "wrong version": (lambda s, d: _rewrite(s, d, manifest=_set_version), "不支持的清单版本 3"),
    "malformed json": (lambda s, d: _rewrite(s, d, manifest=lambda _m: b'{"format": '), "不是有效的 JSON"),
    "schema violation": (lambda s, d: _rewrite(s, d, manifest=_blank_name), "parties[0].name 不能为空"),
    "no manifest": (lambda s, d: _rewrite(s, d, drop=("manifest.json",)), "缺少 manifest.json"),
    # The party fields of version 2: hostile values name the field, and nothing is written.
    "issuer too long": (lambda s, d: _rewrite(s, d, manifest=_party_set(0, "id_issuer", "局" * 61)),
                        "parties[0].id_issuer 超过 60 个字符的上限"),
    "validity not text": (lambda s, d: _rewrite(s, d, manifest=_party_set(0, "id_validity", 20350601)),
                          "parties[0].id_validity 应为字符串"),
    "guardian too long": (lambda s, d: _rewrite(s, d, manifest=_party_set(1, "guardian", "张" * 61)),
                          "parties[1].guardian 超过 60 个字符的上限"),
    "guardian not text": (lambda s, d: _rewrite(s, d, manifest=_party_set(1, "guardian", ["张律"])),
                          "parties[1].guardian 应为字符串"),
    "guardian of an adult": (lambda s, d: _rewrite(s, d, manifest=_party_set(0, "guardian", "张三")),
                             "parties[0].guardian（第 1 位当事人"),
    "guardian not the agent": (lambda s, d: _rewrite(s, d, manifest=_party_set(1, "guardian", "李四")),
                               "与 agent.name（代理人）“张律”不一致"),
    "version 2 without the card": (lambda s, d: _rewrite(s, d, manifest=_party_drop(2, "id_validity")),
                                   "parties[2] 缺少必填字段“id_validity”"),
    "version 1 with a guardian": (lambda s, d: _rewrite(s, d, manifest=_as_version_1(keep="guardian")),
                                  "含有第 1 版清单未定义的字段“guardian”"),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_hostile_packet_is_refused_and_changes_nothing(attack: str, good_packet: Path, db: Database,
                                                       tmp_path: Path) -> None:
    make, message = HOSTILE[attack]
    packet = make(good_packet, tmp_path / "hostile.zip")
    before = _counts(db)
    with pytest.raises(PacketRefused) as refused:
        import_packet(db, Actor.system("import"), packet)
    assert message in refused.value.message, refused.value.message
    assert _counts(db) == before


def test_oversized_packet_is_refused_by_the_configured_limit(good_packet: Path) -> None:
    with pytest.raises(PacketRefused, match="超过 1,000 字节的上限"):
        verify_packet(good_packet, PacketLimits(max_packet_bytes=1000))


def test_truncated_member_with_intact_directory_is_refused(good_packet: Path, tmp_path: Path) -> None:
    # A stored member whose bytes were damaged on disk: the CRC catches it even before the hash.
    raw = bytearray(good_packet.read_bytes())
    with zipfile.ZipFile(good_packet) as zf:
        info = zf.getinfo("evidence/002.jpg")
    offset = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    raw[offset] ^= 0xFF
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    with pytest.raises(PacketRefused, match=r"evidence/002\.jpg"):
        verify_packet(damaged)


def _party_rows(db: Database, case_id: int) -> list[tuple[str, str, str, bool, str]]:
    with db.read() as session:
        return [(p.name, p.id_issuer, p.id_validity, p.is_minor, p.agent_name) for p in session.scalars(
            select(Party).where(Party.case_id == case_id).order_by(Party.seq))]


def test_the_id_card_back_and_the_guardian_travel_to_the_court(good_packet: Path, db: Database) -> None:
    verified = verify_packet(good_packet)
    assert verified.manifest["schema_version"] == 2
    parties = verified.manifest["parties"]
    assert (parties[0]["id_issuer"], parties[0]["id_validity"]) == (ISSUER, VALIDITY)
    # The court sees which party is the minor and who represents them; nobody else has a guardian.
    assert [(p["is_minor"], p["guardian"]) for p in parties] == [
        (False, None), (True, "张律"), *[(False, None)] * (len(parties) - 2)]
    result = import_packet(db, Actor.system("import"), good_packet)
    assert result.created
    rows = _party_rows(db, result.case_id)
    assert rows[0][1:3] == (ISSUER, VALIDITY)
    assert rows[1][3:] == (True, "张律")
    assert all(row[1:4] == ("", "", False) for row in rows[2:])


def test_a_packet_from_before_version_2_still_imports(good_packet: Path, db: Database, tmp_path: Path) -> None:
    older = _rewrite(good_packet, tmp_path / "older.zip", manifest=_as_version_1())
    assert verify_packet(older).manifest["schema_version"] == 1
    result = import_packet(db, Actor.system("import"), older)
    assert result.created
    rows = _party_rows(db, result.case_id)
    # No card back arrives; the minor keeps the agent the packet named as before.
    assert rows[0][1:3] == ("", "")
    assert rows[1][3:] == (True, "张律")


def test_a_guardian_with_no_agent_on_file_becomes_the_agent(good_packet: Path, sqlite_db: Database,
                                                            tmp_path: Path) -> None:
    def no_agent(data: dict[str, Any]) -> None:
        data["parties"][1]["agent"] = {"name": "", "phone": "", "authority": ""}
    packet = _rewrite(good_packet, tmp_path / "guardian.zip", manifest=no_agent)
    result = import_packet(sqlite_db, Actor.system("import"), packet)
    assert _party_rows(sqlite_db, result.case_id)[1][3:] == (True, "张律")


def test_a_good_packet_verifies(good_packet: Path) -> None:
    verified = verify_packet(good_packet)
    assert len(verified.files) == 8
