#!/usr/bin/env python3
"""Regenerate tests/bad_inputs/: small damaged, hostile or unsupported files and MANIFEST.json,
which says what taskparse must do with each (the ``kind`` of the error in
src/taskparse/errors.py, or that the file must parse).

Built from the committed samples (samples/*.docx, .doc, .pdf, .html — see
scripts/make_samples.py) plus seeded random bytes; needs qpdf and xlsxwriter, not LibreOffice.

    python scripts/make_bad_inputs.py            # rewrite tests/bad_inputs/
    python scripts/make_bad_inputs.py --big DIR  # also write DIR/big_notice.txt (~50 MB, for bench/)
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
        "errors": {}, "recoverable": {}, "also_acceptable": {}, "must_not_contain": {}, "files": {}}
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

    problems = []
    for f in sorted(out.iterdir()):
        limit = MAX_BOMB_BYTES if f.name == "zip_bomb.docx" else MAX_FILE_BYTES
        if f.is_file() and f.name not in ("MANIFEST.json", "README.md") and f.stat().st_size > limit:
            problems.append(f"{f.name} is {f.stat().st_size // 1024} KB (limit {limit // 1024} KB)")
        if f.is_file() and f.name not in manifest["files"] and f.name not in ("MANIFEST.json", "README.md"):
            problems.append(f"{f.name} is in the folder but not made by this script")
    for key in ("errors", "recoverable", "also_acceptable", "must_not_contain", "files"):
        manifest[key] = dict(sorted(manifest[key].items()))
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for name in manifest["files"]:
        kind = manifest["errors"].get(name) or ("recoverable" if name in manifest["recoverable"] else "?")
        print(f"{(out / name).stat().st_size:>8}  {name:28} {kind}", file=sys.stderr)
    if args.big:
        args.big.mkdir(parents=True, exist_ok=True)
        big_text(args.big / "big_notice.txt")
    for p in problems:
        print("PROBLEM: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
