"""timetable editor: a session may be unscheduled (no start yet) while the agenda is built

Revision ID: 0015_timetable
Revises: 0009_interface_language
Create Date: 2026-12-03 14:20:00

"""
from alembic import op
import sqlalchemy as sa

import confman.models.base


# revision identifiers, used by Alembic.
revision = '0015_timetable'
down_revision = '0009_interface_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.alter_column('starts_at', existing_type=confman.models.base.UTCDateTime(timezone=True),
                              nullable=True)


def downgrade():
    # An older schema has no unscheduled sessions: give each one the moment it was created as its start, so no
    # session is lost; the organizer sees them on the timetable again and moves them.
    op.execute(sa.text("UPDATE agenda_session SET starts_at = created_at WHERE starts_at IS NULL"))
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.alter_column('starts_at', existing_type=confman.models.base.UTCDateTime(timezone=True),
                              nullable=False)
