"""JSON: one Result as the schema_version 1 object (several -> a JSON array of them)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..models import Result
from . import atomic_open


def dumps(results: Sequence[Result]) -> str:
    data = [r.model_dump(mode="json") for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def write(results: Sequence[Result], dest: Path) -> None:
    with atomic_open(dest, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(dumps(results))


def head() -> bytes:
    return b""


def render(r: Result) -> bytes:
    """One notice's whole .json file as bytes (made in a worker process, written as they are)."""
    return dumps([r]).encode("utf-8")
