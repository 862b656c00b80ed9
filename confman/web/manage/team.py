"""The team page: an event's organizers, moderators, interpreters and focal points, granted and revoked by email."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from confman.extensions import db
from confman.forms.team import ROLE_LABELS, TeamGrantForm, TeamRevokeForm
from confman.models import Delegation, Event, User
from confman.services import outbox, team, users
from confman.services.registration import delegations as delegation_service
from confman.timeutil import utcnow
from confman.web import mailer
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor


def _invitation(event: Event, role: str, delegation: Delegation | None, email: str) -> str:
    """The mail's first line in the language of the rest of it: the invitee's (else the event's), not the inviter's."""
    with force_locale(outbox.mail_language(user=users.find_by_email(email), event=event)):
        if role == team.FOCAL_POINT and delegation is not None:
            return _("You are now the focal point of the delegation of %(organization)s to %(event)s: you can see "
                     "and approve its members' registrations.", organization=delegation.organization.name,
                     event=event.title)
        return _("You are now %(role)s of %(event)s in confman.", role=str(ROLE_LABELS[role]).lower(),
                 event=event.title)


@bp.route("/events/<slug>/team", methods=["GET", "POST"])
@organizer_required
def team_page(event: Event):
    event_delegations = delegation_service.event_delegations(event)
    form = TeamGrantForm(delegations=event_delegations)
    if form.validate_on_submit():
        delegation = next((d for d in event_delegations if d.id == form.delegation_id.data), None)
        try:
            user, created = team.grant(event, email=form.email.data, role=form.role.data, actor=actor(),
                                       now=utcnow(), delegation=delegation,
                                       invitation=_invitation(event, form.role.data, delegation, form.email.data))
        except users.InvalidEmail:
            db.session.rollback()
            form.email.errors.append(_("This is not a valid email address."))
        except team.DelegationNeeded:
            db.session.rollback()
            form.delegation_id.errors.append(_("Choose the delegation this person is the focal point of."))
        else:
            db.session.commit()
            mailer.send()
            role = str(ROLE_LABELS[form.role.data]).lower()
            if created:
                flash(_("Invited %(email)s as %(role)s: a new account, with a sign-in link sent to that address.",
                        email=user.email, role=role), "success")
            else:
                flash(_("%(email)s is %(role)s now, and was told by mail.", email=user.email, role=role), "success")
            return redirect(url_for(".team_page", slug=event.slug))
    return render_template("manage/team.html", event=event, form=form, members=team.members(event),
                           role_labels=ROLE_LABELS, revoke_form=TeamRevokeForm(formdata=None),
                           focal=team.FOCAL_POINT), (400 if form.errors else 200)


@bp.route("/events/<slug>/team/revoke", methods=["POST"])
@organizer_required
def team_revoke(event: Event):
    form = TeamRevokeForm()
    if not form.validate_on_submit() or not form.user_id.data.isdigit() or form.role.data not in team.TEAM_ROLES:
        abort(400)
    user = db.get_or_404(User, int(form.user_id.data))
    delegation = None
    if form.delegation_id.data and form.delegation_id.data.isdigit():
        delegation = db.session.get(Delegation, int(form.delegation_id.data))
    try:
        removed = team.revoke(event, user=user, role=form.role.data, actor=actor(), now=utcnow(),
                              delegation=delegation)
    except team.LastOrganizer:
        db.session.rollback()
        flash(_("An event needs at least one organizer: add another before removing this one."), "error")
        return redirect(url_for(".team_page", slug=event.slug))
    db.session.commit()
    role = str(ROLE_LABELS[form.role.data]).lower()
    if removed:
        flash(_("%(email)s is no longer %(role)s.", email=user.email, role=role), "success")
    else:
        flash(_("%(email)s was not %(role)s: nothing changed.", email=user.email, role=role), "info")
    return redirect(url_for(".team_page", slug=event.slug))
