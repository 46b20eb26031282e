"""The report tables a county publishes to its city (migration 0023, ``services/city.py``).

Kept by database triggers in the county's writing transaction, never written by the application;
published by PostgreSQL logical replication (publication ``md_city``) to the city's database,
which has the same tables. Every key starts with the county's code, so the cases of several
counties (whose own ids collide) sit side by side at the city. They carry figures, never a name,
an ID number, a phone, an address or free text: the city sees counts, not people.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, Numeric, String, Table

from .base import Base

city_county = Table(
    "city_county", Base.metadata,
    Column("county_code", String(20), primary_key=True),
    Column("name", String(80), nullable=False),
)

city_case = Table(
    "city_case", Base.metadata,
    Column("county_code", String(20), primary_key=True),
    Column("case_id", Integer, primary_key=True, autoincrement=False),
    # The center the case belongs to (today the county's case-number prefix; a center's code once
    # a county holds several centers).
    Column("center_code", String(40)),
    Column("number", String(60), nullable=False),
    Column("state", String(32), nullable=False),
    Column("dispute_type", String(40), nullable=False),
    Column("source_channel", String(32), nullable=False),
    Column("people_involved", Integer, nullable=False),
    Column("is_group_dispute", Boolean, nullable=False),
    Column("may_turn_criminal", Boolean, nullable=False),
    Column("amount_involved", Numeric(14, 2)),
    Column("received_at", DateTime, nullable=False),
    Column("accepted_at", DateTime),
    Column("closed_at", DateTime),
    Column("clock_due_on", Date),
)

city_ending = Table(
    "city_ending", Base.metadata,
    Column("county_code", String(20), primary_key=True),
    Column("event_id", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("action", String(40), nullable=False),
)

city_visit = Table(
    "city_visit", Base.metadata,
    Column("county_code", String(20), primary_key=True),
    Column("visit_id", Integer, primary_key=True, autoincrement=False),
    Column("case_id", Integer, nullable=False),
    Column("visited_on", Date, nullable=False),
    Column("satisfaction", String(32)),
)
