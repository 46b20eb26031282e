"""transfers visits publicity and scan back

Transfer packets tracked to the court's filing and outcome, mediation termination and the
undisputed-facts statement, planned return visits, approved publicity snapshots, and signed pages
scanned back (filed to their document, or queued when their page code cannot be read).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 05:13:54.372732
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('publicity_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('case_fingerprints', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['app_user.id'], name=op.f('fk_publicity_snapshot_approved_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publicity_snapshot'))
    )
    with op.batch_alter_table('publicity_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_publicity_snapshot_month'), ['month'], unique=False)

    op.create_table('termination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('terminated_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_termination_author_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_termination_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_termination'))
    )
    with op.batch_alter_table('termination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_termination_case_id'), ['case_id'], unique=False)

    op.create_table('undisputed_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('disputed', sa.Text(), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_undisputed_facts_author_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_undisputed_facts_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_undisputed_facts'))
    )
    with op.batch_alter_table('undisputed_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_undisputed_facts_case_id'), ['case_id'], unique=False)

    op.create_table('unmatched_page',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('filed_case_id', sa.Integer(), nullable=True),
    sa.Column('filed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['filed_case_id'], ['dispute_case.id'], name=op.f('fk_unmatched_page_filed_case_id_dispute_case'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sha256'], ['file_blob.sha256'], name=op.f('fk_unmatched_page_sha256_file_blob')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unmatched_page'))
    )
    op.create_table('planned_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=True),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_planned_visit_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['agreement_term.id'], name=op.f('fk_planned_visit_term_id_agreement_term'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['return_visit.id'], name=op.f('fk_planned_visit_visit_id_return_visit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_visit'))
    )
    with op.batch_alter_table('planned_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_visit_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_visit_due_on'), ['due_on'], unique=False)

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('document_ref', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('page', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachment_document_ref'), ['document_ref'], unique=False)

    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_on', sa.Date(), nullable=True))

    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.Enum('phone', 'visit', 'message', name='visitmethod', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('reopened', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('packet_id', sa.String(length=36), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('claims', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('status', sa.Enum('prepared', 'sent', 'received', 'filed', 'concluded', 'returned', name='transferstatus', native_enum=False, length=32), nullable=False, server_default='sent'))
        batch_op.add_column(sa.Column('sent_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('received_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('filed_number', sa.String(length=80), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('filed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('outcome_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_transfer_packet_id'), ['packet_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_transfer_sent_by_id_app_user'), 'app_user', ['sent_by_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_transfer_sent_by_id_app_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_transfer_packet_id'))
        batch_op.drop_column('outcome_on')
        batch_op.drop_column('outcome')
        batch_op.drop_column('filed_on')
        batch_op.drop_column('filed_number')
        batch_op.drop_column('received_at')
        batch_op.drop_column('sent_by_id')
        batch_op.drop_column('status')
        batch_op.drop_column('claims')
        batch_op.drop_column('packet_id')

    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_column('reopened')
        batch_op.drop_column('method')

    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.drop_column('accepted_on')

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_document_ref'))
        batch_op.drop_column('page')
        batch_op.drop_column('document_ref')

    with op.batch_alter_table('planned_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_visit_due_on'))
        batch_op.drop_index(batch_op.f('ix_planned_visit_case_id'))

    op.drop_table('planned_visit')
    op.drop_table('unmatched_page')
    with op.batch_alter_table('undisputed_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_undisputed_facts_case_id'))

    op.drop_table('undisputed_facts')
    with op.batch_alter_table('termination', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_termination_case_id'))

    op.drop_table('termination')
    with op.batch_alter_table('publicity_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_publicity_snapshot_month'))

    op.drop_table('publicity_snapshot')
