"""A speaker's office sends its minister's video through the private link, in a real browser."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from video_samples import make_video

from confman.extensions import db
from confman.models import AgendaSession, User, VideoStatus
from confman.services import sample, video
from confman.timeutil import utcnow

pytestmark = pytest.mark.browser


def test_speaker_office_uploads_a_video_and_sees_it_received(page, live_server, tmp_path):
    with live_server.app.app_context():
        item = db.session.scalar(select(AgendaSession).where(AgendaSession.title.like("%Netherlands")))
        item.video_message.status = VideoStatus.REQUESTED
        organizer = db.session.scalar(select(User).filter_by(email=sample.SAMPLE_ACCOUNTS["organizer"]))
        token = video.make_submission_link(item.video_message, actor=organizer, now=utcnow())
        db.session.commit()
        db.session.remove()
    clip = make_video(tmp_path, "webm", seconds=2)

    page.goto(f"{live_server.url}/submit/{token}")
    assert page.get_by_role("heading", name="Video message for UN Peacekeeping Preparatory Conference",
                            exact=False).is_visible()
    assert page.get_by_text("Waiting for your video").is_visible()
    page.get_by_label("Also show times in").select_option("Europe/Amsterdam")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_text("Your time: Monday 25 October 2021, 14:36 (Europe/Amsterdam, UTC+2)").is_visible()

    page.get_by_label("Video file").set_input_files(str(clip))
    page.get_by_role("button", name="Send the video").click()

    expect(page.get_by_text("Thank you: the video was received.")).to_be_visible()  # sent with a progress bar
    assert page.locator("#video-status").inner_text() == "Received"
    assert page.get_by_text("It is 0:02 long").is_visible()


def test_speaker_office_sees_upload_progress_on_a_slow_connection(page, live_server, tmp_path):
    with live_server.app.app_context():
        item = db.session.scalar(select(AgendaSession).where(AgendaSession.title.like("%Netherlands")))
        item.video_message.status = VideoStatus.REQUESTED
        organizer = db.session.scalar(select(User).filter_by(email=sample.SAMPLE_ACCOUNTS["organizer"]))
        token = video.make_submission_link(item.video_message, actor=organizer, now=utcnow())
        db.session.commit()
        db.session.remove()
    clip = make_video(tmp_path, "webm", seconds=2)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    page.goto(f"{live_server.url}/submit/{token}")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 50,
                                                   "downloadThroughput": -1,
                                                   "uploadThroughput": max(clip.stat().st_size // 3, 2048)})

    page.get_by_label("Video file").set_input_files(str(clip))
    page.get_by_role("button", name="Send the video").click()

    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_role("button", name="Send the video")).to_be_disabled()
    expect(page.get_by_text("Thank you: the video was received.")).to_be_visible(timeout=20_000)
    assert page.locator("#video-status").inner_text() == "Received"
