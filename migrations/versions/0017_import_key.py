"""session import: the key a session had in the file it was imported from (frab guid or id, CSV ref)

Revision ID: 0017_import_key
Revises: 0016_live_channels
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_import_key'
down_revision = '0016_live_channels'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_key', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_column('import_key')
