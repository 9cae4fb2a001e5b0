"""Output models.  Field names are a public contract (schema_version 1): keep them stable."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_serializer

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(_Model):
    """Where something starts in the source: ``line`` is the text line (txt/html) or the
    paragraph number (docx/doc/rtf); ``page`` is set for PDF."""

    line: int | None = None
    page: int | None = None


class Source(_Model):
    path: str | None = None
    format: str
    sha256: str | None = None
    encoding: str | None = None


class Notice(_Model):
    title: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd


class RoleSpan(_Model):
    """Where one leader / lead unit / unit / deadline was read (see taskparse.spans)."""

    role: str  # "leader" | "lead" | "unit" | "deadline"
    name: str
    span: tuple[int, int] | None = None
    inherited: bool = False  # read outside the task: a heading, a group's shared clause, a merged cell


class TaskSpans(_Model):
    """[start, end) offsets into the extracted text (taskparse.spans); set only on request."""

    number: list[tuple[int, int]] = Field(default_factory=list)
    text: list[tuple[int, int]] = Field(default_factory=list)
    clause: list[tuple[int, int]] = Field(default_factory=list)
    roles: list[RoleSpan] = Field(default_factory=list)


def _without_none(data: dict, key: str) -> dict:
    if key in data and data[key] is None:
        del data[key]
    return data


class Task(_Model):
    id: str
    seq: int
    number: str
    section: list[str] = Field(default_factory=list)
    text: str
    leaders: list[str] = Field(default_factory=list)
    lead_units: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    deadline: str | None = None
    clause: str | None = None
    location: Location = Field(default_factory=Location)
    extra: dict[str, str] = Field(default_factory=dict)
    spans: TaskSpans | None = None  # optional; absent from the JSON unless set

    @model_serializer(mode="wrap")
    def _drop_unset_spans(self, handler):  # type: ignore[no-untyped-def]
        return _without_none(handler(self), "spans")


class Warning(_Model):  # noqa: A001 - the schema calls them warnings
    code: str
    message: str
    location: Location = Field(default_factory=Location)


class Result(_Model):
    schema_version: int = SCHEMA_VERSION
    source: Source
    notice: Notice = Field(default_factory=Notice)
    tasks: list[Task] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)
