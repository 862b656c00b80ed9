"""scripts/api_round_trip.py: the PrepCon agenda rebuilt through the API alone publishes the sample's exports."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "api_round_trip.py"


def test_the_rebuilt_agenda_exports_what_the_sample_exports(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("api_round_trip", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    status = script.main(["--keep", str(tmp_path)])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[1:] == [
        "agenda.ics: identical once DTSTAMP and LAST-MODIFIED are normalized (22 lines)",
        f"schedule.json: byte-identical ({len((tmp_path / 'sample-schedule.json').read_bytes())} bytes)",
        f"schedule.xml: byte-identical ({len((tmp_path / 'sample-schedule.xml').read_bytes())} bytes)",
    ]
    sample_ics = (tmp_path / "sample-agenda.ics").read_bytes()
    assert sample_ics.count(b"UID:session-") == 11  # the UIDs themselves are compared, not normalized
