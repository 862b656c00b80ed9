"""Delegates give their language and the interpretation they need; organizers count them per session."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, Registration, RegistrationCategory, RegistrationStatus
from confman.services import sample
from confman.timeutil import utcnow

from conftest import page_text
from factories import make_organizer, make_registration

SLUG = "prepcon-2021"


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=utcnow())
    db.session.commit()
    return db.session.scalar(select(Event).filter_by(slug=SLUG))


def test_registration_form_offers_the_event_languages(client, prepcon):
    prepcon.registration_opens_at, prepcon.registration_closes_at = utcnow() - timedelta(days=1), None
    db.session.commit()

    page = client.get(f"/events/{SLUG}/register?lang=fr").get_data(as_text=True)

    assert 'name="language"' in page and 'name="interpretation_languages"' in page
    assert '<option selected value="fr">' in page or '<option value="fr" selected>' in page


def test_personal_feed_follows_the_registration_language(client, prepcon):
    registration = db.session.scalar(select(Registration).filter_by(event_id=prepcon.id))
    registration.language = "fr"
    db.session.commit()

    french = client.get(f"/calendar/{registration.calendar_token}.ics").get_data(as_text=True)
    english = client.get(f"/calendar/{registration.calendar_token}.ics?lang=en").get_data(as_text=True)

    assert "NAME;LANGUAGE=fr:Mes séances : Conférence préparatoire" in french.replace("\r\n ", "")
    assert "NAME:My sessions: " in english and "Conférence préparatoire" not in english.replace("\r\n ", "")


def test_mail_names_the_event_in_the_registration_language(client, prepcon):
    from confman.services import outbox

    registration = db.session.scalar(select(Registration).filter_by(event_id=prepcon.id))
    registration.language = "fr"

    message = outbox.notify_registration(registration, "confirmation", now=utcnow())

    assert message.subject == "Votre inscription à PrepCon 2021"  # the same short title in French
    assert "Merci de votre inscription à Conférence préparatoire des Nations Unies" in message.body


def test_organizers_count_listeners_per_language_and_session_as_a_table_and_csv(client, login, prepcon):
    training = db.session.scalar(select(AgendaSession).filter_by(title="Training and capacity building"))
    make_registration(prepcon, email="a@example.org", status=RegistrationStatus.APPROVED,
                      interpretation_languages=["fr"])
    picky = make_registration(prepcon, email="b@example.org", status=RegistrationStatus.PENDING, language="fr")
    picky.sessions = [training]
    make_registration(prepcon, email="c@example.org", status=RegistrationStatus.DECLINED,
                      interpretation_languages=["fr"])
    organizer = make_organizer(prepcon, "org2@example.org")
    db.session.commit()
    login(organizer)

    page = page_text(client.get(f"/manage/events/{SLUG}/interpretation"))
    csv_text = client.get(f"/manage/events/{SLUG}/interpretation.csv").get_data(as_text=True)

    rows = {line.split(",")[0]: line.split(",")[-2:] for line in csv_text.splitlines()[1:]}
    assert csv_text.splitlines()[0] == "Session,Starts (UTC),Heard in,en,fr"
    assert rows["Training and capacity building"] == ["0", "2"]  # one listens in French, one prefers it
    assert rows["Health and medical support"] == ["0", "1"]  # the picky one picked only Training
    assert "not interpreted" in page  # French listeners, no French interpretation in the sample


def test_registering_stores_the_language_and_ignores_unknown_ones(client, prepcon):
    from confman.services import registration

    details = registration.Details(name="N. Delegate", email="n@example.org", category=RegistrationCategory.OTHER,
                                   language="xx", interpretation_languages=("fr", "zz"))
    user = sample.users.create_user("n@example.org", password="a-long-password-1", now=utcnow(), name="N")
    reg = registration.register(prepcon, details, user=user, now=utcnow(), check_window=False)

    assert (reg.language, reg.interpretation_languages) == ("", ["fr"])


def test_a_delegate_changes_their_language_and_interpretation_later(client, login, prepcon):
    registration = db.session.scalar(select(Registration).filter_by(event_id=prepcon.id))
    login(registration.user, sample.SAMPLE_PASSWORD)

    page = client.get(f"/account/events/{SLUG}/").get_data(as_text=True)
    saved = client.post(f"/account/events/{SLUG}/details", data={
        "honorific": registration.honorific, "name": registration.name, "title": registration.title, "needs": "",
        "version": registration.version, "language": "fr", "interpretation_languages": ["fr"]})

    assert 'name="language"' in page
    assert saved.status_code == 302
    db.session.refresh(registration)
    assert (registration.language, registration.interpretation_languages) == ("fr", ["fr"])


def test_registering_on_a_french_page_makes_french_the_accounts_language_until_they_choose(client, app):
    """On a one-language event there is no language to pick: the page's language is the new account's, so the
    personal feed and the organizers' later decisions reach the delegate in French too."""
    from registration_helpers import OPEN, form

    from factories import make_event

    event = make_event(slug="one-language", **OPEN)
    db.session.commit()

    response = client.post("/events/one-language/register?lang=fr", data=form("awa@mission.example"),
                           content_type="multipart/form-data")
    registration = db.session.scalar(select(Registration).filter_by(event_id=event.id))
    feed = client.get(f"/calendar/{registration.calendar_token}.ics")

    assert response.status_code == 302
    assert registration.language == "" and registration.user.interface_language == "fr"
    assert feed.headers["Content-Language"] == "fr" and "NAME;LANGUAGE=fr:Mes séances" in feed.get_data(as_text=True)
