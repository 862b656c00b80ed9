"""Organizers set up events through the forms: settings, cloning, co-hosts and logos, themes, speakers."""

import io
from datetime import UTC, date, datetime

import pytest
from image_samples import real_png
from sqlalchemy import select

from confman.extensions import db
from confman.models import AuditEntry, Event, Organization, Speaker, Theme

from conftest import page_text
from factories import make_co_host, make_event, make_organization, make_organizer, make_user

PNG = real_png()


@pytest.fixture
def organizer(app):
    event = make_event(slug="prepcon", timezone="America/New_York")
    user = make_organizer(event, "org@example.org")
    db.session.commit()
    return user


def _event_form(**overrides):
    data = {"title": "Seoul Ministerial", "short_title": "", "slug": "seoul-2021", "starts_on": "2021-12-07",
            "ends_on": "2021-12-08", "timezone": "Asia/Seoul", "format": "hybrid", "venue": "Seoul",
            "joining_link": "", "description": "", "status": "draft", "parent_id": "None",
            "registration_opens_at": "2021-11-01T09:00", "registration_closes_at": "2021-12-01T18:00",
            "capacity": "300", "needs_approval": "y"}
    data.update(overrides)
    return data


def test_event_new_creates_a_draft_with_registration_times_in_its_zone(client, login, organizer):
    login(organizer)

    response = client.post("/manage/events/new", data=_event_form())

    event = db.session.scalars(select(Event).filter_by(slug="seoul-2021")).one()
    assert response.status_code == 302
    assert event.registration_opens_at == datetime(2021, 11, 1, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    assert client.get("/events/seoul-2021/").status_code == 200  # its organizer sees the draft
    assert client.get("/manage/events/seoul-2021/").status_code == 200


@pytest.mark.parametrize(("override", "message"), [
    ({"slug": "prepcon"}, "Another event already uses the address “prepcon”."),
    ({"slug": "Seoul 2021"}, "Use lower-case letters, digits and single hyphens"),
    ({"timezone": "Asia/Atlantis"}, "“Asia/Atlantis” is not an IANA time zone"),
    ({"ends_on": "2021-12-06"}, "The last day cannot be before the first day."),
    ({"title": ""}, "This field is required."),
    ({"registration_closes_at": "2021-10-01T09:00"}, "Registration must close after it opens."),
    ({"joining_link": "javascript:alert(1)"}, "Enter a full web address starting with https://."),
])
def test_event_new_refuses_bad_input_next_to_the_field(client, login, organizer, override, message):
    login(organizer)

    response = client.post("/manage/events/new", data=_event_form(**override))

    assert response.status_code == 200
    assert message in page_text(response)
    assert db.session.scalars(select(Event).filter_by(title="Seoul Ministerial")).all() == []


def test_event_edit_saves_and_logs_the_change(client, login, organizer):
    login(organizer)
    form = _event_form(slug="prepcon", title="PrepCon 2021", timezone="America/New_York", status="published",
                       starts_on="2021-10-25", ends_on="2021-10-26", version="1")

    client.post("/manage/events/prepcon/edit", data=form)
    stale = client.post("/manage/events/prepcon/edit", data={**form, "title": "Stale", "version": "1"})

    event = db.session.scalars(select(Event).filter_by(slug="prepcon")).one()
    assert event.title == "PrepCon 2021"
    assert "Someone else saved this event while you were editing it" in page_text(stale)
    assert "event.updated" in db.session.scalars(select(AuditEntry.action)).all()


def test_event_clone_creates_the_next_edition(client, login, organizer):
    login(organizer)

    response = client.post("/manage/events/prepcon/clone",
                           data={"title": "PrepCon 2022", "slug": "prepcon-2022", "starts_on": "2022-10-24"})
    clash = client.post("/manage/events/prepcon/clone",
                        data={"title": "PrepCon 2022", "slug": "prepcon-2022", "starts_on": "2022-10-24"})

    clone = db.session.scalars(select(Event).filter_by(slug="prepcon-2022")).one()
    assert response.status_code == 302
    assert (clone.starts_on, clone.ends_on) == (date(2022, 10, 24), date(2022, 10, 25))
    assert "Another event already uses the address “prepcon-2022”." in page_text(clash)


def _multipart(name: str, filename: str, content: bytes) -> bytes:
    """A body built by hand: the test client spools large generated bodies to a file it never closes."""
    return (f'--xyzzy\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: image/png\r\n\r\n").encode() + content + b"\r\n--xyzzy--\r\n"


def test_co_host_logo_accepts_images_and_refuses_other_files(app, client, login, organizer):
    event = db.session.scalars(select(Event).filter_by(slug="prepcon")).one()
    host = make_co_host(event, make_organization(name="Kingdom of the Netherlands"))
    db.session.commit()
    login(organizer)
    url = f"/manage/events/prepcon/co-hosts/{host.id}/logo"

    script = client.post(url, data={"logo": (io.BytesIO(b"<svg onload=alert(1)>"), "logo.png")})
    huge = client.post(url, data=_multipart("logo", "logo.png", PNG + b"\x00" * (3 * 1024 * 1024)),
                       content_type="multipart/form-data; boundary=xyzzy")
    wrong_name = client.post(url, data={"logo": (io.BytesIO(PNG), "logo.exe")})
    good = client.post(url, data={"logo": (io.BytesIO(PNG), "logo.png")})

    org = db.session.get(Organization, host.organization_id)
    db.session.refresh(org)
    assert "This is not a PNG, JPEG or WebP image." in page_text(script)
    assert "The image must be 2 MB or smaller." in page_text(huge)
    assert "Upload a PNG, JPEG or WebP image." in page_text(wrong_name)
    assert good.status_code == 302
    with client.get(f"/media/{org.logo_path}") as served:
        assert served.data.startswith(b"\x89PNG") and served.headers["X-Content-Type-Options"] == "nosniff"
    assert "Kingdom of the Netherlands" in page_text(client.get("/events/prepcon/"))


def test_co_hosts_are_added_reordered_and_removed(client, login, organizer):
    first = make_organization(name="Pakistan")
    second = make_organization(name="Netherlands")
    db.session.commit()
    login(organizer)

    client.post("/manage/events/prepcon/co-hosts/add", data={"organization_id": first.id, "role": "co_host"})
    client.post("/manage/events/prepcon/co-hosts/add", data={"organization_id": second.id, "role": "co_host"})
    twice = client.post("/manage/events/prepcon/co-hosts/add", data={"organization_id": second.id, "role": "host"})
    event = db.session.scalars(select(Event).filter_by(slug="prepcon")).one()
    last = event.co_hosts[-1]
    client.post(f"/manage/events/prepcon/co-hosts/{last.id}/move/up")

    db.session.expire_all()
    assert [h.organization.name for h in event.co_hosts] == ["Netherlands", "Pakistan"]
    assert twice.status_code == 400


def test_organization_new_refuses_a_known_name_and_a_bad_country_code(client, login, organizer):
    make_organization(name="Uruguay")
    db.session.commit()
    login(organizer)

    known = client.post("/manage/events/prepcon/organizations/new",
                        data={"name": "uruguay", "kind": "member_state", "country_code": ""})
    bad = client.post("/manage/events/prepcon/organizations/new",
                      data={"name": "Chile", "kind": "member_state", "country_code": "1x"})

    assert "“uruguay” is already known" in page_text(known)
    assert "A country code is two letters" in page_text(bad)


def test_themes_are_added_with_colour_and_pattern(client, login, organizer):
    login(organizer)

    client.post("/manage/events/prepcon/themes/", data={"name": "Protection", "colour": "#7A3B00",
                                                         "pattern": "striped"})
    bad = client.post("/manage/events/prepcon/themes/", data={"name": "Other", "colour": "red", "pattern": "solid"})

    theme = db.session.scalars(select(Theme)).one()
    assert (theme.slug, theme.colour, theme.pattern) == ("protection", "#7a3b00", "striped")
    assert bad.status_code == 400 and "Use a colour like #1f4e79." in page_text(bad)


def test_speaker_new_with_photo_and_private_email(client, login, organizer):
    login(organizer)

    response = client.post("/manage/events/prepcon/speakers/new", data={
        "honorific": "H.E. Mr.", "name": "Ben Knapen", "title": "Minister for Foreign Affairs",
        "protocol_rank": "minister", "organization_id": "None", "bio": "", "email": "Office@Example.org",
        "photo": (io.BytesIO(PNG), "photo.png")})
    listing = page_text(client.get("/manage/events/prepcon/speakers/"))

    speaker = db.session.scalars(select(Speaker)).one()
    assert response.status_code == 302
    assert speaker.email == "office@example.org" and speaker.photo_path.startswith("public/photos/")
    assert "H.E. Mr. Ben Knapen" in listing and "Minister" in listing


def test_speaker_new_refuses_a_bad_email_and_a_missing_name(client, login, organizer):
    login(organizer)

    response = client.post("/manage/events/prepcon/speakers/new", data={
        "name": "", "protocol_rank": "other", "organization_id": "None", "email": "not-an-address"})

    assert "A speaker needs a name." in page_text(response)
    assert "Enter a valid email address." in page_text(response)
    assert db.session.scalars(select(Speaker)).all() == []


def test_dashboard_links_to_everything_an_organizer_does(client, login, organizer):
    login(organizer)

    text = page_text(client.get("/manage/events/prepcon/"))

    for link in ("Timetable", "Sessions", "Speakers", "Themes", "Co-hosts and organizations", "Problems",
                 "Audit log", "Event settings", "Clone for the next edition", "its agenda has not been published"):
        assert link in text


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_session_form_without_its_token_changes_nothing(self, client, app):
        event = make_event(slug="prepcon")
        user = make_organizer(event, "csrf@example.org")
        db.session.commit()
        login_page = client.get("/login").get_data(as_text=True)
        token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/login", data={"email": user.email, "password": "correct horse battery", "csrf_token": token})
        form_page = client.get("/manage/events/prepcon/themes/").get_data(as_text=True)
        token = form_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]

        refused = client.post("/manage/events/prepcon/themes/", data={"name": "Forged", "colour": "#000000",
                                                                      "pattern": "solid"})
        accepted = client.post("/manage/events/prepcon/themes/", data={"name": "Real", "colour": "#000000",
                                                                       "pattern": "solid", "csrf_token": token})

        assert refused.status_code == 400
        assert accepted.status_code == 302
        assert db.session.scalars(select(Theme.name)).all() == ["Real"]


def test_non_organizer_cannot_create_events(client, login, app):
    user = make_user()
    db.session.commit()
    login(user)

    assert client.post("/manage/events/new", data=_event_form()).status_code == 403


def test_published_speaker_photo_shows_on_the_public_speaker_page(client, login, organizer):
    from confman.services import publication

    from factories import NOW, make_participation, make_session

    login(organizer)
    client.post("/manage/events/prepcon/speakers/new", data={
        "name": "Ben Knapen", "protocol_rank": "minister", "organization_id": "None",
        "photo": (io.BytesIO(PNG), "photo.png")})
    speaker = db.session.scalars(select(Speaker)).one()
    event = db.session.scalars(select(Event).filter_by(slug="prepcon")).one()
    make_participation(make_session(event), speaker)
    publication.publish_agenda(event, actor=None, now=NOW)
    db.session.commit()

    html = client.get(f"/events/prepcon/speakers/{speaker.id}").get_data(as_text=True)

    assert f'src="/media/{speaker.photo_path}"' in html
    assert 'alt="Photo of Ben Knapen"' in html


def test_speaker_edit_and_delete(client, login, organizer):
    from factories import make_speaker

    event = db.session.scalars(select(Event).filter_by(slug="prepcon")).one()
    speaker = make_speaker(event, name="Ada")
    db.session.commit()
    login(organizer)

    client.post(f"/manage/events/prepcon/speakers/{speaker.id}", data={
        "honorific": "Dr.", "name": "Ada Lovelace", "protocol_rank": "other", "organization_id": "None"})
    renamed = db.session.scalars(select(Speaker.name)).one()
    client.post(f"/manage/events/prepcon/speakers/{speaker.id}/delete")

    assert renamed == "Ada Lovelace"
    assert db.session.scalars(select(Speaker)).all() == []


def test_channels_are_renamed_and_removed(client, login, organizer):
    from confman.models import Channel

    login(organizer)
    client.post("/manage/events/prepcon/channels/", data={"name": "Plenary"})
    channel = db.session.scalars(select(Channel)).one()

    client.post(f"/manage/events/prepcon/channels/{channel.id}", data={"name": "Main hall"})
    db.session.expire_all()
    renamed = db.session.get(Channel, channel.id)
    name_slug = (renamed.name, renamed.slug)
    client.post(f"/manage/events/prepcon/channels/{channel.id}/delete")

    assert name_slug == ("Main hall", "main-hall")
    assert db.session.scalars(select(Channel)).all() == []
