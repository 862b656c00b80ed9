"""Error pages: the site's own page, the right status, and never a stack trace or the exception's text."""

import pytest

from confman.extensions import db
from confman.services import sample
from confman.timeutil import utcnow

from conftest import page_text
from factories import make_user

SECRET = "KaboomSecretDetail"


def _assert_styled_without_trace(response, status, heading):
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert '<main id="main"' in html and 'class="site-footer"' in html  # the site's layout, not a bare page
    assert f"<h1>{heading}</h1>" in html
    assert f"Error {status}." in page_text(response)
    for leak in ("Traceback", 'File "', "werkzeug", SECRET):
        assert leak not in html


def test_error_pages_404_is_styled(client):
    response = client.get("/events/no-such-event/")

    _assert_styled_without_trace(response, 404, "Page not found")


def test_error_pages_403_is_styled(client, login):
    user = make_user()
    db.session.commit()
    login(user)

    response = client.post("/manage/events/new", data={})

    _assert_styled_without_trace(response, 403, "You do not have access to this page")


def test_error_pages_405_is_styled(client):
    response = client.delete("/")

    _assert_styled_without_trace(response, 405, "This action is not allowed here")


@pytest.fixture
def failing_agenda(app, monkeypatch):
    from confman.services import publication

    sample.load_sample(now=utcnow())
    db.session.commit()
    app.config["PROPAGATE_EXCEPTIONS"] = False  # serve the 500 page as production does, not raise into the test

    def broken(event):
        raise RuntimeError(SECRET)

    monkeypatch.setattr(publication, "public_agenda", broken)


def test_error_pages_500_is_styled_and_hides_the_exception(client, failing_agenda):
    response = client.get("/events/prepcon-2021/agenda")

    _assert_styled_without_trace(response, 500, "Something went wrong on our side")
    assert "Nothing was saved" in page_text(response)
