"""Zip packages of XML parts (.docx, OFD), read safely: one place for the guards.

Opening maps every zip failure to a :class:`TaskparseError`; declared sizes are checked against the
limits (a bomb is refused before anything is inflated), encrypted members are refused, a member is
inflated a chunk at a time with a running cap (zipfile would otherwise inflate up to 2 GiB in one call
whatever the headers declare), and XML is parsed with entities, DTDs, network and huge trees off.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from ..errors import CorruptFile, EncryptedFile, TooLarge, UnsupportedFormat
from ..limits import MAX_PART_BYTES, MAX_UNZIPPED_BYTES

MAX_COMPRESSION_RATIO = 200  # inflated/compressed bytes of one member; XML of real files stays under ~30
INFLATE_CHUNK = 1024 * 1024  # bytes asked of the inflater at once: declared sizes are not trusted
_INFLATE_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Kind:
    """What the package is, for its messages."""

    label: str  # ".docx", "OFD"
    corrupt_hint: str
    protected_hint: str
    dtd_writer: str  # "Word": whose files never declare a DTD
    ratio_min_bytes: int  # members smaller than this inflated are never bombs worth refusing


class ZipPackage:
    """A zip of XML parts; ``members`` are the member names as stored."""

    def __init__(self, data: bytes, path: str | None, etree: Any, kind: Kind):
        self.path, self.etree, self.kind = path, etree, kind
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                                      dtd_validation=False, remove_comments=True, remove_pis=True)
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise CorruptFile(f"damaged or truncated {kind.label} ({exc})", path, kind.corrupt_hint) from None
        except NotImplementedError as exc:  # a zip feature Python cannot read (e.g. version needed > 6.3)
            raise UnsupportedFormat(f"the {kind.label} uses an unsupported zip variant ({exc})", path,
                                    kind.corrupt_hint) from None
        self.members = {i.filename for i in infos}
        self.inflated = 0  # bytes inflated so far, all parts
        self._check_bomb(infos)
        if any(i.flag_bits & 0x1 for i in infos):
            raise EncryptedFile(f"the {kind.label} has zip-encrypted parts", path, kind.protected_hint)

    def _check_bomb(self, infos: list[zipfile.ZipInfo]) -> None:
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            raise TooLarge(f"the {self.kind.label} inflates to {total // (1024 * 1024)} MB, over the "
                           f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB limit", self.path,
                           "a zip bomb or an oversized file: re-save it without embedded media")
        for info in infos:
            if info.file_size >= self.kind.ratio_min_bytes and info.file_size > MAX_COMPRESSION_RATIO * max(
                    info.compress_size, 1):
                raise TooLarge(f"{info.filename} inflates {info.file_size // max(info.compress_size, 1)}-fold "
                               f"({info.file_size // (1024 * 1024)} MB)", self.path,
                               "a zip bomb: real documents do not compress like this")

    def member_xml(self, member: str, name: str | None = None) -> Any:
        """The parsed XML of one member (``name`` is how messages call it)."""
        name = name or member
        try:
            raw = self.inflate(member)
        except _INFLATE_ERRORS as exc:
            raise CorruptFile(f"cannot inflate {name} ({exc})", self.path, self.kind.corrupt_hint) from None
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            raise self._dtd(name)
        try:
            root = self.etree.fromstring(raw, self.parser)
        except self.etree.XMLSyntaxError as exc:
            where = f"line {exc.lineno}: " if exc.lineno else ""
            msg = str(exc.msg or exc).split(", line ")[0]
            raise CorruptFile(f"{name} is not well-formed XML ({where}{msg})", self.path,
                              self.kind.corrupt_hint) from None
        if root is None:
            raise CorruptFile(f"{name} is empty", self.path, self.kind.corrupt_hint)
        if root.getroottree().docinfo.internalDTD is not None:
            raise self._dtd(name)
        return root

    def inflate(self, member: str) -> bytes:
        """A member's bytes, inflated a chunk at a time with a running cap."""
        cap = min(MAX_PART_BYTES, MAX_UNZIPPED_BYTES - self.inflated)
        out = bytearray()
        with self.zf.open(member) as stream:
            while True:
                chunk = stream.read(INFLATE_CHUNK)
                if not chunk:
                    break
                out += chunk
                if len(out) > cap:
                    raise TooLarge(f"{member} inflates to over {cap // (1024 * 1024)} MB", self.path,
                                   "a zip bomb or an oversized file: re-save it without embedded media")
        self.inflated += len(out)
        return bytes(out)

    def _dtd(self, name: str) -> CorruptFile:
        # these writers never declare a DTD; one exists to expand entities (billion laughs, external entities)
        return CorruptFile(f"{name} declares a DTD, which {self.kind.dtd_writer} never writes", self.path,
                           "the file was crafted or damaged; get or save the file again")
