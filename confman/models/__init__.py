"""The domain of DESIGN.md as SQLAlchemy models; importing this package registers every table."""

from confman.models.agenda import (
    AgendaSession,
    Participation,
    ParticipationRole,
    ProtocolRank,
    SessionKind,
    SessionStatus,
    Speaker,
    session_tag,
)
from confman.models.api import ApiToken, IdempotentRequest, TokenScope
from confman.models.audit import AuditEntry
from confman.models.base import Base, UTCDateTime
from confman.models.events import (
    AgendaVersion,
    AgendaVersionKind,
    Channel,
    Event,
    EventFormat,
    EventStatus,
    Tag,
    Theme,
)
from confman.models.floor import (
    Inscription,
    InscriptionStatus,
    SessionRoom,
    SpeakersList,
    Statement,
    inscription_delegation,
)
from confman.models.jobs import Job, JobStatus
from confman.models.live import LiveAction, LiveState, Webhook, WebhookDelivery, WebhookDeliveryStatus
from confman.models.orgs import CoHost, CoHostRole, Delegation, Organization, OrganizationKind, OverQuotaPolicy
from confman.models.registrations import (
    OutboxMessage,
    OutboxStatus,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
    registration_session,
)
from confman.models.users import EventRole, Role, User
from confman.models.video import SubmissionOutcome, VideoMessage, VideoStatus, VideoSubmission

__all__ = [
    "AgendaSession", "AgendaVersion", "AgendaVersionKind", "AuditEntry", "Base", "Channel", "CoHost", "CoHostRole",
    "Delegation", "Event", "EventFormat", "EventRole", "EventStatus", "Job", "JobStatus", "Organization",
    "OrganizationKind",
    "OutboxMessage", "OutboxStatus", "OverQuotaPolicy", "Participation", "ParticipationRole", "ProtocolRank",
    "Registration", "RegistrationCategory", "RegistrationStatus", "Role", "SessionKind", "SessionStatus", "Speaker",
    "Tag", "Theme", "UTCDateTime", "User", "VideoMessage", "VideoStatus", "registration_session", "session_tag",
    "SubmissionOutcome", "VideoSubmission",
    "Inscription", "InscriptionStatus", "SessionRoom", "SpeakersList", "Statement", "inscription_delegation",
    "LiveAction", "LiveState", "Webhook", "WebhookDelivery", "WebhookDeliveryStatus",
    "ApiToken", "IdempotentRequest", "TokenScope",
]
