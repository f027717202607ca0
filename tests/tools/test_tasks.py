"""tasks.py only runs tasks: every command in one table, no aelab (torch) in its own process."""

import subprocess
import sys
from pathlib import Path

import pytest

import tasks

ROOT = Path(__file__).resolve().parents[2]


def test_the_usage_lists_every_command():
    usage = tasks.usage()
    assert usage.splitlines()[0] == f"usage: python3 tasks.py {{{'|'.join(tasks.COMMANDS)}}}"
    for name in ("book", "test", "setup", "stamp", "colab", "reader", "robustness", "margins", "run-notebooks"):
        assert name in tasks.COMMANDS and f"\n  {name} " in usage


@pytest.mark.parametrize("argv", [[], ["nothing"], ["book", "extra"]])
def test_an_unknown_command_or_a_stray_argument_prints_the_usage(argv):
    with pytest.raises(SystemExit, match="usage: python3 tasks.py"):
        tasks.main(argv)


def test_tasks_imports_neither_aelab_nor_torch():
    # it runs under the system's python3, before the virtual environment exists
    code = "import sys, tasks; print(sorted(m for m in sys.modules if m.split('.')[0] in ('aelab', 'torch')))"
    found = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_the_book_build_runs_with_aelab_book_set(monkeypatch):
    seen = {}
    monkeypatch.setattr(tasks, "setup", lambda: None)
    monkeypatch.setattr(tasks, "run", lambda *cmd, env=None: None)
    monkeypatch.setattr(tasks, "build", lambda env: seen.update(env))
    monkeypatch.setenv("AELAB_QUICK", "1")
    tasks.book()
    assert seen["AELAB_BOOK"] == "1" and "AELAB_QUICK" not in seen


def test_no_file_is_loaded_by_its_path():
    # the tooling is a package (tools/): imported by name, never loaded from a file path
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    found = [name for name in listed if (ROOT / name).exists()
             and "spec_from_file" + "_location" in (ROOT / name).read_text()]
    assert listed and not found, f"files loaded by path: {found}"
