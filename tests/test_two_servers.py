"""Two app servers (gunicorn) and a `confman worker`, as separate processes on their own ports, sharing only
PostgreSQL, Redis and an S3 endpoint (moto's server): what one server does, the other sees. The checks live in
scripts/two_servers.py, which an operator runs by hand; here each is a test over one running cluster."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "two_servers", Path(__file__).resolve().parents[1] / "scripts" / "two_servers.py")
two_servers = sys.modules["two_servers"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(two_servers)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster():
    try:
        with two_servers.cluster() as running:
            yield running
    except two_servers.Unavailable as exc:
        pytest.skip(f"the two-server check needs PostgreSQL and Redis: {exc}")


def test_two_servers_upload_through_a_is_downloadable_through_b(cluster):
    evidence = two_servers.check_upload(cluster)

    assert "signed URL" in evidence


def test_two_servers_live_action_on_a_shows_in_b_live_json(cluster):
    evidence = two_servers.check_live(cluster)

    assert "after the action on A" in evidence


def test_two_servers_publishing_on_a_changes_the_agenda_etag_on_b(cluster):
    evidence = two_servers.check_etag(cluster)

    assert "after publishing on A" in evidence


def test_two_servers_registration_burst_over_both_oversells_nothing(cluster):
    evidence = two_servers.check_burst(cluster)

    assert f"{two_servers.CAPACITY} approved, {two_servers.BURST - two_servers.CAPACITY} waitlisted" in evidence


def test_two_servers_killed_worker_loses_no_message(cluster):
    evidence = two_servers.check_worker(cluster)

    assert "exactly once" in evidence
