"""Health, static caching and compression: what a load balancer and a browser rely on."""

import re

from conftest import make_app


def test_healthz_reports_a_working_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_unreachable_database_gives_503_pages_and_an_unhealthy_healthz(tmp_path):
    app = make_app(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    client = app.test_client()

    health = client.get("/healthz")
    page = client.get("/")

    assert health.status_code == 503
    assert health.json["database"] == "unreachable"
    assert page.status_code == 503
    assert "The database cannot be reached" in page.get_data(as_text=True)


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)

    with client.get(url) as fingerprinted, client.get("/static/css/app.css?v=000000000000") as stale:
        pass

    assert fingerprinted.status_code == 200
    assert "max-age=31536000" in fingerprinted.headers["Cache-Control"]
    assert "immutable" in fingerprinted.headers["Cache-Control"]
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_pages_are_compressed_for_clients_that_accept_it(client):
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "br, gzip"}) as response:
        pass

    assert response.headers["Content-Encoding"] == "br"
