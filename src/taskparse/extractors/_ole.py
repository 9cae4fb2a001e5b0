"""Checks of an OLE2 compound file ([MS-CFB]) made before olefile is let near it.

olefile trusts the header: it assembles the FAT from as many sectors as the header claims
(quadratically, by concatenation), and reads a stream for as many sectors as its declared size
needs, following loops in a chain.  A 40 KB file can so ask for gigabytes.  Here every count is
checked against the sectors the file holds and every chain that the .doc reader will follow (DIFAT,
FAT, directory, MiniFAT, mini stream, and the streams it reads) is walked once with a seen-set,
so a loop, a sector past the end or a size the chain cannot hold is :class:`CorruptFile`.
"""
from __future__ import annotations

import struct
from array import array

from ..errors import CorruptFile

HEADER_BYTES = 512
HEADER_DIFAT_ENTRIES = 109
DIR_ENTRY_BYTES = 128
MAX_REGULAR_SECTOR = 0xFFFFFFFA
DIFAT_SECTOR, FAT_SECTOR, END_OF_CHAIN, FREE_SECTOR = 0xFFFFFFFC, 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF
STREAM_ENTRY, ROOT_ENTRY = 2, 5
HINT = "download the file again or re-save it in Word/WPS"


class _Bad(Exception):
    pass


def check(data: bytes, path: str | None, streams: tuple[str, ...]) -> None:
    """Raise :class:`CorruptFile` unless the container's structures lie inside ``data`` and the
    chains of the named root-level ``streams`` (those present) end where their sizes say."""
    try:
        _Container(data).check(streams)
    except _Bad as exc:
        raise CorruptFile(f"damaged OLE2/.doc container ({exc})", path, HINT) from None


class _Container:
    def __init__(self, data: bytes):
        if len(data) < HEADER_BYTES:
            raise _Bad("shorter than its header")
        self.data = data
        major, = struct.unpack_from("<H", data, 26)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise _Bad(f"sector sizes 2^{shift} / 2^{mini_shift}")
        self.major = major
        self.sector = 1 << shift
        self.sectors = max(0, (len(data) - self.sector) // self.sector)  # sector 0 follows the header's sector
        (self.fat_count, self.first_dir, _, self.cutoff, self.first_minifat, self.minifat_count,
         self.first_difat, self.difat_count) = struct.unpack_from("<IIIIIIII", data, 44)
        for name, count in (("FAT", self.fat_count), ("MiniFAT", self.minifat_count), ("DIFAT", self.difat_count)):
            if count > self.sectors:
                raise _Bad(f"the header claims {count} {name} sectors, the file holds {self.sectors}")
        self.fat = self._fat()

    def _sector(self, sid: int) -> bytes:
        if sid >= self.sectors:
            raise _Bad(f"sector {sid} lies past the end of the file ({self.sectors} sectors)")
        at = (sid + 1) * self.sector
        return self.data[at:at + self.sector]

    def _fat(self) -> array:
        ids = [sid for sid in struct.unpack_from(f"<{HEADER_DIFAT_ENTRIES}I", self.data, 76)]
        per = self.sector // 4 - 1
        sid, seen = self.first_difat, set()
        for _ in range(self.difat_count):  # the DIFAT chain, as long as the header says, never twice
            if sid in (END_OF_CHAIN, FREE_SECTOR):
                break
            if sid in seen:
                raise _Bad("the DIFAT chain loops")
            seen.add(sid)
            entries = struct.unpack(f"<{per + 1}I", self._sector(sid))
            ids.extend(entries[:per])
            sid = entries[per]
        fat_sids = []
        for sid in ids:
            if sid in (END_OF_CHAIN, FREE_SECTOR):
                break  # olefile stops at the first free entry too
            fat_sids.append(sid)
        if len(fat_sids) > self.sectors or len(set(fat_sids)) != len(fat_sids):
            raise _Bad("the DIFAT lists a FAT sector twice or more FAT sectors than the file holds")
        fat = array("I")
        for sid in fat_sids:
            chunk = array("I", self._sector(sid))
            fat.extend(chunk)
        return fat[:self.sectors]

    def _chain(self, start: int, table: array, limit: int, what: str) -> list[int]:
        """The sector ids of a chain in ``table`` (FAT or MiniFAT), at most ``limit`` of them."""
        out: list[int] = []
        seen = bytearray(len(table))
        sid = start
        while sid != END_OF_CHAIN:
            if sid > MAX_REGULAR_SECTOR or sid >= len(table):
                raise _Bad(f"the {what} chain points at sector {sid:#x}, outside the table")
            if seen[sid]:
                raise _Bad(f"the {what} chain loops")
            if len(out) >= limit:
                raise _Bad(f"the {what} chain is longer than its size allows")
            seen[sid] = 1
            out.append(sid)
            sid = table[sid]
        return out

    def check(self, streams: tuple[str, ...]) -> None:
        dir_chain = self._chain(self.first_dir, self.fat, self.sectors, "directory")
        if not dir_chain:
            raise _Bad("no directory")
        directory = b"".join(self._sector(s) for s in dir_chain)
        entries = [self._entry(directory, i) for i in range(len(directory) // DIR_ENTRY_BYTES)]
        name, kind, start, size = entries[0]
        if kind != ROOT_ENTRY:
            raise _Bad("the first directory entry is not the root")
        mini_stream = self._stream_chain(start, size, self.fat, self.sector, "mini stream") if size else []
        minifat = array("I")
        if self.minifat_count:
            for sid in self._chain(self.first_minifat, self.fat, self.minifat_count, "MiniFAT"):
                minifat.extend(array("I", self._sector(sid)))
        minifat = minifat[:len(mini_stream) * (self.sector // 64)]
        wanted = set(streams)
        for name, kind, start, size in entries[1:]:
            if kind != STREAM_ENTRY or name not in wanted:
                continue
            if size > len(self.data):
                raise _Bad(f"the {name} stream claims {size:,} bytes in a file of {len(self.data):,}")
            if size < self.cutoff:
                self._stream_chain(start, size, minifat, 64, name)
            else:
                self._stream_chain(start, size, self.fat, self.sector, name)

    def _stream_chain(self, start: int, size: int, table: array, sector: int, what: str) -> list[int]:
        if size > len(self.data):
            raise _Bad(f"the {what} claims {size:,} bytes in a file of {len(self.data):,}")
        need = -(-size // sector)
        chain = self._chain(start, table, need, what) if need else []
        if len(chain) < need:
            raise _Bad(f"the {what} chain ends before its {size:,} bytes")
        return chain

    def _entry(self, directory: bytes, index: int) -> tuple[str, int, int, int]:
        at = index * DIR_ENTRY_BYTES
        name_len, kind = struct.unpack_from("<HB", directory, at + 64)
        name = directory[at:at + max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
        start, size_low, size_high = struct.unpack_from("<III", directory, at + 116)
        size = size_low if self.major == 3 else size_low | size_high << 32
        return name, kind, start, size
