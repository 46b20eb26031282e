"""Declarative base, naming convention and the column types shared by every model."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData
from sqlalchemy import Enum as SAEnum
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



def _sqlite_from_hint(_compiler: SQLiteCompiler, _table: Any, hint: str) -> str:
    return hint


# ``select(...).with_hint(Table, "INDEXED BY ix_name", "sqlite")`` renders on SQLite (SQLAlchemy renders
# table hints for MySQL, SQL Server and Oracle only; PostgreSQL never sees a "sqlite" hint). For the
# few reads whose partial index the planner cannot be trusted to pick: with no statistics of that
# index (a new file, or the demo's ANALYZE made before its clocks) it took the state index and read
# every closed case (VisitsDuePanel's count: 0.8-1.3 s at a million cases instead of 15 ms).
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign,assignment]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def now() -> datetime:
    """Wall-clock time of the center, to the second.

    Every desk of a center is in one time zone (China has one), so naive local times are stored
    the same way on SQLite and PostgreSQL and print as the clerk saw them.
    """
    return datetime.now().replace(microsecond=0)


def new_uid() -> str:
    """A record's identity across databases (a lowercase UUID, migration 0039)."""
    return str(uuid.uuid4())


def enum_column(enum_type: type[enum.Enum], **kwargs: Any) -> Any:
    """A VARCHAR column holding an enum's value (not its name), portable across both databases."""
    return mapped_column(
        SAEnum(
            enum_type,
            native_enum=False,
            length=32,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


class Versioned:
    """Optimistic locking: a save that lost a race raises ``StaleDataError`` instead of overwriting."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared_attr receives the class
        return {"version_id_col": cls.version}


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=now, onupdate=now)
