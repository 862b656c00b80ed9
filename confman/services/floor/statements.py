"""Written statements: a delegation's PDF, DOCX or ODT per language, private until delivered or its embargo.

A statement is public when it is not withdrawn and either its embargo has passed (when the delegation set one:
then not before it, delivered or not) or, without an embargo, once its intervention is marked delivered.
Interpreters, moderators and organizers read every statement that is not withdrawn at once.
Files are checked by their bytes (not their names) and kept in private storage under a random key.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.models import Event, Inscription, InscriptionStatus, Statement, User
from confman.services import N_, audit, permissions
from confman.services.floor.inscriptions import NotAllowed
from confman.services.floor.lists import FloorError, may_manage, speaks_for
from confman.storage import BadKey, FileStorage, StorageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FOLDER = "statements"
TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class StatementRefused(FloorError):
    pass


def document_kind(data: bytes) -> str:
    """'pdf', 'docx' or 'odt' judging by the content. Raises StatementRefused for anything else."""
    if data[:1024].find(b"%PDF-") != -1 and b"%%EOF" in data[-2048:]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                # OpenDocument stores its type uncompressed, first; Word files have their main part.
                if "mimetype" in names and archive.read("mimetype").strip() == TYPES["odt"].encode():
                    return "odt"
                if "word/document.xml" in names and "[Content_Types].xml" in names:
                    return "docx"
        except (zipfile.BadZipFile, KeyError, ValueError):
            pass
    raise StatementRefused(N_("The file is not a PDF, Word (DOCX) or OpenDocument text (ODT) document, judging by "
                              "its content."))


def may_file(user: User | None, inscription: Inscription) -> bool:
    return may_manage(user, inscription.speakers_list.session.event) or speaks_for(
        user, inscription.delegation, inscription.speakers_list)


def file_statement(inscription: Inscription, *, language: str, filename: str, data: bytes,
                   embargo_at: datetime | None, actor: User, now: datetime, storage: FileStorage,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> Statement:
    """Store the statement in `language`, replacing an earlier file in that language. Raises NotAllowed,
    StatementRefused (before anything is stored), StorageError. Flushes; audit-logged."""
    if not may_file(actor, inscription):
        raise NotAllowed(N_("Only the delegation's focal point may file its statement."))
    if inscription.status == InscriptionStatus.WITHDRAWN:
        raise StatementRefused(N_("This inscription was withdrawn: there is no intervention to file a statement for."))
    language = language.strip()
    if not _LANGUAGE.match(language):
        raise StatementRefused(N_("Choose the language of the statement."))
    if not data:
        raise StatementRefused(N_("The file is empty."))
    if len(data) > max_bytes:
        raise StatementRefused(N_("The file is larger than the limit of %(size)s MB."),
                               size=max_bytes // (1024 * 1024) or 1)
    kind = document_kind(data)
    name = (filename or "").replace("\\", "/").rpartition("/")[2].strip()[:200] or f"statement.{kind}"
    key = f"{FOLDER}/{inscription.event_id}/{secrets.token_hex(16)}.{kind}"
    stored = storage.save(key, data)
    statement = db.session.scalar(select(Statement).filter_by(inscription_id=inscription.id, language=language))
    before = _describe(statement) if statement is not None else None
    old_key = statement.file_path if statement is not None else None
    if statement is None:
        statement = Statement(event_id=inscription.event_id, inscription=inscription, language=language)
        db.session.add(statement)
    statement.file_path, statement.file_name, statement.content_type = key, name, TYPES[kind]
    statement.file_size, statement.checksum = stored.size, hashlib.sha256(data).hexdigest()
    statement.embargo_at, statement.uploaded_at, statement.uploaded_by_id = embargo_at, now, actor.id
    statement.withdrawn_at, statement.withdrawn_reason, statement.withdrawn_by_id = None, "", None
    db.session.flush()
    audit.record(event=inscription.speakers_list.session.event, actor=actor, action="floor.statement_filed",
                 target_type="statement", target_id=statement.id, now=now,
                 summary=f"Statement of {inscription.delegation.organization.name} ({language}, {name})",
                 before=before, after=_describe(statement))
    if old_key and old_key != key:
        storage.delete(old_key)
    return statement


def withdraw_statement(statement: Statement, reason: str, *, actor: User, now: datetime) -> Statement:
    """An organizer takes a statement down, saying why. Raises NotAllowed, StatementRefused."""
    event = statement.inscription.speakers_list.session.event
    if not may_manage(actor, event):
        raise NotAllowed(N_("Only the event's organizers may withdraw a statement."))
    if not reason.strip():
        raise StatementRefused(N_("Give the reason for withdrawing the statement: it is kept in the audit log."))
    before = _describe(statement)
    statement.withdrawn_at, statement.withdrawn_reason, statement.withdrawn_by_id = now, reason.strip(), actor.id
    db.session.flush()
    audit.record(event=event, actor=actor, action="floor.statement_withdrawn", target_type="statement",
                 target_id=statement.id, now=now, summary=f"Withdrew a statement: {reason.strip()}",
                 before=before, after=_describe(statement))
    return statement


def _describe(statement: Statement) -> dict:
    return {"language": statement.language, "file_name": statement.file_name, "file_size": statement.file_size,
            "checksum": statement.checksum, "embargo_at": statement.embargo_at,
            "withdrawn_reason": statement.withdrawn_reason}


def is_public(statement: Statement, now: datetime) -> bool:
    if statement.withdrawn_at is not None:
        return False
    if statement.embargo_at is not None:
        return statement.embargo_at <= now
    return statement.inscription.status == InscriptionStatus.DELIVERED


def may_read(user: User | None, statement: Statement, now: datetime) -> bool:
    if is_public(statement, now):
        return True
    if statement.withdrawn_at is not None:
        return may_manage(user, statement.inscription.speakers_list.session.event)
    return permissions.can_interpret(user, statement.inscription.speakers_list.session.event) or may_file(
        user, statement.inscription)


def event_statements(event: Event) -> Sequence[Statement]:
    return db.session.scalars(
        select(Statement).where(Statement.event_id == event.id).order_by(Statement.uploaded_at, Statement.id)
        .options(selectinload(Statement.inscription).selectinload(Inscription.joint_delegations),
                 selectinload(Statement.inscription).selectinload(Inscription.speakers_list))).all()


def read(statement: Statement, storage: FileStorage) -> bytes | None:
    try:
        return storage.read(statement.file_path)
    except (StorageError, BadKey, OSError):
        return None
