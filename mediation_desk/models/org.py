"""The center's organisation: dispute types, stationed departments, teams, mediators, accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamped, Versioned, enum_column, now
from .enums import CenterLevel, MediatorKind, PresenceMode, Role


class Center(Versioned, Timestamped, Base):
    """A center of the county (docs/centers.md): the county center, a township's center or a
    village committee. Every case, team, mediator and account belongs to one; on a server the
    row-level security of migration 0022 shows a person the cases of their center only, and a
    head those of the centers below theirs too (read-only)."""

    __tablename__ = "center"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    level: Mapped[CenterLevel] = enum_column(CenterLevel, default=CenterLevel.COUNTY)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("center.id"), index=True)
    #: The case-number prefix: （2026）<prefix>字第0001号.
    prefix: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


#: The default of a row's ``center_id`` when nothing says which: the database's first center
#: without a parent (the county center; in a database of one center, that center). The services
#: stamp the actor's center on what they create; this keeps a database of one center working
#: unchanged (and every INSERT that names no center, the demo's and the tests' included).
ROOT_CENTER: Any = select(func.min(Center.id)).where(Center.parent_id.is_(None)).scalar_subquery()


class DisputeType(Base):
    """A configurable dispute category (纠纷类型); never deleted, only deactivated."""

    __tablename__ = "dispute_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Family and minors' matters never show names on the publicity list.
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)


class Department(Versioned, Timestamped, Base):
    """A department stationed at the center (常驻 / 轮驻 / 随叫随驻)."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    presence: Mapped[PresenceMode] = enum_column(PresenceMode, default=PresenceMode.RESIDENT)
    contact_person: Mapped[str] = mapped_column(String(40), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    rota: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


team_dispute_type = Table(
    "team_dispute_type",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("dispute_type_id", ForeignKey("dispute_type.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Versioned, Timestamped, Base):
    """A specialist mediation team (专业调解团队)."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("center_id", "name", name="uq_team_center_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), index=True, default=ROOT_CENTER)
    name: Mapped[str] = mapped_column(String(80))
    lead_mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    dispute_types: Mapped[list[DisputeType]] = relationship(secondary=team_dispute_type)
    members: Mapped[list[TeamMember]] = relationship(back_populates="team", cascade="all, delete-orphan")


class Mediator(Versioned, Timestamped, Base):
    """A mediator: stationed staff of a department or a volunteer (义务调解员)."""

    __tablename__ = "mediator"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), index=True, default=ROOT_CENTER)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[MediatorKind] = enum_column(MediatorKind, default=MediatorKind.STATIONED)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    specialties: Mapped[str] = mapped_column(String(200), default="")
    # Relations the mediator declared (for the recusal check): free text, one per line.
    declared_relations: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department | None] = relationship()
    memberships: Mapped[list[TeamMember]] = relationship(back_populates="mediator")


class TeamMember(Base):
    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("team_id", "mediator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediator.id"), index=True)
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    team: Mapped[Team] = relationship(back_populates="members")
    mediator: Mapped[Mediator] = relationship(back_populates="memberships")


class User(Versioned, Timestamped, Base):
    """A login account. A mediator's account is linked to the mediator it acts as."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[Role] = enum_column(Role)
    # Loaded only when used (services.centers.center_of_user): a desk of this version signs its
    # administrator in to a server of the version before (migration 0022) to upgrade it.
    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), index=True, default=ROOT_CENTER, deferred=True)
    # Loaded only when used (a login, a password change): on PostgreSQL no group role may read the
    # column (migration 0014), so an ordinary load of an account must not ask for it.
    password_hash: Mapped[str] = mapped_column(String(200), deferred=True)
    mediator_id: Mapped[int | None] = mapped_column(ForeignKey("mediator.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # On PostgreSQL, the account's own login role (migration 0014, ``md_sync_login_role``); never
    # written by the application, NULL on SQLite.
    db_role: Mapped[str | None] = mapped_column(String(63))

    mediator: Mapped[Mediator | None] = relationship()


class Holiday(Base):
    """One day of the official calendar the library may not know yet.

    ``is_workday`` is True for a make-up working day (调休上班) and False for a day off.
    """

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(40), default="")


class CenterSetting(Base):
    """A center-wide setting shared by every desk (center name, case-number prefix, time limits)."""

    __tablename__ = "center_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CenterFeedback(Base):
    """The profile of a center below the county's (a township's, a village's): its address and
    phone, printed on its papers (docs/centers.md "The papers a center issues") and given on its
    monthly publicity page with its mailbox (docs/publicity.md), and the name of its people's
    mediation committee (blank: ``services.center.committee_of``'s, migration 0042). The county
    center's own are the database-wide settings (center_address, center_phone,
    publicity_feedback_email, committee)."""

    __tablename__ = "center_feedback"

    center_id: Mapped[int] = mapped_column(ForeignKey("center.id", ondelete="CASCADE"), primary_key=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    committee: Mapped[str] = mapped_column(String(80), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)


class CaseNumberSequence(Base):
    """The last case number issued per center and year; numbers are never reused."""

    __tablename__ = "case_number_sequence"

    center_id: Mapped[int] = mapped_column(ForeignKey("center.id"), primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
