"""registration language: a delegate's preferred language and the languages they listen in

Revision ID: 0010b_registration_language
Revises: 0010_content_languages
Create Date: 2026-12-03 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010b_registration_language'
down_revision = '0010_content_languages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('interpretation_languages', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('interpretation_languages')
        batch_op.drop_column('language')
