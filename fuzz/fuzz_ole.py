"""Fuzz the OLE2 layer of the .doc reader: bytes -> the container checks (extractors/_ole.py),
olefile opened strictly, and the WordDocument and table streams read.

    python fuzz/fuzz_ole.py CORPUS_DIR SEED_DIR -max_total_time=60 -timeout=10 -rss_limit_mb=1024

Seeds: the sample .doc files and tests/bad_inputs/ole_*.doc.  Inputs that do not start with the
OLE2 signature get it prepended (with the first 8 bytes dropped), so every mutation reaches the
header, FAT, DIFAT, MiniFAT and directory code instead of stopping at the signature check.
:class:`taskparse.TaskparseError` (other than DamagedStructure) is the expected answer to a
damaged container; any other exception, a hang (-timeout) or memory over -rss_limit_mb is a crash.
"""
from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

with atheris.instrument_imports(include=["taskparse", "olefile"]):
    import olefile

    from taskparse.errors import DamagedStructure, TaskparseError
    from taskparse.extractors import doc
    from taskparse.sniff import OLE_MAGIC


def test_one_input(data: bytes) -> None:
    if not data.startswith(OLE_MAGIC):
        data = OLE_MAGIC + data[8:]
    try:
        ole = doc._open_ole(olefile, data, "fuzz-input")
        try:
            for name in ("WordDocument", "1Table", "0Table", "Data"):
                if ole.exists(name):
                    doc._read_stream(ole, name, "fuzz-input")
        finally:
            ole.close()
    except DamagedStructure:
        raise
    except TaskparseError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
