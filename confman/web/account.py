"""The signed-in user's own pages under /account/."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from confman.extensions import db
from confman.forms.auth import SignOutEverywhereForm
from confman.forms.tokens import RevokeTokenForm, TokenForm
from confman.models import ApiToken, Event, Registration, Speaker, TokenScope
from confman.services import api_tokens, floor, permissions
from confman.services.registration import delegations
from confman.timeutil import utcnow
from confman.web.auth import end_every_session
from confman.web.content import viewer_agenda

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@login_required
def home():
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == current_user.id).order_by(Registration.registered_at)
    ).all()
    staff_events = permissions.staff_events(current_user)
    # IN, not JOIN + DISTINCT: PostgreSQL cannot compare the event's JSON columns (translations, languages).
    speaking = db.session.scalars(select(Event).where(Event.id.in_(select(Speaker.event_id).where(
        func.lower(Speaker.email) == current_user.email.lower())))).all()
    events = {e.id: e for e in [*(r.event for r in registrations), *(e for e, _ in staff_events), *speaking]
              if e.is_public or permissions.can_moderate(current_user, e)}
    return render_template(
        "account/home.html", registrations=registrations, staff_events=staff_events,
        focal_delegations=delegations.focal_point_delegations(current_user),
        sign_out_form=SignOutEverywhereForm(formdata=None),
        join_links=floor.join_links(current_user, events.values(),
                                    lambda e: viewer_agenda(e).sessions),
        floor_delegations=[(e, floor.delegations_of(current_user, e)) for e in events.values()
                           if floor.delegations_of(current_user, e)],
    )


@bp.route("/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        return redirect(url_for(".home"))
    end_every_session()
    flash(_("You are signed out on every device and browser, this one included."), "success")
    return redirect(url_for("auth.login"))


# --- Personal API tokens (issue 15) ----------------------------------------------------------------------------

def _token_events() -> list[Event]:
    return [event for event, _roles in permissions.staff_events(current_user)]


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm(events=_token_events())
    new_secret = None
    if form.validate_on_submit():
        event = db.session.get(Event, form.event_id.data)
        try:
            token, new_secret = api_tokens.create_token(current_user, event, name=form.name.data,
                                                        scope=TokenScope(form.scope.data), now=utcnow())
        except api_tokens.InvalidToken as error:
            form.name.errors.append(str(error))
        else:
            db.session.commit()
            form = TokenForm(formdata=None, events=_token_events())
    # The secret is in this response only (never in a flash message: that would put it in the session cookie).
    return render_template("account/tokens.html", form=form, tokens=api_tokens.tokens_of(current_user),
                           new_secret=new_secret, revoke_form=RevokeTokenForm(formdata=None),
                           ), 400 if form.errors else 200


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if RevokeTokenForm().validate_on_submit():
        api_tokens.revoke_token(token, actor=current_user, now=utcnow())
        db.session.commit()
        flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for(".tokens"), code=303)
