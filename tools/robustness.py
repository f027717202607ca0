"""Run chapters under several seed offsets and thread counts; record each run and which claims held.

    python3 tasks.py robustness [--profile quick|full] [--offsets 0-19] [--threads 1,2]
                                [--keep DIR] [chapter ...]

(``tasks.py`` runs ``python -m tools.robustness`` in the virtual environment.)
Each run is recorded in benchmarks/robustness/<chapter>.json (a later run of
the same chapter, profile, offset and threads replaces it), and the page
book/robustness.md and aelab/evidence.json are written from all recorded runs.
Several such commands may run at once: they share the machine's cores, one
notebook process per core.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tools import records, robustness_page
from tools.versions import BOOK, ROOT, version

BIN = Path(sys.executable).parent  # the virtual environment's, where jupyter is


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python3 tasks.py robustness")
    parser.add_argument("--profile", choices=["quick", "full"], default="quick")
    parser.add_argument("--offsets", default="0-19", help="seed offsets, comma-separated, ranges allowed (0-19)")
    parser.add_argument("--threads", default="1,2", help="CPU thread counts, comma-separated")
    parser.add_argument("--keep", default=None,
                        help="a folder to keep each executed notebook in (to look at its figures)")
    parser.add_argument("chapters", nargs="*", help="notebook names or prefixes (default: all)")
    args = parser.parse_args(argv)
    try:
        offsets = integers(args.offsets)
        thread_counts = integers(args.threads)
    except ValueError:
        sys.exit("--offsets and --threads take comma-separated integers or ranges, e.g. --offsets 0-19,25")
    notebooks = sorted(BOOK.glob("*.ipynb"))
    if args.chapters:
        notebooks = [p for p in notebooks if any(p.stem.startswith(c) for c in args.chapters)]
        if not notebooks:
            sys.exit(f"no chapter matches {args.chapters}; the chapters are named like 02_ae_vs_pca")
    with tempfile.TemporaryDirectory(prefix="aelab-robustness-") as tmp:
        for threads in thread_counts:
            # one-thread runs go two at a time on a 2-core machine; others one at a time
            workers = max(1, (os.cpu_count() or 1) // threads)
            batch = [(path, offset, threads) for offset in offsets for path in notebooks]
            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(run_once, path, args.profile, offset, n, Path(tmp), args.keep)
                           for path, offset, n in batch]
                for done in as_completed(futures):  # recorded as they end
                    result = done.result()
                    result["date"] = datetime.date.today().isoformat()
                    records.record_run(result)
    runs = robustness_page.write()
    failures = [(r, c) for r in runs for c in r["claims"] if c["status"] == "FAILED"]
    errors = [r for r in runs if r["error"]]
    print(f"{len(failures)} failed claims and {len(errors)} chapter errors in {len(runs)} recorded runs; "
          f"see {robustness_page.PAGE.relative_to(ROOT)}")


def run_once(path: Path, profile: str, offset: int, threads: int, tmp: Path, keep: str | None) -> dict:
    """Execute one chapter once and return its run record (without the date)."""
    ran = version(path)  # the files as they are now, in case the run leaves no notebook
    out = tmp / f"{profile}-{threads}-{offset}-{path.stem}"
    out.mkdir()
    error, seconds = run_chapter(path, profile, offset, threads, out)
    executed = out / path.name
    if executed.exists():  # the code that ran: the file may change while a run waits for a slot
        ran = version(executed)
    if keep:
        kept = Path(keep) / f"{profile}-t{threads}-o{offset}"
        kept.mkdir(parents=True, exist_ok=True)
        for executed in out.glob("*.ipynb"):
            executed.replace(kept / executed.name)
    found = out / f"{path.stem}.json"
    claims = json.loads(found.read_text())["claims"] if found.exists() else []
    failed = [c for c in claims if c["status"] == "FAILED"]
    print(f"  {path.stem} profile={profile} offset={offset} threads={threads}: "
          f"{len(claims) - len(failed)}/{len(claims)} claims held in {seconds:.0f} s"
          + (f"; ERROR {error}" if error else ""), flush=True)
    return {"chapter": path.stem, "profile": profile, "offset": offset, "threads": threads,
            "seconds": round(seconds), "error": error, "claims": claims, "notebook": ran}


def run_chapter(path: Path, profile: str, offset: int, threads: int, out: Path) -> tuple[str, float]:
    """Execute one chapter in a fresh kernel; its Claims.report writes out/<chapter>.json.

    Returns the error's last line ("" when it ran through) and the seconds it took.
    """
    env = dict(os.environ, AELAB_PROGRESS="0", AELAB_CLAIMS="report", AELAB_SEED=str(offset),
               OMP_NUM_THREADS=str(threads), AELAB_CLAIMS_OUT=str(out))
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("AELAB_QUICK", None)
    if profile == "quick":
        env["AELAB_QUICK"] = "1"
    with CpuSlots(threads):
        start = time.perf_counter()
        done = subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.timeout=1800", "--output-dir", str(out), str(path)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
    error = "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["no output"])[-1]
    return error, time.perf_counter() - start


def integers(text: str) -> list[int]:
    """``"0-3,7"`` -> ``[0, 1, 2, 3, 7]``."""
    found = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        found.extend(range(int(low), int(high or low) + 1))
    return found


class CpuSlots:
    """Hold ``n`` of the machine's CPU slots (one per core) for one chapter run, first come first served.

    Several robustness commands may run at once (one per chapter, say); the
    slots, file locks under the temporary folder, keep them from running more
    notebook processes than there are cores, which slows every one of them
    (tenfold and more for the small models). Runs wait in one queue, in the
    order they asked: a command whose run just ended does not take the freed
    slot ahead of runs that have waited longer.
    """

    def __init__(self, n: int):
        self.n = max(1, min(n, os.cpu_count() or 1))
        self.held = []

    def __enter__(self):
        import fcntl
        import threading

        folder = Path(tempfile.gettempdir()) / "aelab-cpu-slots"
        folder.mkdir(exist_ok=True)
        slots = [folder / f"slot{i}" for i in range(os.cpu_count() or 1)]
        queue, me = folder / "queue", f"{os.getpid()}-{threading.get_ident()}-{time.time()}"
        with open(folder / "queue.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with open(queue, "a") as q:
                q.write(me + "\n")
        while True:
            with open(folder / "queue.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                waiting = [w for w in queue.read_text().split() if _alive(int(w.split("-")[0]))]
                free = []
                for path in slots:
                    handle = open(path, "w")
                    try:
                        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        free.append(handle)
                    except OSError:
                        handle.close()
                ahead = waiting.index(me) if me in waiting else 0
                if ahead + self.n <= len(free):  # enough free slots for those ahead and for this run
                    self.held, rest = free[:self.n], free[self.n:]
                    waiting.remove(me)
                else:
                    rest = free
                for handle in rest:
                    handle.close()
                queue.write_text("".join(w + "\n" for w in waiting))
            if self.held:
                return self
            time.sleep(1)

    def __exit__(self, *exc):
        for handle in self.held:
            handle.close()  # closing releases the lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


if __name__ == "__main__":
    main(sys.argv[1:])
