"""kept documents

The PDFs kept as rendered: a signed record's or undisputed-facts statement's PDF frozen at
signing (the document of record), and the transfer letter and case summary printed for the seal,
keyed by a fingerprint of their inputs. The bytes live in ``file_blob``.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('kept_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_kept_document_case_id_dispute_case'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sha256'], ['file_blob.sha256'], name=op.f('fk_kept_document_sha256_file_blob')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_document')),
    sa.UniqueConstraint('kind', 'fingerprint', name=op.f('uq_kept_document_kind'))
    )
    with op.batch_alter_table('kept_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_document_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_document_sha256'), ['sha256'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('kept_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_document_sha256'))
        batch_op.drop_index(batch_op.f('ix_kept_document_case_id'))

    op.drop_table('kept_document')
