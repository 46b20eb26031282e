"""witness and evidence-description versions

A witness's name, address and what they can prove, and a piece of evidence's source and purpose,
can be corrected (issue 18): the version a desk's form loaded travels with its save, so a save
after someone else's correction is a conflict instead of an overwrite.

* ``witness.version``: the mapper's version column (``models.base.Versioned``), 1 for every
  existing witness;
* ``attachment.evidence_version``: how many times the evidence's source and purpose were saved
  (0 for never; existing descriptions count as one save).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('witness', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_version', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE attachment SET evidence_version = 1 "
               "WHERE evidence_source <> '' OR evidence_purpose <> ''")


def downgrade() -> None:
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('evidence_version')
    with op.batch_alter_table('witness', schema=None) as batch_op:
        batch_op.drop_column('version')
