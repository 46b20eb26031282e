"""The counter's 好差评: ``service_rating``, one citizen rating of a case's registration per
channel (the counter's second screen 评价器, 纸质 or 电话), with the clerk rated.

On PostgreSQL a rating is case content: read through its case and written where the case is
writable (``md_secure_case_table``, docs/centers.md).

Revision ID: 0034
Revises: 0032
Create Date: 2026-12-05 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0034'
down_revision: str | None = '0032'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_GROUPS = "md_intake, md_mediator, md_head"


def upgrade() -> None:
    op.create_table(
        'service_rating',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('clerk_id', sa.Integer(), nullable=True),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.String(length=20), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('rated_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_service_rating_case_id_dispute_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['clerk_id'], ['app_user.id'], name=op.f('fk_service_rating_clerk_id_app_user')),
        sa.ForeignKeyConstraint(['center_id'], ['center.id'], name=op.f('fk_service_rating_center_id_center')),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'],
                                name=op.f('fk_service_rating_recorded_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_rating')),
        sa.UniqueConstraint('case_id', 'channel', name='uq_service_rating_case_id_channel'),
    )
    with op.batch_alter_table('service_rating', schema=None) as batch_op:
        batch_op.create_index('ix_service_rating_center_rated', ['center_id', 'rated_at'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"GRANT SELECT, INSERT, UPDATE ON service_rating TO {CASE_GROUPS}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE service_rating_id_seq TO {CASE_GROUPS}")
        op.execute("ALTER TABLE service_rating ENABLE ROW LEVEL SECURITY")
        op.execute("SELECT md_secure_case_table('service_rating')")


def downgrade() -> None:
    with op.batch_alter_table('service_rating', schema=None) as batch_op:
        batch_op.drop_index('ix_service_rating_center_rated')
    op.drop_table('service_rating')
