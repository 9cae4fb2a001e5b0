"""Parser time on adversarial text: does ``taskparse.parse_text`` stay linear?

    python bench/bench_adversarial.py [--base-kb 128] [--only NAME ...] [--big-mb 50] [--no-big]
                                      [--max-seconds 60] [--profile NAME]

Each case is a text generator; it is parsed at 1x, 2x, 4x and 8x the base size (default
128 KB .. 1 MB of UTF-8) and the script prints seconds per MB at 8x and the ratio t(8x)/t(1x):
a linear parse gives about 8, anything clearly above is superlinear.  The ``seeds`` case is the
five sample notices repeated up to ``--big-mb`` MB (default 50; sizes big/8 .. big).  A size whose
previous size already took more than ``--max-seconds`` is skipped (shown as "skip").
``--profile NAME`` runs cProfile on the 1x input of one case and prints the top functions.

Times are CPU seconds of this process (time.process_time), so a busy machine does not bend
the ratios; wall time is higher when the cores are shared.  Flags for the eye: ratio > 12 (superlinear) or > 2 s/MB.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import taskparse  # noqa: E402

MB = 1024 * 1024
RATIO_FLAG = 12.0  # t(8x)/t(1x) above this is superlinear (8 is linear; timing noise allowed for)
SECONDS_PER_MB_FLAG = 2.0
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
CJK = "的工作任务推进建设管理服务发展实施落实完善机制体系加强重点项目单位部门政府市县区局委办中心"
GENRE = "一二三四五六七八九十、（）()1234567890.责任单位：牵头单位、，局委办。；\n "


def repeat_to(unit: str, nbytes: int) -> str:
    """``unit`` repeated until the UTF-8 size reaches ``nbytes``."""
    size = len(unit.encode("utf-8"))
    text = unit * (nbytes // size + 1)
    return text[: max(1, len(text) * nbytes // (size * (nbytes // size + 1)))]


def lines_to(make_line: Callable[[int], str], nbytes: int) -> str:
    """Numbered lines (``make_line(i)`` for i = 1, 2, ...) until ``nbytes`` of UTF-8."""
    out, size, i = [], 0, 1
    while size < nbytes:
        line = make_line(i) + "\n"
        out.append(line)
        size += len(line.encode("utf-8"))
        i += 1
    return "".join(out)


def random_cjk_spaces(nbytes: int) -> str:
    rng = random.Random(6)
    alphabet = CJK + GENRE
    out, size = [], 0
    while size < nbytes:
        n = rng.randint(20, 200)
        line = "".join(rng.choice(alphabet) if rng.random() > 0.15 else " " for _ in range(n)) + "\n"
        out.append(line)
        size += len(line.encode("utf-8"))
    return "".join(out)


def one_line_cjk(nbytes: int) -> str:
    """The seed notices with their line breaks removed: one line of ordinary text."""
    text = "".join(t.replace("\r", "").replace("\n", "") for t in SEED_TEXTS)
    return repeat_to(text, nbytes)


def one_line_markers(nbytes: int) -> str:
    """A scraped page whose line breaks became spaces: items '1.…（责任单位：…）' after spaces."""
    return " ".join(lines_to(lambda i: f"{i}.加强重点项目建设管理（责任单位：县发改局、县财政局）", nbytes).split("\n"))


def nested_labels(nbytes: int) -> str:
    """Brackets nested ever deeper with a label inside each, closed at the end; one line."""
    k = max(1, nbytes // len("（责任单位：甲局、）".encode("utf-8")))
    return "1.任务" + "（责任单位：甲局、" * k + "）" * k


def nested_labels_lines(nbytes: int) -> str:
    """The same nesting with one level per line (the open bracket stays open over many lines)."""
    k = max(1, nbytes // len("（责任单位：甲局、\n）\n".encode("utf-8")))
    return "1.任务\n" + "（责任单位：甲局、\n" * k + "）\n" * k


def seeds(nbytes: int) -> str:
    return repeat_to("\n".join(SEED_TEXTS) + "\n", nbytes)


CASES: dict[str, Callable[[int], str]] = {
    "open_paren": lambda n: repeat_to("（", n),
    "dunhao": lambda n: repeat_to("、", n),
    "dotted_1.1.1": lambda n: repeat_to("1.", n),
    "one_line_cjk": one_line_cjk,
    "numbered_items": lambda n: lines_to(lambda i: f"{i}.任务（责任单位：A局、B局）", n),
    "label_repeat": lambda n: repeat_to("责任单位：", n),
    "label_repeat_lines": lambda n: repeat_to("责任单位：\n", n),
    "unit_list_one_clause": lambda n: "1.任务\n责任单位：" + repeat_to("县发展和改革局、", n),
    "nested_labels": nested_labels,
    "nested_labels_lines": nested_labels_lines,
    "cn_l1_一、": lambda n: repeat_to("一、", n),
    "cn_l2_（一）": lambda n: repeat_to("（一）", n),
    "circled_①": lambda n: repeat_to("①", n),
    "markers_per_line": lambda n: repeat_to("一、\n（一）\n1.\n（1）\n①\n", n),
    "items_deep_outline": lambda n: lines_to(
        lambda i: ("一、重点工作", "（一）加强管理", f"{i}.推进建设（责任单位：县发改局）", "（1）细化措施", "①落实到位")[i % 5], n),
    "random_cjk_spaces": random_cjk_spaces,
    "one_line_markers": one_line_markers,
    "clause_wrapped": lambda n: "1.任务\n责任单位：县卫生健康\n" + repeat_to("局、结核病防治所、县卫生健康\n", n),
    "unclosed_items": lambda n: lines_to(lambda i: f"{i}.任务（责任单位：A局、B局", n),
    "note_every_item": lambda n: lines_to(lambda i: f"{i}.任务（责任单位：A局、B局，排名第一的为牵头单位）", n),
    "note_line_every_item": lambda n: lines_to(lambda i: f"{i}.任务（责任单位：A局、B局）\n排名第一的为牵头单位。", n),
    "state_council": lambda n: lines_to(lambda i: f"{i}.推进改革。（县发改局牵头，县财政局、县人社局按职责分工负责）", n),
    "bare_unit_brackets_one_line": lambda n: "1.推进工作" + repeat_to("建设项目。（县发改委）", n),
}


def time_parse(text: str) -> float:
    """CPU seconds of one parse (process time: other jobs on the machine do not inflate it)."""
    gc.collect()
    t0 = time.process_time()
    taskparse.parse_text(text)
    return time.process_time() - t0


def run_case(name: str, make: Callable[[int], str], sizes: list[int], max_seconds: float) -> list[tuple[int, float | None]]:
    out: list[tuple[int, float | None]] = []
    last = 0.0
    for size in sizes:
        if last > max_seconds:
            out.append((size, None))
            continue
        text = make(size)
        actual = len(text.encode("utf-8"))
        last = time_parse(text)
        out.append((actual, last))
        del text
    return out


def report(name: str, rows: list[tuple[int, float | None]]) -> str:
    cells = []
    for size, t in rows:
        cells.append(f"{size / MB:7.2f} MB {t:7.2f} s" if t is not None else f"{size / MB:7.2f} MB    skip")
    done = [(s, t) for s, t in rows if t is not None]
    s8, t8 = done[-1]
    s1, t1 = done[0]
    per_mb = t8 / (s8 / MB)
    ratio = (t8 / t1) if t1 > 0 and len(done) == len(rows) else float("nan")
    flag = ""
    if len(done) < len(rows):
        flag = "  <-- TOO SLOW"
    elif ratio > RATIO_FLAG or per_mb > SECONDS_PER_MB_FLAG:
        flag = "  <-- CHECK"
    return f"{name:22s} {per_mb:7.3f} s/MB  t8/t1 {ratio:6.1f}{flag}\n    " + " | ".join(cells)


def profile(name: str, nbytes: int) -> None:
    text = CASES[name](nbytes) if name != "seeds" else seeds(nbytes)
    prof = cProfile.Profile()
    prof.enable()
    taskparse.parse_text(text)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-kb", type=int, default=128, help="1x size in KB (default 128: 8x is 1 MB)")
    ap.add_argument("--only", nargs="*", default=None, help="case names to run (default all)")
    ap.add_argument("--big-mb", type=float, default=50.0, help="8x size of the seeds case in MB")
    ap.add_argument("--no-big", action="store_true", help="skip the seeds case")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="skip larger sizes once one takes longer")
    ap.add_argument("--profile", default=None, help="profile one case at 1x and exit")
    args = ap.parse_args()
    base = args.base_kb * 1024
    if args.profile:
        profile(args.profile, base if args.profile != "seeds" else int(args.big_mb * MB / 8))
        return
    names = args.only or list(CASES)
    taskparse.parse_text(seeds(64 * 1024))  # warm up: imports and compiled patterns
    print(f"parse_text, sizes {args.base_kb} KB x 1/2/4/8; python {sys.version.split()[0]}")
    for name in names:
        if name == "seeds":
            continue
        rows = run_case(name, CASES[name], [base * k for k in (1, 2, 4, 8)], args.max_seconds)
        print(report(name, rows), flush=True)
    if not args.no_big and (args.only is None or "seeds" in args.only):
        big = int(args.big_mb * MB)
        rows = run_case("seeds", seeds, [big // 8, big // 4, big // 2, big], args.max_seconds)
        print(report("seeds", rows), flush=True)


if __name__ == "__main__":
    main()
