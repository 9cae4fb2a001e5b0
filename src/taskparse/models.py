"""Output models.  Field names are a public contract (schema_version 2): keep them stable.

Schema 2 adds, with defaults, so every version-1 field is unchanged: per task ``lead_units_canonical``
and ``units_canonical`` (item by item beside ``lead_units``/``units``) and ``due``; per result
``canonical_units`` (each office once, with the forms printed for it)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_serializer

SCHEMA_VERSION = 2


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
class Due(_Model):
    """A deadline as a date: ``kind`` by / ongoing / recurring / unknown; ``from`` deadline or text."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, serialize_by_alias=True)
    date: str | None = None  # ISO yyyy-mm-dd, the last day allowed
    kind: str
    every: str | None = None  # recurring: week, month, quarter, half-year, year
    from_: str = Field("deadline", alias="from")


class CanonicalUnit(_Model):
    """One office (or collective) of a notice and the forms printed for it."""

    canonical: str
    printed: list[str] = Field(default_factory=list)
    also: list[str] = Field(default_factory=list)  # second names: 市商务局（市粮食和物资储备局）
    collective: bool = False


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
    lead_units_canonical: list[str] = Field(default_factory=list)
    units_canonical: list[str] = Field(default_factory=list)
    due: Due | None = None
    spans: TaskSpans | None = None  # optional; absent from the JSON unless set

    @model_serializer(mode="wrap")
    def _drop_unset_spans(self, handler):
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
    canonical_units: list[CanonicalUnit] = Field(default_factory=list)
