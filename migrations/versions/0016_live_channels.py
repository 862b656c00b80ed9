"""live state per channel: a version and an undo log for each channel of an event

Revision ID: 0016_live_channels
Revises: 0010b_registration_language
Create Date: 2026-12-04 18:40:00

Before, one live_state row (one version) and one undo log served a whole event, so the moderators of two
channels staled and undid each other. Now live_channel_state holds a version per (event, channel key) (the
channel's id, 0 for sessions in no channel) and every live action carries its channel key.

Upgrade: each event's old version is given to each of its channels (and to "no channel"), so a console open
during the upgrade still acts; each action takes the channel of its session (or of the first session it
changed). Downgrade: an event's version is the highest of its channels'.
"""
import json

import sqlalchemy as sa
from alembic import op

import confman.models.base

# revision identifiers, used by Alembic.
revision = '0016_live_channels'
down_revision = '0010b_registration_language'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_channel_state',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('channel_key', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', confman.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_live_channel_state_event_id_event'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'channel_key', name=op.f('pk_live_channel_state'))
    )
    conn = op.get_bind()
    old = sa.table('live_state', sa.column('event_id', sa.Integer), sa.column('version', sa.Integer),
                   sa.column('updated_at', confman.models.base.UTCDateTime(timezone=True)))
    new = sa.table('live_channel_state', sa.column('event_id', sa.Integer), sa.column('channel_key', sa.Integer),
                   sa.column('version', sa.Integer),
                   sa.column('updated_at', confman.models.base.UTCDateTime(timezone=True)))
    channel = sa.table('channel', sa.column('id', sa.Integer), sa.column('event_id', sa.Integer))
    rows = []
    for event_id, version, updated_at in conn.execute(sa.select(old.c.event_id, old.c.version, old.c.updated_at)):
        keys = [0, *conn.execute(sa.select(channel.c.id).where(channel.c.event_id == event_id)).scalars()]
        rows += [{"event_id": event_id, "channel_key": key, "version": version, "updated_at": updated_at}
                 for key in keys]
    if rows:
        conn.execute(new.insert(), rows)
    op.drop_table('live_state')

    with op.batch_alter_table('live_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel_key', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_index('ix_live_action_event_undone')
        batch_op.create_index('ix_live_action_channel_undone', ['event_id', 'channel_key', 'undone_at'],
                              unique=False)
    with op.batch_alter_table('live_action', schema=None) as batch_op:
        batch_op.alter_column('channel_key', server_default=None)

    action = sa.table('live_action', sa.column('id', sa.Integer), sa.column('session_id', sa.Integer),
                      sa.column('before', sa.JSON), sa.column('channel_key', sa.Integer))
    session = sa.table('agenda_session', sa.column('id', sa.Integer), sa.column('channel_id', sa.Integer))
    channel_of = dict(conn.execute(sa.select(session.c.id, session.c.channel_id)).all())
    for action_id, session_id, before in conn.execute(sa.select(action.c.id, action.c.session_id, action.c.before)):
        if isinstance(before, str):
            before = json.loads(before)
        ids = [session_id] if session_id is not None else [s.get("id") for s in before or []]
        key = next((channel_of[i] for i in ids if channel_of.get(i)), None) or 0
        if key:
            conn.execute(action.update().where(action.c.id == action_id).values(channel_key=key))


def downgrade():
    op.create_table('live_state',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', confman.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_live_state_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_live_state'))
    )
    conn = op.get_bind()
    new = sa.table('live_channel_state', sa.column('event_id', sa.Integer), sa.column('version', sa.Integer),
                   sa.column('updated_at', confman.models.base.UTCDateTime(timezone=True)))
    old = sa.table('live_state', sa.column('event_id', sa.Integer), sa.column('version', sa.Integer),
                   sa.column('updated_at', confman.models.base.UTCDateTime(timezone=True)))
    rows = [{"event_id": event_id, "version": version, "updated_at": updated_at}
            for event_id, version, updated_at in conn.execute(
                sa.select(new.c.event_id, sa.func.max(new.c.version), sa.func.max(new.c.updated_at))
                .group_by(new.c.event_id))]
    if rows:
        conn.execute(old.insert(), rows)
    op.drop_table('live_channel_state')

    with op.batch_alter_table('live_action', schema=None) as batch_op:
        batch_op.drop_index('ix_live_action_channel_undone')
        batch_op.create_index('ix_live_action_event_undone', ['event_id', 'undone_at'], unique=False)
        batch_op.drop_column('channel_key')
