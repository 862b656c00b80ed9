"""The organizers' view of registrations: search, filters, sorting, pages, counts and CSV export.

Every page costs the same few queries whatever the number of registrations: one count, one page of rows with
their organization and delegation joined in, and grouped counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from confman.extensions import db
from confman.models import Event, Organization, Registration, RegistrationCategory, RegistrationStatus
from confman.services.registration.seats import SEAT_HOLDING

ORGANIZATION_NAME = func.coalesce(Organization.name, Registration.organization_name)
SORTS = {
    "registered": Registration.id,
    "name": func.lower(Registration.name),
    "organization": func.lower(ORGANIZATION_NAME),
    "status": Registration.status,
    "category": Registration.category,
}
PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: RegistrationStatus | None = None
    category: RegistrationCategory | None = None
    organization_id: int | None = None
    sort: str = "registered"
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE


@dataclass
class Page:
    items: Sequence[Registration]
    total: int
    filters: Filters

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    def link(self, **changes) -> Filters:
        return replace(self.filters, **changes)


def _filtered(event: Event, filters: Filters) -> Select:
    query = (select(Registration).outerjoin(Organization, Registration.organization_id == Organization.id)
             .where(Registration.event_id == event.id))
    if filters.q:
        pattern = "%" + filters.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            Registration.name, Registration.email, ORGANIZATION_NAME))))
    if filters.status is not None:
        query = query.where(Registration.status == filters.status)
    if filters.category is not None:
        query = query.where(Registration.category == filters.category)
    if filters.organization_id is not None:
        query = query.where(Registration.organization_id == filters.organization_id)
    return query


def search(event: Event, filters: Filters) -> Page:
    query = _filtered(event, filters)
    total = db.session.scalar(query.with_only_columns(func.count(Registration.id)).order_by(None)) or 0
    key = SORTS.get(filters.sort, Registration.id)
    order = [key.desc() if filters.descending else key.asc()]
    if filters.sort != "registered":
        order.append(Registration.id)
    items = db.session.scalars(
        query.options(contains_eager(Registration.organization)).order_by(*order)
        .limit(filters.per_page).offset((max(1, filters.page) - 1) * filters.per_page)
    ).all()
    return Page(items, total, filters)


def export_csv(event: Event, filters: Filters) -> Iterator[str]:
    """The filtered registrations as CSV lines, streamed in id order. Cells that a spreadsheet would run as a
    formula are prefixed with an apostrophe."""
    header = ["id", "registered_at", "status", "category", "honorific", "name", "title", "email", "organization",
              "delegation", "needs"]
    yield _line(header)
    query = (_filtered(event, filters).options(contains_eager(Registration.organization))
             .order_by(Registration.id).execution_options(yield_per=1000))
    for reg in db.session.scalars(query):
        yield _line([reg.id, reg.registered_at.isoformat(), reg.status.value, reg.category.value, reg.honorific,
                     reg.name, reg.title, reg.email,
                     reg.organization.name if reg.organization else reg.organization_name,
                     "yes" if reg.delegation_id else "", reg.needs])


def _line(values: list) -> str:
    buffer = io.StringIO()
    cells = [str(v) for v in values]
    csv.writer(buffer).writerow(["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in cells])
    return buffer.getvalue()


@dataclass
class Counts:
    by_status: dict[RegistrationStatus, int] = field(default_factory=dict)
    by_category: dict[RegistrationCategory, dict[RegistrationStatus, int]] = field(default_factory=dict)
    by_organization: list[tuple[str, dict[RegistrationStatus, int]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def seats_taken(self) -> int:
        return sum(self.by_status.get(s, 0) for s in SEAT_HOLDING)

    @property
    def organizations_represented(self) -> int:
        """Organizations with at least one pending or approved member."""
        return sum(1 for _, statuses in self.by_organization if any(statuses.get(s) for s in SEAT_HOLDING))


def status_counts(event: Event) -> dict[RegistrationStatus, int]:
    rows = db.session.execute(select(Registration.status, func.count()).where(Registration.event_id == event.id)
                              .group_by(Registration.status)).all()
    return {RegistrationStatus(status): n for status, n in rows}


def counts(event: Event) -> Counts:
    result = Counts(by_status=status_counts(event))
    for category, status, n in db.session.execute(
            select(Registration.category, Registration.status, func.count()).where(Registration.event_id == event.id)
            .group_by(Registration.category, Registration.status)):
        result.by_category.setdefault(RegistrationCategory(category), {})[RegistrationStatus(status)] = n
    by_org: dict[str, dict[RegistrationStatus, int]] = {}
    for name, status, n in db.session.execute(
            select(ORGANIZATION_NAME, Registration.status, func.count())
            .outerjoin(Organization, Registration.organization_id == Organization.id)
            .where(Registration.event_id == event.id).group_by(ORGANIZATION_NAME, Registration.status)):
        by_org.setdefault(name or "(none given)", {})[RegistrationStatus(status)] = n
    result.by_organization = sorted(by_org.items(), key=lambda pair: pair[0].lower())
    return result


def organization_choices(event: Event) -> list[tuple[int, str]]:
    """The known organizations that have registrations for `event`, for the filter."""
    return [tuple(row) for row in db.session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(
            select(Registration.organization_id).where(Registration.event_id == event.id).distinct()))
        .order_by(Organization.name)).all()]
