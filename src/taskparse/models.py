"""Output models.  Field names are a public contract (schema_version 1): keep them stable."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

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
