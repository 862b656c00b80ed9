"""Logging in and out; the Flask-Login user loader."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.local import LocalProxy

from confman.extensions import db, limiter, login_manager
from confman.forms.auth import LoginForm, LogoutForm
from confman.models import User
from confman.services import users
from confman.timeutil import utcnow
from confman.web.helpers import safe_next_url

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The cookie carries id:nonce, so a password change or a forced logout invalidates old sessions."""
    pk, _colon, nonce = user_id.partition(":")
    if not pk.isdigit():
        return None
    user = db.session.get(User, int(pk))
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user


@bp.app_context_processor
def inject_logout_form():
    # Built only when a template renders it (for a signed-in visitor): its CSRF token would make an anonymous
    # public page personal and unshareable. formdata=None: reading the request would re-raise a 413 on error pages.
    return {"logout_form": LocalProxy(lambda: LogoutForm(formdata=None))}


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message=lambda: _("Too many login attempts. Wait a minute and try "
                                                                      "again."))
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = users.find_by_email(form.email.data)
        # One message, and one password hash, whether the address or the password is wrong: accounts cannot be
        # discovered by the words or by the time the answer takes.
        password_ok = users.check_password(user, form.password.data)
        if user is None or not user.is_active or not password_ok:
            form.password.errors.append(_("The email or password is not correct."))
        else:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next_url(url_for("account.home")))
    return render_template("auth/login.html", form=form, next=safe_next_url(""))


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        end_every_session()
        flash(_("You are logged out."), "info")
    return redirect(url_for("public.index"))


def end_every_session() -> None:
    """Log out here, and make every copy of this account's session and remember cookies worthless: they name the
    account's session nonce, which changes (a stolen cookie must not outlive the logout)."""
    if current_user.is_authenticated:
        users.end_all_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
