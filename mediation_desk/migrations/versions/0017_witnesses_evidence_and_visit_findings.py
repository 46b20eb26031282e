"""witnesses, evidence source and purpose, visit findings

What a court's filing officer needs of a transferred case (CPL art. 124) and the committee's
return-visit record needs beside what was already kept:

* ``witness``: each witness of the dispute — name, address, phone, who named them, what they can prove;
* ``attachment.evidence_source`` / ``evidence_purpose``: where a piece of evidence came from and
  what it is offered to prove;
* ``return_visit.lawsuit`` / ``lawsuit_result`` / ``hidden_risks``: whether a party sued after the
  mediation and with what result, and the hidden risks the visitor found.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'witness',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=True),
        sa.Column('proves', sa.Text(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['added_by_id'], ['app_user.id'], name=op.f('fk_witness_added_by_id_app_user')),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_witness_case_id_dispute_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_witness_party_id_party'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_witness')),
    )
    with op.batch_alter_table('witness', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_witness_case_id'), ['case_id'], unique=False)
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence_source', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('evidence_purpose', sa.String(length=500), nullable=False, server_default=''))
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lawsuit', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('lawsuit_result', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('hidden_risks', sa.Text(), nullable=False, server_default=''))
    if op.get_bind().dialect.name == "postgresql":
        # Case content like any other (migration 0014): the case groups read a witness through its
        # case (a mediator only those of their teams' cases) and write it as casework; the
        # administrator's group nothing.
        op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON witness TO md_intake, md_mediator, md_head")
        op.execute("GRANT USAGE, SELECT ON SEQUENCE witness_id_seq TO md_intake, md_mediator, md_head")
        op.execute("ALTER TABLE witness ENABLE ROW LEVEL SECURITY")
        op.execute("CREATE POLICY md_case_rows ON witness FOR ALL TO md_intake, md_mediator, md_head "
                    "USING (EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id)) "
                    "WITH CHECK (EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id))")


def downgrade() -> None:
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_column('hidden_risks')
        batch_op.drop_column('lawsuit_result')
        batch_op.drop_column('lawsuit')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_column('evidence_purpose')
        batch_op.drop_column('evidence_source')
    with op.batch_alter_table('witness', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_witness_case_id'))
    op.drop_table('witness')
