"""Declarative base: naming convention, aware-UTC datetimes and string-valued enums on every backend."""

import enum
from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Enum, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python on every backend: timestamptz on PostgreSQL, offset-less text on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: attach a timezone first")
        if value is None:
            return None
        value = value.astimezone(UTC)
        # SQLite keeps text; dropping the offset keeps string comparison in SQL correct.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _enum_values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            datetime: UTCDateTime,
            # Stored as their values in a VARCHAR: readable in SQL, and no ALTER TYPE when a member is added.
            enum.Enum: Enum(enum.Enum, native_enum=False, length=32, values_callable=_enum_values),
        },
    )


class Translatable:
    """A model whose public texts exist in several languages. The plain columns hold the event's default language
    (so every reader that knows one language keeps working); `translations` holds the others as
    {field: {language code: text}}, e.g. {"title": {"fr": "Ouverture"}}."""

    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
