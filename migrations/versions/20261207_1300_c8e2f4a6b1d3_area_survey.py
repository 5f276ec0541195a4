"""area survey: surveys, rounds, questions, answers that link to nobody, one-time codes, invitation lists

Revision ID: c8e2f4a6b1d3
Revises: a3d7e9c1b5f2
Create Date: 2026-12-07 13:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c8e2f4a6b1d3'
down_revision = 'a3d7e9c1b5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('wording', sa.JSON(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('scale_low', sa.JSON(), nullable=False),
    sa.Column('scale_high', sa.JSON(), nullable=False),
    sa.Column('number_min', sa.Integer(), nullable=True),
    sa.Column('number_max', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('number_min IS NULL OR number_max IS NULL OR number_min <= number_max', name=op.f('ck_survey_questions_number_bounds')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_survey_questions_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_questions')),
    sa.UniqueConstraint('key', 'version', name='uq_survey_questions_key_version')
    )
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('intro', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_surveys_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys'))
    )
    op.create_table('survey_placements',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('condition_question_id', sa.Integer(), nullable=True),
    sa.Column('condition_values', sa.JSON(), nullable=False),
    sa.CheckConstraint('condition_question_id IS NULL OR condition_question_id <> question_id', name=op.f('ck_survey_placements_not_own_condition')),
    sa.ForeignKeyConstraint(['condition_question_id'], ['survey_questions.id'], name=op.f('fk_survey_placements_condition_question_id_survey_questions')),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_placements_question_id_survey_questions')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_placements_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'question_id', name=op.f('pk_survey_placements'))
    )
    with op.batch_alter_table('survey_placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_placements_question_id'), ['question_id'], unique=False)

    op.create_table('survey_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reach', sa.String(length=16), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_survey_rounds_closes_after_opening')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_rounds_survey_id_surveys')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_rounds'))
    )
    with op.batch_alter_table('survey_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_rounds_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_access_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_survey_access_codes_district_id_districts')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_survey_access_codes_round_id_survey_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_access_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_survey_access_codes_code_hash'))
    )
    with op.batch_alter_table('survey_access_codes', schema=None) as batch_op:
        batch_op.create_index('ix_survey_access_codes_round_district', ['round_id', 'district_id'], unique=False)

    op.create_table('survey_answer_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('finished_on', sa.Date(), nullable=True),
    sa.Column('resume_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_survey_answer_sets_district_id_districts')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_survey_answer_sets_round_id_survey_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer_sets')),
    sa.UniqueConstraint('resume_hash', name=op.f('uq_survey_answer_sets_resume_hash'))
    )
    with op.batch_alter_table('survey_answer_sets', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answer_sets_round_district', ['round_id', 'district_id'], unique=False)

    op.create_table('survey_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('token_nonce', sa.String(length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('used', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_survey_invitations_district_id_districts')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_survey_invitations_round_id_survey_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitations')),
    sa.UniqueConstraint('round_id', 'email', name='uq_survey_invitations_round_email'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitations_token_hash'))
    )
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitations_round_id'), ['round_id'], unique=False)

    op.create_table('survey_round_districts',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('reached', sa.Integer(), nullable=False),
    sa.CheckConstraint('reached >= 0', name=op.f('ck_survey_round_districts_reached_not_negative')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_survey_round_districts_district_id_districts')),
    sa.ForeignKeyConstraint(['round_id'], ['survey_rounds.id'], name=op.f('fk_survey_round_districts_round_id_survey_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'district_id', name=op.f('pk_survey_round_districts'))
    )
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_set_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Float(), nullable=True),
    sa.Column('choice', sa.String(length=64), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['answer_set_id'], ['survey_answer_sets.id'], name=op.f('fk_survey_answers_answer_set_id_survey_answer_sets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['survey_questions.id'], name=op.f('fk_survey_answers_question_id_survey_questions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('answer_set_id', 'question_id', name='uq_survey_answers_set_question')
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_question_id'), ['question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_question_id'))

    op.drop_table('survey_answers')
    op.drop_table('survey_round_districts')
    with op.batch_alter_table('survey_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitations_round_id'))

    op.drop_table('survey_invitations')
    with op.batch_alter_table('survey_answer_sets', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_answer_sets_round_district')

    op.drop_table('survey_answer_sets')
    with op.batch_alter_table('survey_access_codes', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_access_codes_round_district')

    op.drop_table('survey_access_codes')
    with op.batch_alter_table('survey_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_rounds_survey_id'))

    op.drop_table('survey_rounds')
    with op.batch_alter_table('survey_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_placements_question_id'))

    op.drop_table('survey_placements')
    op.drop_table('surveys')
    op.drop_table('survey_questions')
