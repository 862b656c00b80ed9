"""journeys: a rehearsal is a sandbox copy of an event's day (event.rehearsal_of_id)

Revision ID: 0013_journeys
Revises: 0015_timetable
Create Date: 2026-12-03 14:25:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_journeys'
down_revision = '0015_timetable'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rehearsal_of_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_event_rehearsal_of_id'), ['rehearsal_of_id'])
        batch_op.create_foreign_key(batch_op.f('fk_event_rehearsal_of_id_event'), 'event', ['rehearsal_of_id'],
                                    ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_event_rehearsal_of_id_event'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_event_rehearsal_of_id'), type_='unique')
        batch_op.drop_column('rehearsal_of_id')
