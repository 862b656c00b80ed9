"""Events made for exports: one whose days straddle the end of daylight saving, one in a zone without DST."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from confman.extensions import db
from confman.models import ParticipationRole, SessionKind, VideoMessage

from export_support import publish, utc
from factories import (
    make_channel,
    make_co_host,
    make_event,
    make_organization,
    make_participation,
    make_session,
    make_speaker,
    make_theme,
)


@pytest.fixture
def dst_event(app):
    """Europe/Amsterdam, 30-31 October 2021: clocks go back from 03:00 CEST to 02:00 CET on Sunday 31."""
    event = make_event(slug="autumn-meeting", title="Autumn meeting; 2021, Amsterdam", starts_on=date(2021, 10, 30),
                       ends_on=date(2021, 10, 31), timezone="Europe/Amsterdam", venue="Virtual",
                       joining_link="https://meet.example.org/secret-room")
    make_co_host(event, make_organization(name="Kingdom of the Netherlands", short_name="Netherlands",
                                          country_code="NL"))
    make_co_host(event, make_organization(name="Islamic Republic of Pakistan", short_name="Pakistan",
                                          country_code="PK"), position=1)
    safety = make_theme(event, slug="safety", name="Safety and Security", colour="#1f4e79")
    protection = make_theme(event, slug="protection", name="Protection", colour="#7a3b00", position=1)
    plenary = make_channel(event, slug="plenary", name="Plenary")
    side = make_channel(event, slug="side-room", name="Side room", position=1)
    minister = make_speaker(event, honorific="H.E.", name="Ada Lovelace", title="Minister for Foreign Affairs",
                            organization=make_organization(name="Kingdom of Testland"))
    expert = make_speaker(event, honorific="Dr.", name="Grace Hopper", title="Senior Adviser, Training")
    opening = make_session(event, title="Opening, with \"quotes\"; and a semicolon", kind=SessionKind.OPENING,
                           theme=safety, channel=plenary, starts_at=utc(2021, 10, 30, 8, 0),
                           duration=timedelta(minutes=60), description="Welcome.\nSecond line, with comma.")
    make_participation(opening, minister, role=ParticipationRole.CHAIR)
    make_participation(opening, expert, role=ParticipationRole.SPEAKER)
    # 02:30 happens twice on Sunday: first in CEST (00:30Z), then again in CET (01:30Z).
    make_session(event, title="Night session before the change", theme=protection, channel=side,
                 starts_at=utc(2021, 10, 31, 0, 30), duration=timedelta(minutes=30))
    make_session(event, title="Night session after the change", theme=protection, channel=side,
                 starts_at=utc(2021, 10, 31, 1, 30), duration=timedelta(minutes=30))
    video = make_session(event, title="Video message from the Minister", kind=SessionKind.VIDEO_MESSAGE,
                         channel=plenary, starts_at=utc(2021, 10, 31, 9, 0), duration=timedelta(minutes=6))
    video.video_message = VideoMessage(speaker=minister, allowed_length=timedelta(minutes=5))
    panel = make_session(event, title="Panel on training", kind=SessionKind.PANEL, theme=safety, channel=plenary,
                         starts_at=utc(2021, 10, 31, 9, 15), duration=timedelta(minutes=90))
    make_participation(panel, expert, role=ParticipationRole.PANELIST)
    db.session.flush()
    publish(event)
    return event


@pytest.fixture
def karachi_event(app):
    """Asia/Karachi has had no daylight saving since 2009: UTC+5 all year."""
    event = make_event(slug="karachi-dialogue", title="Karachi dialogue", starts_on=date(2021, 10, 25),
                       ends_on=date(2021, 10, 26), timezone="Asia/Karachi")
    channel = make_channel(event, slug="main", name="Main hall")
    make_session(event, title="Morning plenary: Q&A <live> & “quotes”", channel=channel,
                 starts_at=utc(2021, 10, 25, 4, 0), duration=timedelta(minutes=90))
    make_session(event, title="Late session", channel=channel, starts_at=utc(2021, 10, 25, 18, 30),
                 duration=timedelta(minutes=60))  # 23:30 local, ending after midnight
    make_session(event, title="Day two opening", channel=channel, starts_at=utc(2021, 10, 26, 4, 0),
                 duration=timedelta(minutes=45))
    db.session.flush()
    publish(event)
    return event
