"""batch import staging (PostgreSQL): the importing groups may make temporary tables

A batch import on a center server runs as the person's own login role, under row-level security,
and PostgreSQL refuses ``COPY FROM`` into a table whose row-level security applies to the session.
The import (``services/case_import.py``) therefore copies each chunk into a temporary table of its
transaction (``ON COMMIT DROP``) and moves it with one ``INSERT … SELECT``, which the policies
check as any insert. Migration 0014 took ``TEMPORARY`` on the database from PUBLIC; this gives it
back to the two groups that may import (``md_intake``, ``md_head``; ``permissions.INTAKE_ROLES``).
A temporary table holds nothing of anyone else's and disappears with the transaction.

``md_install_import_staging()`` makes the grant (database privileges are not copied with the
database: after a copy or a restore under another name the owner runs it again, after
``md_install_desk_role()``). Without it the import still works, inserting from arrays.

SQLite: nothing.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 12:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0027'
down_revision: str | None = '0026'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The group roles whose members may import cases (permissions.INTAKE_ROLES).
IMPORTING_GROUPS = ("md_intake", "md_head")

INSTALL = """
CREATE FUNCTION md_install_import_staging() RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp AS $f$
DECLARE
  g text;
BEGIN
  FOREACH g IN ARRAY ARRAY[%s] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
      EXECUTE format('GRANT TEMPORARY ON DATABASE %%I TO %%I', current_database(), g);
    END IF;
  END LOOP;
END
$f$
""" % ", ".join(f"'{g}'" for g in IMPORTING_GROUPS)

UNINSTALL = """
DO $f$
DECLARE
  g text;
BEGIN
  FOREACH g IN ARRAY ARRAY[%s] LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = g) THEN
      EXECUTE format('REVOKE TEMPORARY ON DATABASE %%I FROM %%I', current_database(), g);
    END IF;
  END LOOP;
END
$f$
""" % ", ".join(f"'{g}'" for g in IMPORTING_GROUPS)


def _run(sql: str) -> None:
    """Through the driver as written (``%`` in ``format`` is not a bind parameter)."""
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    _run(INSTALL)
    _run("REVOKE ALL ON FUNCTION md_install_import_staging() FROM PUBLIC")
    _run("SELECT md_install_import_staging()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    _run(UNINSTALL)
    _run("DROP FUNCTION IF EXISTS md_install_import_staging()")
