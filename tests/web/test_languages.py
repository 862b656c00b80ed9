"""The interface language: where it comes from, how pages declare it, and how shared caches keep languages apart."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import User
from confman.services import sample

from conftest import page_text
from factories import make_user

NOW = datetime(2021, 10, 25, 8, 0, tzinfo=UTC)
EVENT = "/events/prepcon-2021/"


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=NOW)
    db.session.commit()
    return "prepcon-2021"


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_english_by_default_with_lang_and_direction_declared(client, prepcon):
    response = client.get(EVENT)

    assert 'lang="en"' in html_tag(response) and 'dir="ltr"' in html_tag(response)
    assert response.headers["Content-Language"] == "en"
    assert "My account" not in page_text(response) and "Log in" in page_text(response)


def test_lang_in_the_url_translates_and_is_one_shared_copy(client, prepcon):
    response = client.get(EVENT + "?lang=fr")

    assert 'lang="fr"' in html_tag(response)
    assert response.headers["Content-Language"] == "fr"
    assert "Se connecter" in page_text(response) and "Log in" not in page_text(response)
    assert response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response.headers
    assert "accept-language" not in response.headers.get("Vary", "").lower()  # the URL says it all


def test_arabic_pages_are_right_to_left(client, prepcon):
    response = client.get(EVENT + "?lang=ar")

    assert 'lang="ar"' in html_tag(response) and 'dir="rtl"' in html_tag(response)
    assert "تسجيل الدخول" in page_text(response)


def test_accept_language_is_followed_and_declared_in_vary(client, prepcon):
    response = client.get(EVENT, headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})

    assert response.headers["Content-Language"] == "fr"
    assert "Se connecter" in page_text(response)
    assert "Accept-Language" in response.headers["Vary"]
    assert response.headers["Cache-Control"].startswith("public")

    unsupported = client.get(EVENT, headers={"Accept-Language": "de-DE, de;q=0.9"})
    assert unsupported.headers["Content-Language"] == "en"


def test_links_of_a_translated_page_keep_its_language(client, prepcon):
    assert 'href="/events/prepcon-2021/agenda?lang=fr"' in client.get(EVENT + "?lang=fr").get_data(as_text=True)
    assert "/events/prepcon-2021/agenda.ics?lang=fr" in client.get(EVENT + "agenda?lang=fr").get_data(as_text=True)
    assert "?lang=" not in client.get(EVENT + "agenda").get_data(as_text=True)  # English links stay as they were


def test_the_switcher_is_remembered_in_the_session_and_its_pages_are_private(client, prepcon):
    page = client.get(EVENT).get_data(as_text=True)
    link = re.search(r'href="(/language/fr\?next=[^"]+)"', page).group(1).replace("&amp;", "&")

    switched = client.get(link)
    assert switched.status_code == 302 and switched.headers["Location"] == EVENT
    assert "public" not in switched.headers["Cache-Control"]

    response = client.get(EVENT, headers={"Accept-Language": "en"})
    assert response.headers["Content-Language"] == "fr"  # the choice wins over Accept-Language
    assert "Se connecter" in page_text(response)
    assert response.headers["Cache-Control"].startswith("private")  # a copy made from the session is not shared


def test_the_switcher_only_redirects_on_this_site(client, prepcon):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get("/language/fr", query_string={"next": target})
        assert response.headers["Location"] == "/", target
    assert client.get("/language/xx").status_code == 404


def test_a_signed_in_choice_is_kept_on_the_account_for_the_next_sign_in(app, client, login, prepcon):
    user = make_user("delegate@example.org")
    db.session.commit()
    login(user)

    page = client.get(EVENT).get_data(as_text=True)
    assert re.search(r'<form method="post" action="/language/ar"', page)  # a CSRF-checked form when signed in
    client.post("/language/ar", data={"next": EVENT})
    assert db.session.scalar(select(User.interface_language).where(User.id == user.id)) == "ar"

    other_browser = app.test_client()
    other_browser.post("/login", data={"email": user.email, "password": "correct horse battery"})
    response = other_browser.get(EVENT)
    assert response.headers["Content-Language"] == "ar"
    assert 'dir="rtl"' in html_tag(response)


def test_exports_have_an_etag_and_a_content_language_per_language(client, prepcon):
    for url in ("/events/prepcon-2021/agenda.ics", "/events/prepcon-2021/schedule.json",
                "/events/prepcon-2021/changes.atom"):
        english = client.get(url)
        french = client.get(url + "?lang=fr")
        assert english.headers["Content-Language"] == "en" and french.headers["Content-Language"] == "fr", url
        assert english.headers["ETag"] != french.headers["ETag"], url
        assert client.get(url + "?lang=fr", headers={"If-None-Match": french.headers["ETag"]}).status_code == 304
        assert client.get(url, headers={"If-None-Match": french.headers["ETag"]}).status_code == 200
