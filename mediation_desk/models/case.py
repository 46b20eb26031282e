"""The dispute case, its parties, its timeline and its files."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    TextClause,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import keys
from .base import Base, Timestamped, Versioned, enum_column, new_uid, now
from .enums import (
    AttachmentKind,
    CaseState,
    ClockStage,
    EventKind,
    Gender,
    IdDocumentType,
    PartyKind,
    PartyRole,
    RiskLevel,
    SourceChannel,
)
from .org import ROOT_CENTER

#: The cases still open (not in a final state: services.workflow.FINAL_STATES), written out: the
#: partial indexes below hold only them, and SQLite and PostgreSQL use such an index only for a
#: query whose condition is this very text (a bound parameter cannot be proved to imply it).
OPEN_CASE_CONDITION = "state NOT IN ('closed', 'rejected')"


def still_open() -> TextClause:
    """:data:`OPEN_CASE_CONDITION` of ``dispute_case`` as a query's condition (a join may hold
    another table with a ``state``): what lets SQLite and PostgreSQL use the partial indexes of the
    open cases for a query that names the open states by bound parameters."""
    return text(f"dispute_case.{OPEN_CASE_CONDITION}")


#: The open cases' running clocks by due day, with their state, centers and team (migration 0050):
#: the desk's due list and counts name it to SQLite (``INDEXED BY``, with :func:`still_open`). A
#: new file has no statistics, and the planner then went through the state index and sorted every
#: open case.
OPEN_CLOCK_INDEX = "ix_dispute_case_open_clock"
#: The cases whose own row names a risk briefing rule above 蓝 (可能民转刑, 50 or more people (the
#: briefing's ORANGE_PEOPLE), 可能引发群体性上访, 重大, 群体性): the rest of its overdue and carded
#: cases are 蓝. The condition as its partial index holds it (migration 0060): a query names the index
#: and repeats the condition word for word (SQLite uses a partial index only then).
OWN_RULE_INDEX = "ix_dispute_case_own_rule"
OWN_RULE_SQLITE = ("may_turn_criminal IS 1 OR people_involved >= 50 OR may_group_petition IS 1 OR is_major IS 1 "
                   "OR is_group_dispute IS 1")
OWN_RULE_POSTGRESQL = ("may_turn_criminal IS TRUE OR people_involved >= 50 OR may_group_petition IS TRUE "
                       "OR is_major IS TRUE OR is_group_dispute IS TRUE")
#: The led cases by lead mediator and span, for the monthly score (``services.cards.department_scores``).
LEAD_SPAN_INDEX = "ix_dispute_case_lead_span"
#: The cases by id with their lead and span, for the monthly score's look-ups of its carded cases.
MEDIATED_INDEX = "ix_dispute_case_mediated"


#: What a case list's filter of state and a person's centers test, held after each sort's own
#: columns in its index (migration 0055).
SORT_HELD = ("state", "center_id", "handling_center_id")


class DisputeCase(Versioned, Timestamped, Base):
    """A dispute brought to the center (纠纷案件); the aggregate root of everything about it."""

    __tablename__ = "dispute_case"
    __table_args__ = (
        # Numbers run per center and year (migration 0022).
        UniqueConstraint("center_id", "year", "seq", name="uq_dispute_case_center_year_seq"),
        # Each sortable column of the case list has an index ending in id, so every window is an
        # index range scan and ties are broken stably.
        Index("ix_dispute_case_received", "received_at", "id"),
        # A center's list newest first, and its month's figures (migration 0022).
        Index("ix_dispute_case_center_received", "center_id", "received_at", "id"),
        Index("ix_dispute_case_state_received", "state", "received_at", "id"),
        # The other sorts also hold the state and the centers, so a list of a state (待审核结案) in
        # their order tests each case in the index, not its row (migration 0055).
        Index("ix_dispute_case_number", "year", "seq", "id", *SORT_HELD),
        Index("ix_dispute_case_type_received", "dispute_type_id", "received_at", "id", *SORT_HELD),
        Index("ix_dispute_case_team_received", "team_id", "received_at", "id", *SORT_HELD),
        Index("ix_dispute_case_updated", "updated_at", "id", *SORT_HELD),
        # The running clocks by their yellow day; the card check tests the rest from the index alone
        # (migration 0048).
        Index("ix_dispute_case_clock", "clock_warn_on", "clock_due_on", "clock_stage", "center_id",
              "handling_center_id", "team_id", "lead_mediator_id"),
        # The head's dashboard: a period's cases counted by type, source, team, state, group flag
        # and amount from the index alone.
        Index("ix_dispute_case_received_figures", "received_at", "dispute_type_id", "source_channel", "team_id",
              "state", "is_group_dispute", "amount_involved"),
        # Overdue open cases by due day; the overdue cases of the centers a head reads, from the
        # index alone (migration 0032; 0044 dropped its prefix (clock_due_on, state)).
        Index("ix_dispute_case_due_center", "clock_due_on", "state", "center_id"),
        # The risk briefing's cases flagged 可能民转刑 of the centers a head reads (migration 0041),
        # the ended ones of a month received counted from it alone (0059; the flag makes it covering).
        Index("ix_dispute_case_criminal", "center_id", "state", "received_at", "may_turn_criminal",
              sqlite_where=text("may_turn_criminal IS 1"), postgresql_where=text("may_turn_criminal IS TRUE")),
        # The risk briefing's group disputes of a month by band of people involved, from the index
        # of the group disputes alone (migration 0059; ~4 % of the cases).
        Index("ix_dispute_case_group_people", "received_at", "center_id", "state", "people_involved",
              "is_group_dispute", sqlite_where=text("is_group_dispute IS 1"),
              postgresql_where=text("is_group_dispute IS TRUE")),
        # The risk briefing's cases above 蓝 by a rule of their own row (migration 0060; ~8 % of the
        # 1M demo's cases): the graded list's 蓝 cases are its overdue and carded ones not in it.
        Index(OWN_RULE_INDEX, "center_id", sqlite_where=text(OWN_RULE_SQLITE),
              postgresql_where=text(OWN_RULE_POSTGRESQL)),
        # The publicity list of a month: the cases accepted, and closed, in it (migration 0021),
        # listed from the indexes alone with their center and state (migration 0056).
        Index("ix_dispute_case_accepted", "accepted_at", "id", "center_id"),
        # The month's led cases of the department scores from the index alone (migration 0048).
        Index("ix_dispute_case_closed", "closed_at", "id", "lead_mediator_id", "accepted_at", "received_at",
              "state", "center_id"),
        # The desk's count of the cases due soon, from the index alone (migration 0021).
        Index("ix_dispute_case_due_soon", "clock_due_on", "clock_warn_on", "state"),
        # The desk's closed cases whose first return visit clock runs (migration 0021), with the
        # center working the case, the team, the state and stage (0050): a center's or a team's
        # counted from the index alone.
        Index("ix_dispute_case_first_visit", "clock_due_on", "id", "handling_center_id", "center_id", "team_id",
              "state", "clock_stage",
              sqlite_where=text("state = 'closed' AND clock_stage = 'return_visit'"),
              postgresql_where=text("state = 'closed' AND clock_stage = 'return_visit'")),
        # The organisation screen's open cases per team and per lead mediator (migration 0043):
        # the ~20 % of cases still open, counted from these alone (a scan of every case before).
        Index("ix_dispute_case_open_team", "team_id",
              sqlite_where=text(OPEN_CASE_CONDITION), postgresql_where=text(OPEN_CASE_CONDITION)),
        Index("ix_dispute_case_open_lead", "lead_mediator_id",
              sqlite_where=text(OPEN_CASE_CONDITION), postgresql_where=text(OPEN_CASE_CONDITION)),
        # A mediator's lists count the cases they lead by it, the team checked in it (0049), and
        # every column a filter of the list or the visibility tests (0052): from the index alone.
        Index("ix_dispute_case_lead", "lead_mediator_id", "team_id", "state", "dispute_type_id", "received_at",
              "center_id", "handling_center_id"),
        # A mediator's own list looks up the cases they co-mediate by id, and tests the same
        # columns in it, never in the (large) case row (0052); the monthly score looks up its carded
        # cases' lead and span (accepted, closed) in it too (0057).
        Index("ix_dispute_case_mediated", "id", "lead_mediator_id", "team_id", "state", "dispute_type_id",
              "received_at", "center_id", "handling_center_id", "accepted_at", "closed_at"),
        # The monthly score's led cases open in a month, counted per lead mediator in ranges of the
        # index: the still open ones (closed_at NULL) by their accepted or received day, the rest
        # closed from the month's start on (migration 0057).
        Index(LEAD_SPAN_INDEX, "lead_mediator_id", "closed_at", "accepted_at", "received_at"),
        # The desk's due list and its counts of the open cases (migration 0050): the running clocks
        # of the open cases in due order, with the center working the case and the team, so that a
        # township's (a few of the county's ~100,000 yellow and red cases) and a mediator's (their
        # teams') are found in the index alone instead of one case row at a time.
        Index(OPEN_CLOCK_INDEX, "clock_due_on", "clock_warn_on", "state", "handling_center_id",
              "center_id", "team_id",
              sqlite_where=text(OPEN_CASE_CONDITION), postgresql_where=text(OPEN_CASE_CONDITION)),
        # The risk briefing's repeat places (migration 0045): a window's cases of the centers a
        # head reads grouped by their place key from the index alone, and one place's cases.
        Index("ix_dispute_case_place_window", "center_id", "received_at", "place_key",
              sqlite_where=text("place_key IS NOT NULL"), postgresql_where=text("place_key IS NOT NULL")),
        Index("ix_dispute_case_place_key", "place_key", "received_at",
              sqlite_where=text("place_key IS NOT NULL"), postgresql_where=text("place_key IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The center the case belongs to (docs/centers.md): its number, its list, its figures.
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), default=ROOT_CENTER)
    #: The center working on the case while it is reported up or assigned down (docs/crossings.md);
    #: NULL while its own center handles it. Kept by ``services.crossings`` only.
    handling_center_id: Mapped[int | None] = mapped_column(ForeignKey("center.id"), index=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[CaseState] = enum_column(CaseState, default=CaseState.REGISTERED)
    dispute_type_id: Mapped[int] = mapped_column(ForeignKey("dispute_type.id"))
    source_channel: Mapped[SourceChannel] = enum_column(SourceChannel, default=SourceChannel.VISIT)
    risk_level: Mapped[RiskLevel] = enum_column(RiskLevel, default=RiskLevel.BLUE)
    is_group_dispute: Mapped[bool] = mapped_column(Boolean, default=False)
    may_turn_criminal: Mapped[bool] = mapped_column(Boolean, default=False)
    #: 重大矛盾纠纷 and 可能引发群体性上访: what the table by level counts (migration 0029).
    is_major: Mapped[bool] = mapped_column(Boolean, default=False)
    may_group_petition: Mapped[bool] = mapped_column(Boolean, default=False)
    people_involved: Mapped[int] = mapped_column(Integer, default=0)
    amount_involved: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    address: Mapped[str] = mapped_column(String(200), default="")
    #: The address as the risk briefing compares places (models/keys.py ``place_key``; NULL: no
    #: address). Kept by every writer (migration 0045).
    place_key: Mapped[str | None] = mapped_column(String, nullable=True)
    village: Mapped[str] = mapped_column(String(80), default="")
    grid: Mapped[str] = mapped_column(String(80), default="")
    facts: Mapped[str] = mapped_column(Text, default="")
    # The applicant's requests (申请事项), printed numbered 1, 2, 3 …
    requests: Mapped[list[str]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    lead_mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Where an imported transfer packet came from, so importing it again creates nothing new.
    origin: Mapped[str | None] = mapped_column(String(200), unique=True)
    # The ticket of a forwarding system (12345 hotline, grid platform) for batch imports, kept so
    # the same file imported twice creates nothing new: "<system>:<ticket>".
    source_ref: Mapped[str | None] = mapped_column(String(120), unique=True)
    # A repeat visit (重复来访): the earlier case of the same person that was still open.
    repeat_of_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_case.id"), index=True)
    # Hotline items that only ask for information get the short "2" of "2·20".
    is_consultation: Mapped[bool] = mapped_column(Boolean, default=False)
    # The running clock, kept on the row so "due soon / overdue" is an index range scan:
    # which stage it measures, the day it turns yellow and the day it is due (NULL: no clock).
    clock_stage: Mapped[ClockStage | None] = enum_column(ClockStage, nullable=True)
    clock_warn_on: Mapped[date | None] = mapped_column(Date)
    clock_due_on: Mapped[date | None] = mapped_column(Date)
    # A closed case's file is kept until this day (its dossier's 保管期限 from the closing day);
    # NULL while the case is open or for a permanent file. Expired files are archived or purged.
    retain_until: Mapped[date | None] = mapped_column(Date, index=True)

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Party.seq"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class Party(Timestamped, Base):
    """A party to a case (当事人): a natural person, a legal person or another organisation."""

    __tablename__ = "party"
    __table_args__ = (
        # The risk briefing's repeat parties (migration 0045): a window's parties grouped by key
        # from the index alone (reached by case), and one key's cases.
        Index("ix_party_case_repeat_key", "case_id", "repeat_key",
              sqlite_where=text("repeat_key IS NOT NULL"), postgresql_where=text("repeat_key IS NOT NULL")),
        Index("ix_party_repeat_key", "repeat_key", "case_id",
              sqlite_where=text("repeat_key IS NOT NULL"), postgresql_where=text("repeat_key IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[PartyRole] = enum_column(PartyRole)
    kind: Mapped[PartyKind] = enum_column(PartyKind, default=PartyKind.PERSON)
    name: Mapped[str] = mapped_column(String(200), index=True)
    gender: Mapped[Gender | None] = enum_column(Gender, nullable=True)
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_type: Mapped[IdDocumentType | None] = enum_column(IdDocumentType, nullable=True)
    id_number: Mapped[str] = mapped_column(String(40), default="", index=True)
    # The back of a resident ID card: 签发机关, and 有效期限 as printed ("2015.06.01-2035.06.01",
    # "2017.04.24-长期"). Filled when the card is read at the counter (scanning/idcard.py).
    id_issuer: Mapped[str] = mapped_column(String(60), default="")
    id_validity: Mapped[str] = mapped_column(String(30), default="")
    occupation: Mapped[str] = mapped_column(String(80), default="")
    work_unit: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    #: The party as the risk briefing counts repeats (models/keys.py ``party_key``: the ID number,
    #: else the name and phone; NULL: neither). Kept by every writer (migration 0045).
    repeat_key: Mapped[str | None] = mapped_column(String, nullable=True)
    # Organisations: legal representative and unified social credit code (统一社会信用代码).
    legal_representative: Mapped[str] = mapped_column(String(60), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    is_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    agent_name: Mapped[str] = mapped_column(String(60), default="")
    agent_phone: Mapped[str] = mapped_column(String(40), default="")
    agent_authority: Mapped[str] = mapped_column(String(200), default="")

    case: Mapped[DisputeCase] = relationship(back_populates="parties")


class CaseEvent(Base):
    """One entry of a case's timeline: a transition, a note, a record or a document."""

    __tablename__ = "case_event"
    # The dashboard finds the cases that ended in a period by their ending transitions.
    __table_args__ = (Index("ix_case_event_action_at", "action", "at", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[EventKind] = enum_column(EventKind)
    action: Mapped[str] = mapped_column(String(40), default="")
    from_state: Mapped[CaseState | None] = enum_column(CaseState, nullable=True)
    to_state: Mapped[CaseState | None] = enum_column(CaseState, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[DisputeCase] = relationship(back_populates="events")


class FileBlob(Base):
    """File content, stored once per SHA-256 whatever number of attachments point to it."""

    __tablename__ = "file_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    # The content's CRC-32, kept so a reader that computes one anyway (a ZIP writer) checks the
    # bytes against what was stored for free. None for content stored before schema 0011.
    crc32: Mapped[int | None] = mapped_column(BigInteger)


class Attachment(Timestamped, Base):
    """A scanned or imported file attached to a case."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The file's identity in every database a case's packets reach (migration 0039).
    uid: Mapped[str | None] = mapped_column(String(36), index=True, unique=True, default=new_uid)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id", ondelete="SET NULL"))
    kind: Mapped[AttachmentKind] = enum_column(AttachmentKind, default=AttachmentKind.OTHER)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    sha256: Mapped[str] = mapped_column(ForeignKey("file_blob.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(200), default="")
    # A signed paper scanned back: which printed document ("agreement:3", the page code's middle
    # part) and which of its pages this file is.
    document_ref: Mapped[str] = mapped_column(String(60), default="", index=True)
    page: Mapped[int | None] = mapped_column(Integer)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Evidence (证据材料) as a court lists it (CPL art. 124): where it came from and what it proves.
    evidence_source: Mapped[str] = mapped_column(String(200), default="")
    evidence_purpose: Mapped[str] = mapped_column(String(500), default="")
    #: How many times the source and purpose were saved (0: never): the version a desk's form
    #: loaded travels with its save, so a stale save is a conflict, not an overwrite. Not the
    #: mapper's version column: the attachment's other writes (scan-back, page edits) do not move it.
    evidence_version: Mapped[int] = mapped_column(Integer, default=0)

    case: Mapped[DisputeCase] = relationship(back_populates="attachments")


class Witness(Versioned, Timestamped, Base):
    """A witness of the dispute (证人): who, where to reach them, and what they can prove — what a
    court needs of each witness the parties name (CPL art. 124). Versioned: two desks correcting
    the same witness do not overwrite each other (``services.versions``)."""

    __tablename__ = "witness"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    #: Which party named the witness (None: found by the mediators).
    party_id: Mapped[int | None] = mapped_column(ForeignKey("party.id", ondelete="SET NULL"))
    proves: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))



@event.listens_for(DisputeCase, "before_insert")
@event.listens_for(DisputeCase, "before_update")
def _keep_place_key(_mapper: object, _connection: object, case: DisputeCase) -> None:
    case.place_key = keys.place_key(case.address)


@event.listens_for(Party, "before_insert")
@event.listens_for(Party, "before_update")
def _keep_repeat_key(_mapper: object, _connection: object, party: Party) -> None:
    party.repeat_key = keys.party_key(party.id_number, party.name, party.phone)
