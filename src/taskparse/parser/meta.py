"""Notice metadata: title, 文号, issuer and date from the head (and signature) of a notice."""
from __future__ import annotations

from ..models import Notice
from . import patterns as P
from .tree import LLine
from .text import cn_number, strip_marks

HEAD_LINES = 80  # the notice head lies within the first lines (web pages add breadcrumbs)
TITLE_MAX_JOIN = 3  # a title may wrap over this many more lines


def _plain(ll: LLine) -> str:
    return strip_marks(ll.text).strip("|｜ ")


def notice_of(lines: list[LLine], first_item_idx: int | None) -> Notice:
    head_end = min(len(lines), HEAD_LINES if first_item_idx is None else max(first_item_idx, 1))
    head = [_plain(ll) for ll in lines[:head_end]]
    everything = [_plain(ll) for ll in lines]

    doc_number = None
    for t in head:
        m = P.DOC_NUMBER.search(t)
        if m:
            doc_number = P.DOC_NUMBER_LABEL.sub("", m.group("num"))  # "文号金政发…" from a glued 索引号 table
            break

    title, issuer = _title_and_issuer(head, doc_number)
    if issuer is None:  # the red head: "金乡县人民政府文件"
        issuer = next((m.group("org") for t in head[:12] if (m := P.RED_HEAD.match(t))), None)
    if issuer is None:
        issuer = _signature_issuer(everything)
    if issuer is None:
        for t in head:
            m = P.ISSUER_FIELD.search(t)
            if m:
                issuer = m.group("org")
                break
    return Notice(title=title, doc_number=doc_number, issuer=issuer, date=_date(head, everything))


def _title_and_issuer(head: list[str], doc_number: str | None) -> tuple[str | None, str | None]:
    for i, t in enumerate(head):
        if doc_number and t.startswith(doc_number):
            t = t[len(doc_number):]
        t = P.META_LABEL.sub("", P.TITLE_SITE_SUFFIX.sub("", t))  # "名称金乡县人民政府关于…" from a 索引号 table
        pos = t.find("关于")
        if pos < 0 or len(t) > 120 or t.endswith(("：", ":")):
            continue
        title = _join_title(t[pos:], head[i + 1:i + 1 + TITLE_MAX_JOIN])
        if title is None:
            continue
        prefix = t[:pos].strip("：: ")
        if doc_number:
            prefix = prefix.replace(doc_number, "")
        issuer = prefix if prefix and P.ISSUER_END.search(prefix) else None
        if issuer is None and i > 0 and P.ISSUER_END.search(head[i - 1]) and len(head[i - 1]) <= 30 \
                and not P.DOC_NUMBER.search(head[i - 1]):
            issuer = head[i - 1]
        return title, issuer
    for t in head:  # no "关于…" title: a document-type heading such as "2024年重点工作任务分解方案"
        t = P.TITLE_SITE_SUFFIX.sub("", t)
        if 4 <= len(t) <= 60 and P.DOC_TYPE_END.search(t) and not any(c in t for c in "，。：:,"):
            return t, None
    return None, None


def _join_title(first: str, following: list[str]) -> str | None:
    """A title may wrap: join following short lines until it ends with a document type
    (通知, 意见, 方案 …); failing that, accept the first line if it ends like a title."""
    title = first
    for nxt in following:
        if P.DOC_TYPE_END.search(title):
            return title
        if not nxt or len(nxt) > 60 or "。" in nxt or "：" in nxt or ":" in nxt:
            break
        title += nxt
    if P.DOC_TYPE_END.search(title):
        return title
    return first if P.TITLE_END.search(first) else None


SIGNATURE_MAX_CHARS = 30  # an issuer's name signing a notice is shorter (a longer line is a sentence)


def is_signature(line: str, below: str) -> bool:
    """Does ``line`` sign the notice: an organisation's name alone on a line, right above the date line
    ``below`` (both stripped)?"""
    return (bool(line) and len(line) <= SIGNATURE_MAX_CHARS and P.ISSUER_END.search(line) is not None
            and not any(c in line for c in "，。,：:；;") and P.DATE_LINE.match(below) is not None)


def _signature_issuer(lines: list[str]) -> str | None:
    """An organisation name alone on a line, right before a date line."""
    for prev, line in zip(lines, lines[1:]):
        if is_signature(prev, line):
            return prev
    return None


def _iso(y: str, m: str, d: str) -> str | None:
    yy = int(y) if y.isdigit() else cn_number(y.translate(str.maketrans("○Ｏ", "〇〇")))
    mm, dd = cn_number(m), cn_number(d)
    if not yy or not mm or not dd or not (1 <= mm <= 12 and 1 <= dd <= 31):
        return None
    return f"{yy:04d}-{mm:02d}-{dd:02d}"


def _date(head: list[str], lines: list[str]) -> str | None:
    for t in head:
        m = P.ISO_DATE_FIELD.search(t)
        if m:
            return _iso(m["y"], m["m"], m["d"])
    for t in lines:
        m = P.DATE_LINE.match(t)
        if m:
            return _iso(m["y"], m["m"], m["d"])
    for t in lines:
        m = P.CN_DATE.search(t)
        if m and P.PRINT_LINE.search(t):
            return _iso(m["y"], m["m"], m["d"])
    return None
