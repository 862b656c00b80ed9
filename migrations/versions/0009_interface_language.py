"""interface language: the header switcher's choice, remembered on the account

Revision ID: 0009_interface_language
Revises: 0008_security
Create Date: 2026-12-03 13:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_interface_language'
down_revision = '0008_security'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interface_language', sa.String(length=35), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('interface_language')
