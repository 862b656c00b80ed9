"""content languages: translations of public texts, an event's languages, interpretation per session

Revision ID: 0010_content_languages
Revises: 0012_api
Create Date: 2026-12-03 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_content_languages'
down_revision = '0012_api'
branch_labels = None
depends_on = None

TRANSLATABLE = ('event', 'theme', 'agenda_session', 'speaker', 'co_host')


def _json(name, empty):
    # Existing rows get an empty object/list; new rows get theirs from the models.
    return sa.Column(name, sa.JSON(), nullable=False, server_default=sa.text(f"'{empty}'"))


def upgrade():
    for table in TRANSLATABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_json('translations', '{}'))
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registration_notice', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(_json('languages', '["en"]'))
        batch_op.add_column(sa.Column('default_language', sa.String(length=8), nullable=False, server_default='en'))
        batch_op.add_column(_json('interpretation_languages', '[]'))
        batch_op.add_column(sa.Column('requires_interpretation', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('floor_language', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(_json('interpretation_languages', '[]'))
        batch_op.add_column(_json('interpretation_channels', '{}'))


def downgrade():
    with op.batch_alter_table('agenda_session', schema=None) as batch_op:
        batch_op.drop_column('interpretation_channels')
        batch_op.drop_column('interpretation_languages')
        batch_op.drop_column('floor_language')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('requires_interpretation')
        batch_op.drop_column('interpretation_languages')
        batch_op.drop_column('default_language')
        batch_op.drop_column('languages')
        batch_op.drop_column('registration_notice')
    for table in TRANSLATABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
