"""The readers' own bounds, one by one: the per-document budget, OLE container checks, list labels,
HTML codecs and parser limits, PDF stream inflation.  The whole hostile files are in
tests/bad_inputs/ (scripts/make_bad_inputs.py) and run through the CLI by test_bad_inputs.py."""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from taskparse.errors import CorruptFile, DamagedStructure, EmptyDocument, TaskparseError, TooLarge
from taskparse.extractors import extract_bytes
from taskparse.extractors._common import Budget
from taskparse.limits import MAX_DOCUMENT_BLOCKS, MAX_LIST_LABEL_CHARS, MAX_LIST_START, MAX_TABLE_CELLS

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad_inputs"
MANIFEST = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8"))
CORPUS = sorted(n for section in ("errors", "recoverable", "tasks", "parses") for n in MANIFEST.get(section, {}))


# --- the library's contract -------------------------------------------------------------------------

@pytest.mark.parametrize("name", CORPUS)
def test_library_raises_only_taskparse_errors_and_no_reader_bug(name):
    """Every failure caused by a file is a TaskparseError; DamagedStructure (a reader meeting an
    exception it did not name: struct.error, LookupError, ...) would be a bug in that reader."""
    try:
        extract_bytes((BAD / name).read_bytes(), name)
    except DamagedStructure as exc:
        pytest.fail(f"a reader failed on {name}: {exc}")
    except TaskparseError:
        pass


def test_an_unexpected_reader_exception_becomes_one_damaged_structure_line(monkeypatch):
    import struct

    from taskparse.extractors import txt

    def broken(data, path):
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(txt, "extract", broken)
    with pytest.raises(DamagedStructure) as info:
        extract_bytes("一、任务".encode(), "x.txt", "txt")
    assert isinstance(info.value, CorruptFile) and info.value.cause == "error"
    assert "x.txt" in str(info.value) and "struct" not in type(info.value).__name__


# --- the budget -------------------------------------------------------------------------------------

def test_text_with_more_lines_than_the_budget_is_too_large_before_splitting():
    data = b"\n" * (MAX_DOCUMENT_BLOCKS + 1)
    with pytest.raises(TooLarge, match="lines"):
        extract_bytes(b"x" + data, "x.txt", "txt")


def test_text_just_inside_the_line_budget_is_read():
    doc = extract_bytes("一、任务\n".encode() * 1000, "x.txt", "txt")
    assert len(doc.lines()) == 1001


def test_budget_counts_grid_positions_before_padding():
    budget = Budget("x", 1000)
    budget.grid(1000, 999)
    with pytest.raises(TooLarge, match="cells"):
        budget.grid(1, MAX_TABLE_CELLS)


def test_budget_on_characters_is_relative_to_the_input_size():
    budget = Budget("x", 10)  # a 10-byte file may still give the minimum budget
    budget.text(900_000)
    with pytest.raises(TooLarge, match="characters"):
        budget.text(200_000)


# --- .doc list labels -------------------------------------------------------------------------------

def test_doc_list_labels_are_clamped_and_bounded():
    from taskparse.extractors import doc
    from taskparse.extractors._numbering import format_msonfc

    levels = [doc._Lvl(start=MAX_LIST_START, nfc=3, follow=2, xst="\x00.")]
    lists = doc._Lists(lsts={1: levels}, lfos=[(1, {})])
    numbering = doc._Numbering(lists)
    first = numbering.label(1, 0)
    assert first == f"{MAX_LIST_START}."  # 1,261 letters would be longer than MAX_LIST_LABEL_CHARS
    upper_letter, upper_roman = 3, 1  # MSONFC codes
    assert format_msonfc(26 * MAX_LIST_LABEL_CHARS, upper_letter) == "Z" * MAX_LIST_LABEL_CHARS
    assert format_msonfc(26 * MAX_LIST_LABEL_CHARS + 1, upper_letter) == str(26 * MAX_LIST_LABEL_CHARS + 1)
    assert format_msonfc(2_000_000_000, upper_roman) == "2000000000" and format_msonfc(14, upper_roman) == "XIV"


def test_doc_list_start_read_from_the_file_is_clamped():
    import struct

    from taskparse.extractors import doc

    lvl = struct.pack("<iB", 2_000_000_000, 3) + bytes(23) + struct.pack("<H", 2) + "\x00.".encode("utf-16-le")
    level, end = doc._read_lvl(lvl, 0)
    assert level.start == MAX_LIST_START and end == len(lvl)
    lvl = struct.pack("<iB", -7, 0) + bytes(23) + struct.pack("<H", 0)
    assert doc._read_lvl(lvl, 0)[0].start == 0


def test_docx_letter_labels_fall_back_to_digits_past_the_label_limit():
    from taskparse.extractors.docx import _start, format_number

    assert format_number(27, "upperLetter") == "AA"
    assert format_number(26 * MAX_LIST_LABEL_CHARS + 1, "lowerLetter") == str(26 * MAX_LIST_LABEL_CHARS + 1)
    assert _start(2_000_000_000) == MAX_LIST_START and _start(None) == 1 and _start(-3) == 0


# --- OLE ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, words", [
    ("ole_fat_loop.doc", "claims 4,294,967,040 bytes"),
    ("ole_ministream_loop.doc", "mini stream claims"),
    ("ole_minifat_loop.doc", "16777216 MiniFAT sectors"),
    ("ole_difat_self.doc", "FAT sectors"),
])
def test_ole_claims_beyond_the_file_are_refused_before_olefile(name, words):
    with pytest.raises(CorruptFile, match=words):
        extract_bytes((BAD / name).read_bytes(), name)


def test_ole_chain_loop_within_the_claimed_size_is_refused():
    """A loop that stays inside the file's size: the seen-set, not the size check, catches it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mbi", ROOT / "scripts" / "make_bad_inputs.py")
    mbi = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mbi)  # type: ignore[union-attr]
    ole = mbi.Ole(mbi.ole_streams(ROOT / "samples" / "004_4ed748fdf1ac17b6.doc"))
    chain = ole.chains["WordDocument"]
    ole.set_fat(chain[3], chain[1])  # back to the second sector after the fourth
    with pytest.raises(CorruptFile, match="WordDocument chain loops"):
        extract_bytes(bytes(ole.data), "loop.doc")


def test_doc_without_main_text_is_empty_like_other_formats():
    with pytest.raises(EmptyDocument):
        extract_bytes((BAD / "doc_ccp_text_zero.doc").read_bytes(), "x.doc")


@pytest.mark.parametrize("name", ["doc_pieces_1000.doc", "doc_pieces_10000.doc"])
def test_pieces_repeating_the_same_text_are_refused(name):
    with pytest.raises(CorruptFile, match="pieces of the main text add up"):
        extract_bytes((BAD / name).read_bytes(), name)


# --- HTML ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["base64", "hex", "rot13", "uu", "zlib", "undefined", "bz2", "quopri"])
def test_a_charset_naming_a_non_text_codec_is_ignored(codec):
    from taskparse.extractors.html import decode

    text, encoding = decode("<p>一、任务</p>".encode("gbk"), codec)
    assert text == "<p>一、任务</p>" and encoding == "gb18030"


def test_superscript_digits_are_not_numbers():
    from taskparse.extractors.html import _span

    class El:
        def __init__(self, value):
            self.value = value

        def get(self, attr):
            return self.value

    assert _span(El("²"), "colspan") == 1 and _span(El("2²"), "colspan") == 2


# --- PDF ----------------------------------------------------------------------------------------------

def _pdf_with_stream(content: bytes, filters: bytes) -> bytes:
    return (b"%PDF-1.5\n4 0 obj\n<< /Length " + str(len(content)).encode() + b" /Filter " + filters + b" >>\nstream\n"
            + content + b"\nendstream\nendobj\n%%EOF\n")


def test_pdf_stream_inflating_past_the_cap_is_too_large():
    from taskparse.extractors import pdf
    from taskparse.limits import MAX_PDF_STREAM_BYTES

    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(bytes(1 << 20)) for _ in range(MAX_PDF_STREAM_BYTES // (1 << 20) + 1)) + comp.flush()
    with pytest.raises(TooLarge, match="decompression bomb"):
        pdf._check_streams(_pdf_with_stream(body, b"/FlateDecode"), "x.pdf")


def test_pdf_stream_inflation_follows_a_double_filter_and_stops_at_the_cap():
    from taskparse.extractors import pdf

    inner = zlib.compress(bytes(5 << 20), 9)
    data = _pdf_with_stream(zlib.compress(inner, 9), b"[/FlateDecode /FlateDecode]")
    start = data.index(b"stream\n") + len(b"stream\n")
    assert pdf._inflated_size(data, start, 2, 10 << 20) == 5 << 20
    assert pdf._inflated_size(data, start, 2, 1 << 20) > 1 << 20  # stopped just past the cap
    assert pdf._inflated_size(data, start, 1, 10 << 20) == len(inner)


def test_pdf_image_streams_are_not_inflated_for_the_check():
    """Images are not decoded when reading text, so a large scan does not count against the cap."""
    from taskparse.extractors import pdf
    from taskparse.limits import MAX_PDF_STREAM_BYTES

    body = zlib.compress(bytes(MAX_PDF_STREAM_BYTES + (1 << 20)), 9)
    pdf._check_streams(_pdf_with_stream(body, b"/FlateDecode /Subtype /Image"), "x.pdf")
