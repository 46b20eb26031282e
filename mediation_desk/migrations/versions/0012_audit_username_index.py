"""audit username index

Failed logins by a name that has no account are counted and locked by that name, read from the
audit log at every such attempt: an index on (username, id) keeps that read as quick as the
account lookup it stands in for, so the answer's timing does not tell which names exist.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_entry_username_id', 'audit_entry', ['username', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_entry_username_id', table_name='audit_entry')
