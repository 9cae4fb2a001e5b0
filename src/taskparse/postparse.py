"""After parsing: canonical unit names and due dates, added to a Result.

The parser gives units and deadlines as printed; :func:`enrich` adds, with the notice as context,
``lead_units_canonical`` / ``units_canonical`` and ``due`` per task and ``canonical_units`` per notice
(see canon.py and due.py), and warnings ``unit_near_miss`` and ``due_unresolved``.  It is pure and
may be run again on a Result (e.g. with another aliases file): earlier results are replaced.

User aliases: :func:`enrich` takes them as an argument; :func:`taskparse.parse_document` reads the
file named by the environment variable ``TASKPARSE_ALIASES`` (set by ``--aliases``, so worker
processes of a batch see it too).
"""
from __future__ import annotations

import os
from pathlib import Path

from .canon import Aliases, builtin_aliases, canonical_list, canonicalise, context_of, load_aliases
from .due import BY, UNKNOWN, due_of, notice_day, notice_year
from .models import CanonicalUnit, Due, Location, Result, Warning

ALIASES_ENV = "TASKPARSE_ALIASES"
OWN_CODES = {"unit_near_miss", "due_unresolved"}

_cache: dict[tuple[str, float], Aliases] = {}


def env_aliases() -> Aliases | None:
    """The user aliases named by ``TASKPARSE_ALIASES`` (read once per file version)."""
    path = os.environ.get(ALIASES_ENV)
    if not path:
        return None
    key = (str(Path(path).resolve()), Path(path).stat().st_mtime)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_aliases(path)
    return _cache[key]


def enrich(result: Result, aliases: Aliases | None = None) -> Result:
    """``result`` with canonical units and due dates; ``aliases`` are the user's, on top of the
    built-in table."""
    table = builtin_aliases() if aliases is None else builtin_aliases().merged(aliases)
    notice = result.notice
    context = context_of(notice.issuer, notice.title)
    names = [u for t in result.tasks for u in (*t.lead_units, *t.units)]
    units = canonicalise(names, context, table)
    year = notice_year(notice.date, notice.title)
    dated = notice_day(notice.date)
    warnings = [w for w in result.warnings if w.code not in OWN_CODES]
    warnings += [Warning(code=code, message=msg) for code, msg in units.warnings]
    tasks = []
    for t in result.tasks:
        due = due_of(t.deadline, t.text, year, dated)
        if due is not None and (due.kind == UNKNOWN or (due.kind == BY and due.date is None)):
            phrase = t.deadline or t.text[-20:]
            why = "不知道是哪一年（通知没有成文日期，标题也没有年份）" if due.kind == BY else "无法识别为日期"
            warnings.append(Warning(code="due_unresolved", message=f"任务 {t.id} 的完成时限“{phrase}”{why}",
                                    location=Location(line=t.location.line, page=t.location.page)))
        tasks.append(t.model_copy(update={
            "lead_units_canonical": canonical_list(t.lead_units, units),
            "units_canonical": canonical_list(t.units, units),
            "due": None if due is None else Due.model_validate(due.as_dict())}))
    index: dict[str, CanonicalUnit] = {}
    for printed in dict.fromkeys(names):
        c = units.by_printed[printed]
        old = index.get(c.canonical)
        index[c.canonical] = CanonicalUnit(
            canonical=c.canonical, collective=c.collective,
            printed=[*(old.printed if old else []), printed],
            also=list(dict.fromkeys([*(old.also if old else []), *c.also])))
    return result.model_copy(update={"tasks": tasks, "warnings": warnings, "canonical_units": list(index.values())})
