"""The dashboard's monthly counts (migration 0021): kept by database triggers, never written by the
application; ``services/stat_months.py`` says what each row counts. No row names a case; each
row is one center's (migration 0022)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, Table, text

from .base import Base

stat_received_month = Table(
    "stat_received_month", Base.metadata,
    Column("center_id", Integer, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("source_channel", String(32), primary_key=True),
    Column("team_id", Integer, primary_key=True),  # 0: no team
    Column("dispute_type_id", Integer, primary_key=True),
    Column("cases", BigInteger, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("amount_cases", BigInteger, nullable=False),
    Column("group_cases", BigInteger, nullable=False),
    # Migration 0040 (the table by level): the cases per band of people involved, and 重大.
    Column("people_under_50", BigInteger, nullable=False, server_default=text("0")),
    Column("people_50_100", BigInteger, nullable=False, server_default=text("0")),
    Column("people_100_500", BigInteger, nullable=False, server_default=text("0")),
    Column("people_over_500", BigInteger, nullable=False, server_default=text("0")),
    Column("major_cases", BigInteger, nullable=False, server_default=text("0")),
)

stat_ending_month = Table(
    "stat_ending_month", Base.metadata,
    Column("month", String(7), primary_key=True),
    Column("lo", String(7), primary_key=True),
    Column("hi", String(7), primary_key=True),
    Column("center_id", Integer, primary_key=True),
    Column("action", String(40), primary_key=True),
    Column("source_channel", String(32), primary_key=True),
    Column("dispute_type_id", Integer, primary_key=True),
    Column("criminal", Integer, primary_key=True),
    Column("on_time", Integer, primary_key=True),
    Column("cases", BigInteger, nullable=False),
    # Migration 0040: the cases' people involved, those flagged 可能引发群体性上访 and their people.
    Column("people", BigInteger, nullable=False, server_default=text("0")),
    Column("petition_cases", BigInteger, nullable=False, server_default=text("0")),
    Column("petition_people", BigInteger, nullable=False, server_default=text("0")),
)

stat_visit_month = Table(
    "stat_visit_month", Base.metadata,
    Column("month", String(7), primary_key=True),
    Column("lo", String(7), primary_key=True),
    Column("hi", String(7), primary_key=True),
    Column("center_id", Integer, primary_key=True),
    Column("satisfaction", String(32), primary_key=True),
    Column("cases", BigInteger, nullable=False),
)

#: The 12345 orders closed (their last ending, the case not handled again) and rated (their last
#: visit's satisfaction) per center and month (migration 0046, ``services/hotline_facts.py``).
stat_hotline_month = Table(
    "stat_hotline_month", Base.metadata,
    Column("center_id", Integer, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("closed", BigInteger, nullable=False),
    Column("resolved", BigInteger, nullable=False),
    Column("rated", BigInteger, nullable=False),
    Column("good", BigInteger, nullable=False),
)

#: The cases given a card (黄牌/红牌) per center (the case's) and month (the card's day), a case
#: once a month (migration 0058, ``services/carded_months.py``).
stat_carded_month = Table(
    "stat_carded_month", Base.metadata,
    Column("center_id", Integer, primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("cases", BigInteger, nullable=False),
)

__all__ = ["stat_carded_month", "stat_ending_month", "stat_hotline_month", "stat_received_month",
           "stat_visit_month"]
