"""Logging in and out; the Flask-Login user loader."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_user, logout_user

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
    pk, _, nonce = user_id.partition(":")
    if not pk.isdigit():
        return None
    user = db.session.get(User, int(pk))
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user


@bp.app_context_processor
def inject_logout_form():
    return {"logout_form": LogoutForm()}


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], error_message="Too many login attempts. Wait a minute and try again.")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = users.find_by_email(form.email.data)
        # One message whether the address or the password is wrong, so accounts cannot be discovered.
        if user is None or not user.is_active or not users.check_password(user, form.password.data):
            form.password.errors.append("The email or password is not correct.")
        else:
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            db.session.commit()
            flash(f"Welcome, {user.display_name}.", "success")
            return redirect(safe_next_url(url_for("account.home")))
    return render_template("auth/login.html", form=form, next=safe_next_url(""))


@bp.route("/logout", methods=["POST"])
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are logged out.", "info")
    return redirect(url_for("public.index"))
