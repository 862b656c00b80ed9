"""Fuzzing the public inputs with hypothesis: whatever arrives, the answer is never a server error.

Query parameters of the agenda, live page and exports; the registration, login and sign-in forms; uploads of
random bytes; random files given to `confman import-schedule` and `confman import-event`. Pages must answer
below 500; the commands must end with a message (exit code 1), never a traceback. Examples are bounded so the
suite stays quick (`--hypothesis-show-statistics` prints how many ran).
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from registration_helpers import OPEN, PDF, form
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Base, Event, Registration
from confman.services import sample, video
from confman.timeutil import utcnow

from factories import NOW, make_event, make_user

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Text a browser can send (no lone surrogates), with the characters that break naive parsers well represented.
text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["", " ", "\x00", "../../etc/passwd", "9999-99-99", "2021-10-25", "0001-01-01", "-1", "1e309",
                     "UTC", "Europe/Paris", "America/New_York", "/etc/localtime", "Etc/GMT+99", "grid", "list",
                     "%", "'; DROP TABLE event; --", "<script>", "\u202e", "a" * 2000, "2021-02-30"]),
)
PUBLIC_PATHS = ["/events/prepcon-2021/agenda", "/events/prepcon-2021/live", "/events/prepcon-2021/live.json",
                "/events/prepcon-2021/agenda.ics", "/events/prepcon-2021/schedule.json",
                "/events/prepcon-2021/schedule.xml", "/events/prepcon-2021/programme",
                "/events/prepcon-2021/changes.atom", "/events/prepcon-2021/speakers/", "/events/prepcon-2021/",
                "/login", "/account/sign-in", "/"]
KEYS = ["tz", "day", "theme", "view", "q", "channel", "next", "page", "format", "lang"]


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=NOW)
    event = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    db.session.commit()
    return event


@FUZZ
@given(path=st.sampled_from(PUBLIC_PATHS),
       params=st.dictionaries(st.one_of(st.sampled_from(KEYS), text), text, max_size=4))
def test_fuzz_public_query_parameters_never_cause_a_server_error(client, prepcon, path, params):
    response = client.get(path, query_string=params)

    assert response.status_code < 500, f"{path}?{params}: {response.status_code}"


@FUZZ
@given(path=st.sampled_from(["/events/prepcon-2021/agenda", "/events/prepcon-2021/programme"]),
       day=st.dates().map(str), tz=st.sampled_from(["Pacific/Kiritimati", "Etc/GMT+12", "Asia/Kathmandu", ""]))
def test_fuzz_agenda_days_and_zones_far_from_the_event_answer(client, prepcon, path, day, tz):
    response = client.get(path, query_string={"day": day, "tz": tz})

    assert response.status_code < 500


@pytest.fixture
def open_event(app):
    event = make_event(slug="open", **OPEN)
    db.session.commit()
    return event


fields = st.fixed_dictionaries({}, optional={name: text for name in (
    "honorific", "name", "title", "email", "organization", "organization_name", "category", "needs", "consent",
    "version")})


@FUZZ
@given(data=fields, document=st.one_of(st.none(), st.binary(max_size=2048)),
       filename=st.sampled_from(["n.pdf", "n.PDF", "n", ".pdf", "n.exe", "ü.pdf", "../n.pdf"]))
def test_fuzz_registration_form_never_causes_a_server_error(client, open_event, data, document, filename):
    if document is not None:
        data = {**data, "document": (io.BytesIO(document), filename)}

    response = client.post("/events/open/register", data=data, content_type="multipart/form-data")

    assert response.status_code < 500, f"{data}: {response.status_code}"


@FUZZ
@given(overrides=fields)
def test_fuzz_almost_valid_registrations_are_accepted_or_refused_cleanly(client, open_event, overrides):
    valid = {**form(), **overrides, "document": (io.BytesIO(PDF), "n.pdf")}
    before = db.session.scalar(select(func.count(Registration.id)))

    response = client.post("/events/open/register", data=valid, content_type="multipart/form-data")

    db.session.expire_all()
    after = db.session.scalar(select(func.count(Registration.id)))
    assert response.status_code in (200, 302, 400, 409, 413, 422), response.status_code
    # Refused: nothing stored. Accepted: one row, or none when the address already registered (the same
    # "check your mail" answer either way, so the form does not reveal who registered).
    assert after == before if response.status_code != 302 else after - before in (0, 1)


@FUZZ
@given(email=text, password=text, next_url=text)
def test_fuzz_login_and_sign_in_forms_never_cause_a_server_error(client, app, email, password, next_url):
    login = client.post(f"/login?next={next_url}", data={"email": email, "password": password, "next": next_url})
    sign_in = client.post("/account/sign-in", data={"email": email})

    assert login.status_code in (200, 400), login.status_code  # nobody has an account: never a 302
    assert sign_in.status_code in (200, 302, 400)


@pytest.fixture
def submission_link(app, prepcon):
    admin = make_user(is_admin=True)
    slot = next(item.video_message for item in db.session.scalars(
        select(AgendaSession).filter_by(event_id=prepcon.id).order_by(AgendaSession.id))
        if item.video_message is not None and item.video_message.status in video.OPEN_STATUSES)
    token = video.make_submission_link(slot, actor=admin, now=utcnow(), valid_for=timedelta(days=1))
    db.session.commit()
    return f"/submit/{token}"


@FUZZ
@given(video=st.binary(max_size=4096), transcript=st.one_of(st.none(), st.binary(max_size=1024)),
       name=st.sampled_from(["statement.mp4", "statement.mov", "statement.pdf", "s", "a.mp4.exe", "../x.mp4"]),
       link=st.one_of(st.just(""), text))
def test_fuzz_video_upload_of_random_bytes_never_causes_a_server_error(client, submission_link, video, transcript,
                                                                        name, link):
    data = {"video": (io.BytesIO(video), name), "link": link, "confirm": "y"}
    if transcript is not None:
        data["transcript"] = (io.BytesIO(transcript), "transcript.pdf")

    response = client.post(submission_link, data=data, content_type="multipart/form-data")

    assert response.status_code < 500, response.status_code


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4), max_leaves=20)


def _schedule_json(conference):
    return json.dumps({"schedule": {"version": "1", "conference": conference}})


frab_like = st.one_of(
    st.binary(max_size=2048),
    json_values.map(json.dumps),
    st.dictionaries(st.sampled_from(["title", "acronym", "start", "end", "days", "rooms", "time_zone_name",
                                     "daysCount", "tracks"]), json_values, max_size=6).map(_schedule_json),
    st.builds(lambda title, start, day: f"<?xml version='1.0'?><schedule><conference><title>{title}</title>"
                                        f"<start>{start}</start><end>{start}</end><days>1</days></conference>"
                                        f"<day index='1' date='{day}'><room name='A'><event id='x'><date>{day}"
                                        f"</date><start>{start}</start><duration>{start}</duration><title>t</title>"
                                        f"</event></room></day></schedule>",
              st.text("abc<>&;", max_size=8), text.map(lambda s: s.replace("<", "").replace("&", "")),
              st.sampled_from(["2021-10-25", "2021-13-01", "", "x"])),
)


def _assert_clean_exit(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code == 1 and "Error:" in result.output, result.output


@FUZZ
@given(content=frab_like, suffix=st.sampled_from([".xml", ".json", ""]))
def test_fuzz_import_schedule_ends_with_a_message_never_a_traceback(app, tmp_path, content, suffix):
    path = tmp_path / f"schedule{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())

    result = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "fuzzed"])

    _assert_clean_exit(result)


@pytest.fixture(scope="module")
def backup_document(tmp_path_factory):
    """A real export of the PrepCon sample, made once, for the backup import fuzz to mutate."""
    from conftest import make_app

    folder = tmp_path_factory.mktemp("backup")
    source = make_app(folder, f"sqlite:///{folder / 'source.sqlite3'}")
    with source.app_context():
        db.create_all()
        sample.load_sample(now=NOW)
        db.session.commit()
        source.test_cli_runner().invoke(args=["export-event", "prepcon-2021", str(folder / "backup.json")])
        db.engine.dispose()
    return _Document(json.loads((folder / "backup.json").read_text()))


class _Document(dict):
    def __repr__(self) -> str:  # hypothesis prints its arguments on failure; the whole export would be 40 kB
        return "<the PrepCon export>"


def _mutate(document, path: list, value):
    """The document with the value at `path` (keys/indices, taken modulo what exists) replaced."""
    document = json.loads(json.dumps(document))
    node = document
    for step in path[:-1]:
        if isinstance(node, dict) and node:
            node = node[sorted(node)[step % len(node)]]
        elif isinstance(node, list) and node:
            node = node[step % len(node)]
    if isinstance(node, dict) and node:
        node[sorted(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value
    return document


@FUZZ
@given(path=st.lists(st.integers(0, 1000), min_size=1, max_size=5), value=json_values,
       raw=st.one_of(st.none(), st.binary(max_size=512)))
def test_fuzz_import_event_ends_with_a_message_never_a_traceback(app, tmp_path, backup_document, path, value, raw):
    file = tmp_path / "backup.json"
    file.write_bytes(raw if raw is not None else json.dumps(_mutate(backup_document, path, value)).encode())

    result = app.test_cli_runner().invoke(args=["import-event", str(file)])

    _assert_clean_exit(result)
    db.session.rollback()
    if result.exit_code != 0:
        assert db.session.scalar(select(func.count(Event.id))) == 0  # all or nothing
    else:  # a harmless mutation was restored: empty the database for the next example
        for table in reversed(Base.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
