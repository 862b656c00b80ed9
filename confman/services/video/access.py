"""Who may fetch video-message files, and the interpreters who read approved transcripts ahead of the sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, EventRole, Role, User, VideoMessage, VideoStatus, VideoSubmission
from confman.services import audit, permissions, users
from confman.services.video.slots import VideoMessageError, current_submission, slot_sessions


class NoSuchAccount(VideoMessageError):
    pass


def transcript_is_released(vm: VideoMessage, now: datetime) -> bool:
    """Interpreters read an approved transcript after the embargo, or before it when the organizers allowed that."""
    if vm.status not in (VideoStatus.APPROVED, VideoStatus.PLAYED) or not vm.transcript_path:
        return False
    return vm.embargo_at is None or now >= vm.embargo_at or vm.interpreters_before_embargo


def may_fetch(user: User, event: Event, submission: VideoSubmission, kind: str, *, now: datetime) -> bool:
    """Organizers and moderators of the event fetch any file of it; interpreters only the released transcript.

    The embargo keeps files from everyone outside the event's staff, so nobody else ever gets them.
    """
    if submission.video_message.session.event_id != event.id:
        return False
    if permissions.can_moderate(user, event):
        return True
    vm = submission.video_message
    return (kind == "transcript" and permissions.has_role(user, event, Role.INTERPRETER)
            and current_submission(vm) is submission and transcript_is_released(vm, now))


@dataclass(frozen=True)
class InterpreterTranscript:
    item: AgendaSession
    video_message: VideoMessage
    submission: VideoSubmission
    is_released: bool


def interpreter_transcripts(event: Event, now: datetime) -> list[InterpreterTranscript]:
    """Approved transcripts of the event in session order, with whether interpreters may read them yet."""
    found = []
    for item in slot_sessions(event):
        vm = item.video_message
        if vm is None or vm.status not in (VideoStatus.APPROVED, VideoStatus.PLAYED) or not vm.transcript_path:
            continue
        found.append(InterpreterTranscript(item, vm, current_submission(vm), transcript_is_released(vm, now)))
    return found


def interpreters(event: Event) -> list[User]:
    return list(db.session.scalars(
        select(User).join(EventRole).where(EventRole.event_id == event.id, EventRole.role == Role.INTERPRETER)
        .order_by(User.email)
    ))


def grant_interpreter(event: Event, email: str, *, actor: User, now: datetime) -> User:
    """Let an existing account read the event's approved transcripts. Raises NoSuchAccount."""
    user = users.find_by_email(email)
    if user is None:
        raise NoSuchAccount(f"There is no account for {email.strip()}. Ask an administrator to create one "
                            "(confman users create EMAIL --role interpreter --event SLUG), then try again.")
    permissions.grant(user, event, Role.INTERPRETER)
    audit.record(event=event, actor=actor, action="interpreter.granted", target_type="user", target_id=user.id,
                 now=now, summary=f"{user.email} may read video-message transcripts")
    return user


def remove_interpreter(event: Event, user_id: int, *, actor: User, now: datetime) -> None:
    role = db.session.scalar(select(EventRole).filter_by(event_id=event.id, user_id=user_id, role=Role.INTERPRETER))
    if role is None:
        return
    email = role.user.email
    role.user.roles.remove(role)  # delete-orphan: the role row goes
    db.session.flush()
    audit.record(event=event, actor=actor, action="interpreter.removed", target_type="user", target_id=user_id,
                 now=now, summary=f"{email} may no longer read video-message transcripts")
