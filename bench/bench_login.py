"""Login answer times: a wrong password for a known address, for an unknown one, and for a password-less account.

The three should take the same time (issue 19, finding 5): the password hash runs in every case.
"""

from bench.harness import HEADER, measure
from confman.extensions import db, limiter
from confman.services import users
from confman.timeutil import utcnow


def run(app, events: dict[str, str]) -> list[str]:
    with app.app_context():
        for email, password in (("bench-known@example.org", "a real password"), ("bench-link@example.org", None)):
            if users.find_by_email(email) is None:
                users.create_user(email, password=password, now=utcnow())
        db.session.commit()
    limiter.enabled = False  # the throttle would answer 429 after ten attempts
    lines = [HEADER]
    timings = {}
    try:
        for label, email in (("known address", "bench-known@example.org"), ("unknown address", "nobody@example.org"),
                             ("password-less account", "bench-link@example.org")):
            timings[label] = measure(app, f"wrong password, {label}",
                                     lambda c, e=email: c.post("/login", data={"email": e, "password": "wrong one"}),
                                     repeat=15)
            lines.append(timings[label].row())
    finally:
        limiter.enabled = True
    known = timings["known address"].median_ms
    lines.append("median ratio to the known address: " + ", ".join(
        f"{label} {timing.median_ms / known:.2f}" for label, timing in timings.items()))
    return lines
