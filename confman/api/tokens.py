"""The token itself: what it is for, and revoking it (an integration rotating its credentials)."""

from __future__ import annotations

from flask_smorest import Blueprint

from confman.api import core, schemas
from confman.extensions import db
from confman.models import Role
from confman.services import api_tokens
from confman.timeutil import utcnow

blp = Blueprint("api_token", __name__, url_prefix=core.PREFIX, description="The API token in use")
BEARER = [{"bearer": []}]


def _me() -> dict:
    token = core.current_token()
    if token is None:
        raise core.unauthorized("Send the token to learn about it.")
    user, event = token.user, token.event
    roles = sorted({r.role.value for r in user.roles if r.event_id == event.id})
    if user.is_admin:
        roles = sorted({*roles, Role.ORGANIZER.value, Role.MODERATOR.value})
    return {"name": token.name, "scope": token.scope.value, "event": event.slug, "user": user.email, "roles": roles,
            "created_at": core.utc(token.created_at), "last_used_at": core.utc(token.last_used_at)}


@blp.route("/token")
@blp.doc(security=BEARER)
@blp.response(200, schemas.MeSchema)
def who_am_i():
    """The token sent: its name, event, scope, and its owner's roles there."""
    return core.answer(_me())


@blp.route("/token", methods=["DELETE"])
@blp.doc(security=BEARER)
@blp.response(204)
def revoke_self():
    """Revoke the token sent: it stops working at once (any scope may do this)."""
    token = core.current_token()
    if token is None:
        raise core.unauthorized("Send the token to revoke.")
    api_tokens.revoke_token(token, actor=token.user, now=utcnow())
    db.session.commit()
    return core.answer(status=204, body=b"")
