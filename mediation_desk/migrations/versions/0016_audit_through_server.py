"""audit through the server only (PostgreSQL)

Since 0015 every append goes through ``md_audit_append`` (its trigger refuses a direct INSERT from
any role but the owner), so the groups' own INSERT on ``audit_entry`` that 0014 granted for the
desk-side append, and the columns the clerk's and the mediator's groups read to find the chain's
last hash, are taken back: a clerk or a mediator neither writes nor reads the audit table directly;
the head and the administrator (the auditors) keep SELECT. SQLite is untouched.

``md_audit_now()``: the server's clock as it stamps entries (same time zone as ``md_audit_append``),
for the checks that compare an entry's time with "now" (a retention dry run is valid for 24 hours):
the desk's clock is not the one the entries were stamped by.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SELECTED = "id, seq, entry_hash, mac"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("REVOKE INSERT ON audit_entry FROM md_intake, md_mediator, md_head, md_admin")
    op.execute(f"REVOKE SELECT ({_SELECTED}) ON audit_entry FROM md_intake, md_mediator")
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(r"""DO $$ DECLARE zone text; BEGIN
  SELECT substring(c FROM 'TimeZone=(.*)') INTO zone FROM pg_proc p, unnest(p.proconfig) c
   WHERE p.proname = 'md_audit_append' AND c LIKE 'TimeZone=%' LIMIT 1;
  EXECUTE format('CREATE FUNCTION md_audit_now() RETURNS timestamp LANGUAGE sql VOLATILE SET TimeZone = %L '
                 'AS $f$ SELECT date_trunc(''second'', clock_timestamp()::timestamp) $f$', coalesce(zone, 'UTC'));
END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS md_audit_now()")
    op.execute("GRANT INSERT ON audit_entry TO md_intake, md_mediator, md_head, md_admin")
    op.execute(f"GRANT SELECT ({_SELECTED}) ON audit_entry TO md_intake, md_mediator")
