"""Finding 12 of issue 19: logo and photo uploads (script-bearing SVG, polyglots, huge canvases) and the signed
object-storage URLs (scope and lifetime), which the first pass had not tried."""

from __future__ import annotations

import io
import time
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from image_samples import real_jpeg, real_png
from sqlalchemy import select
from test_storage import s3_endpoint  # noqa: F401 (fixture)

from confman.extensions import db
from confman.models import Organization, Speaker
from confman.storage import storage_from_config

from conftest import page_text
from factories import make_co_host, make_event, make_organization, make_organizer


@pytest.fixture
def logo_url(app, login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    host = make_co_host(event, make_organization(name="Kingdom of the Netherlands"))
    db.session.commit()
    login(organizer)
    return f"/manage/events/prepcon/co-hosts/{host.id}/logo", host.organization_id


def stored_logo(org_id):
    org = db.session.get(Organization, org_id)
    db.session.refresh(org)
    return org.logo_path


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.mark.parametrize(("content", "filename", "words"), [
    (SVG, "logo.svg", "Upload a PNG, JPEG or WebP image."),
    (SVG, "logo.png", "This is not a PNG, JPEG or WebP image."),
    (b"\x89PNG\r\n\x1a\n" + SVG, "logo.png", "This image could not be read"),
    (b"\x89PNG\r\n\x1a\n" + real_jpeg()[8:], "logo.png", "This image could not be read"),
    (real_png((5000, 5000), mode="1"), "logo.png", "The image is 5000 × 5000 pixels"),
    (real_png((20000, 20000), mode="1"), "logo.png", "This image could not be read"),
])
def test_finding_12_a_logo_that_is_not_a_plain_image_is_refused(client, logo_url, content, filename, words):
    url, org_id = logo_url

    response = client.post(url, data={"logo": (io.BytesIO(content), filename)})

    assert response.status_code in (200, 400)
    assert words in page_text(response)
    assert stored_logo(org_id) is None


def test_finding_12_a_polyglot_logo_is_stored_without_what_rode_along(client, logo_url):
    url, org_id = logo_url
    polyglot = real_png() + b"<html><script>alert(document.cookie)</script></html>PK\x03\x04"

    response = client.post(url, data={"logo": (io.BytesIO(polyglot), "logo.png")})
    with client.get(f"/media/{stored_logo(org_id)}") as served:
        body, headers = served.data, served.headers

    assert response.status_code == 302
    assert body.startswith(b"\x89PNG") and b"<script" not in body and b"PK\x03\x04" not in body
    assert headers["Content-Type"] == "image/png"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_finding_12_a_speaker_photo_with_a_huge_canvas_is_refused(client, logo_url):
    response = client.post("/manage/events/prepcon/speakers/new", data={
        "name": "Ben Knapen", "protocol_rank": "minister", "organization_id": "None",
        "photo": (io.BytesIO(real_png((6000, 100), mode="1")), "photo.png")})

    assert "The image is 6000 × 100 pixels" in page_text(response)
    assert db.session.scalars(select(Speaker)).all() == []


def test_finding_12_a_signed_storage_url_names_one_file_and_lasts_minutes(s3_endpoint):  # noqa: F811
    storage = storage_from_config({"S3_BUCKET": "confman-signed", "S3_ENDPOINT_URL": s3_endpoint,
                                   "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test"})  # as the app makes it
    storage.client.create_bucket(Bucket="confman-signed")
    storage.save("videos/1/statement.mp4", b"the statement")
    storage.save("videos/2/other.mp4", b"someone else's statement")

    url = storage.signed_url("videos/1/statement.mp4", expires_in=300, filename="statement.mp4",
                             content_type="video/mp4")
    with urllib.request.urlopen(url) as response:
        fetched, disposition = response.read(), response.headers["Content-Disposition"]
    parts = urlsplit(url)
    query = parse_qs(parts.query)

    # moto does not check signatures, so the scope is read from the URL: one object, signed (SigV4) for minutes.
    assert fetched == b"the statement"
    assert "statement.mp4" in disposition
    assert parts.path == "/confman-signed/videos/1/statement.mp4"
    if "X-Amz-Expires" in query:  # SigV4
        assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    else:  # SigV2: an absolute expiry
        assert 0 < int(query["Expires"][0]) - time.time() <= 300 and query["Signature"]
