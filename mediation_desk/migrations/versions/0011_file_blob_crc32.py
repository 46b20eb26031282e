"""file blob crc32

Each stored file's CRC-32 beside its SHA-256: the transfer packet's ZIP computes every member's
CRC-32 anyway, so comparing it with the stored one checks the bytes against what was stored
without a second pass over them. Files stored earlier keep NULL and are checked by their SHA-256
(computing every old blob's CRC here would read a county's whole archive during the upgrade).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('file_blob', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crc32', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('file_blob', schema=None) as batch_op:
        batch_op.drop_column('crc32')
