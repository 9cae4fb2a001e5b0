#!/usr/bin/env python3
"""Regenerate tests/bad_inputs/: small damaged, hostile or unsupported files and MANIFEST.json,
which says what taskparse must do with each (the ``kind`` of the error in
src/taskparse/errors.py, or that the file must parse).

Built from the committed samples (samples/*.docx, .doc, .pdf, .html — see
scripts/make_samples.py) plus seeded random bytes; needs qpdf and xlsxwriter, not LibreOffice.

    python scripts/make_bad_inputs.py            # rewrite tests/bad_inputs/
    python scripts/make_bad_inputs.py --big DIR  # also write DIR/big_notice.txt (~50 MB, for bench/)
                                                 # and the big hostile files (BIG, ~100 MB in all)
"""
from __future__ import annotations

import argparse
import datetime
import io
import json
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from functools import partial
from pathlib import Path

import olefile

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
OUT = ROOT / "tests" / "bad_inputs"

SEED = 20240131  # random bytes are the same on every run
RANDOM_BYTES = 4096
MAX_FILE_BYTES = 200 * 1024  # every corpus file but the zip bomb
MAX_BOMB_BYTES = 1024 * 1024
BOMB_INFLATED_BYTES = 320 * 1024 * 1024  # over limits.MAX_UNZIPPED_BYTES (200 MiB)
BIG_TEXT_BYTES = 50 * 1024 * 1024
ZIP_TIME = (2021, 1, 21, 0, 0, 0)  # fixed member dates: a rerun rewrites identical bytes

DOCX = SAMPLES / "004_4ed748fdf1ac17b6.docx"
DOC = SAMPLES / "004_4ed748fdf1ac17b6.doc"
PDF = SAMPLES / "002_ce67ead115768d45.pdf"
HTML_GBK = SAMPLES / "002_ce67ead115768d45.html"
SEED_TXT = SAMPLES / "004_4ed748fdf1ac17b6.txt"
TABLE_PDF = SAMPLES / "004_4ed748fdf1ac17b6_table.pdf"

FIB_FLAGS_OFFSET = 0x0A  # [MS-DOC] FibBase: u16 flags
F_ENCRYPTED = 0x0100
WIDENT_WORD95 = 0xA5DC


def write(out: Path, name: str, data: bytes, manifest: dict, kind: str | None, what: str) -> None:
    (out / name).write_bytes(data)
    manifest["files"][name] = what
    if kind:
        manifest["errors"][name] = kind


def member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def rebuild_zip(src: Path, replace: dict[str, bytes]) -> bytes:
    """Copy a zip member by member, replacing some members' bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(member(info.filename), replace.get(info.filename, zin.read(info.filename)))
    return buf.getvalue()


def docx_xml(src: Path) -> bytes:
    with zipfile.ZipFile(src) as z:
        return z.read("word/document.xml")


def with_doctype(xml: bytes, doctype: bytes, extra_paragraph: bytes) -> bytes:
    """Insert a DOCTYPE after the XML declaration and one paragraph at the start of the body."""
    decl_end = xml.index(b"?>") + 2
    xml = xml[:decl_end] + b"\n" + doctype + xml[decl_end:]
    body = xml.index(b"<w:body>") + len(b"<w:body>")
    return xml[:body] + extra_paragraph + xml[body:]


def para(text: bytes) -> bytes:
    return b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>"


def zip_bomb() -> bytes:
    """A .docx whose word/document.xml inflates to BOMB_INFLATED_BYTES of spaces."""
    buf = io.BytesIO()
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>")
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(SAMPLES / DOCX.name) as zin:
        content_types = zin.read("[Content_Types].xml")
        rels = zin.read("_rels/.rels")
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(member("[Content_Types].xml"), content_types)
        z.writestr(member("_rels/.rels"), rels)
        with z.open(member("word/document.xml"), "w", force_zip64=True) as f:
            f.write(head)
            for _ in range(BOMB_INFLATED_BYTES // len(chunk)):
                f.write(chunk)
            f.write(tail)
    return buf.getvalue()


def billion_laughs() -> bytes:
    ents = [b'<!ENTITY lol "lol">'] + [
        b"<!ENTITY lol%d \"%s\">" % (i, (b"&lol%s;" % (str(i - 1).encode() if i > 1 else b"")) * 10)
        for i in range(1, 10)]
    doctype = b"<!DOCTYPE w:document [" + b"".join(ents) + b"]>"
    xml = with_doctype(docx_xml(DOCX), doctype, para(b"&lol9;"))
    return rebuild_zip(DOCX, {"word/document.xml": xml})


def external_entity() -> bytes:
    doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    xml = with_doctype(docx_xml(DOCX), doctype, para(b"&xxe;"))
    return rebuild_zip(DOCX, {"word/document.xml": xml})


def malformed_xml() -> bytes:
    xml = docx_xml(DOCX)
    cut = xml.index(b"</w:p>", len(xml) // 2)
    xml = xml[:cut] + b"</w:q>" + xml[cut + len(b"</w:p>"):]  # a closing tag that matches nothing
    return rebuild_zip(DOCX, {"word/document.xml": xml})


def xlsx() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": datetime.datetime(2021, 1, 21)})
    ws = wb.add_worksheet("任务分解")
    for r, row in enumerate([("序号", "重点任务", "责任单位"), ("1", "严格管控地方政府债务。", "市财政局")]):
        ws.write_row(r, 0, row)
    wb.close()
    return buf.getvalue()


def zip_without_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member("notice.txt"), SEED_TXT.read_text(encoding="utf-8")[:2000])
    return buf.getvalue()


def patched_doc(work: Path, patch) -> bytes:
    """A copy of the sample .doc with its WordDocument stream patched in place (same size)."""
    f = work / "patched.doc"
    shutil.copyfile(DOC, f)
    with olefile.OleFileIO(str(f), write_mode=True) as ole:
        data = bytearray(ole.openstream("WordDocument").read())
        patch(data)
        ole.write_stream("WordDocument", bytes(data))
    return f.read_bytes()


def set_encrypted(data: bytearray) -> None:
    flags = struct.unpack_from("<H", data, FIB_FLAGS_OFFSET)[0]
    struct.pack_into("<H", data, FIB_FLAGS_OFFSET, flags | F_ENCRYPTED)


def set_word95(data: bytearray) -> None:
    struct.pack_into("<H", data, 0, WIDENT_WORD95)


def ole_without_worddocument() -> bytes:
    """Rename the WordDocument directory entry (same length, so the container stays valid)."""
    data = bytearray(DOC.read_bytes())
    old, new = "WordDocument".encode("utf-16-le"), "WordDocumenX".encode("utf-16-le")
    pos = data.find(old)
    if pos < 0:
        raise SystemExit(f"{DOC.name}: no WordDocument directory entry")
    data[pos:pos + len(old)] = new
    with olefile.OleFileIO(bytes(data)) as ole:
        if ole.exists("WordDocument"):
            raise SystemExit("renaming the WordDocument entry failed")
    return bytes(data)


def page_one_pdf(work: Path) -> Path:
    """Page 1 of a sample PDF, with a classic xref table (no object streams)."""
    f = work / "page1.pdf"
    subprocess.run(["qpdf", "--deterministic-id", "--object-streams=disable", "--empty", "--pages", str(PDF), "1", "--", str(f)],
                   check=True)
    return f


def broken_xref(work: Path) -> bytes:
    data = bytearray(page_one_pdf(work).read_bytes())
    pos = data.rfind(b"\nxref\n")
    if pos < 0:
        raise SystemExit("page1.pdf has no classic xref table")
    end = data.index(b"trailer", pos)
    rng = random.Random(SEED)
    for i in range(pos + 6, end):  # every offset digit replaced: the table points nowhere
        if 0x30 <= data[i] <= 0x39:
            data[i] = 0x30 + rng.randrange(10)
    sx = data.rfind(b"startxref")
    tail = data[sx:]
    m = re.search(rb"startxref\s+(\d+)", bytes(tail))
    wrong = str(int(m.group(1)) // 3).rjust(len(m.group(1)), "0").encode()
    data[sx + m.start(1):sx + m.end(1)] = wrong
    return bytes(data)


def encrypted_pdf(work: Path) -> bytes:
    f = work / "enc.pdf"
    # AES-128 (R4) with qpdf's testing switches --static-id/--static-aes-iv gives identical bytes
    # on every run (AES-256 salts its password hashes); samples/encrypted_notice.pdf is AES-256
    subprocess.run(["qpdf", "--static-id", "--static-aes-iv", "--encrypt", "user", "owner", "128",
                    "--use-aes=y", "--",
                    str(page_one_pdf(work)), str(f)],
                   check=True)
    return f.read_bytes()


def image_only_pdf(work: Path) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(PDF))
    image = pdf[0].render(scale=72 / 72, grayscale=True).to_pil().convert("L")
    buf = io.BytesIO()
    when = time.gmtime(datetime.datetime(2021, 1, 21, tzinfo=datetime.timezone.utc).timestamp())
    image.save(buf, "PDF", resolution=72.0, quality=50, creationDate=when, modDate=when)
    return buf.getvalue()


def truncated_pdf() -> bytes:
    data = PDF.read_bytes()
    return data[: len(data) // 2]


def html_unknown_charset() -> bytes:
    data = HTML_GBK.read_bytes()
    if b'<meta charset="gb2312">' not in data:
        raise SystemExit(f"{HTML_GBK.name}: no gb2312 meta tag to replace")
    return data.replace(b'<meta charset="gb2312">', b'<meta charset="x-unknown-foo">')


def gb18030_invalid() -> bytes:
    text = SEED_TXT.read_text(encoding="utf-8")[:3000]
    data = text.encode("gb18030")
    bad = [b"\x81\x7f", b"\xff", b"\x84\x31\xa4"]  # bad trail byte, bad lead byte, cut 4-byte sequence
    parts, step = [], len(data) // 4
    pos = 0
    for k, seq in enumerate(bad):
        cut = (k + 1) * step
        while data[cut] >= 0x80:  # insert between characters, never inside one
            cut += 1
        parts += [data[pos:cut], seq]
        pos = cut
    parts.append(data[pos:])
    out = b"".join(parts)
    try:
        out.decode("gb18030")
    except UnicodeDecodeError:
        return out
    raise SystemExit("gb18030_invalid.txt decodes cleanly")


def probe_pdf(data: bytes) -> str | None:
    """Text of page 1 when PDFium opens the file, else None."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
        return pdf[0].get_textpage().get_text_range()
    except pdfium.PdfiumError:
        return None


def big_text(dest: Path) -> None:
    """A ~50 MB notice: the head of seed 004, then its items repeated and renumbered."""
    lines = [ln.strip() for ln in SEED_TXT.read_text(encoding="utf-8").split("\n") if ln.strip()]
    first = next(i for i, ln in enumerate(lines) if re.match(r"^\d+、", ln))
    head, items = lines[:first], [ln for ln in lines[first:] if re.match(r"^\d+、", ln)]
    with dest.open("w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(head) + "\n")
        written, n, part = 0, 0, 0
        while written < BIG_TEXT_BYTES:
            part += 1
            heading = f"第{part}部分重点任务\n"
            f.write(heading)
            written += len(heading.encode())
            for ln in items:
                n += 1
                s = re.sub(r"^\d+、", f"{n}、", ln) + "\n"
                f.write(s)
                written += len(s.encode())
    print(f"{dest}: {dest.stat().st_size // (1024 * 1024)} MB, {n} items", file=sys.stderr)


# ---------------------------------------------------------------- round two: hostile structures
# Each of these once hung, blew up memory, lost text silently or gave "internal error".

OLE_SECTOR = 512
OLE_MINI_CUTOFF = 4096
END_OF_CHAIN, FREE_SECT, FAT_SECT, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
HUGE_SIZE = 0xFFFFFF00  # a stream size near 4 GiB
FC_CLX = 33  # FibRgFcLcb97 index of the piece table


def ole_streams(src: Path) -> list[tuple[str, bytes]]:
    """The root-level streams of a .doc, WordDocument first."""
    with olefile.OleFileIO(str(src)) as ole:
        names = sorted((e[0] for e in ole.listdir() if len(e) == 1), key=lambda n: (n != "WordDocument", n))
        return [(n, ole.openstream(n).read()) for n in names]


class Ole:
    """A compound file written from scratch: version 3, 512-byte sectors, every stream padded to
    the mini-stream cutoff so all of them live in the FAT.  ``extra`` sectors (one-sector chains)
    are spare room for crafted MiniFAT/DIFAT sectors.  The helpers patch the FAT, the header and the
    directory in place, which is how the hostile variants are made."""

    def __init__(self, streams: list[tuple[str, bytes]], extra: int = 0):
        sectors: list[bytes] = []
        self.chains: dict[str, list[int]] = {}
        self.index: dict[str, int] = {}
        entries = []
        for name, raw in streams:
            raw = raw.ljust(max(len(raw), OLE_MINI_CUTOFF), b"\0")
            start = len(sectors)
            sectors += [raw[i:i + OLE_SECTOR].ljust(OLE_SECTOR, b"\0") for i in range(0, len(raw), OLE_SECTOR)]
            self.chains[name] = list(range(start, len(sectors)))
            self.index[name] = len(entries) + 1
            entries.append((name, start, len(raw)))
        self.extra = list(range(len(sectors), len(sectors) + extra))
        sectors += [b"\0" * OLE_SECTOR] * extra
        dir_count = -(-(len(entries) + 1) * 128 // OLE_SECTOR)
        self.dir = list(range(len(sectors), len(sectors) + dir_count))
        used = len(sectors) + dir_count
        fat_count = 1
        while used + fat_count > fat_count * (OLE_SECTOR // 4):
            fat_count += 1
        self.fat_sids = list(range(used, used + fat_count))
        fat = [FREE_SECT] * (fat_count * OLE_SECTOR // 4)
        for chain in [*self.chains.values(), self.dir, *([s] for s in self.extra)]:
            for a, b in zip(chain, chain[1:]):
                fat[a] = b
            fat[chain[-1]] = END_OF_CHAIN
        for s in self.fat_sids:
            fat[s] = FAT_SECT
        directory = self._entry("Root Entry", 5, END_OF_CHAIN, 0, child=1 if entries else NO_STREAM)
        for i, (name, start, size) in enumerate(entries, 1):
            directory += self._entry(name, 2, start, size, right=i + 1 if i < len(entries) else NO_STREAM)
        directory = directory.ljust(dir_count * OLE_SECTOR, b"\0")
        header = struct.pack("<8s16sHHHHH6sIIIIIIIII", OLE_MAGIC, b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0,
                             fat_count, self.dir[0], 0, OLE_MINI_CUTOFF, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        header += struct.pack("<109I", *(self.fat_sids + [FREE_SECT] * (109 - fat_count)))
        self.data = bytearray(header + b"".join(sectors) + directory + struct.pack(f"<{len(fat)}I", *fat))

    @staticmethod
    def _entry(name: str, kind: int, start: int, size: int, child: int = NO_STREAM, right: int = NO_STREAM) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIII", raw, len(raw), kind, 1, NO_STREAM, right, child, b"\0" * 16, 0, 0, 0,
                           start, size, 0)

    def at(self, sid: int) -> int:
        return (sid + 1) * OLE_SECTOR

    def set_fat(self, sid: int, value: int) -> None:
        per = OLE_SECTOR // 4
        struct.pack_into("<I", self.data, self.at(self.fat_sids[sid // per]) + sid % per * 4, value)

    def set_header(self, offset: int, value: int) -> None:
        struct.pack_into("<I", self.data, offset, value)

    def set_entry(self, index: int, start: int | None = None, size: int | None = None) -> None:
        at = self.at(self.dir[index * 128 // OLE_SECTOR]) + index * 128 % OLE_SECTOR
        if start is not None:
            struct.pack_into("<I", self.data, at + 116, start)
        if size is not None:
            struct.pack_into("<I", self.data, at + 120, size)


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
H_FAT_COUNT, H_FIRST_MINIFAT, H_MINIFAT_COUNT, H_FIRST_DIFAT, H_DIFAT_COUNT, H_DIFAT = 44, 60, 64, 68, 72, 76


def ole_rebuilt() -> bytes:
    """The sample .doc rebuilt by :class:`Ole` (checks that the builder makes files Word's reader takes)."""
    return bytes(Ole(ole_streams(DOC)).data)


def ole_fat_loop() -> bytes:
    """WordDocument declared 4 GiB, its FAT chain looping back to its first sector: olefile's
    default (non-strict) reading followed the loop for 8 M sectors (29-43 s, 9.3 GB)."""
    ole = Ole(ole_streams(DOC))
    chain = ole.chains["WordDocument"]
    ole.set_fat(chain[-1], chain[0])
    ole.set_entry(ole.index["WordDocument"], size=HUGE_SIZE)
    return bytes(ole.data)


def _minifat_for(ole: Ole, sid: int, sectors: int) -> None:
    """Write a MiniFAT into sector ``sid``: one chain over the first ``sectors`` mini sectors."""
    chain = [i + 1 for i in range(sectors - 1)] + [END_OF_CHAIN]
    chain += [FREE_SECT] * (OLE_SECTOR // 4 - len(chain))
    ole.data[ole.at(sid):ole.at(sid) + OLE_SECTOR] = struct.pack(f"<{OLE_SECTOR // 4}I", *chain)
    ole.set_header(H_FIRST_MINIFAT, sid)
    ole.set_header(H_MINIFAT_COUNT, 1)


def ole_ministream_loop() -> bytes:
    """WordDocument small enough to live in the mini stream, whose container chain (the root
    entry's) loops and is declared 4 GiB: the same blow-up through the mini stream."""
    ole = Ole(ole_streams(DOC), extra=1)
    chain = ole.chains["WordDocument"]
    ole.set_fat(chain[-1], chain[0])
    ole.set_entry(0, start=chain[0], size=HUGE_SIZE)
    ole.set_entry(ole.index["WordDocument"], start=0, size=OLE_MINI_CUTOFF - 64)
    _minifat_for(ole, ole.extra[0], (OLE_MINI_CUTOFF - 64) // 64)
    return bytes(ole.data)


def ole_minifat_loop() -> bytes:
    """The header claims 16.7 M MiniFAT sectors and the MiniFAT chain loops on itself: olefile
    read the MiniFAT for as many sectors as claimed (> 12 GB)."""
    ole = Ole(ole_streams(DOC), extra=1)
    sid = ole.extra[0]
    ole.set_entry(ole.index["WordDocument"], size=OLE_MINI_CUTOFF - 64)
    _minifat_for(ole, sid, (OLE_MINI_CUTOFF - 64) // 64)
    ole.set_fat(sid, sid)
    ole.set_header(H_MINIFAT_COUNT, 0x01000000)
    return bytes(ole.data)


def ole_difat_self(claimed: int = 400) -> bytes:
    """A DIFAT sector that names itself as the next one, the header claiming ``claimed`` DIFAT
    sectors: olefile assembles the FAT by concatenation, quadratic in the claim (400: 258 s)."""
    ole = Ole(ole_streams(DOC), extra=1)
    sid = ole.extra[0]
    per = OLE_SECTOR // 4 - 1
    ole.data[ole.at(sid):ole.at(sid) + OLE_SECTOR] = struct.pack(f"<{per + 1}I", *([ole.fat_sids[0]] * per + [sid]))
    ole.set_header(H_DIFAT_COUNT, claimed)
    ole.set_header(H_FIRST_DIFAT, sid)
    ole.set_header(H_FAT_COUNT, 109 + claimed * per)
    struct.pack_into("<109I", ole.data, H_DIFAT, *([ole.fat_sids[0]] * 109))
    return bytes(ole.data)


def ole_bad_entry_type() -> bytes:
    """The WordDocument directory entry's type set to 7, neither stream nor storage (found by
    fuzz/fuzz_ole.py: strict olefile raised from listdir(), outside the reader's checks)."""
    ole = Ole(ole_streams(DOC))
    index = ole.index["WordDocument"]
    ole.data[ole.at(ole.dir[index * 128 // OLE_SECTOR]) + index * 128 % OLE_SECTOR + 66] = 7
    return bytes(ole.data)


def _fib(word: bytes) -> tuple[int, int]:
    """(offset of ccpText, offset of the FibRgFcLcb pairs) in a WordDocument stream."""
    csw = struct.unpack_from("<H", word, 32)[0]
    pos = 34 + csw * 2
    cslw = struct.unpack_from("<H", word, pos)[0]
    lw = pos + 2
    return lw + 12, lw + cslw * 4 + 2


def _doc_with(patch) -> bytes:
    """The sample .doc rebuilt with ``patch(word, table)`` applied to bytearrays of its streams."""
    streams = ole_streams(DOC)
    word, table = bytearray(streams[0][1]), None
    flags = struct.unpack_from("<H", word, FIB_FLAGS_OFFSET)[0]
    table_name = "1Table" if flags & 0x0200 else "0Table"
    tables = {n: bytearray(b) for n, b in streams if n == table_name}
    table = tables[table_name]
    patch(word, table)
    out = [(n, bytes(word) if n == "WordDocument" else bytes(table) if n == table_name else b) for n, b in streams]
    return bytes(Ole(out).data)


def _clx(word: bytearray, table: bytearray) -> tuple[int, int]:
    """(offset, size) of the piece table's PlcPcd inside the table stream."""
    _, fclcb = _fib(word)
    fc, lcb = struct.unpack_from("<II", word, fclcb + FC_CLX * 8)
    pos = fc
    while table[pos] == 0x01:
        pos += 3 + struct.unpack_from("<h", table, pos + 1)[0]
    assert table[pos] == 0x02
    return pos + 5, struct.unpack_from("<I", table, pos + 1)[0]


def doc_repeated_pieces(count: int) -> bytes:
    """``count`` pieces all pointing at the same run of text (1,000: 42 s and 66,000 tasks;
    10,000: a hang)."""
    def patch(word: bytearray, table: bytearray) -> None:
        ccp_at, fclcb = _fib(word)
        plc, _ = _clx(word, table)
        fc_raw = struct.unpack_from("<I", table, plc + 8 + 2)[0]  # the first piece's fc (one piece: 2 CPs)
        span = max(1, min(40, len(word) // count))  # characters per piece, total within ccpText's check
        cps = [i * span for i in range(count + 1)]
        pcds = b"".join(struct.pack("<HIH", 0, fc_raw, 0) for _ in range(count))
        plcpcd = struct.pack(f"<{count + 1}i", *cps) + pcds
        clx = b"\x02" + struct.pack("<I", len(plcpcd)) + plcpcd
        struct.pack_into("<II", word, fclcb + FC_CLX * 8, len(table), len(clx))
        struct.pack_into("<i", word, ccp_at, count * span)
        table.extend(clx)
    return _doc_with(patch)


def doc_ccp_text_zero() -> bytes:
    """ccpText = 0: no main text (was exit 0 and nothing; the other formats say 'empty')."""
    return _doc_with(lambda word, table: struct.pack_into("<i", word, _fib(word)[0], 0))


def doc_negative_cp() -> bytes:
    """The second character position of the piece table negative (was exit 0 with garbage)."""
    def patch(word: bytearray, table: bytearray) -> None:
        plc, _ = _clx(word, table)
        struct.pack_into("<i", table, plc + 4, -5)
    return _doc_with(patch)


def doc_fib_csw() -> bytes:
    """FIB csw = 0xFFFF runs off the WordDocument stream (was struct.error, 'internal error')."""
    return _doc_with(lambda word, table: struct.pack_into("<H", word, 32, 0xFFFF))


# ---- .docx

DOCX_CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                      b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                      b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                      b'<Default Extension="xml" ContentType="application/xml"/>'
                      b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                      b'officedocument.wordprocessingml.document.main+xml"/></Types>')
DOCX_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             b'officeDocument" Target="word/document.xml"/></Relationships>')
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def small_docx(body: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx around ``body`` (the XML inside w:body), deflated at level 9."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(member("[Content_Types].xml"), DOCX_CONTENT_TYPES)
        z.writestr(member("_rels/.rels"), DOCX_RELS)
        z.writestr(member("word/document.xml"), b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   b"<w:document " + W_NS + b"><w:body>" + body + b"</w:body></w:document>")
        for name, data in (extra or {}).items():
            z.writestr(member(name), data)
    return buf.getvalue()


def docx_list_huge_start(paragraphs: int = 200) -> bytes:
    """A list starting at 2,000,000,000 in letters: every label would be 77 M letters long."""
    numbering = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ' + W_NS + b">"
                 b'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="2000000000"/>'
                 b'<w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                 b'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'numbering" Target="numbering.xml"/></Relationships>')
    item = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
            '<w:r><w:t>加强重点项目建设管理（责任单位：县发改局）</w:t></w:r></w:p>').encode()
    return small_docx(item * paragraphs, {"word/numbering.xml": numbering, "word/_rels/document.xml.rels": rels})


def docx_wide_table(rows: int = 200_000) -> bytes:
    """One row of 256 columns (4 cells spanning 64) over ``rows`` one-cell rows: padded to
    rows x widest row, 51 M cells (was 2.0 GB from 18 KB)."""
    wide = b"<w:tr>" + b'<w:tc><w:tcPr><w:gridSpan w:val="64"/></w:tcPr><w:p/></w:tc>' * 4 + b"</w:tr>"
    narrow = b"<w:tr><w:tc><w:p/></w:tc></w:tr>"
    return small_docx(b"<w:tbl>" + wide + narrow * rows + b"</w:tbl><w:p><w:r><w:t>1</w:t></w:r></w:p>")


def docx_size_lie(inflated: int = 150 * 1024 * 1024) -> bytes:
    """word/document.xml declared (local and central headers) as 1,000 bytes but inflating to
    ``inflated``: zipfile inflated up to 2 GiB in one call before checking the size."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ' + W_NS +
            b"><w:body><w:p><w:r><w:t>")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = comp.compress(head) + b"".join(comp.compress(b" " * (1024 * 1024)) for _ in range(inflated // (1024 * 1024)))
    body += comp.flush()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member("[Content_Types].xml"), DOCX_CONTENT_TYPES)
        z.writestr(member("_rels/.rels"), DOCX_RELS)
    base = buf.getvalue()
    cd = base.index(b"PK\x01\x02")
    entries, eocd = base[cd:base.index(b"PK\x05\x06")], base[base.index(b"PK\x05\x06"):]
    name = b"word/document.xml"
    offset = cd
    crc = 0
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x5221, crc, len(body), 1000, len(name), 0)
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x5221, crc, len(body), 1000,
                          len(name), 0, 0, 0, 0, 0, offset)
    out = base[:cd] + local + name + body
    new_cd = len(out)
    out += entries + central + name
    count = struct.unpack_from("<H", eocd, 10)[0] + 1
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(entries) + len(central) + len(name),
                       new_cd, 0)
    return out


# ---- HTML

def html_page(body: str, charset: str = "utf-8", head: str = "") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}<title>通知</title></head>'
            f"<body>{body}</body></html>").encode("utf-8")


def html_items(last: int, first: int = 1) -> str:
    return "".join(f"<p>{i}.加强第{i}项重点工作（责任单位：县发改局）</p>" for i in range(first, last + 1))


HTML_NON_TEXT_CODECS = ("base64", "hex", "rot13", "uu", "zlib", "undefined")


def html_font_soup(n: int = 400) -> bytes:
    """``n`` lines of unclosed <font> tag soup: libxml2 stopped nesting at 256 levels and cut the
    rest without a word (253 of 400 tasks)."""
    body = "".join(f'<font color="red"><p>{i}.加强第{i}项重点工作（责任单位：县发改局）\n' for i in range(1, n + 1))
    return html_page(body)


def html_nested_divs(depth: int = 300) -> bytes:
    """Items inside ``depth`` nested <div>s (was exit 9: libxml2's depth limit)."""
    return html_page("<div>" * depth + html_items(40) + "</div>" * depth)


def html_big_image(mb: int = 12) -> bytes:
    """A ``mb`` MB inline base64 image between items (was 2 of 40 tasks: one text node over 10 MB)."""
    img = "data:image/png;base64," + "A" * (mb * 1024 * 1024)
    return html_page(html_items(20) + f'<img src="{img}">' + html_items(40, 21))


def html_big_attribute(mb: int = 50) -> bytes:
    """A ``mb`` MB attribute value before the items (was exit 9)."""
    return html_page(f'<div title="{"x" * (mb * 1024 * 1024)}"></div>' + html_items(40))


def html_wide_table(rows: int = 100_000) -> bytes:
    """A first row 256 columns wide over ``rows`` one-cell rows (2.9 MB: 3.6 GB, 50-75 s)."""
    first = '<tr><td colspan="255">a</td><td>b</td></tr>'
    return html_page("<table>" + first + "<tr><td>1</td><td>2</td></tr>" + "<tr><td>x</td></tr>" * rows + "</table>")


def html_superscript_numbers() -> bytes:
    """colspan="²" and font-weight:² pass str.isdigit() but not int() (was ValueError, exit 3)."""
    table = ('<table><tr><th colspan="²">序号</th><th>重点任务</th><th>责任单位</th></tr>'
             '<tr><td>1</td><td style="font-weight:²">加强重点项目建设管理</td><td>县发改局</td></tr></table>')
    return html_page('<p style="font-weight:³">一、重点工作</p>' + table + html_items(3))


# ---- RTF

def rtf_wide_table(rows: int = 150_000) -> bytes:
    """A first row of 256 cells over ``rows`` one-cell rows (3.8 MB: 3.6 GB)."""
    wide = b"\\trowd" + b"".join(b"\\cellx%d" % (100 * (i + 1)) for i in range(256)) + b"\\intbl" + b"a\\cell" * 256 + b"\\row"
    narrow = b"\\trowd\\cellx1000\\intbl x\\cell\\row\n"
    return b"{\\rtf1\\ansi " + wide + narrow * rows + b"\\pard 1\\par}"


# ---- PDF

def raw_pdf(content: bytes, extra_objects: list[bytes] | None = None, content_dict: bytes = b"") -> bytes:
    """A one-page PDF with ``content`` as its content stream (given already encoded, with its
    dictionary entries in ``content_dict``) and Helvetica as /F1."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d %s >>\nstream\n" % (len(content), content_dict) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"] + (extra_objects or [])
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflate(data_chunks, level: int = 9) -> bytes:
    comp = zlib.compressobj(level)
    return b"".join(comp.compress(c) for c in data_chunks) + comp.flush()


def pdf_flate_bomb(mb: int = 100) -> bytes:
    """A content stream of ``mb`` MB of spaces in ~100 KB (PDFium inflated it whole: 2-4 GB)."""
    body = deflate(b" " * (1024 * 1024) for _ in range(mb))
    return raw_pdf(body, content_dict=b"/Filter /FlateDecode")


def pdf_double_flate_bomb(mb: int = 1024) -> bytes:
    """[/FlateDecode /FlateDecode]: ``mb`` MB of zeros deflated twice, a few KB."""
    once = deflate(b"\0" * (1024 * 1024) for _ in range(mb))
    return raw_pdf(deflate([once]), content_dict=b"/Filter [/FlateDecode /FlateDecode]")


def pdf_objstm_bomb(mb: int = 100) -> bytes:
    """An object stream inflating to ``mb`` MB (objects PDFium loads with the page)."""
    text = b"BT /F1 12 Tf 72 720 Td (1. Task) Tj ET"
    head = b"6 0 "
    body = deflate([head] + [b" " * (1024 * 1024) for _ in range(mb)] + [b"<< >>"])
    objstm = b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n" % (len(head), len(body))
    return raw_pdf(text, [objstm + body + b"\nendstream"])


def pdf_ruled_grid(n: int = 499) -> bytes:
    """A page ruled into n x n cells with a little text (12 s per page finding cells)."""
    step = 800 / n
    ops = [b"0.2 w"]
    for i in range(n + 1):
        ops.append(b"%.2f %.2f m %.2f %.2f l S" % (20, 20 + i * step, 820, 20 + i * step))
        ops.append(b"%.2f %.2f m %.2f %.2f l S" % (20 + i * step, 20, 20 + i * step, 820))
    ops.append(b"BT /F1 1 Tf 21 21 Td (1) Tj ET")
    return raw_pdf(b"\n".join(ops))


def pdf_dense_page(lines: int = 1600, chars: int = 1500) -> bytes:
    """One page of ``lines`` x ``chars`` characters at 0.5 pt in a 5 KB file: 2.4 M characters,
    each of which became a Python object for the line finder."""
    line = b"(" + b"x" * chars + b") Tj T*\n"
    content = deflate([b"BT /F1 0.5 Tf 0.5 TL 1 841 Td\n", line * lines, b"ET"])
    return raw_pdf(content, content_dict=b"/Filter /FlateDecode")


def pdf_table_only() -> bytes:
    """Page 2 of the ruled table sample with everything outside the table removed (the page
    number): a PDF that is only the 分工表 (was exit 9 'no text and nothing drawn')."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfraw

    src = pdfium.PdfDocument(str(TABLE_PDF))
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(src, [1])
    page = pdf[0]
    objs = list(page.get_objects())
    boxes = [o.get_bounds() for o in objs if o.type == pdfraw.FPDF_PAGEOBJ_PATH]
    x0, y0 = min(b[0] for b in boxes) - 1, min(b[1] for b in boxes) - 1
    x1, y1 = max(b[2] for b in boxes) + 1, max(b[3] for b in boxes) + 1
    for o in objs:
        if o.type == pdfraw.FPDF_PAGEOBJ_TEXT:
            l, b, r, t = o.get_bounds()
            if not (x0 <= l and r <= x1 and y0 <= b and t <= y1):
                page.remove_obj(o)
    page.gen_content()
    buf = io.BytesIO()
    pdf.save(buf)
    # PDFium stamps the time and a random /ID: fixed ones (same length) give the same bytes every run
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20210121000000", buf.getvalue())
    return re.sub(rb"/ID\[<[0-9A-F]{32}><[0-9A-F]{32}>\]", b"/ID[<" + b"0" * 32 + b"><" + b"0" * 32 + b">]", data)


# ---- text

def text_markers(mb: int) -> bytes:
    """``mb`` MB of bare 一、 lines (7 MB: 1.7 GB, 14 MB: 3.4 GB, about 245 bytes per input byte)."""
    line = "一、\n".encode("utf-8")
    return line * (mb * 1024 * 1024 // len(line))


def _first_line(fn) -> str:
    return " ".join((fn.__doc__ or "").split())


# name -> (maker, expected): expected is an error kind, ("tasks", n) for exactly n tasks, or
# ("parses", None) for exit 0 whatever the tasks.  Small enough to commit.
ROUND_TWO = {
    "ole_fat_loop.doc": (ole_fat_loop, "corrupt"),
    "ole_ministream_loop.doc": (ole_ministream_loop, "corrupt"),
    "ole_minifat_loop.doc": (ole_minifat_loop, "corrupt"),
    "ole_difat_self.doc": (ole_difat_self, "corrupt"),
    "ole_rebuilt.doc": (ole_rebuilt, ("tasks", 66)),
    "ole_bad_entry_type.doc": (ole_bad_entry_type, "corrupt"),
    "doc_pieces_1000.doc": (partial(doc_repeated_pieces, 1000), "corrupt"),
    "doc_pieces_10000.doc": (partial(doc_repeated_pieces, 10000), "corrupt"),
    "doc_ccp_text_zero.doc": (doc_ccp_text_zero, "empty"),
    "doc_negative_cp.doc": (doc_negative_cp, "corrupt"),
    "doc_fib_csw.doc": (doc_fib_csw, "corrupt"),
    "docx_list_huge_start.docx": (docx_list_huge_start, ("parses", None)),
    "docx_wide_table.docx": (docx_wide_table, "too-large"),
    "docx_size_lie.docx": (docx_size_lie, "corrupt"),
    **{f"html_charset_{c}.html": (partial(lambda c: html_page(html_items(5), charset=c), c), ("tasks", 5))
       for c in HTML_NON_TEXT_CODECS},
    "html_superscript_numbers.html": (html_superscript_numbers, ("tasks", 4)),
    "html_font_soup.html": (html_font_soup, ("tasks", 400)),
    "html_nested_divs.html": (html_nested_divs, ("tasks", 40)),
    "pdf_table_only.pdf": (pdf_table_only, ("parses", None)),
    "pdf_ruled_grid.pdf": (pdf_ruled_grid, ("parses", None)),
    "pdf_dense_page.pdf": (pdf_dense_page, "too-large"),
    "pdf_flate_bomb.pdf": (pdf_flate_bomb, "too-large"),
    "pdf_double_flate_bomb.pdf": (pdf_double_flate_bomb, "too-large"),
    "pdf_objstm_bomb.pdf": (pdf_objstm_bomb, "too-large"),
}
WHAT = {"html_charset_": "a page whose meta charset names a codec that is not a text encoding (was LookupError, "
                         "exit 3); decoded by sniffing instead"}
# made on demand (--big DIR): megabytes each, never committed
BIG = {
    "text_markers_7mb.txt": (partial(text_markers, 7), "too-large"),
    "text_markers_14mb.txt": (partial(text_markers, 14), "too-large"),
    "html_wide_table.html": (html_wide_table, "too-large"),
    "rtf_wide_table.rtf": (rtf_wide_table, "too-large"),
    "html_big_image.html": (html_big_image, ("tasks", 40)),
    "html_big_attribute.html": (html_big_attribute, ("tasks", 40)),
    "docx_size_lie_2g.docx": (partial(docx_size_lie, 2000 * 1024 * 1024), "corrupt"),
    "pdf_flate_bomb_1g.pdf": (partial(pdf_flate_bomb, 1024), "too-large"),
}


def write_cases(out: Path, cases: dict, manifest: dict) -> None:
    for name, (maker, expected) in cases.items():
        what = next((w for k, w in WHAT.items() if name.startswith(k)), None) or _first_line(getattr(maker, "func", maker))
        data = maker()
        if isinstance(expected, str):
            write(out, name, data, manifest, expected, what)
        else:
            write(out, name, data, manifest, None, what)
            manifest["parses" if expected[0] == "parses" else "tasks"][name] = expected[1] if expected[0] == "tasks" else what


def big_cases(dest: Path) -> dict:
    """Write the big hostile files into ``dest``; return their manifest (same shape as MANIFEST.json)."""
    dest.mkdir(parents=True, exist_ok=True)
    manifest: dict = {"errors": {}, "tasks": {}, "parses": {}, "files": {}}
    write_cases(dest, BIG, manifest)
    (dest / "BIG_MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help="corpus folder (default tests/bad_inputs)")
    ap.add_argument("--big", type=Path, metavar="DIR", help="also write DIR/big_notice.txt (~50 MB; never commit it)")
    args = ap.parse_args(argv)
    for src in (DOCX, DOC, PDF, HTML_GBK, SEED_TXT):
        if not src.exists():
            raise SystemExit(f"{src} missing: run scripts/make_samples.py first")

    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "about": "file -> the error kind taskparse must raise (TaskparseError.kind); 'recoverable' files must "
                 "parse; 'also_acceptable' lists other outcomes that are safe; 'must_not_contain' is text that "
                 "must never appear in any output",
        "errors": {}, "recoverable": {}, "tasks": {}, "parses": {}, "also_acceptable": {}, "must_not_contain": {},
        "files": {}}
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="bad_inputs_") as tmp:
        work = Path(tmp)
        write(out, "empty.txt", b"", manifest, "empty", "zero bytes")
        write(out, "one_byte.txt", b"\xff", manifest, "empty", "a single 0xFF byte")
        for suffix in ("txt", "docx", "doc", "pdf", "html", "rtf"):
            data = rng.randbytes(RANDOM_BYTES)
            write(out, f"random.{suffix}", data, manifest, "unsupported",
                  f"{RANDOM_BYTES} random bytes (seeded) under a .{suffix} name: content sniffing finds no format")
        docx = DOCX.read_bytes()
        write(out, "truncated.docx", docx[: len(docx) // 2], manifest, "corrupt",
              f"the first half of {DOCX.name}: no zip central directory")
        write(out, "malformed_xml.docx", malformed_xml(), manifest, "corrupt",
              "word/document.xml is not well-formed (a </w:q> closes a <w:p>)")
        write(out, "zip_bomb.docx", zip_bomb(), manifest, "too-large",
              f"word/document.xml inflates to {BOMB_INFLATED_BYTES // (1024 * 1024)} MiB of spaces "
              "(deflate level 9); the declared size in the zip says so too")
        write(out, "billion_laughs.docx", billion_laughs(), manifest, "corrupt",
              "nested internal entities in document.xml (10^9 'lol'); a safe parser refuses the DTD")
        manifest["also_acceptable"]["billion_laughs.docx"] = ["too-large"]
        write(out, "external_entity.docx", external_entity(), manifest, "corrupt",
              "an extra paragraph &xxe; with <!ENTITY xxe SYSTEM \"file:///etc/passwd\">")
        manifest["also_acceptable"]["external_entity.docx"] = ["parsed, without the entity's content"]
        manifest["must_not_contain"]["external_entity.docx"] = ["root:x:0:0", "/bin/"]
        write(out, "xlsx_as_docx.docx", xlsx(), manifest, "unsupported", "a real .xlsx (xlsxwriter) renamed .docx")
        write(out, "zip_not_docx.docx", zip_without_document(), manifest, "unsupported",
              "a zip holding only notice.txt, no word/document.xml")

        bx = broken_xref(work)
        text = probe_pdf(bx)
        note = "page 1 of the 002 sample with every xref offset digit randomised and startxref pointing elsewhere"
        if text and text.strip():
            write(out, "broken_xref.pdf", bx, manifest, None, note + "; PDFium rebuilds the xref by scanning")
            manifest["recoverable"]["broken_xref.pdf"] = "must parse: PDFium recovers the text of page 1"
        else:
            write(out, "broken_xref.pdf", bx, manifest, "corrupt", note)
        tp = truncated_pdf()
        text = probe_pdf(tp)
        note = f"the first half of {PDF.name}"
        if text is None:
            write(out, "truncated.pdf", tp, manifest, "corrupt", note)
        else:  # PDFium may open what it can; partial text is then acceptable
            write(out, "truncated.pdf", tp, manifest, "corrupt", note + "; PDFium opens it (partial pages)")
            manifest["also_acceptable"]["truncated.pdf"] = ["parsed (partial)"]
        write(out, "encrypted.pdf", encrypted_pdf(work), manifest, "encrypted",
              "page 1 of the 002 sample, AES-128, user password 'user'")
        write(out, "image_only.pdf", image_only_pdf(work), manifest, "needs-ocr",
              "page 1 of the 002 sample rendered at 72 dpi and wrapped as an image: no text layer")

        write(out, "ole_no_worddocument.doc", ole_without_worddocument(), manifest, "unsupported",
              f"{DOC.name} with its WordDocument stream renamed WordDocumenX: an OLE file that is not Word")
        write(out, "encrypted_flag.doc", patched_doc(work, set_encrypted), manifest, "encrypted",
              f"{DOC.name} with fEncrypted (0x0100) set in the FIB flags at 0x0A of WordDocument")
        write(out, "word95.doc", patched_doc(work, set_word95), manifest, "unsupported",
              f"{DOC.name} with wIdent patched to 0xA5DC (Word 95)")

        write(out, "html_unknown_charset.html", html_unknown_charset(), manifest, None,
              "the 002 GBK web page with <meta charset=\"x-unknown-foo\">")
        manifest["recoverable"]["html_unknown_charset.html"] = "must parse: fall back to sniffing the bytes (GBK)"
        write(out, "gb18030_invalid.txt", gb18030_invalid(), manifest, "corrupt",
              "GB18030 text of seed 004 with a bad trail byte, a 0xFF lead byte and a cut 4-byte sequence")
        write_cases(out, ROUND_TWO, manifest)
        manifest["also_acceptable"]["docx_size_lie.docx"] = ["too-large"]

    problems = []
    for f in sorted(out.iterdir()):
        limit = MAX_BOMB_BYTES if f.name == "zip_bomb.docx" else MAX_FILE_BYTES
        if f.is_file() and f.name not in ("MANIFEST.json", "README.md") and f.stat().st_size > limit:
            problems.append(f"{f.name} is {f.stat().st_size // 1024} KB (limit {limit // 1024} KB)")
        if f.is_file() and f.name not in manifest["files"] and f.name not in ("MANIFEST.json", "README.md"):
            problems.append(f"{f.name} is in the folder but not made by this script")
    for key in ("errors", "recoverable", "tasks", "parses", "also_acceptable", "must_not_contain", "files"):
        manifest[key] = dict(sorted(manifest[key].items()))
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name in manifest["files"]:
        kind = manifest["errors"].get(name) or next((k for k in ("recoverable", "tasks", "parses")
                                                     if name in manifest[k]), "?")
        print(f"{(out / name).stat().st_size:>8}  {name:28} {kind}", file=sys.stderr)
    if args.big:
        args.big.mkdir(parents=True, exist_ok=True)
        big_text(args.big / "big_notice.txt")
        big_cases(args.big)
    for p in problems:
        print("PROBLEM: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
