"""register_with_documents: the registration form's one write (the case, its parties and every
document) saves all of it or none of it, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mediation_desk.db import Database
from mediation_desk.models import Attachment, AttachmentKind, DisputeCase, FileBlob, Role
from mediation_desk.services import attachments, cases
from mediation_desk.services.attachments import PreparedDocument, Registered, register_with_documents
from mediation_desk.services.errors import InvalidInput

from ..scanning.samples import pdf_bytes
from .helpers import make_user, new_case_input


def test_the_case_and_its_documents_are_registered_together(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    data = new_case_input(db, applicant="张三", respondent="李四")
    identity, application = pdf_bytes(1), pdf_bytes(2)
    prepared = [PreparedDocument(AttachmentKind.IDENTITY, "李四身份证.pdf", identity, 1, "正反面"),
                PreparedDocument(AttachmentKind.APPLICATION, "申请书.pdf", application, None, "")]
    with db.write() as session:
        result = register_with_documents(session, clerk, data, prepared)
    assert isinstance(result, Registered) and result.documents == 2 and result.repeat_of == ""
    with db.read() as session:
        detail = cases.case_detail(session, clerk, result.case_id)
        listed = attachments.list_attachments(session, clerk, result.case_id)
        stored = [attachments.attachment_content(session, clerk, a.id) for a in listed]
    assert detail.number == result.number
    respondent = next(p for p in detail.parties if p.name == "李四")
    assert [(a.kind, a.filename, a.party_id, a.note, a.media_type) for a in listed] == [
        (AttachmentKind.IDENTITY, "李四身份证.pdf", respondent.id, "正反面", "application/pdf"),
        (AttachmentKind.APPLICATION, "申请书.pdf", None, "", "application/pdf"),
    ]
    assert stored == [identity, application]


def test_a_refused_document_leaves_no_case_behind(db: Database) -> None:
    clerk = make_user(db, "clerk", Role.INTAKE)
    prepared = [PreparedDocument(AttachmentKind.APPLICATION, "申请书.pdf", pdf_bytes(1), None, ""),
                PreparedDocument(AttachmentKind.EVIDENCE, "空白.pdf", b"", 0, "")]
    with pytest.raises(InvalidInput) as refused, db.write() as session:
        register_with_documents(session, clerk, new_case_input(db), prepared)
    assert refused.value.field == "content" and "空白.pdf" in str(refused.value)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(DisputeCase)) == 0
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert session.scalar(select(func.count()).select_from(FileBlob)) == 0
