"""Ctrl-C and SIGTERM during a parallel batch (real processes): exit 130 / 143, one line, no worker
traceback, the notices finished so far written whole, no temporary file and no process left."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLES

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

COPIES = 3
WAIT_S = 120  # generous: the machine is shared; no timing is asserted


@pytest.fixture
def notices(tmp_path) -> Path:
    d = tmp_path / "notices"
    d.mkdir()
    files = [p for p in sorted(SAMPLES.iterdir()) if p.suffix in (".pdf", ".docx", ".doc", ".txt", ".html")
             and "encrypted" not in p.name and "scanned" not in p.name]
    for k in range(COPIES):
        for p in files:
            shutil.copy(p, d / f"{k}_{p.name}")
    return d


def _group_alive(pgid: int) -> list[int]:
    """Processes still in the batch's process group (the master and its workers)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def _interrupt(notices: Path, out: Path, sig: int, whole_group: bool):
    env = {**os.environ, "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1"}
    env.pop("LC_ALL", None)
    proc = subprocess.Popen([sys.executable, "-m", "taskparse", str(notices), "-o", f"{out}/", "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 3 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    if whole_group:  # what Ctrl-C in a terminal does: every process of the foreground group gets it
        os.killpg(proc.pid, sig)
    else:
        os.kill(proc.pid, sig)
    stdout, stderr = proc.communicate(timeout=WAIT_S)
    return proc, stderr.decode("utf-8", "replace")


def _check_outputs(notices: Path, out: Path) -> int:
    import taskparse

    written = sorted(out.glob("*.json"))
    for f in written:
        data = json.loads(f.read_text(encoding="utf-8"))  # whole, parseable
        src = notices / f.name[:-len(".json")]
        assert len(data["tasks"]) == len(taskparse.parse_file(src).tasks), f.name
    assert not [p.name for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]
    return len(written)


@pytest.mark.parametrize("whole_group", [True, False], ids=["ctrl-c-group", "master-only"])
def test_sigint_stops_the_batch(notices, tmp_path, whole_group):
    out = tmp_path / "out"
    total = len(list(notices.iterdir()))
    proc, stderr = _interrupt(notices, out, signal.SIGINT, whole_group)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    lines = stderr.strip().splitlines()
    assert lines[-1].startswith("taskparse: 已中断：完成 ") and f"/{total} 个文件" in lines[-1]
    n = _check_outputs(notices, out)
    assert 3 <= n < total
    assert _group_alive(proc.pid) == []


def test_sigterm_like_sigint(notices, tmp_path):
    out = tmp_path / "out"
    proc, stderr = _interrupt(notices, out, signal.SIGTERM, whole_group=False)
    assert proc.returncode == 143, stderr
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("taskparse: 已中断")
    _check_outputs(notices, out)
    deadline = time.monotonic() + 10
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_alive(proc.pid) == []  # no orphaned worker


def test_sigterm_into_a_combined_file_keeps_the_old_one(notices, tmp_path):
    """A combined .jsonl is all or nothing: the old file stays, no temporary file is left."""
    out = tmp_path / "all.jsonl"
    out.write_text('{"id": "old", "seq": 1}\n', encoding="utf-8")
    env = {**os.environ, "LANG": "C.UTF-8"}
    proc = subprocess.Popen([sys.executable, "-m", "taskparse", str(notices), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and not list(tmp_path.glob(".all.jsonl.*.tmp")) and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 143, stderr
    assert out.read_text(encoding="utf-8") == '{"id": "old", "seq": 1}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl", "notices"]


def test_sigterm_into_sqlite_keeps_finished_notices_and_resume_adds_the_rest(notices, tmp_path):
    """Copies of one sample are one notice (keyed by SHA-256): counts below are of distinct contents."""
    import hashlib
    import sqlite3

    import taskparse

    out = tmp_path / "all.sqlite"
    env = {**os.environ, "LANG": "C.UTF-8"}
    cmd = [sys.executable, "-m", "taskparse", str(notices), "-o", str(out), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline and proc.poll() is None and not out.exists():
        time.sleep(0.05)
    time.sleep(2.0)  # well under way: some results added, not yet committed
    assert proc.poll() is None, "the batch ended before it could be interrupted"
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 143, stderr.decode()
    con = sqlite3.connect(out)
    rows = con.execute("SELECT n.sha256, n.path, count(t.id) FROM notices n LEFT JOIN tasks t ON t.notice_id = n.id "
                       "GROUP BY n.id").fetchall()
    con.close()
    by_hash = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in notices.iterdir()}
    stored = {sha for sha, _, _ in rows}
    assert 0 < len(stored) <= len(by_hash), stderr.decode()  # copies: all contents may be in before the signal
    for _, path, n in rows:  # every stored notice is whole
        assert n == len(taskparse.parse_file(path).tasks), path
    res = subprocess.run([*cmd, "--resume"], capture_output=True, env=env, timeout=WAIT_S)
    assert res.returncode == 0, res.stderr.decode()
    skipped = sum(1 for p in notices.iterdir() if hashlib.sha256(p.read_bytes()).hexdigest() in stored)
    assert f"跳过 {skipped} 个已是最新的文件" in res.stderr.decode()
    con = sqlite3.connect(out)
    assert {r[0] for r in con.execute("SELECT sha256 FROM notices")} == set(by_hash)
    con.close()
