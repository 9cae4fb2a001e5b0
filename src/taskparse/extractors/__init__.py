"""Format extractors.  Each module ``taskparse.extractors.<format>`` exposes one public
function ``extract(data: bytes, path: str | None) -> Document``; heavy libraries are
imported inside it, so ``import taskparse`` stays light."""
from __future__ import annotations

import hashlib
import stat
import importlib
from pathlib import Path
from types import ModuleType

from ..document import Document
from ..errors import DamagedStructure, EmptyDocument, TaskparseError, TooLarge, UnsupportedFormat
from ..limits import MAX_INPUT_BYTES
from ..sniff import FORMATS, sniff
from ._common import TOO_LARGE_HINT, Budget

DAMAGED_HINT = "download the file again or re-save it in Word/WPS; if it opens there, please report it with the file"


def read_input(path: str | Path) -> bytes:
    """Read a file with the size limit applied; OSError becomes a one-line error."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise TooLarge(f"file is {size // (1024 * 1024)} MB, over the {MAX_INPUT_BYTES // (1024 * 1024)} MB limit",
                           str(path), "split the document or convert it to text first")
        if p.is_dir():
            raise UnsupportedFormat("is a folder", str(path), "pass a file, or a folder with -o OUTDIR")
        if not stat.S_ISREG(p.stat().st_mode):  # a FIFO or a device would block or never end
            raise UnsupportedFormat("not a regular file", str(path), "copy the notice into a file first")
        with p.open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise TooLarge(f"file is over the {MAX_INPUT_BYTES // (1024 * 1024)} MB limit", str(path),
                           "split the document or convert it to text first")
        return data
    except TaskparseError:
        raise
    except OSError as exc:
        raise UnsupportedFormat(f"cannot read the file ({exc.strerror or exc})", str(path),
                                "check the path and permissions") from None


def extract_bytes(data: bytes, path: str | None = None, fmt: str | None = None) -> Document:
    """Sniff ``data`` (unless ``fmt`` is given) and run the matching extractor."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument("the file is empty", path, "download it again")
    fmt = fmt or sniff(data, path)
    if fmt not in FORMATS:
        raise UnsupportedFormat(f"unknown format {fmt!r}", path)
    try:
        module = importlib.import_module(f".{fmt}", __name__)
    except ModuleNotFoundError as exc:  # a reader library missing from this installation
        raise UnsupportedFormat(f"cannot read {fmt} files here ({exc.name} is not installed)", path,
                                "reinstall taskparse with its dependencies (pip install taskparse)") from None
    doc = _run(module, data, path)
    Budget(path, len(data)).document(doc.blocks)  # the readers charge as they go; this holds for every format
    doc.sha256 = hashlib.sha256(data).hexdigest()
    doc.path = path
    return doc


def _run(module: ModuleType, data: bytes, path: str | None) -> Document:
    """Run one extractor; whatever a file makes it raise comes out as a :class:`TaskparseError`."""
    try:
        doc: Document = module.extract(data, path)
    except TaskparseError:
        raise
    except MemoryError:
        raise TooLarge("needs more memory than this machine has", path, TOO_LARGE_HINT) from None
    except RecursionError:
        raise TooLarge("nested too deeply to read", path, TOO_LARGE_HINT) from None
    except Exception as exc:  # noqa: BLE001 - a reader that missed a kind of damage: still one line
        detail = (str(exc).splitlines() or [""])[0][:120]
        raise DamagedStructure(f"damaged file: the {module.__name__.rsplit('.', 1)[-1]} reader failed "
                               f"({type(exc).__name__}: {detail})", path, DAMAGED_HINT,
                               cause=type(exc).__name__) from None
    return doc


def extract(path: str | Path) -> Document:
    """Read and extract one file."""
    return extract_bytes(read_input(path), str(path))
