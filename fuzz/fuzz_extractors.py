"""Fuzz the extractors: bytes -> ``taskparse.extractors.extract_bytes``.

    python fuzz/fuzz_extractors.py CORPUS_DIR SEED_DIR -max_total_time=60 -timeout=20 -rss_limit_mb=2048

A :class:`taskparse.TaskparseError` is the expected answer to a bad file; any other exception
is a crash, and so is :class:`taskparse.errors.DamagedStructure` — the library's wrapper for an
exception a reader did not catch by name (its message names the original type).  By default the format is sniffed from the bytes, as a real run does; set
TASKPARSE_FUZZ_FORMAT=pdf (or docx, doc, html, rtf, txt) to send every input to one extractor.
With TASKPARSE_FUZZ_PARSE=1 a successful extraction is also parsed.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

with atheris.instrument_imports(include=["taskparse"]):  # coverage of our code only
    import importlib

    import taskparse
    import taskparse.parser  # noqa: F401 - imported lazily; imported here to be instrumented
    from taskparse.errors import DamagedStructure, TaskparseError
    from taskparse.extractors import extract_bytes
    from taskparse.sniff import FORMATS

    for _fmt in FORMATS:  # the extractors are imported lazily too
        try:
            importlib.import_module(f"taskparse.extractors.{_fmt}")
        except ModuleNotFoundError:
            pass  # an extractor (or its library) missing here: extract_bytes says so as UnsupportedFormat

FORMAT = os.environ.get("TASKPARSE_FUZZ_FORMAT") or None
PARSE = os.environ.get("TASKPARSE_FUZZ_PARSE") == "1"
if FORMAT is not None and FORMAT not in FORMATS:
    sys.exit(f"TASKPARSE_FUZZ_FORMAT must be one of {', '.join(FORMATS)}")


def test_one_input(data: bytes) -> None:
    try:
        doc = extract_bytes(data, "fuzz-input", FORMAT)
        if PARSE:
            taskparse.parse_document(doc)
    except DamagedStructure:
        raise  # a reader met an exception it did not expect: the bug to find
    except TaskparseError:
        pass  # the documented answer to a bad file


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
