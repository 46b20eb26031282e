"""Files attached to a case: scanned documents, imported PDFs and photos.

Content is stored once per SHA-256 in ``file_blob``, whatever number of attachments point to it
(the same ID card scanned for two cases is one blob). Every function works inside the caller's
transaction and writes its rows inside a savepoint: an error half-way leaves neither a blob nor
an attachment behind, even when the caller catches it and commits the rest of its work.

Saving is built to be cheap, because the registration form saves a case and its scans in one
write: no blob is ever read back (existence is an index lookup, the insert skips a duplicate by
primary key), and the case row is only read, never written, so saving an attachment does not bump
the case's version under a colleague who has it open. :func:`register_with_documents` is that
write: the case, its parties and every document, together or not at all.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import (
    Attachment,
    AttachmentKind,
    Base,
    CaseCrossing,
    CaseState,
    DisputeCase,
    FileBlob,
    KeptDocument,
    Party,
    Role,
    User,
)
from ..scanning.sniff import FileType, sniff
from . import audit, cases, dbroles, permissions
from .actor import Actor
from .errors import InvalidInput, NotFound, ServiceError
from .workflow import FINAL_STATES

if TYPE_CHECKING:
    from .cases import CaseInput

#: A document bigger than this is refused: it would slow every backup and every dossier print.
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
MAX_FILENAME_LENGTH = 255
MAX_NOTE_LENGTH = 200
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")
# Characters Windows refuses in file names; replaced so an exported attachment can be saved.
_RESERVED_CHARACTERS = str.maketrans({c: "_" for c in '<>:"|?*'})
_RESERVED_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                             *(f"LPT{i}" for i in range(1, 10))})
#: The administrator handles no case papers (no case content: docs/permissions.md).
_WORKING_ROLES = frozenset({Role.INTAKE, Role.MEDIATOR, Role.HEAD})


class ContentDamaged(ServiceError):
    """Stored content no longer matches its SHA-256: it is never served as if it were fine."""


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    case_id: int
    party_id: int | None
    kind: AttachmentKind
    filename: str
    media_type: str
    sha256: str
    size: int
    note: str
    added_by_id: int | None
    added_by: str
    created_at: datetime


# --------------------------------------------------------------------------- checks


def sanitise_filename(filename: str) -> str:
    """A file name safe to store and to save on any desk: the last path part, NFC, no control
    characters, no characters Windows refuses, no trailing dots or spaces, at most 255 characters
    (the extension kept). Raises ``InvalidInput`` when nothing usable is left."""
    name = unicodedata.normalize("NFC", filename)
    # Whatever came before the last separator is a folder on the sender's machine, not a name.
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.translate(_RESERVED_CHARACTERS).strip().rstrip(". ")
    if not name or name in (".", ".."):
        raise InvalidInput("filename", f"文件名“{filename}”无效：去掉路径和特殊字符后什么也不剩，请改一个文件名。")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    if stem.upper() in _RESERVED_NAMES:
        stem = f"_{stem}"
    if len(extension) > 16:  # not an extension, just a dot in a long name
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    stem = stem[: MAX_FILENAME_LENGTH - len(suffix)].rstrip(". ") or "_"
    return f"{stem}{suffix}"


@dataclass(frozen=True)
class CaseFacts:
    """What the checks need to know about a case, read without loading the case itself."""

    id: int
    number: str
    state: CaseState
    team_id: int | None
    lead_mediator_id: int | None
    center_id: int
    #: The center working on it when reported up or assigned down (docs/crossings.md).
    handling_center_id: int | None = None
    #: The centers it crossed (上报, 交办, 回退, 联办, 反馈): they read its materials.
    crossed_centers: frozenset[int] = frozenset()


def check_permission(actor: Actor, case: CaseFacts, verb: str) -> None:
    """May ``actor`` ``verb`` (添加, 删除, 查看) this case's files? Scan-back filing asks too."""
    permissions.require_case_access(actor, case, f"{verb}案件材料", _WORKING_ROLES, write=verb != "查看")


def case_facts(session: Session, case_id: int) -> CaseFacts:
    """The few facts :func:`check_permission` needs; :class:`NotFound` for an unknown case."""
    # Only the columns the checks need: loading the whole case would cost more than the save.
    row = session.execute(
        select(DisputeCase.id, DisputeCase.number, DisputeCase.state, DisputeCase.team_id,
               DisputeCase.lead_mediator_id, DisputeCase.center_id, DisputeCase.handling_center_id)
        .where(DisputeCase.id == case_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"案件（编号 {case_id}）不存在。")
    steps = session.execute(select(CaseCrossing.from_center_id, CaseCrossing.to_center_id).where(
        CaseCrossing.case_id == case_id)).all()
    return CaseFacts(*row, crossed_centers=frozenset(c for step in steps for c in step))


def _check_media_type(name: str, content: bytes, media_type: str | None) -> str:
    found = sniff(content)
    if media_type is None or not media_type.strip():
        return found.type.media_type if found.type is not None else "application/octet-stream"
    declared = media_type.strip().lower()
    if len(declared) > 100 or not _MEDIA_TYPE.match(declared):
        raise InvalidInput("media_type", f"文件“{name}”的类型“{media_type}”写法不正确。")
    claimed = next((t for t in FileType if t.media_type == declared), None)
    if claimed is not None and found.type is not claimed:
        raise InvalidInput("content", f"文件“{name}”声明为{claimed.label}，但内容实际上是{found.description}，未保存。")
    if claimed is None and found.type is not None:
        # The content is one of ours: store its real type rather than a vague declared one.
        return found.type.media_type
    return declared


# --------------------------------------------------------------------------- writes


def add_document(session: Session, actor: Actor, case_id: int, *, kind: AttachmentKind, filename: str,
                 content: bytes, media_type: str | None = None, party_id: int | None = None,
                 note: str = "") -> AttachmentInfo:
    """Attach ``content`` to a case. ``media_type`` None means "from the content".

    Allowed on a closed case too: performance proofs (履行凭证) arrive at return visits.
    """
    case = case_facts(session, case_id)
    check_permission(actor, case, "添加")
    name = sanitise_filename(filename)
    if not content:
        raise InvalidInput("content", f"文件“{name}”是空的（0 字节），未保存。")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("content", f"文件“{name}”超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB 的上限，未保存。")
    try:
        kind = AttachmentKind(kind)
    except ValueError:
        raise InvalidInput("kind", f"材料类型“{kind}”无效，请选择申请书、身份证明、证据材料等。") from None
    stored_type = _check_media_type(name, content, media_type)
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput("note", f"备注最长 {MAX_NOTE_LENGTH} 个字符。")
    if party_id is not None:
        party_case = session.scalar(select(Party.case_id).where(Party.id == party_id))
        if party_case != case_id:
            raise InvalidInput("party", f"所选当事人不属于案件 {case.number}。")
    digest = hashlib.sha256(content).hexdigest()
    with session.begin_nested():
        store_blob(session, digest, content)
        attachment = Attachment(case_id=case_id, party_id=party_id, kind=kind, filename=name,
                                media_type=stored_type, sha256=digest, size=len(content), note=note,
                                added_by_id=actor.user_id)
        session.add(attachment)
        session.flush()
        audit.record(session, actor, "attachment.add", "attachment", attachment.id,
                     {"case": case.number, "kind": str(kind), "filename": name, "sha256": digest,
                      "size": len(content), "party_id": party_id})
    return _info(attachment, actor.display_name if actor.user_id is not None else "系统")


def insert_unless_present(session: Session, model: type[Base], values: dict[str, Any], keys: list[str]) -> None:
    """Insert a row unless one with the same ``keys`` exists, as one ``ON CONFLICT DO NOTHING``
    statement: two desks saving the same thing at once both succeed, and an existing row (a
    possibly large blob) is never read."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(model).values(values).on_conflict_do_nothing(index_elements=keys))
    elif dialect == "sqlite":
        session.execute(sqlite.insert(model).values(values).on_conflict_do_nothing(index_elements=keys))
    else:
        table = Base.metadata.tables[model.__tablename__]
        present = and_(*(table.c[k] == values[k] for k in keys))
        if not session.scalar(select(exists().where(present))):
            session.execute(insert(model).values(values))


def store_blob(session: Session, digest: str, content: bytes) -> None:
    """One row per SHA-256, with the content's CRC-32 (see FileBlob).

    On a server with login roles through ``md_store_blob`` (migration 0014): row-level security
    lets a person see only the files of their cases, so an ``ON CONFLICT`` insert of a file another
    team already stored could not be checked against it; the function stores the content only if
    it matches its hash and tells nothing back."""
    if dbroles.enabled(session):
        session.execute(text("SELECT md_store_blob(:sha256, :size, :content, :crc32)"),
                        {"sha256": digest, "size": len(content), "content": content, "crc32": zlib.crc32(content)})
        return
    insert_unless_present(session, FileBlob, {"sha256": digest, "size": len(content), "content": content,
                                              "crc32": zlib.crc32(content)}, ["sha256"])


def remove_attachment(session: Session, actor: Actor, attachment_id: int) -> None:
    """Remove an attachment of a case that is not closed. Its content goes too unless another
    attachment (of this or another case) uses it."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(f"材料（编号 {attachment_id}）不存在。")
    case = case_facts(session, attachment.case_id)
    check_permission(actor, case, "删除")
    if case.state in FINAL_STATES:
        raise InvalidInput("attachment",
                           f"案件 {case.number} 已{case.state.label}，卷宗材料不能再删除。"
                           "如需更正，请由中心主任重新打开案件。")
    digest, name = attachment.sha256, attachment.filename
    with session.begin_nested():
        session.delete(attachment)
        session.flush()
        still_used = (session.scalar(select(exists().where(Attachment.sha256 == digest)))
                      or session.scalar(select(exists().where(KeptDocument.sha256 == digest))))
        if not still_used:
            session.execute(delete(FileBlob).where(FileBlob.sha256 == digest))
        audit.record(session, actor, "attachment.remove", "attachment", attachment_id,
                     {"case": case.number, "filename": name, "sha256": digest, "blob_kept": bool(still_used)})


# --------------------------------------------------------------------------- reads


def _info(a: Attachment, added_by: str) -> AttachmentInfo:
    return AttachmentInfo(id=a.id, case_id=a.case_id, party_id=a.party_id, kind=a.kind, filename=a.filename,
                          media_type=a.media_type, sha256=a.sha256, size=a.size, note=a.note,
                          added_by_id=a.added_by_id, added_by=added_by, created_at=a.created_at)


def list_attachments(session: Session, actor: Actor, case_id: int) -> list[AttachmentInfo]:
    """The case's attachments in the order they were added (no content is read)."""
    check_permission(actor, case_facts(session, case_id), "查看")
    rows = session.execute(
        select(Attachment, func.coalesce(User.display_name, "系统"))
        .outerjoin(User, User.id == Attachment.added_by_id)
        .where(Attachment.case_id == case_id)
        .order_by(Attachment.id)
    ).all()
    return [_info(attachment, added_by) for attachment, added_by in rows]


def attachment_info(session: Session, actor: Actor, attachment_id: int) -> AttachmentInfo:
    row = session.execute(
        select(Attachment, func.coalesce(User.display_name, "系统"))
        .outerjoin(User, User.id == Attachment.added_by_id)
        .where(Attachment.id == attachment_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"材料（编号 {attachment_id}）不存在。")
    check_permission(actor, case_facts(session, row[0].case_id), "查看")
    return _info(row[0], row[1])


def attachment_content(session: Session, actor: Actor, attachment_id: int) -> bytes:
    """The attachment's bytes, checked against their SHA-256 and size before they are handed out."""
    case_id = session.scalar(select(Attachment.case_id).where(Attachment.id == attachment_id))
    if case_id is None:
        raise NotFound(f"材料（编号 {attachment_id}）不存在。")
    check_permission(actor, case_facts(session, case_id), "查看")
    row = session.execute(
        select(Attachment.filename, Attachment.sha256, Attachment.size, FileBlob.content)
        .outerjoin(FileBlob, FileBlob.sha256 == Attachment.sha256)
        .where(Attachment.id == attachment_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"材料（编号 {attachment_id}）不存在。")
    filename, digest, size, content = row
    if content is None:
        raise ContentDamaged(f"材料“{filename}”的文件内容在数据库中缺失，无法打开。请从备份恢复或重新扫描。")
    content = bytes(content)
    if len(content) != size or hashlib.sha256(content).hexdigest() != digest:
        raise ContentDamaged(
            f"材料“{filename}”的文件内容已损坏（校验值不符），为防止误用，不予打开。请从备份恢复或重新扫描。"
        )
    return content


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready to be attached: its PDF made, its party as an index of the form's parties."""

    kind: AttachmentKind
    filename: str
    content: bytes
    party: int | None
    note: str


@dataclass(frozen=True)
class Registered:
    """A case the registration form registered."""

    case_id: int
    number: str
    #: The number of the open case this one repeats (重复来访), or "".
    repeat_of: str
    #: How many documents were attached with it.
    documents: int = 0


def register_with_documents(session: Session, actor: Actor, data: CaseInput,
                            prepared: Sequence[PreparedDocument]) -> Registered:
    """The write of a registration: the case, its parties and every document, in the caller's
    transaction (the intake form's one write; ``bench/intake.py`` times exactly this). A document's
    ``party`` is the index of its party in ``data.parties``."""
    case_id = cases.register_case(session, actor, data)
    detail = cases.case_detail(session, actor, case_id)
    party_ids = [party.id for party in detail.parties]  # in the order of data.parties
    for document in prepared:
        party_id = party_ids[document.party] if document.party is not None else None
        add_document(session, actor, case_id, kind=document.kind, filename=document.filename,
                     content=document.content, media_type="application/pdf", party_id=party_id, note=document.note)
    return Registered(case_id, detail.number, detail.repeat_of, len(prepared))
