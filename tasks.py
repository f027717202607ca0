#!/usr/bin/env python3
"""The two commands of the course, with nothing but Python 3.10+ and git.

    python3 tasks.py book   # set up, execute every chapter (full profile), HTML in _build/html
    python3 tasks.py test   # set up; unit tests and every chapter under nbval (quick profile);
                            # the reader's notebooks as Colab runs them; the book (full profile);
                            # its pages in Chromium

Both create (once) a virtual environment in .venv and install aelab into it
with its ``book`` and ``test`` extras; the install is redone only when
pyproject.toml changes. The other commands are in ``COMMANDS`` below
(``python3 tasks.py`` lists them). This file only runs tasks: what they run
lives in ``tools/``, and what needs aelab (torch) runs there with the virtual
environment's Python, ``python -m tools.<name>``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

from tools import rehearsal
from tools.colab_cell import stamp

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".aelab-installed"
EXECUTED = ROOT / "_build" / "jupyter_execute" / "book"  # the last build's executed chapters


def run(*cmd, env=None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=True)


def setup() -> None:
    """Create .venv and install aelab[book,test] into it, unless already done for this pyproject."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    try:
        import fcntl
    except ImportError:  # Windows: no lock, one command at a time
        _install(wanted)
        return
    # several commands may start at once (robustness runs, one per chapter): one installs, the others wait
    with open(ROOT / ".setup.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if STAMP.exists() and STAMP.read_text().strip() == wanted and PY.exists():
            return
        _install(wanted)


def _install(wanted: str) -> None:
    if not PY.exists():
        print(f"creating a virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[book,test]")
    STAMP.write_text(wanted)


def environment(**extra: str) -> dict:
    env = dict(os.environ, **extra)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def build(env: dict) -> None:
    """Execute every chapter and write HTML to _build/html; any warning fails the build."""
    # The chapters run afresh in parallel, one process and one thread per core, into a cache
    # under _build/ (tools/book_build.py; a failing chapter stops here, named). The build then
    # reads them from there with a configuration written beside it (_config.yml, but the cache).
    config = ROOT / "_build" / "book_config.yml"
    run(PY, "-m", "tools.book_build", "--write-config", config, env=env)
    # --all: both profiles write _build/html, and Sphinx would otherwise keep the pages
    # (and outputs) of the other profile's build, since no source changed in between.
    run(BIN / "jupyter-book", "build", ".", "--config", config, "--all", "--builder", "html", "-W", "-n",
        "--keep-going", env=env)


def book() -> None:
    """Set up; execute every chapter (full profile) into HTML in _build/html; the reader's notebooks beside it."""
    setup()
    # AELAB_BOOK: the book shows its own numbers only (a reader's run prints theirs beside the book's)
    env = environment(AELAB_PROGRESS="0", AELAB_CLAIMS="strict", AELAB_BOOK="1")
    env.pop("AELAB_QUICK", None)  # the rendered book is the full profile
    run(PY, "-m", "tools.api_page", "--check")  # says whether book/api.md is current; writes nothing
    build(env)
    print(f"the book is in {ROOT / '_build' / 'html' / 'index.html'}")
    # the reader's notebooks with this build's numbers, under _build/: the checkout stays as it was
    run(PY, "-m", "tools.reader", EXECUTED, "--out", ROOT / "_build" / "reader")


def reader() -> None:
    """Write reader/, aelab/book_values.json, aelab/solutions.json and book/api.md from the last build."""
    setup()
    run(PY, "-m", "tools.api_page")
    run(PY, "-m", "tools.reader", *([EXECUTED] if EXECUTED.exists() else []))


def test() -> None:
    """Every chapter once per profile: nbval in the quick one, the book build in the full one."""
    setup()
    quick = environment(AELAB_QUICK="1", AELAB_PROGRESS="0", AELAB_CLAIMS="strict")
    # Quick-profile models are tiny: one thread per process keeps torch's threads from
    # fighting over the cores (measured up to 30x slower on a busy 2-core machine).
    quick.setdefault("OMP_NUM_THREADS", "1")
    # unit tests, and every notebook under nbval (a failed claim fails its notebook)
    run(PY, "-m", "pytest", "--nbval-lax", "-q", "--ignore=tests/test_browser.py", "tests", "book", env=quick)
    # the reader's notebooks as Colab runs them: a fresh environment with aelab from the branch,
    # every exercise untouched (each check says "not attempted") and solved (each says "correct")
    colab()
    # the book readers see: full profile, the machine's own thread count, warnings are errors
    book()
    # the built pages in Chromium, checked as the full profile
    full = environment(AELAB_PROGRESS="0")
    full.pop("AELAB_QUICK", None)
    run(PY, "-m", "pytest", "-q", "tests/test_browser.py", env=full)


def robustness(argv: list[str]) -> None:
    """Run chapters under seed offsets and thread counts; record which claims held (tools/robustness.py)."""
    setup()
    run(PY, "-m", "tools.robustness", *argv)


def reports(argv: list[str]) -> None:
    """Take readers' reports of their runs into benchmarks/readers.json and the robustness page."""
    setup()
    run(PY, "-m", "tools.reports", *argv)


def margins(argv: list[str]) -> None:
    """Print each claim's margins over the recorded runs of its chapter's version (tools/margins.py)."""
    setup()
    run(PY, "-m", "tools.margins", *argv)


def colab() -> None:
    """Run every reader's notebook as a new Colab user would: a fresh environment, aelab from the branch."""
    rehearsal.colab()


def _run_notebooks(argv: list[str]) -> None:
    """Execute notebooks in fresh kernels (``colab`` runs it in its fresh environment)."""
    if len(argv) >= 2 and argv[0] == "--expect":
        rehearsal.run_notebooks(argv[2:], expect=argv[1])
    else:
        rehearsal.run_notebooks(argv)


# name: (the function, the arguments it takes as usage shows them; None when it takes none)
COMMANDS = {
    "book": (book, None),
    "test": (test, None),
    "setup": (setup, None),
    "stamp": (stamp, None),
    "colab": (colab, None),
    "reader": (reader, None),
    "robustness": (robustness, "[--profile quick|full] [--offsets 0-19] [--threads 1,2] [--keep DIR] [chapter ...]"),
    "margins": (margins, "[--profile quick|full] [chapter ...]"),
    "reports": (reports, "FILE ... (a reader's report, or the issue that holds it)"),
    "run-notebooks": (_run_notebooks, "[--expect TEXT] NOTEBOOK ..."),
}


def usage() -> str:
    """The usage line, then each command with its arguments and the first line of its docstring."""
    lines = [f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}}"]
    for name, (function, args) in COMMANDS.items():
        lines.append(f"  {name:<14} {(function.__doc__ or '').strip().splitlines()[0]}")
        lines += [f"  {'':<14} {args}"] if args else []
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    name, rest = (argv[0], argv[1:]) if argv else ("", [])
    if name not in COMMANDS or (COMMANDS[name][1] is None and rest):
        sys.exit(usage())
    function, args = COMMANDS[name]
    try:
        function(rest) if args is not None else function()
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
