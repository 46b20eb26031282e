"""12345 hotline work orders and their return files

* ``hotline_order``: one row per imported 12345 work order, 1:1 with its case: the hotline's
  order number and type code, when it was received, signed for (签收) and first contacted
  (首次联系). 办理, 办结, the result, the 回访 and the satisfaction are read from the case.
* ``hotline_export``: each return file written (its bounds), so ``--since last`` continues.

On PostgreSQL ``hotline_order`` is case content (read through the case, written where the case is
writable: ``md_secure_case_table``); an export belongs to the center that wrote it.

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-05 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0030'
down_revision: str | None = '0029'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_GROUPS = "md_intake, md_mediator, md_head"
EXPORTING_GROUPS = "md_intake, md_head"


def upgrade() -> None:
    op.create_table(
        'hotline_order',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('order_no', sa.String(length=100), nullable=False),
        sa.Column('type_code', sa.String(length=40), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('signed_at', sa.DateTime(), nullable=True),
        sa.Column('signed_by_id', sa.Integer(), nullable=True),
        sa.Column('contacted_at', sa.DateTime(), nullable=True),
        sa.Column('contacted_by_id', sa.Integer(), nullable=True),
        sa.Column('contact_note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_hotline_order_case_id_dispute_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['signed_by_id'], ['app_user.id'],
                                name=op.f('fk_hotline_order_signed_by_id_app_user')),
        sa.ForeignKeyConstraint(['contacted_by_id'], ['app_user.id'],
                                name=op.f('fk_hotline_order_contacted_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_order')),
        sa.UniqueConstraint('case_id', name=op.f('uq_hotline_order_case_id')),
        sa.UniqueConstraint('order_no', name=op.f('uq_hotline_order_order_no')),
    )
    with op.batch_alter_table('hotline_order', schema=None) as batch_op:
        batch_op.create_index('ix_hotline_order_updated', ['updated_at', 'case_id'], unique=False)
    op.create_table(
        'hotline_export',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('since', sa.DateTime(), nullable=False),
        sa.Column('until', sa.DateTime(), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('orders', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('exported_at', sa.DateTime(), nullable=False),
        sa.Column('exported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['center_id'], ['center.id'], name=op.f('fk_hotline_export_center_id_center')),
        sa.ForeignKeyConstraint(['exported_by_id'], ['app_user.id'],
                                name=op.f('fk_hotline_export_exported_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_export')),
    )
    with op.batch_alter_table('hotline_export', schema=None) as batch_op:
        batch_op.create_index('ix_hotline_export_center_until', ['center_id', 'until', 'id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # Case content: the case groups read an order through its case and write it (签收, 首次联系,
        # the import) where the case is writable.
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON hotline_order TO {CASE_GROUPS}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE hotline_order_id_seq TO {CASE_GROUPS}")
        op.execute("ALTER TABLE hotline_order ENABLE ROW LEVEL SECURITY")
        op.execute("SELECT md_secure_case_table('hotline_order')")
        # An export is its center's: read by the centers that read it, written by its own desks.
        op.execute(f"GRANT SELECT, INSERT ON hotline_export TO {EXPORTING_GROUPS}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE hotline_export_id_seq TO {EXPORTING_GROUPS}")
        op.execute("ALTER TABLE hotline_export ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY md_hotline_export_read ON hotline_export FOR SELECT TO {EXPORTING_GROUPS} "
                   "USING (center_id = ANY (md_current_center_ids()))")
        op.execute(f"CREATE POLICY md_hotline_export_write ON hotline_export FOR INSERT TO {EXPORTING_GROUPS} "
                   "WITH CHECK (center_id = md_current_center_id())")


def downgrade() -> None:
    with op.batch_alter_table('hotline_export', schema=None) as batch_op:
        batch_op.drop_index('ix_hotline_export_center_until')
    op.drop_table('hotline_export')
    with op.batch_alter_table('hotline_order', schema=None) as batch_op:
        batch_op.drop_index('ix_hotline_order_updated')
    op.drop_table('hotline_order')
