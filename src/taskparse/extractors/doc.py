"""Word 97-2003 binary documents (.doc, and .wps from WPS Office), read directly on olefile.

The reader follows [MS-DOC]: FIB -> table stream -> piece table (CLX) for the main text,
CHPX pages for bold and fonts, PAPX pages for paragraph style and table marks, the style sheet
(STSH) for bold inherited from a style.  A run set in a 黑体-family font counts as bold, because
notices mark lead units that way.
"""
from __future__ import annotations

import io
import struct
from bisect import bisect_right
from dataclasses import dataclass, field
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ..document import Cell, Document, Line, Table
from . import _ole
from ._common import Budget, Grid, is_hei, merged_copy
from ._numbering import BULLET, format_msonfc
from ._runs import RunBuffer, joined
from ..errors import CorruptFile, EmptyDocument, EncryptedFile, UnsupportedFormat
from ..limits import MAX_LIST_START

__all__ = ["extract"]

_P = TypeVar("_P")  # the properties an FKP page gives each run: _Chp or _Pap

WORD97_IDENT = 0xA5EC
WORD95_IDENTS = (0xA5DC, 0xA5DB, 0xA59B, 0xA59C)  # Word 6/95 and Word 2
F_COMPLEX, F_ENCRYPTED, F_WHICH_TBL_STM = 0x0004, 0x0100, 0x0200
FKP_PAGE_BYTES = 512
FREE_SECTOR = 0xFFFFFFFF  # FAT entry of an unused sector
PIECE_COMPRESSED = 0x40000000
NO_STYLE = 0x0FFF
MAX_STYLE_DEPTH = 16  # istdBase chains longer than this are cycles
MAX_FIELD_DEPTH = 32  # nested fields deeper than this are damage

# FibRgFcLcb97 pair indexes
FC_STSHF, FC_PLCFBTECHPX, FC_PLCFBTEPAPX, FC_STTBFFFN, FC_CLX, FC_PLFLST, FC_PLFLFO = 1, 12, 13, 15, 33, 73, 74

SPRM_C_FBOLD = 0x0835
SPRM_C_ISTD = 0x4A30
SPRM_C_RGFTC0 = 0x4A4F  # ASCII font
SPRM_C_RGFTC1 = 0x4A50  # East-Asian font
SPRM_P_FINTABLE = 0x2416
SPRM_P_FTTP = 0x2417
SPRM_P_ITAP = 0x6649
SPRM_P_FINNERTTP = 0x244C
SPRM_P_FINNERTABLECELL = 0x244B
SPRM_P_ILFO = 0x460B
SPRM_P_ILVL = 0x260A
SPRM_P_HUGEPAPX = 0x6646  # the paragraph's grpprl is too big for its FKP page: it sits in the Data stream
SPRM_T_DEFTABLE = 0xD608
SPRM_P_CHGTABS = 0xC615

# Fonts whose use marks emphasis the way bold does (GB/T 9704 notices set lead units in 黑体).
# [MS-DOC] 2.4.1: bytes 0x82-0x9F of compressed pieces map like cp1252
_CP1252_REMAP = {0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
                 0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x91: 0x2018,
                 0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014,
                 0x98: 0x02DC, 0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9F: 0x0178}
_COMPRESSED_TABLE = {k: chr(v) for k, v in _CP1252_REMAP.items()}
_DROP_CHARS = {"\x01", "\x08", "\x02", "\x05", "\x00", "\x03", "\x04"}  # objects, notes, separators


class _Damaged(Exception):
    """Internal: a structure points outside its stream."""


@dataclass
class _Style:
    base: int = NO_STYLE
    bold: int | None = None  # raw sprmCFBold operand, resolved later
    ftc_ea: int | None = None
    ftc_ascii: int | None = None
    ilfo: int | None = None  # list of a paragraph style (numbered headings)
    ilvl: int | None = None


@dataclass
class _Chp:
    bold: int | None = None  # raw operand: 0, 1, 0x80, 0x81
    istd: int | None = None
    ftc_ea: int | None = None
    ftc_ascii: int | None = None


@dataclass
class _Pap:
    istd: int = 0
    in_table: bool = False
    ttp: bool = False
    itap: int = 0
    inner_ttp: bool = False
    inner_cell: bool = False
    huge: int | None = None  # offset of the grpprl in the Data stream (sprmPHugePapx)
    ilfo: int | None = None  # 1-based list format override; 0 = no list
    ilvl: int | None = None
    cell_bounds: tuple[int, ...] = ()  # rgdxaCenter of sprmTDefTable (row ends only)
    vmerge: tuple[int, ...] = ()  # per cell: 0 none, 1 restart, 2 continue


def extract(data: bytes, path: str | None = None) -> Document:
    """Read a Word 97-2003 (.doc/.wps) file into a Document of paragraphs and tables."""
    import olefile  # heavy only in name, but keep ``import taskparse`` light

    ole = _open_ole(olefile, data, path)
    try:
        word = _read_stream(ole, "WordDocument", path)
        reader = _Reader(word, ole, path, Budget(path, len(data)))
        return reader.document()
    finally:
        ole.close()


READ_STREAMS = ("WordDocument", "0Table", "1Table", "Data")  # the streams whose chains are checked first


# ---------------------------------------------------------------- OLE container

def _open_ole(olefile: Any, data: bytes, path: str | None) -> Any:
    # WPS writes a short final sector; pad to whole sectors so the container reader accepts it.
    padded = data
    sector = 512
    if len(data) >= 512:
        shift = struct.unpack_from("<H", data, 30)[0]
        sector = 1 << shift if 7 <= shift <= 16 else 512
        short = (len(data) - 512) % sector
        if short:
            padded = data + b"\x00" * (sector - short)
    if padded[:8] == _ole_magic():
        _ole.check(padded, path, READ_STREAMS)  # counts and chains bounded by the file size, loops refused
    try:  # strict: a chain loop or a stream larger than the file raises instead of being logged
        ole = olefile.OleFileIO(io.BytesIO(padded), raise_defects=olefile.DEFECT_INCORRECT)
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError... on damage
        raise CorruptFile(f"damaged or truncated OLE2/.doc container ({_short(exc)})", path,
                          "download the file again or re-save it in Word/WPS") from None
    if _sectors_missing(ole, len(data), sector):
        ole.close()
        raise CorruptFile("truncated OLE2/.doc file (sectors in use lie past its end)", path,
                          "download the file again")
    if not ole.exists("WordDocument"):
        try:
            names = {"/".join(e) for e in ole.listdir()}
        except Exception as exc:  # strict olefile: an entry that is neither stream nor storage, ...
            ole.close()
            raise CorruptFile(f"damaged OLE2/.doc directory ({_short(exc)})", path,
                              "download the file again or re-save it in Word/WPS") from None
        ole.close()
        if padded is not data:
            raise CorruptFile("truncated OLE2/.doc file (no WordDocument stream in what is left)", path,
                              "download the file again")
        if "EncryptionInfo" in names or "EncryptedPackage" in names:
            raise EncryptedFile("password-protected Word document", path,
                                "remove the password (File > Info > Protect Document) and save again")
        kind = "an Excel workbook" if "Workbook" in names or "Book" in names else "an OLE2 file that is not a Word document"
        raise UnsupportedFormat(kind, path, "save the notice as .docx, .doc or .pdf")
    return ole


def _ole_magic() -> bytes:
    from ..sniff import OLE_MAGIC

    return OLE_MAGIC


def _sectors_missing(ole: object, size: int, sector: int) -> bool:
    """True when the FAT uses sectors beyond the end of the file by more than a short final sector."""
    fat = getattr(ole, "fat", None)
    if fat is None:
        return False
    last = len(fat) - 1
    while last >= 0 and fat[last] == FREE_SECTOR:
        last -= 1
    needed = (last + 2) * sector  # the header takes the first sector's place
    return size <= needed - sector


def _read_stream(ole: Any, name: str, path: str | None) -> bytes:
    try:
        return bytes(ole.openstream(name).read())
    except Exception as exc:
        raise CorruptFile(f"cannot read the {name} stream ({_short(exc)})", path,
                          "download the file again or re-save it in Word/WPS") from None


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


# ---------------------------------------------------------------- the reader

class _Reader:
    def __init__(self, word: bytes, ole: Any, path: str | None, budget: Budget):
        self.word = word
        self.path = path
        self.budget = budget
        if len(word) < 0x1A2 + 8:
            raise CorruptFile("truncated WordDocument stream (FIB incomplete)", path,
                              "download the file again or re-save it in Word/WPS")
        ident, nfib = struct.unpack_from("<HH", word, 0)
        if ident in WORD95_IDENTS:
            raise UnsupportedFormat("Word 95 or older", path, "re-save as .docx")
        if ident != WORD97_IDENT:
            raise CorruptFile(f"not a Word document stream (FIB id 0x{ident:04X})", path,
                              "download the file again or re-save it in Word/WPS")
        flags = struct.unpack_from("<H", word, 0x0A)[0]
        if flags & F_ENCRYPTED:
            raise EncryptedFile("password-protected Word document", path,
                                "remove the password (Tools > Options > Security) and save again")
        self.nfib = nfib
        table_name = "1Table" if flags & F_WHICH_TBL_STM else "0Table"
        if not ole.exists(table_name):
            raise CorruptFile(f"the {table_name} stream is missing", path,
                              "download the file again or re-save it in Word/WPS")
        self.table = _read_stream(ole, table_name, path)
        self.data = _read_stream(ole, "Data", path) if ole.exists("Data") else b""
        self._read_fib()

    # -- FIB
    def _read_fib(self) -> None:
        w = self.word
        csw = struct.unpack_from("<H", w, 32)[0]
        pos = 34 + csw * 2
        if pos + 2 > len(w):
            raise CorruptFile("damaged FIB (FibRgW runs past the WordDocument stream)", self.path,
                              "re-save the file in Word/WPS")
        cslw = struct.unpack_from("<H", w, pos)[0]
        lw = pos + 2
        if cslw < 4 or lw + cslw * 4 + 2 > len(w):
            raise CorruptFile("damaged FIB (FibRgLw)", self.path, "re-save the file in Word/WPS")
        self.ccp_text = struct.unpack_from("<i", w, lw + 12)[0]
        if self.ccp_text < 0 or self.ccp_text > len(w):  # even 1-byte text cannot outgrow its stream
            raise CorruptFile(f"damaged FIB (main text of {self.ccp_text:,} characters in a "
                              f"{len(w):,}-byte stream)", self.path, "re-save the file in Word/WPS")
        pos = lw + cslw * 4
        cb_rg = struct.unpack_from("<H", w, pos)[0]
        self.fclcb_at = pos + 2
        self.fclcb_count = cb_rg
        if cb_rg <= FC_CLX or self.fclcb_at + cb_rg * 8 > len(w):
            raise CorruptFile("damaged FIB (FibRgFcLcb)", self.path, "re-save the file in Word/WPS")

    def _fclcb(self, index: int) -> tuple[int, int]:
        fc, lcb = struct.unpack_from("<II", self.word, self.fclcb_at + index * 8)
        return fc, lcb

    def _table_slice(self, index: int) -> bytes:
        fc, lcb = self._fclcb(index)
        if lcb == 0:
            return b""
        if fc + lcb > len(self.table):
            raise _Damaged(f"structure {index} runs past the table stream")
        return self.table[fc:fc + lcb]

    # -- whole document
    def document(self) -> Document:
        try:
            pieces = self._pieces()
            fonts = self._fonts()
            styles, default_ea = self._styles()
            chpx = self._runs(FC_PLCFBTECHPX, self._chpx_page)
            papx = self._runs(FC_PLCFBTEPAPX, self._papx_page)
            lists = self._lists()
        except (_Damaged, struct.error, IndexError) as exc:
            raise CorruptFile(f"damaged Word structure ({_short(exc)})", self.path,
                              "download the file again or re-save it in Word/WPS") from None
        text, fcs = self._main_text(pieces)
        builder = _Builder(self, styles, fonts, default_ea, chpx, papx, lists)
        try:
            blocks = builder.build(text, fcs)
        except (struct.error, IndexError, ValueError) as exc:
            raise CorruptFile(f"damaged Word structure ({_short(exc)})", self.path,
                              "download the file again or re-save it in Word/WPS") from None
        if not blocks:
            raise EmptyDocument("the Word document holds no text", self.path, "check that this is the right file")
        return Document(blocks=blocks, format="doc", path=self.path, has_bold=True)

    # -- piece table
    def _pieces(self) -> list[tuple[int, int, int, bool]]:
        clx = self._table_slice(FC_CLX)
        pos = 0
        while pos < len(clx) and clx[pos] == 0x01:  # Prc: grpprl of fast-saved property changes
            size = struct.unpack_from("<h", clx, pos + 1)[0]
            pos += 3 + max(size, 0)
        if pos >= len(clx) or clx[pos] != 0x02:
            raise _Damaged("no piece table in the CLX")
        lcb = struct.unpack_from("<I", clx, pos + 1)[0]
        plc = clx[pos + 5:pos + 5 + lcb]
        n = (len(plc) - 4) // 12
        if n <= 0:
            raise _Damaged("empty piece table")
        cps = struct.unpack_from(f"<{n + 1}i", plc, 0)
        pieces = []
        text_bytes = 0
        for i in range(n):
            fc_raw = struct.unpack_from("<I", plc, (n + 1) * 4 + i * 8 + 2)[0]
            compressed = bool(fc_raw & PIECE_COMPRESSED)
            fc = (fc_raw & ~PIECE_COMPRESSED) // 2 if compressed else fc_raw
            if cps[i] < 0 or cps[i + 1] < cps[i]:
                raise _Damaged(f"piece {i} has character positions {cps[i]}..{cps[i + 1]}")
            if cps[i] < self.ccp_text:
                text_bytes += (min(cps[i + 1], self.ccp_text) - cps[i]) * (1 if compressed else 2)
            pieces.append((cps[i], cps[i + 1], fc, compressed))
        if text_bytes > len(self.word):  # pieces that repeat the same bytes over and over
            raise _Damaged(f"the pieces of the main text add up to {text_bytes:,} bytes, "
                           f"more than the {len(self.word):,}-byte stream holds")
        return pieces

    def _main_text(self, pieces: list[tuple[int, int, int, bool]]) -> tuple[str, list[tuple[int, int, int]]]:
        """Text of CPs [0, ccpText) and, per piece, (text offset, fc of first char, bytes per char)."""
        out: list[str] = []
        fcs: list[tuple[int, int, int]] = []
        length = 0
        limit = self.ccp_text
        for cp0, cp1, fc, compressed in pieces:
            if cp0 >= limit:
                break
            cp1 = min(cp1, limit)
            count = cp1 - cp0
            if count <= 0:
                continue
            width = 1 if compressed else 2
            raw = self.word[fc:fc + count * width]
            if len(raw) < count * width:
                raise CorruptFile("truncated WordDocument stream (text runs past its end)", self.path,
                                  "download the file again")
            if compressed:
                chunk = raw.decode("latin-1").translate(_COMPRESSED_TABLE)
            else:
                chunk = raw.decode("utf-16-le", "replace")
            fcs.append((length, fc, width))
            out.append(chunk)
            length += count
        return "".join(out), fcs

    # -- automatic list numbering
    def _lists(self) -> "_Lists":
        lists = _Lists()
        if self.fclcb_count <= FC_PLFLFO:
            return lists
        fc, lcb = self._fclcb(FC_PLFLST)
        t = self.table
        if lcb < 2 or fc + lcb > len(t):
            return lists
        count = struct.unpack_from("<h", t, fc)[0]
        if count <= 0 or 2 + count * 28 > lcb:
            return lists
        pos = fc + lcb  # the LVLs follow the PlfLst
        for k in range(count):
            at = fc + 2 + k * 28
            lsid = struct.unpack_from("<i", t, at)[0]
            simple = t[at + 26] & 1
            levels = []
            for _ in range(1 if simple else 9):
                level, pos = _read_lvl(t, pos)
                levels.append(level)
            lists.lsts[lsid] = levels
        fc, lcb = self._fclcb(FC_PLFLFO)
        if lcb < 4 or fc + lcb > len(t):
            return lists
        n = struct.unpack_from("<I", t, fc)[0]
        if 4 + n * 16 > lcb:
            return lists
        pos = fc + 4 + n * 16
        for k in range(n):
            at = fc + 4 + k * 16
            lsid, clfolvl = struct.unpack_from("<i", t, at)[0], t[at + 12]
            starts: dict[int, int] = {}
            pos += 4  # LFOData.cp
            for _ in range(clfolvl):
                start, grf = struct.unpack_from("<iI", t, pos)
                pos += 8
                if grf & 0x10:  # fStartAt
                    starts[grf & 0x0F] = min(max(start, 0), MAX_LIST_START)
                if grf & 0x20:  # fFormatting: a whole LVL follows
                    _, pos = _read_lvl(t, pos)
            lists.lfos.append((lsid, starts))
        return lists

    # -- fonts
    def _fonts(self) -> list[str]:
        data = self._table_slice(FC_STTBFFFN)
        names: list[str] = []
        pos = 4  # cData, cbExtra
        while pos < len(data):
            cb = data[pos]
            ffn = data[pos + 1:pos + 1 + cb]
            pos += 1 + cb
            if cb == 0:
                break
            raw = ffn[39:]
            end = 0
            while end + 1 < len(raw) and raw[end:end + 2] != b"\x00\x00":
                end += 2
            names.append(raw[:end].decode("utf-16-le", "replace"))
        return names

    # -- styles
    def _styles(self) -> tuple[dict[int, _Style], int | None]:
        data = self._table_slice(FC_STSHF)
        styles: dict[int, _Style] = {}
        if len(data) < 4:
            return styles, None
        cb_stshi = struct.unpack_from("<H", data, 0)[0]
        stshi = data[2:2 + cb_stshi]
        cstd, cb_base = struct.unpack_from("<HH", stshi, 0)
        default_ea = struct.unpack_from("<H", stshi, 14)[0] if len(stshi) >= 16 else None
        pos = 2 + cb_stshi
        for istd in range(cstd):
            if pos + 2 > len(data):
                break
            cb_std = struct.unpack_from("<H", data, pos)[0]
            std = data[pos + 2:pos + 2 + cb_std]
            pos += 2 + cb_std
            if cb_std:
                style = _parse_std(std, cb_base)
                if style is not None:
                    styles[istd] = style
        return styles, default_ea

    # -- FKP pages
    def _runs(self, index: int, page_reader: Callable[[bytes], list[tuple[int, _P]]]) -> tuple[list[int], list[_P]]:
        """Read a PlcBte and its FKP pages into sorted run starts and properties."""
        plc = self._table_slice(index)
        n = (len(plc) - 4) // 8
        starts: list[int] = []
        props: list[_P] = []
        if n <= 0:
            return starts, props
        pns = struct.unpack_from(f"<{n}I", plc, (n + 1) * 4)
        seen: set[int] = set()
        for pn in pns:
            pn &= 0x3FFFFF
            if pn in seen:
                continue
            seen.add(pn)
            page = self.word[pn * FKP_PAGE_BYTES:(pn + 1) * FKP_PAGE_BYTES]
            if len(page) < FKP_PAGE_BYTES:
                raise _Damaged("FKP page past the end of the WordDocument stream")
            for fc, prop in page_reader(page):
                starts.append(fc)
                props.append(prop)
        order = sorted(range(len(starts)), key=starts.__getitem__)
        return [starts[i] for i in order], [props[i] for i in order]

    def _huge_papx(self, pap: _Pap) -> None:
        at = pap.huge or 0
        if at + 2 > len(self.data):
            raise _Damaged("sprmPHugePapx points past the Data stream")
        size = struct.unpack_from("<H", self.data, at)[0]
        pap.huge = None
        _apply_pap_sprms(self.data[at + 2:at + 2 + size], pap)
        pap.huge = None  # a huge grpprl never nests another

    def _chpx_page(self, page: bytes) -> list[tuple[int, _Chp]]:
        crun = page[511]
        if (crun + 1) * 4 + crun > 511:
            raise _Damaged("bad CHPX FKP run count")
        rgfc = struct.unpack_from(f"<{crun + 1}I", page, 0)
        out = []
        for i in range(crun):
            off = page[(crun + 1) * 4 + i] * 2
            chp = _Chp()
            if off:
                cb = page[off]
                _apply_chp_sprms(page[off + 1:off + 1 + cb], chp)
            out.append((rgfc[i], chp))
        out.append((rgfc[crun], _Chp()))  # past the last run: defaults until the next page
        return out

    def _papx_page(self, page: bytes) -> list[tuple[int, _Pap]]:
        cpara = page[511]
        if (cpara + 1) * 4 + cpara * 13 > 511:
            raise _Damaged("bad PAPX FKP paragraph count")
        rgfc = struct.unpack_from(f"<{cpara + 1}I", page, 0)
        out = []
        for i in range(cpara):
            off = page[(cpara + 1) * 4 + i * 13] * 2
            pap = _Pap()
            if off:
                cb = page[off]
                if cb:
                    start, size = off + 1, 2 * cb - 1
                else:
                    start, size = off + 2, 2 * page[off + 1]
                body = page[start:start + size]
                if len(body) >= 2:
                    pap.istd = struct.unpack_from("<H", body, 0)[0]
                    _apply_pap_sprms(body[2:], pap)
                    if pap.huge is not None:
                        self._huge_papx(pap)
            out.append((rgfc[i], pap))
        out.append((rgfc[cpara], _Pap()))
        return out


# ---------------------------------------------------------------- sprms

def _sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield (sprm, operand bytes) from a grpprl; stops at the first malformed sprm."""
    pos, end = 0, len(grpprl)
    while pos + 2 <= end:
        op = grpprl[pos] | (grpprl[pos + 1] << 8)
        pos += 2
        spra = op >> 13
        if spra in (0, 1):
            size = 1
        elif spra in (2, 4, 5):
            size = 2
        elif spra == 3:
            size = 4
        elif spra == 7:
            size = 3
        elif op == SPRM_T_DEFTABLE:
            if pos + 2 > end:
                return
            size = struct.unpack_from("<H", grpprl, pos)[0] + 1
        elif op == SPRM_P_CHGTABS and pos < end and grpprl[pos] == 255:
            size = _chgtabs_size(grpprl, pos)
        else:
            if pos >= end:
                return
            size = grpprl[pos] + 1
        if pos + size > end:
            return
        yield op, grpprl[pos:pos + size]
        pos += size


def _chgtabs_size(grpprl: bytes, pos: int) -> int:
    p = pos + 1
    if p >= len(grpprl):
        return len(grpprl)
    del_n = grpprl[p]
    p += 1 + del_n * 4
    if p >= len(grpprl):
        return len(grpprl)
    add_n = grpprl[p]
    p += 1 + add_n * 3
    return p - pos


def _apply_chp_sprms(grpprl: bytes, chp: _Chp | _Style) -> None:
    for op, arg in _sprms(grpprl):
        if op == SPRM_C_FBOLD:
            chp.bold = arg[0]
        elif op == SPRM_C_RGFTC1:
            chp.ftc_ea = arg[0] | (arg[1] << 8)
        elif op == SPRM_C_RGFTC0:
            chp.ftc_ascii = arg[0] | (arg[1] << 8)
        elif op == SPRM_C_ISTD and isinstance(chp, _Chp):
            chp.istd = arg[0] | (arg[1] << 8)


def _apply_pap_sprms(grpprl: bytes, pap: _Pap | _Style) -> None:
    for op, arg in _sprms(grpprl):
        if op == SPRM_P_ILFO:
            pap.ilfo = struct.unpack_from("<h", arg, 0)[0]
        elif op == SPRM_P_ILVL:
            pap.ilvl = arg[0]
        elif isinstance(pap, _Pap):
            _apply_table_sprm(op, arg, pap)


def _apply_table_sprm(op: int, arg: bytes, pap: _Pap) -> None:
    if op == SPRM_P_FINTABLE:
        pap.in_table = bool(arg[0])
    elif op == SPRM_P_FTTP:
        pap.ttp = bool(arg[0])
    elif op == SPRM_P_ITAP:
        pap.itap = struct.unpack_from("<i", arg, 0)[0]
    elif op == SPRM_P_HUGEPAPX:
        pap.huge = struct.unpack_from("<I", arg, 0)[0]
    elif op == SPRM_P_FINNERTTP:
        pap.inner_ttp = bool(arg[0])
    elif op == SPRM_P_FINNERTABLECELL:
        pap.inner_cell = bool(arg[0])
    elif op == SPRM_T_DEFTABLE:
        _read_tdef(arg, pap)


def _read_tdef(arg: bytes, pap: _Pap) -> None:
    body = arg[2:]
    if not body:
        return
    itc = body[0]
    need = 1 + (itc + 1) * 2
    if itc == 0 or len(body) < need:
        return
    pap.cell_bounds = struct.unpack_from(f"<{itc + 1}h", body, 1)
    merges = []
    for i in range(itc):
        at = need + i * 20
        if at + 2 > len(body):
            merges.append(0)
            continue
        grf = struct.unpack_from("<H", body, at)[0]
        merges.append(1 if grf & 0x40 else 2 if grf & 0x20 else 0)  # fVertRestart, fVertMerge
    pap.vmerge = tuple(merges)


def _parse_std(std: bytes, cb_base: int) -> _Style | None:
    if len(std) < 10:
        return None
    w2, w3 = struct.unpack_from("<HH", std, 2)
    stk, base, cupx = w2 & 0x0F, w2 >> 4, w3 & 0x0F
    style = _Style(base=base)
    pos = cb_base
    if pos + 2 > len(std):
        return style
    cch = struct.unpack_from("<H", std, pos)[0]
    pos += 2 + (cch + 1) * 2
    upxs = []
    for _ in range(cupx):
        if pos % 2:
            pos += 1
        if pos + 2 > len(std):
            break
        cb = struct.unpack_from("<H", std, pos)[0]
        upxs.append(std[pos + 2:pos + 2 + cb])
        pos += 2 + cb
    chpx = None
    if stk == 1 and len(upxs) >= 2:  # paragraph style: UpxPapx (istd + grpprl), UpxChpx
        chpx = upxs[1]
        _apply_pap_sprms(upxs[0][2:], style)
    elif stk == 2 and upxs:  # character style: UpxChpx
        chpx = upxs[0]
    if chpx:
        _apply_chp_sprms(chpx, style)
    return style


# ---------------------------------------------------------------- list numbers

NFC_DECIMAL, NFC_BULLET, NFC_NONE = 0, 23, 255


@dataclass
class _Lvl:
    start: int = 1
    nfc: int = NFC_DECIMAL
    follow: int = 2  # 0 tab, 1 space, 2 nothing
    xst: str = ""


@dataclass
class _Lists:
    lsts: dict[int, list[_Lvl]] = field(default_factory=dict)  # lsid -> levels
    lfos: list[tuple[int, dict[int, int]]] = field(default_factory=list)  # (lsid, start overrides)


def _read_lvl(t: bytes, pos: int) -> tuple[_Lvl, int]:
    """An LVL (LVLF + grpprlPapx + grpprlChpx + xst) at ``pos``; returns it and the offset after it."""
    if pos + 28 > len(t):
        raise _Damaged("list level past the end of the table stream")
    start, nfc = struct.unpack_from("<iB", t, pos)
    start = min(max(start, 0), MAX_LIST_START)
    follow, cb_chpx, cb_papx = t[pos + 15], t[pos + 24], t[pos + 25]
    pos += 28 + cb_papx + cb_chpx
    if pos + 2 > len(t):
        raise _Damaged("list level past the end of the table stream")
    cch = struct.unpack_from("<H", t, pos)[0]
    xst = t[pos + 2:pos + 2 + cch * 2].decode("utf-16-le", "replace")
    return _Lvl(start, nfc, follow, xst), pos + 2 + cch * 2


class _Numbering:
    """Counters of Word's automatic list numbers, in document order."""

    def __init__(self, lists: _Lists):
        self.lists = lists
        self.counters: dict[int, list[int | None]] = {}

    def label(self, ilfo: int, ilvl: int) -> str:
        if not 1 <= ilfo <= len(self.lists.lfos):
            return ""
        lsid, starts = self.lists.lfos[ilfo - 1]
        levels = self.lists.lsts.get(lsid)
        if not levels:
            return ""
        ilvl = min(max(ilvl, 0), len(levels) - 1)
        counts = self.counters.setdefault(lsid, [None] * len(levels))
        current = counts[ilvl]
        counts[ilvl] = starts.get(ilvl, levels[ilvl].start) if current is None else current + 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = None
        level = levels[ilvl]
        if level.nfc == NFC_NONE:
            return ""
        if level.nfc == NFC_BULLET:  # whatever glyph or symbol font draws it, a bullet reads as one
            return BULLET + (" " if level.follow in (0, 1) else "")
        out = []
        for ch in level.xst:
            code = ord(ch)
            if code < 9:  # placeholder: the number of level ``code``
                if level.nfc == NFC_BULLET:
                    continue
                seen = counts[code] if code < len(counts) else None
                n = seen if seen is not None else starts.get(code, levels[code].start if code < len(levels) else 1)
                out.append(format_msonfc(n, levels[code].nfc if code < len(levels) else NFC_DECIMAL))
            elif not 0xE000 <= code <= 0xF8FF:  # symbol-font bullets are private-use codes
                out.append(ch)
        text = "".join(out)
        return text + (" " if text and level.follow in (0, 1) else "")


# ---------------------------------------------------------------- text -> blocks

class _Builder:
    def __init__(self, reader: _Reader, styles: dict[int, _Style], fonts: list[str], default_ea: int | None,
                 chpx: tuple[list[int], list[_Chp]], papx: tuple[list[int], list[_Pap]], lists: _Lists):
        self.styles = styles
        self.budget = reader.budget
        self.numbering = _Numbering(lists)
        self.hei_fonts = {i for i, name in enumerate(fonts) if is_hei(name)}
        self.default_ea = default_ea
        self.chp_starts, self.chps = chpx
        self.pap_starts, self.paps = papx
        self._style_bold: dict[int, bool] = {}
        self._style_font: dict[tuple[int, str], int | None] = {}

    # -- style resolution
    def style_bold(self, istd: int) -> bool:
        if istd not in self._style_bold:
            chain = self._chain(istd)
            bold = False
            for style in reversed(chain):  # base first
                if style.bold is not None:
                    bold = _toggle(style.bold, bold)
            self._style_bold[istd] = bold
        return self._style_bold[istd]

    def style_font(self, istd: int, attr: str) -> int | None:
        key = (istd, attr)
        if key not in self._style_font:
            font = None
            for style in self._chain(istd):
                value = getattr(style, attr)
                if value is not None:
                    font = value
                    break
            self._style_font[key] = font
        return self._style_font[key]

    def _chain(self, istd: int) -> list[_Style]:
        chain: list[_Style] = []
        seen = set()
        while istd != NO_STYLE and istd in self.styles and istd not in seen and len(chain) < MAX_STYLE_DEPTH:
            seen.add(istd)
            chain.append(self.styles[istd])
            istd = self.styles[istd].base
        return chain

    # -- property lookups by file offset
    def pap_at(self, fc: int) -> _Pap:
        i = bisect_right(self.pap_starts, fc) - 1
        return self.paps[i] if i >= 0 else _Pap()

    def chp_at(self, fc: int) -> _Chp:
        i = bisect_right(self.chp_starts, fc) - 1
        return self.chps[i] if i >= 0 else _Chp()

    def char_bold(self, chp: _Chp, para_istd: int, ch: str) -> bool:
        base = self.style_bold(para_istd)
        if chp.istd is not None and chp.istd in self.styles:
            style = self.styles[chp.istd]
            if style.bold is not None:
                base = _toggle(style.bold, base)
        bold = _toggle(chp.bold, base) if chp.bold is not None else base
        if bold:
            return True
        if ord(ch) < 0x80:
            font = chp.ftc_ascii if chp.ftc_ascii is not None else self.style_font(para_istd, "ftc_ascii")
        else:
            font = chp.ftc_ea if chp.ftc_ea is not None else self.style_font(para_istd, "ftc_ea")
            if font is None:
                font = self.default_ea
        return font in self.hei_fonts

    # -- main loop
    def build(self, text: str, fcs: list[tuple[int, int, int]]) -> list[Line | Table]:
        fc_of = _FcMap(fcs)
        blocks: list[Line | Table] = []
        table = _TableBuilder(self.budget)
        para_no = 0
        start = 0
        n = len(text)
        while start < n:
            end = start
            while end < n and text[end] not in "\r\x07\x0c":  # \x0c: a section break ends its paragraph too
                end += 1
            mark = text[end] if end < n else "\r"  # the last paragraph may lack its mark
            para_no += 1
            pap = self.pap_at(fc_of(min(end, n - 1)))
            para = self._paragraph(text, start, end, fc_of, pap.istd)
            self._number(para, pap)
            in_table = pap.in_table or pap.itap > 0 or mark == "\x07"
            if in_table:
                table.add(para, mark, pap, para_no)
            else:
                if table.rows or table.cells:
                    blocks.append(table.finish())
                    table = _TableBuilder(self.budget)
                line = _line(para, para_no)
                if line is not None:
                    self.budget.line(len(line.text))
                    blocks.append(line)
            start = end + 1
        if table.rows or table.cells:
            blocks.append(table.finish())
        return blocks

    def _number(self, para: RunBuffer, pap: _Pap) -> None:
        """Put the automatic list number (absent from the text stream) in front of the paragraph."""
        ilfo, ilvl = pap.ilfo, pap.ilvl
        if ilfo is None or ilvl is None:
            for style in self._chain(pap.istd):
                if ilfo is None and style.ilfo is not None:
                    ilfo = style.ilfo
                if ilvl is None and style.ilvl is not None:
                    ilvl = style.ilvl
        if not ilfo or ilfo < 0:
            return
        label = self.numbering.label(ilfo, ilvl or 0)
        para.prepend(label, False)

    def _paragraph(self, text: str, start: int, end: int, fc_of: "_FcMap", istd: int) -> RunBuffer:
        para = RunBuffer()
        fields: list[bool] = []  # per open field: True once past its separator (showing result)
        hidden = 0
        for i in range(start, end):
            ch = text[i]
            if ch == "\x13":
                if len(fields) < MAX_FIELD_DEPTH:
                    fields.append(False)
                    hidden += 1
                continue
            if ch == "\x14":
                if fields and not fields[-1]:
                    fields[-1] = True
                    hidden -= 1
                continue
            if ch == "\x15":
                if fields:
                    if not fields.pop():
                        hidden -= 1
                continue
            if hidden or ch in _DROP_CHARS:
                continue
            if ch == "\x0b":
                ch = "\n"
            elif ch == "\x0c":
                ch = "\n"
            elif ch == "\x1e":  # non-breaking hyphen
                ch = "-"
            elif ch == "\x1f":  # optional hyphen
                continue
            elif ch == "\t":
                ch = " "
            para.add(ch, self.char_bold(self.chp_at(fc_of(i)), istd, ch))
        return para


class _FcMap:
    """Text offset -> file offset (fc), through the pieces."""

    def __init__(self, fcs: list[tuple[int, int, int]]):
        self.starts = [s for s, _, _ in fcs]
        self.fcs = fcs

    def __call__(self, offset: int) -> int:
        i = max(bisect_right(self.starts, offset) - 1, 0)
        start, fc, width = self.fcs[i]
        return fc + (offset - start) * width


def _toggle(value: int, base: bool) -> bool:
    if value == 0x80:
        return base
    if value == 0x81:
        return not base
    return bool(value & 1) if value < 0x80 else base


def _line(para: RunBuffer, number: int) -> Line | None:
    return para.line(number) if para.text().strip() else None


def _cell(paras: list[RunBuffer]) -> Cell:
    buf = joined([p for p in paras if p.text().strip()])
    spans, whole = buf.spans()
    return Cell(buf.text(), bold=whole, bold_spans=spans)  # the spans kept on a wholly bold cell too


class _TableBuilder:
    """Collects cell paragraphs into rows; a row ends at a paragraph mark with sprmPFTtp."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.rows: list[tuple[list[Cell], _Pap]] = []
        self.cells: list[Cell] = []
        self.paras: list[RunBuffer] = []
        self.first_line: int | None = None

    def add(self, para: RunBuffer, mark: str, pap: _Pap, number: int) -> None:
        if self.first_line is None:
            self.first_line = number
        if pap.ttp and pap.itap <= 1:  # row end mark of the outermost table
            if self.paras:
                self.cells.append(_cell(self.paras))
                self.budget.cell()
                self.paras = []
            self.rows.append((self.cells, pap))
            self.cells = []
            return
        self.paras.append(para)
        if mark == "\x07" and pap.itap <= 1 and not pap.inner_cell:
            self.cells.append(_cell(self.paras))
            self.budget.cell()
            self.paras = []

    def finish(self) -> Table:
        if self.paras:
            self.cells.append(_cell(self.paras))
        if self.cells:
            self.rows.append((self.cells, _Pap()))
        grid = _grid(self.rows, self.budget)
        return Table(rows=tuple(tuple(r) for r in grid), line=self.first_line)


GRID_TOLERANCE_TWIPS = 30  # cell boundaries closer than this (1.5 pt) are one grid line


def _grid(rows: list[tuple[list[Cell], _Pap]], budget: Budget) -> list[list[Cell]]:
    """Lay rows out on the table's column grid: horizontally merged cells are repeated into the
    columns they span, vertically merged continuation cells take the text of the cell above."""
    xs = sorted({x for cells, pap in rows if len(pap.cell_bounds) == len(cells) + 1 for x in pap.cell_bounds})
    bounds: list[int] = []
    for x in xs:  # boundaries within the tolerance of the previous one are that grid line
        if not bounds or x - bounds[-1] > GRID_TOLERANCE_TWIPS:
            bounds.append(x)
    width = max((max(len(cells), len(bounds) - 1) for cells, _ in rows), default=0)
    budget.grid(len(rows), width)  # before anything is repeated or padded
    grid = Grid()
    above: dict[int, Cell] = {}  # grid column -> the cell last laid there, which a vertical merge continues
    for cells, pap in rows:
        grid.row()
        if len(pap.cell_bounds) == len(cells) + 1 and len(bounds) > 1:
            for i, cell in enumerate(cells):
                left, right = _col(bounds, pap.cell_bounds[i]), _col(bounds, pap.cell_bounds[i + 1])
                merge = pap.vmerge[i] if i < len(pap.vmerge) else 0
                if merge == 2 and left in above:
                    cell = merged_copy(above[left])
                span = max(right, left + 1) - left
                grid.put(cell, max(left, grid.end()), span)  # boundaries out of order: after what is there
                for col in range(left, left + span):
                    above[col] = cell
        else:
            for i, cell in enumerate(cells):
                grid.put(cell, i)
    return grid.cells()


def _col(bounds: list[int], x: int) -> int:
    """The index of the grid line nearest to ``x`` (``bounds`` sorted)."""
    i = bisect_right(bounds, x)
    if i == 0:
        return 0
    if i == len(bounds) or x - bounds[i - 1] <= bounds[i] - x:
        return i - 1
    return i
