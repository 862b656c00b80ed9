"""Organizations, the co-hosts of an event, and the delegations they send."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from confman.models.base import Base, Translatable

if TYPE_CHECKING:
    from confman.models.events import Event
    from confman.models.users import User


class OrganizationKind(enum.StrEnum):
    MEMBER_STATE = "member_state"
    UN_ENTITY = "un_entity"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"member_state": "Member State", "un_entity": "UN entity", "other": "Other"}[self.value]


class CoHostRole(enum.StrEnum):
    HOST = "host"
    CO_HOST = "co_host"
    PARTNER = "partner"


class OverQuotaPolicy(enum.StrEnum):
    REFUSE = "refuse"
    WAITLIST = "waitlist"


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    kind: Mapped[OrganizationKind] = mapped_column(default=OrganizationKind.OTHER)
    country_code: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2, for Member States
    logo_path: Mapped[str | None] = mapped_column(String(255))  # a key in the upload storage


class CoHost(Translatable, Base):
    __tablename__ = "co_host"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    position: Mapped[int] = mapped_column(default=0)  # protocol order
    role: Mapped[CoHostRole] = mapped_column(default=CoHostRole.CO_HOST)

    event: Mapped[Event] = relationship(back_populates="co_hosts")
    organization: Mapped[Organization] = relationship(lazy="joined")


class Delegation(Base):
    __tablename__ = "delegation"
    __table_args__ = (UniqueConstraint("event_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    quota: Mapped[int | None]
    over_quota_policy: Mapped[OverQuotaPolicy] = mapped_column(default=OverQuotaPolicy.REFUSE)
    focal_point_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    head_of_delegation: Mapped[str] = mapped_column(String(200), default="")
    # The nomination document (note verbale or letter), a key in private upload storage.
    nomination_document_path: Mapped[str | None] = mapped_column(String(255))

    event: Mapped[Event] = relationship()
    organization: Mapped[Organization] = relationship(lazy="joined")
    focal_point: Mapped[User | None] = relationship()
