"""Shared by the registration tests: a real (tiny) PDF, a registration form as a browser posts it, messages sent."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from confman.extensions import db
from confman.models import OutboxMessage, Registration

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OPEN = dict(registration_opens_at=datetime(2021, 1, 1, tzinfo=UTC),
            registration_closes_at=datetime.now(UTC) + timedelta(days=365))


def form(email: str = "ada@example.org", **overrides) -> dict:
    data = {"honorific": "Ms.", "name": "Ada Delegate", "title": "Counsellor", "email": email,
            "organization": "other", "organization_name": "Permanent Mission of Somewhere",
            "category": "member_state", "needs": "", "consent": "y",
            "document": (io.BytesIO(PDF), "note-verbale.pdf")}
    data.update(overrides)
    return data


def registrations(event) -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                                   .order_by(Registration.id)))


def messages(**filters) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)))


def link_in(text: str) -> str:
    """The path of the first confman link in a message."""
    match = re.search(r"https?://[^/\s]+(/\S+)", text)
    assert match, f"no link in {text!r}"
    return match.group(1)
