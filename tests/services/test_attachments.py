"""Attachments: content stored once per SHA-256, checked on read, all-or-nothing on both databases."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from sqlalchemy import func, select, update

from mediation_desk.db import Database
from mediation_desk.models import (
    Attachment,
    AttachmentKind,
    AuditEntry,
    CaseState,
    DisputeCase,
    FileBlob,
    Party,
    PartyRole,
    Role,
)
from mediation_desk.services import attachments, audit
from mediation_desk.services.actor import Actor
from mediation_desk.services.attachments import (
    ContentDamaged,
    add_document,
    attachment_content,
    attachment_info,
    list_attachments,
    remove_attachment,
    sanitise_filename,
)
from mediation_desk.services.errors import InvalidInput, NotFound, PermissionDenied

from ..scanning.samples import jpeg_bytes, pdf_bytes, png_bytes
from .helpers import make_team, make_user, register

PDF = pdf_bytes(2)


@pytest.fixture
def clerk(db: Database) -> Actor:
    return make_user(db, "clerk", Role.INTAKE)


@pytest.fixture
def case_id(db: Database, clerk: Actor) -> int:
    return register(db, clerk)


def add(db: Database, actor: Actor, case_id: int, content: bytes = PDF, **kwargs: Any) -> attachments.AttachmentInfo:
    options: dict[str, Any] = {"kind": AttachmentKind.APPLICATION, "filename": "申请书.pdf",
                               "media_type": "application/pdf"}
    options.update(kwargs)
    with db.write() as session:
        return add_document(session, actor, case_id, content=content, **options)


def count(db: Database, model: type[Any]) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def case_version(db: Database, case_id: int) -> tuple[int, Any]:
    with db.read() as session:
        row = session.execute(select(DisputeCase.version, DisputeCase.updated_at)
                              .where(DisputeCase.id == case_id)).one()
        return row[0], row[1]


# --------------------------------------------------------------------------- adding


def test_add_document_stores_content_and_describes_it(db: Database, clerk: Actor, case_id: int) -> None:
    before = case_version(db, case_id)
    info = add(db, clerk, case_id, note="  当事人当场提交  ")
    assert info.case_id == case_id and info.kind is AttachmentKind.APPLICATION
    assert info.filename == "申请书.pdf" and info.media_type == "application/pdf"
    assert info.sha256 == hashlib.sha256(PDF).hexdigest() and info.size == len(PDF)
    assert info.note == "当事人当场提交" and info.added_by == "clerk" and info.added_by_id == clerk.user_id
    with db.read() as session:
        assert attachment_content(session, clerk, info.id) == PDF
        assert attachment_info(session, clerk, info.id) == info
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert entry.action == "attachment.add" and entry.entity_id == info.id
    assert entry.detail["sha256"] == info.sha256 and entry.detail["filename"] == "申请书.pdf"
    # Adding a document is not an edit of the case: a colleague's open form is not made stale.
    assert case_version(db, case_id) == before


def test_same_content_is_stored_once(db: Database, clerk: Actor, case_id: int) -> None:
    other_case = register(db, clerk, applicant="王五")
    first = add(db, clerk, case_id)
    second = add(db, clerk, other_case, kind=AttachmentKind.EVIDENCE, filename="证据.pdf")
    with db.write() as session:  # twice in one transaction, too
        add_document(session, clerk, case_id, kind=AttachmentKind.OTHER, filename="副本.pdf", content=PDF)
        add_document(session, clerk, case_id, kind=AttachmentKind.OTHER, filename="副本2.pdf", content=PDF)
    assert first.sha256 == second.sha256
    assert count(db, FileBlob) == 1
    assert count(db, Attachment) == 4


def test_list_attachments_in_the_order_added(db: Database, clerk: Actor, case_id: int) -> None:
    first = add(db, clerk, case_id)
    second = add(db, clerk, case_id, content=jpeg_bytes(), kind=AttachmentKind.IDENTITY, filename="身份证.jpg",
                 media_type="image/jpeg")
    with db.read() as session:
        listed = list_attachments(session, clerk, case_id)
    assert [a.id for a in listed] == [first.id, second.id]
    assert [a.kind for a in listed] == [AttachmentKind.APPLICATION, AttachmentKind.IDENTITY]
    assert listed[1].media_type == "image/jpeg"


def test_attachment_may_name_a_party_of_the_case(db: Database, clerk: Actor, case_id: int) -> None:
    other_case = register(db, clerk, applicant="王五")
    with db.read() as session:
        applicant = session.scalar(select(Party.id).where(Party.case_id == case_id, Party.role == PartyRole.APPLICANT))
        stranger = session.scalar(select(Party.id).where(Party.case_id == other_case))
    info = add(db, clerk, case_id, kind=AttachmentKind.IDENTITY, party_id=applicant)
    assert info.party_id == applicant
    with pytest.raises(InvalidInput) as caught:
        add(db, clerk, case_id, party_id=stranger)
    assert caught.value.field == "party" and "不属于案件" in str(caught.value)


def test_media_type_is_taken_from_content_when_not_given(db: Database, clerk: Actor, case_id: int) -> None:
    info = add(db, clerk, case_id, content=png_bytes(), filename="截图.png", media_type=None)
    assert info.media_type == "image/png"
    vague = add(db, clerk, case_id, content=png_bytes(dpi=150), filename="x.png", media_type="application/octet-stream")
    assert vague.media_type == "image/png"
    unknown = add(db, clerk, case_id, content="调解笔录".encode(), filename="笔录.txt", media_type="text/plain")
    assert unknown.media_type == "text/plain"


def test_content_that_contradicts_its_media_type_is_refused(db: Database, clerk: Actor, case_id: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        add(db, clerk, case_id, content=png_bytes(), filename="合同.pdf", media_type="application/pdf")
    assert caught.value.field == "content"
    assert "合同.pdf" in str(caught.value) and "PDF 文档" in str(caught.value)
    with pytest.raises(InvalidInput, match="写法不正确"):
        add(db, clerk, case_id, media_type="pdf")
    with pytest.raises(InvalidInput) as caught:
        add(db, clerk, case_id, kind="passport_photo")
    assert caught.value.field == "kind"
    assert count(db, Attachment) == 0


def test_empty_and_oversized_content_are_refused(db: Database, clerk: Actor, case_id: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput, match=re.escape("“空白.pdf”是空的")):
        add(db, clerk, case_id, content=b"", filename="空白.pdf")
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 1000)
    with pytest.raises(InvalidInput, match="超过"):
        add(db, clerk, case_id)
    assert count(db, FileBlob) == 0


def test_missing_case_is_not_found(db: Database, clerk: Actor) -> None:
    with pytest.raises(NotFound):
        add(db, clerk, 999_999)
    with db.read() as session, pytest.raises(NotFound):
        list_attachments(session, clerk, 999_999)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("C:\\Users\\clerk\\Desktop\\证据.pdf", "证据.pdf"),
        ("../../etc/passwd", "passwd"),
        ("申请\x00书\x1b.pdf", "申请书.pdf"),
        ("  合同 第1页.PDF. ", "合同 第1页.PDF"),
        ('问:题*名"称?.jpg', "问_题_名_称_.jpg"),
        ("CON.pdf", "_CON.pdf"),
        ("身份证\u202eexe.pdf", "身份证exe.pdf"),  # no right-to-left override to disguise a name
        ("e\u0301.pdf", "\u00e9.pdf"),  # one form of each character
    ],
)
def test_filenames_are_sanitised(given: str, stored: str) -> None:
    assert sanitise_filename(given) == stored


def test_long_filenames_keep_their_extension() -> None:
    name = sanitise_filename("很" * 300 + ".pdf")
    assert len(name) == 255 and name.endswith("很.pdf")


@pytest.mark.parametrize("given", ["", "   ", "///", "a/..", "\x00\x01"])
def test_filenames_with_nothing_left_are_refused(given: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        sanitise_filename(given)
    assert caught.value.field == "filename"


def test_stored_filename_is_the_sanitised_one(db: Database, clerk: Actor, case_id: int) -> None:
    info = add(db, clerk, case_id, filename="D:\\扫描\\申请书.pdf")
    assert info.filename == "申请书.pdf"


# --------------------------------------------------------------------------- all or nothing


def test_failure_after_the_blob_insert_leaves_nothing(db: Database, clerk: Actor, case_id: int,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def audit_fails(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", audit_fails)
    # The caller catches the error and commits the rest of its work: the savepoint still took the
    # blob and the attachment back.
    with db.write() as session:
        with pytest.raises(RuntimeError, match="disk full"):
            add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE, filename="证据.pdf", content=PDF)
        session.execute(update(DisputeCase).where(DisputeCase.id == case_id).values(title="已改标题"))
    assert count(db, FileBlob) == 0
    assert count(db, Attachment) == 0
    with db.read() as session:
        assert session.scalar(select(DisputeCase.title).where(DisputeCase.id == case_id)) == "已改标题"
    # And when the error is not caught, the whole write is rolled back.
    with pytest.raises(RuntimeError), db.write() as session:
        add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE, filename="证据.pdf", content=PDF)
    assert count(db, FileBlob) == 0 and count(db, Attachment) == 0


def test_failure_keeps_a_blob_that_was_there_before(db: Database, clerk: Actor, case_id: int,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    add(db, clerk, case_id)

    def audit_fails(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", audit_fails)
    with db.write() as session, pytest.raises(RuntimeError):
        add_document(session, clerk, case_id, kind=AttachmentKind.EVIDENCE, filename="证据.pdf", content=PDF)
    assert count(db, FileBlob) == 1 and count(db, Attachment) == 1


# --------------------------------------------------------------------------- reading back


def test_damaged_content_is_never_served(db: Database, clerk: Actor, case_id: int) -> None:
    info = add(db, clerk, case_id)
    with db.write() as session:
        session.execute(update(FileBlob).where(FileBlob.sha256 == info.sha256)
                        .values(content=PDF[:-1] + b"X"))
    with db.read() as session, pytest.raises(ContentDamaged) as caught:
        attachment_content(session, clerk, info.id)
    assert "申请书.pdf" in str(caught.value) and "损坏" in str(caught.value)
    with db.write() as session:
        session.execute(update(FileBlob).where(FileBlob.sha256 == info.sha256).values(content=PDF + b"\n"))
    with db.read() as session, pytest.raises(ContentDamaged):
        attachment_content(session, clerk, info.id)


def test_unknown_attachment_is_not_found(db: Database, clerk: Actor) -> None:
    with db.read() as session:
        with pytest.raises(NotFound):
            attachment_content(session, clerk, 424242)
        with pytest.raises(NotFound):
            attachment_info(session, clerk, 424242)


# --------------------------------------------------------------------------- removing


def test_remove_keeps_content_another_attachment_uses(db: Database, clerk: Actor, case_id: int) -> None:
    first = add(db, clerk, case_id)
    second = add(db, clerk, register(db, clerk, applicant="王五"), filename="副本.pdf")
    with db.write() as session:
        remove_attachment(session, clerk, first.id)
    assert count(db, FileBlob) == 1
    with db.read() as session:
        assert list_attachments(session, clerk, case_id) == []
        assert attachment_content(session, clerk, second.id) == PDF
    with db.write() as session:
        remove_attachment(session, clerk, second.id)
    assert count(db, FileBlob) == 0 and count(db, Attachment) == 0
    with db.read() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["attachment.remove", "attachment.remove"]
    with db.write() as session, pytest.raises(NotFound):
        remove_attachment(session, clerk, first.id)


@pytest.mark.parametrize("state", [CaseState.CLOSED, CaseState.REJECTED])
def test_remove_is_refused_once_the_case_is_closed(db: Database, clerk: Actor, case_id: int,
                                                   state: CaseState) -> None:
    info = add(db, clerk, case_id)
    with db.write() as session:
        session.execute(update(DisputeCase).where(DisputeCase.id == case_id).values(state=state))
    with db.write() as session, pytest.raises(InvalidInput) as caught:
        remove_attachment(session, clerk, info.id)
    assert state.label in str(caught.value) and "不能再删除" in str(caught.value)
    assert count(db, Attachment) == 1
    # Adding stays possible: performance proofs arrive at return visits after closing.
    add(db, clerk, case_id, kind=AttachmentKind.PERFORMANCE_PROOF, filename="履行凭证.pdf")


# --------------------------------------------------------------------------- who may


def test_mediators_work_only_on_their_teams_cases(db: Database, clerk: Actor, case_id: int) -> None:
    team_id, mediator_id = make_team(db)
    mediator = make_user(db, "mediator", Role.MEDIATOR, mediator_id=mediator_id)
    with pytest.raises(PermissionDenied, match="不属于您所在的调解团队"):
        add(db, mediator, case_id)
    with db.write() as session:
        session.execute(update(DisputeCase).where(DisputeCase.id == case_id).values(team_id=team_id))
    info = add(db, mediator, case_id, kind=AttachmentKind.SIGNED_DOCUMENT, filename="调解协议书（签字）.pdf")
    assert info.added_by == "mediator"
    with db.write() as session:
        remove_attachment(session, mediator, info.id)
    head = make_user(db, "head", Role.HEAD)
    assert add(db, head, case_id).added_by == "head"


def test_system_actor_may_attach(db: Database, case_id: int) -> None:
    info = add(db, Actor.system("import"), case_id)
    assert info.added_by == "系统" and info.added_by_id is None
    with db.read() as session:
        assert list_attachments(session, Actor.system(), case_id)[0].added_by == "系统"
