"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 02:20:44.481476
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_number_sequence',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_case_number_sequence'))
    )
    op.create_table('center_setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_center_setting'))
    )
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('presence', sa.Enum('resident', 'rotating', 'on_call', name='presencemode', native_enum=False, length=32), nullable=False),
    sa.Column('contact_person', sa.String(length=40), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('rota', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    op.create_table('dispute_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('is_private', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_type')),
    sa.UniqueConstraint('name', name=op.f('uq_dispute_type_name'))
    )
    op.create_table('file_blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_file_blob'))
    )
    op.create_table('holiday',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday'))
    )
    op.create_table('mediator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('stationed', 'volunteer', name='mediatorkind', native_enum=False, length=32), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('specialties', sa.String(length=200), nullable=False),
    sa.Column('declared_relations', sa.Text(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_mediator_department_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediator'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=60), nullable=False),
    sa.Column('role', sa.Enum('intake', 'mediator', 'head', 'admin', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_app_user_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('lead_mediator_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lead_mediator_id'], ['mediator.id'], name=op.f('fk_team_lead_mediator_id_mediator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('name', name=op.f('uq_team_name'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_audit_entry_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('dispute_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('registered', 'accepted', 'rejected', 'diverted', 'assigned', 'in_mediation', 'succeeded', 'failed', 'transferred', 'withdrawn', 'closure_review', 'closed', name='casestate', native_enum=False, length=32), nullable=False),
    sa.Column('dispute_type_id', sa.Integer(), nullable=False),
    sa.Column('source_channel', sa.Enum('visit', 'phone', 'letter', 'online', 'grid_report', 'police_transfer', 'court_delegated', 'petition_transfer', 'department_transfer', 'active_screening', name='sourcechannel', native_enum=False, length=32), nullable=False),
    sa.Column('risk_level', sa.Enum('red', 'orange', 'yellow', 'blue', name='risklevel', native_enum=False, length=32), nullable=False),
    sa.Column('is_group_dispute', sa.Boolean(), nullable=False),
    sa.Column('may_turn_criminal', sa.Boolean(), nullable=False),
    sa.Column('people_involved', sa.Integer(), nullable=False),
    sa.Column('amount_involved', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('village', sa.String(length=80), nullable=False),
    sa.Column('grid', sa.String(length=80), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('requests', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('lead_mediator_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dispute_type_id'], ['dispute_type.id'], name=op.f('fk_dispute_case_dispute_type_id_dispute_type')),
    sa.ForeignKeyConstraint(['lead_mediator_id'], ['mediator.id'], name=op.f('fk_dispute_case_lead_mediator_id_mediator')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['app_user.id'], name=op.f('fk_dispute_case_registered_by_id_app_user')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_dispute_case_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispute_case')),
    sa.UniqueConstraint('number', name=op.f('uq_dispute_case_number')),
    sa.UniqueConstraint('origin', name=op.f('uq_dispute_case_origin')),
    sa.UniqueConstraint('year', 'seq', name='uq_dispute_case_year_seq')
    )
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_case_number', ['year', 'seq', 'id'], unique=False)
        batch_op.create_index('ix_dispute_case_received', ['received_at', 'id'], unique=False)
        batch_op.create_index('ix_dispute_case_state_received', ['state', 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_dispute_case_team_received', ['team_id', 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_dispute_case_type_received', ['dispute_type_id', 'received_at', 'id'], unique=False)
        batch_op.create_index('ix_dispute_case_updated', ['updated_at', 'id'], unique=False)

    op.create_table('team_dispute_type',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('dispute_type_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dispute_type_id'], ['dispute_type.id'], name=op.f('fk_team_dispute_type_dispute_type_id_dispute_type'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_dispute_type_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('team_id', 'dispute_type_id', name=op.f('pk_team_dispute_type'))
    )
    op.create_table('team_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['mediator_id'], ['mediator.id'], name=op.f('fk_team_member_mediator_id_mediator')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_member_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member')),
    sa.UniqueConstraint('team_id', 'mediator_id', name=op.f('uq_team_member_team_id'))
    )
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_member_mediator_id'), ['mediator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_member_team_id'), ['team_id'], unique=False)

    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('written', 'oral', name='agreementkind', native_enum=False, length=32), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('disputed_matters', sa.Text(), nullable=False),
    sa.Column('responsibilities', sa.Text(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_agreement_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_case_id'), ['case_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('registered', 'transition', 'note', 'record', 'document', 'supervision', 'return_visit', name='eventkind', native_enum=False, length=32), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.Enum('registered', 'accepted', 'rejected', 'diverted', 'assigned', 'in_mediation', 'succeeded', 'failed', 'transferred', 'withdrawn', 'closure_review', 'closed', name='casestate', native_enum=False, length=32), nullable=True),
    sa.Column('to_state', sa.Enum('registered', 'accepted', 'rejected', 'diverted', 'assigned', 'in_mediation', 'succeeded', 'failed', 'transferred', 'withdrawn', 'closure_review', 'closed', name='casestate', native_enum=False, length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_case_event_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_case_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('investigation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('investigators', sa.String(length=200), nullable=False),
    sa.Column('recorder', sa.String(length=60), nullable=False),
    sa.Column('interviewee', sa.String(length=200), nullable=False),
    sa.Column('interviewee_relation', sa.String(length=100), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_investigation_record_author_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_investigation_record_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_investigation_record'))
    )
    with op.batch_alter_table('investigation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_investigation_record_case_id'), ['case_id'], unique=False)

    op.create_table('mediation_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('held_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('mediators', sa.String(length=200), nullable=False),
    sa.Column('recorder', sa.String(length=60), nullable=False),
    sa.Column('participants', sa.String(length=300), nullable=False),
    sa.Column('parties_present', sa.String(length=300), nullable=False),
    sa.Column('notice_given', sa.Boolean(), nullable=False),
    sa.Column('statements', sa.Text(), nullable=False),
    sa.Column('verification', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('agreement_reached', sa.Boolean(), nullable=False),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], name=op.f('fk_mediation_record_author_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_mediation_record_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_record'))
    )
    with op.batch_alter_table('mediation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_record_case_id'), ['case_id'], unique=False)

    op.create_table('party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('applicant', 'respondent', 'third_party', name='partyrole', native_enum=False, length=32), nullable=False),
    sa.Column('kind', sa.Enum('person', 'legal_person', 'organisation', name='partykind', native_enum=False, length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False, length=32), nullable=True),
    sa.Column('ethnicity', sa.String(length=20), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_type', sa.Enum('resident_id', 'hk_macao_permit', 'taiwan_permit', 'passport', 'other', name='iddocumenttype', native_enum=False, length=32), nullable=True),
    sa.Column('id_number', sa.String(length=40), nullable=False),
    sa.Column('occupation', sa.String(length=80), nullable=False),
    sa.Column('work_unit', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('legal_representative', sa.String(length=60), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('is_minor', sa.Boolean(), nullable=False),
    sa.Column('agent_name', sa.String(length=60), nullable=False),
    sa.Column('agent_phone', sa.String(length=40), nullable=False),
    sa.Column('agent_authority', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_party_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party'))
    )
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_phone'), ['phone'], unique=False)

    op.create_table('return_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitor', sa.String(length=60), nullable=False),
    sa.Column('parties_visited', sa.String(length=200), nullable=False),
    sa.Column('performance', sa.Enum('performed', 'partly', 'not_performed', name='performance', native_enum=False, length=32), nullable=True),
    sa.Column('satisfaction', sa.Enum('satisfied', 'fairly', 'unsatisfied', name='satisfaction', native_enum=False, length=32), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_return_visit_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_visit'))
    )
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_visit_case_id'), ['case_id'], unique=False)

    op.create_table('supervision_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('instruction', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_supervision_order_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['app_user.id'], name=op.f('fk_supervision_order_issued_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_order'))
    )
    with op.batch_alter_table('supervision_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_order_case_id'), ['case_id'], unique=False)

    op.create_table('transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.Enum('court', 'department', name='transfertarget', native_enum=False, length=32), nullable=False),
    sa.Column('target_name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('packet_sha256', sa.String(length=64), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('feedback_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_transfer_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer'))
    )
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_case_id'), ['case_id'], unique=False)

    op.create_table('agreement_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('obligor_party_id', sa.Integer(), nullable=False),
    sa.Column('obligee_party_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('method', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_term_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['obligee_party_id'], ['party.id'], name=op.f('fk_agreement_term_obligee_party_id_party')),
    sa.ForeignKeyConstraint(['obligor_party_id'], ['party.id'], name=op.f('fk_agreement_term_obligor_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_term'))
    )
    with op.batch_alter_table('agreement_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_term_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('identity', 'application', 'authorisation', 'evidence', 'signed_document', 'performance_proof', 'other', name='attachmentkind', native_enum=False, length=32), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['app_user.id'], name=op.f('fk_attachment_added_by_id_app_user')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_attachment_case_id_dispute_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_attachment_party_id_party'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sha256'], ['file_blob.sha256'], name=op.f('fk_attachment_sha256_file_blob')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('judicial_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('court', sa.String(length=120), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=True),
    sa.Column('court_case_number', sa.String(length=80), nullable=False),
    sa.Column('result', sa.Enum('pending', 'confirmed', 'rejected', 'withdrawn', name='confirmationresult', native_enum=False, length=32), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_judicial_confirmation_agreement_id_agreement')),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], name=op.f('fk_judicial_confirmation_case_id_dispute_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_judicial_confirmation'))
    )
    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_judicial_confirmation_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('judicial_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_judicial_confirmation_case_id'))

    op.drop_table('judicial_confirmation')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('agreement_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_term_agreement_id'))

    op.drop_table('agreement_term')
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_case_id'))

    op.drop_table('transfer')
    with op.batch_alter_table('supervision_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_order_case_id'))

    op.drop_table('supervision_order')
    with op.batch_alter_table('return_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_visit_case_id'))

    op.drop_table('return_visit')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_phone'))
        batch_op.drop_index(batch_op.f('ix_party_name'))
        batch_op.drop_index(batch_op.f('ix_party_id_number'))
        batch_op.drop_index(batch_op.f('ix_party_case_id'))

    op.drop_table('party')
    with op.batch_alter_table('mediation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_record_case_id'))

    op.drop_table('mediation_record')
    with op.batch_alter_table('investigation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_investigation_record_case_id'))

    op.drop_table('investigation_record')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_case_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_member_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_member_mediator_id'))

    op.drop_table('team_member')
    op.drop_table('team_dispute_type')
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_updated')
        batch_op.drop_index('ix_dispute_case_type_received')
        batch_op.drop_index('ix_dispute_case_team_received')
        batch_op.drop_index('ix_dispute_case_state_received')
        batch_op.drop_index('ix_dispute_case_received')
        batch_op.drop_index('ix_dispute_case_number')

    op.drop_table('dispute_case')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
    op.drop_table('team')
    op.drop_table('app_user')
    op.drop_table('mediator')
    op.drop_table('holiday')
    op.drop_table('file_blob')
    op.drop_table('dispute_type')
    op.drop_table('department')
    op.drop_table('center_setting')
    op.drop_table('case_number_sequence')
