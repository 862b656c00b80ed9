"""The public agenda is what was last published: snapshots of the agenda, reading them, and publishing anew.

Organizers edit the live tables; delegates, calendars and exports read the latest `AgendaVersion.snapshot`, so
drafts and unpublished edits stay invisible. A release (`publish_agenda`) snapshots everything; a live amendment
on the day (`amend_published`) replaces only the sessions a moderator touched, so it never publishes an
organizer's unfinished edits by accident.
"""

from confman.services.publication.localized import localized
from confman.services.publication.public import (
    EMPTY_AGENDA,
    PublicAgenda,
    PublicChannel,
    PublicOrganization,
    PublicParticipation,
    PublicSession,
    PublicSpeaker,
    PublicTag,
    PublicTheme,
    PublicVideoMessage,
    public_agenda,
    read_snapshot,
)
from confman.services.publication.publishing import NothingToPublish, amend_published, latest_version, publish_agenda
from confman.services.publication.snapshot import build_snapshot, diff_snapshots, session_json
