"""The package is type-clean under mypy (non-strict): a wrong type at a module boundary fails here, and so
does a ``type: ignore`` that nothing needs any more."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_is_clean_on_src(tmp_path):
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    run = subprocess.run([sys.executable, "-m", "mypy", "src/taskparse", "--warn-unused-ignores",
                          "--cache-dir", str(tmp_path / "cache")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
