"""audit seq and mac

Each audit entry gets a gap-free sequence number and a keyed MAC (HMAC-SHA256 with a key kept in
the OS keychain, never in the database; see ``services/audit.py``). Existing entries get their
sequence numbers in id order and no MAC: a migration never has the key of a chain that did not
exist yet, and sealing entries it did not see being written would vouch for whatever the table
holds. They stay checked by their SHA-256 chain, and ``audit verify`` names them as
"升级前的条目未加密钥"; the first entry written with a key records where the keyed part starts.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('audit_entry', sa.Column('seq', sa.Integer(), nullable=True))
    op.add_column('audit_entry', sa.Column('mac', sa.String(length=64), nullable=True))
    # Sequence numbers in chain (id) order, 1 … N.
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM audit_entry ORDER BY id"))]
    if ids:
        bind.execute(sa.text("UPDATE audit_entry SET seq = :seq WHERE id = :id"),
                     [{"seq": seq, "id": entry_id} for seq, entry_id in enumerate(ids, 1)])
    op.create_index('ux_audit_entry_seq', 'audit_entry', ['seq'], unique=True)


def downgrade() -> None:
    op.drop_index('ux_audit_entry_seq', table_name='audit_entry')
    with op.batch_alter_table('audit_entry') as batch:
        batch.drop_column('mac')
        batch.drop_column('seq')
