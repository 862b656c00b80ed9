"""Accounts: creating users, passwords and the roles they hold."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from confman.extensions import db
from confman.models import Event, Role, User
from confman.services import ConfmanError, permissions

MIN_PASSWORD_LENGTH = 10
PASSWORD_METHOD = "scrypt"  # werkzeug's default; the test suite swaps in a cheap one to stay fast


class UserAlreadyExists(ConfmanError):
    pass


class InvalidEmail(ConfmanError):
    pass


class PasswordTooShort(ConfmanError):
    pass


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidEmail(f"{email!r} is not a valid email address: {exc}") from exc


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    user.session_nonce = secrets.token_hex(16)  # a new password logs out every other session


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(16), method=method)


def check_password(user: User | None, password: str) -> bool:
    """Always runs the hash, against a dummy when there is no account or no password: a wrong password for a
    known address then takes as long as one for an unknown address, so timing tells nothing (issue 19)."""
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(PASSWORD_METHOD), password)
        return False
    return check_password_hash(user.password_hash, password)


def end_all_sessions(user: User) -> None:
    """Every session and remember cookie of `user`, on every device, stops working (and so do sign-in links)."""
    user.session_nonce = secrets.token_hex(16)


def use_sign_in_links(user: User, generation: int) -> bool:
    """Spend the sign-in links of `generation`: True for the one request that did, False if they were spent.

    One conditional UPDATE, so two clicks racing on one link cannot both sign in. Flushes nothing else.
    """
    spent = db.session.execute(
        update(User).where(User.id == user.id, User.sign_in_link_generation == generation)
        .values(sign_in_link_generation=generation + 1).execution_options(synchronize_session=False))
    db.session.refresh(user)
    return spent.rowcount == 1


def create_user(
    email: str,
    *,
    password: str | None,
    now: datetime,
    name: str = "",
    is_admin: bool = False,
    roles: tuple[tuple[Event, Role], ...] = (),
) -> User:
    """Create an account. Raises InvalidEmail, UserAlreadyExists, PasswordTooShort. Flushes."""
    email = normalize_email(email)
    if find_by_email(email) is not None:
        raise UserAlreadyExists(f"A user with the email {email} already exists.")
    user = User(email=email, name=name.strip(), is_admin=is_admin, created_at=now, session_nonce=secrets.token_hex(16))
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    for event, role in roles:
        permissions.grant(user, event, role)
    return user
