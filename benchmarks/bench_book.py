"""The book command against the same build with its chapters executed one after another.

    .venv/bin/python benchmarks/bench_book.py parallel     # `python3 tasks.py book`, as the README runs it
    .venv/bin/python benchmarks/bench_book.py sequential   # the build before tools/book_build.py
    .venv/bin/python benchmarks/bench_book.py --record SEQUENTIAL_S PARALLEL_S [--runs N] [--note TEXT]

``sequential`` is what the book command did before its chapters ran side by side:
the Jupyter Book executes every chapter itself, one after another, in the machine's
default thread count (``_config.yml``'s ``execute_notebooks: force``), with the
same environment and the same HTML build. Time both as whole processes on a quiet
machine (``/usr/bin/time -v``, or any harness that runs a command several times),
then ``--record`` puts the medians into ``benchmarks/results.json`` and the
performance page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def sequential() -> None:
    """Build the book as before: no parallel execution, the chapters run by the Jupyter Book in turn."""
    env = dict(os.environ, AELAB_PROGRESS="0", AELAB_CLAIMS="strict", AELAB_BOOK="1")
    env.pop("AELAB_QUICK", None)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run([sys.executable, str(ROOT / "tasks.py"), "setup"], check=True, cwd=ROOT)
    subprocess.run([str(BIN / "jupyter-book"), "build", ".", "--all", "--builder", "html", "-W", "-n",
                    "--keep-going"], check=True, cwd=ROOT, env=env)


def record(seq: float, par: float, runs: int, note: str) -> None:
    path = ROOT / "benchmarks" / "results.json"
    results = json.loads(path.read_text())
    results["book_build"] = {"date": dt.date.today().isoformat(), "sequential_s": seq, "parallel_s": par,
                             "ratio": par / seq, "runs": runs, "cores": os.cpu_count(), "note": note}
    path.write_text(json.dumps(results, indent=2) + "\n")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "report.py"), "--render"], check=True, cwd=ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["parallel", "sequential"])
    parser.add_argument("--record", nargs=2, type=float, metavar=("SEQUENTIAL_S", "PARALLEL_S"))
    parser.add_argument("--runs", type=int, default=1, help="with --record: how many timed runs each median has")
    parser.add_argument("--note", default="", help="with --record: how it was measured")
    args = parser.parse_args()
    if args.record:
        record(*args.record, args.runs, args.note)
    elif args.what == "parallel":
        subprocess.run([sys.executable, str(ROOT / "tasks.py"), "book"], check=True, cwd=ROOT)
    elif args.what == "sequential":
        sequential()
    else:
        parser.error("say parallel, sequential or --record")


if __name__ == "__main__":
    main()
