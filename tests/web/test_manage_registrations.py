"""Organizers' registration pages: the table, decisions, capacity, settings, counts, CSV export and the outbox."""

import csv
import io
from datetime import UTC, datetime

from registration_helpers import messages, registrations

from confman.extensions import db
from confman.models import AuditEntry, RegistrationCategory, RegistrationStatus

from conftest import page_text
from factories import make_event, make_organization, make_organizer, make_registration, make_user

P, A, W, D = (RegistrationStatus.PENDING, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED,
              RegistrationStatus.DECLINED)


def organizer_of(event, login):
    organizer = make_organizer(event)
    db.session.commit()
    return login(organizer)


def test_registrations_table_is_for_the_events_organizers_only(client, login, app):
    event = make_event(slug="prepcon")
    make_registration(event, name="Secret Delegate")
    other_organizer = make_organizer(make_event(slug="other"))
    db.session.commit()

    anonymous = client.get("/manage/events/prepcon/registrations")
    login(other_organizer)
    foreign = client.get("/manage/events/prepcon/registrations")
    foreign_csv = client.get("/manage/events/prepcon/registrations.csv")
    foreign_detail = client.get(f"/manage/events/prepcon/registrations/{registrations(event)[0].id}")

    assert anonymous.status_code == 302
    assert (foreign.status_code, foreign_csv.status_code, foreign_detail.status_code) == (403, 403, 404)


def test_registrations_table_searches_filters_sorts_and_pages(client, login, app):
    event = make_event(slug="prepcon")
    org = make_organization(name="Republic of Rwanda")
    make_registration(event, name="Zoe Rwandan", organization=org, status=A)
    make_registration(event, name="Amir Media", category=RegistrationCategory.MEDIA, organization_name="Daily Star")
    for n in range(60):
        make_registration(event, name=f"Bulk {n:02d}", email=f"bulk{n:02d}@example.org")
    organizer_of(event, login)

    search = page_text(client.get("/manage/events/prepcon/registrations?q=daily+star"))
    by_org = page_text(client.get(f"/manage/events/prepcon/registrations?organization={org.id}"))
    by_category = page_text(client.get("/manage/events/prepcon/registrations?category=media&status=pending"))
    sorted_desc = page_text(client.get("/manage/events/prepcon/registrations?sort=name&order=desc"))
    second_page = page_text(client.get("/manage/events/prepcon/registrations?sort=name&page=2"))
    bad = client.get("/manage/events/prepcon/registrations?status=royal")

    assert "1 registration found" in search and "Amir Media" in search
    assert "Zoe Rwandan" in by_org and "Amir Media" not in by_org
    assert "Amir Media" in by_category and "Bulk" not in by_category
    assert sorted_desc.index("Zoe Rwandan") < sorted_desc.index("Bulk 59") < sorted_desc.index("Bulk 12")
    assert "Amir Media" not in sorted_desc  # last of 62, on page 2
    assert "62 registrations found, page 2 of 2" in second_page and "Zoe Rwandan" in second_page
    assert "Bulk 47" not in second_page  # page 1 holds Amir, Bulk 00..48
    assert bad.status_code == 400


def test_bulk_approve_beyond_capacity_changes_nothing(client, login, app):
    event = make_event(slug="prepcon", capacity=2)
    seated = make_registration(event, status=P)
    waiting = [make_registration(event, status=W) for _ in range(2)]
    organizer_of(event, login)

    response = client.post("/manage/events/prepcon/registrations/bulk", data={
        "action": "approve", "ids": [seated.id] + [w.id for w in waiting]}, follow_redirects=True)

    assert "Not enough free seats: 2 to approve, 1 free" in page_text(response)
    assert [r.status for r in registrations(event)] == [P, W, W]


def test_bulk_approve_and_decline_promotes_the_waiting_list_in_order(client, login, app):
    event = make_event(slug="prepcon", capacity=2)
    first, second = make_registration(event, status=P), make_registration(event, status=P)
    waiting = [make_registration(event, status=W, email=f"w{n}@example.org") for n in range(3)]
    organizer_of(event, login)

    approve = client.post("/manage/events/prepcon/registrations/bulk",
                          data={"action": "approve", "ids": [first.id]}, follow_redirects=True)
    decline = client.post("/manage/events/prepcon/registrations/bulk",
                          data={"action": "decline", "ids": [second.id]}, follow_redirects=True)

    assert "1 registration approved" in page_text(approve)
    assert "1 registration declined" in page_text(decline)
    assert [r.status for r in registrations(event)] == [A, D, P, W, W]
    assert [m.kind for m in messages(to_email=waiting[0].email)] == ["promoted"]
    assert [m.kind for m in messages(to_email=second.email)] == ["declined"]
    assert {e.action for e in db.session.query(AuditEntry)} >= {"registration.approved", "registration.declined",
                                                                "registration.promoted"}


def test_waitlisting_a_seat_holder_gives_the_seat_to_the_next_in_line(client, login, app):
    event = make_event(slug="prepcon", capacity=1, needs_approval=False)
    seated = make_registration(event, status=A)
    next_in_line = make_registration(event, status=W)
    organizer_of(event, login)

    client.post(f"/manage/events/prepcon/registrations/{seated.id}/decide", data={"action": "waitlist"})

    assert [r.status for r in registrations(event)] == [W, A]
    assert [m.kind for m in messages(to_email=next_in_line.email)] == ["promoted"]


def test_bulk_with_a_tampered_id_of_another_event_changes_nothing(client, login, app):
    event = make_event(slug="prepcon")
    mine = make_registration(event, status=P)
    foreign = make_registration(make_event(slug="other"), status=P)
    organizer_of(event, login)

    response = client.post("/manage/events/prepcon/registrations/bulk",
                           data={"action": "approve", "ids": [mine.id, foreign.id]}, follow_redirects=True)

    assert "do not exist here. Nothing was changed." in page_text(response)
    assert registrations(event)[0].status == P and foreign.status == P


def test_settings_set_the_window_in_the_events_zone_and_raising_capacity_promotes(client, login, app):
    event = make_event(slug="prepcon", timezone="Asia/Karachi", capacity=1)
    make_registration(event, status=P)
    promoted = make_registration(event, status=W)
    organizer_of(event, login)
    page = client.get("/manage/events/prepcon/registrations/settings")
    version = page.get_data(as_text=True).split('name="version" type="hidden" value="')[1].split('"')[0]

    response = client.post("/manage/events/prepcon/registrations/settings", data={
        "opens_at": "2021-09-20T09:00", "closes_at": "2021-10-22T17:00", "capacity": "2", "needs_approval": "y",
        "version": version})

    assert response.status_code == 302
    db.session.refresh(event)
    assert event.registration_opens_at == datetime(2021, 9, 20, 4, 0, tzinfo=UTC)  # 09:00 in Karachi (UTC+5)
    assert event.capacity == 2
    assert registrations(event)[1].status == P
    assert [m.kind for m in messages(to_email=promoted.email)] == ["promoted"]


def test_settings_refuse_a_capacity_below_the_seats_taken(client, login, app):
    event = make_event(slug="prepcon", capacity=5)
    for _ in range(3):
        make_registration(event, status=A)
    organizer_of(event, login)

    response = client.post("/manage/events/prepcon/registrations/settings",
                           data={"capacity": "2", "version": str(event.version)})

    assert response.status_code == 400
    assert "3 seats are already taken" in page_text(response)
    db.session.refresh(event)
    assert event.capacity == 5


def test_counts_per_category_status_and_organization(client, login, app):
    event = make_event(slug="prepcon")
    nl, pk = make_organization(name="Netherlands"), make_organization(name="Pakistan")
    make_registration(event, organization=nl, status=A)
    make_registration(event, organization=nl, status=P)
    make_registration(event, organization=pk, status=D, category=RegistrationCategory.OBSERVER)
    organizer_of(event, login)

    text = page_text(client.get("/manage/events/prepcon/registrations/counts"))

    assert "3 registrations" in text and "2 seats taken" in text
    assert "1 organization represented" in text  # Pakistan's only member was declined
    assert "Netherlands 1 1 0 0 0" in text and "Observer 0 0 0 1 0" in text


def test_csv_export_follows_the_filters_and_defuses_formulas(client, login, app):
    event = make_event(slug="prepcon")
    make_registration(event, name="=HYPERLINK(\"http://evil\")", status=A)
    make_registration(event, name="Pending Person", status=P)
    organizer_of(event, login)

    response = client.get("/manage/events/prepcon/registrations.csv?status=approved")

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv"
    assert rows[0][:3] == ["id", "registered_at", "status"]
    assert [row[5] for row in rows[1:]] == ["'=HYPERLINK(\"http://evil\")"]


def test_outbox_lists_messages_without_sign_in_links(client, login, app):
    event = make_event(slug="prepcon", capacity=1)
    reg = make_registration(event, status=P, email="ada@example.org", user=make_user("ada@example.org"))
    organizer_of(event, login)
    client.post(f"/manage/events/prepcon/registrations/{reg.id}/decide", data={"action": "approve"})

    text = page_text(client.get("/manage/events/prepcon/outbox"))

    assert "Your registration for Event" in text and "ada@example.org" in text
    assert "[personal sign-in link]" in text and "/account/sign-in/" not in text
    assert "stored" in text
