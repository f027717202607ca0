#!/usr/bin/env python3
"""The two commands of the course, with nothing but Python 3.10+ and git.

    python3 tasks.py book   # set up, execute every chapter (full profile), HTML in _build/html
    python3 tasks.py test   # set up; unit tests and every chapter under nbval (quick profile);
                            # the reader's notebooks as Colab runs them; the book (full profile);
                            # its pages in Chromium

Both create (once) a virtual environment in .venv and install aelab into it
with its ``book`` and ``test`` extras; the install is redone only when
pyproject.toml changes. ``python3 tasks.py stamp`` rewrites every notebook's
first cell (the Colab install) from the repository URL in _config.yml and
``aelab.__version__``. ``python3 tasks.py colab`` installs that cell's
requirement (pointed at this clone) into a fresh environment and runs every
chapter there, as a new Colab user would.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".aelab-installed"


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
    setup()
    env = environment(AELAB_PROGRESS="0", AELAB_CLAIMS="strict")
    env.pop("AELAB_QUICK", None)  # the rendered book is the full profile
    run(PY, ROOT / "book" / "_ext" / "api_page.py")  # the public-API page, from the package's __all__
    build(env)
    print(f"the book is in {ROOT / '_build' / 'html' / 'index.html'}")
    # the reader's notebooks show this build's numbers: record them, and write the notebooks anew
    run(PY, ROOT / "book" / "_ext" / "reader.py", ROOT / "_build" / "jupyter_execute" / "book")


def _reader():
    """book/_ext/reader.py as a module (for ``colab``, which needs its paths and ``with_solutions``)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("aelab_reader", ROOT / "book" / "_ext" / "reader.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reader() -> None:
    """Write reader/<chapter>.ipynb and aelab/solutions.json from book/ and the last build's numbers."""
    setup()
    run(PY, ROOT / "book" / "_ext" / "reader.py")


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


# --------------------------------------------------------------------------- Colab cell

def _config(key: str) -> str:
    """One value of the ``repository:`` block of _config.yml (the one place it is set)."""
    config = (ROOT / "_config.yml").read_text()
    return re.search(rf"^\s*{key}:\s*(\S+)", config, re.M).group(1)


def repository_url() -> str:
    """The book's repository, as _config.yml names it."""
    return _config("url").rstrip("/")


def repository_branch() -> str:
    """The branch the launch buttons open every notebook from, as _config.yml names it."""
    return _config("branch")


def colab_install_line() -> str:
    """The pip requirement every chapter's first cell installs in Colab.

    It names the branch the launch button opens the notebook from, so the
    notebook and the package a reader gets come from the same commit.
    """
    return f"aelab @ git+{repository_url()}@{repository_branch()}"


def version() -> str:
    """aelab's version, read from aelab/__init__.py (pyproject.toml reads the same line)."""
    text = (ROOT / "aelab" / "__init__.py").read_text()
    return re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M).group(1)


def colab_cell() -> str:
    return (
        "# In Colab, install the course package first (locally, `python3 tasks.py` did it).\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        f'AELAB = "{colab_install_line()}"\n'
        'if "google.colab" in sys.modules:\n'
        '    pip = [sys.executable, "-m", "pip", "install", "--quiet", AELAB]\n'
        "    if subprocess.run(pip).returncode != 0:\n"
        '        print(f"Could not install {AELAB}: if this notebook comes from a fork or "\n'
        '              "a renamed repository, put its URL in AELAB above and run again.")'
    )


def stamp() -> None:
    cell = colab_cell()
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        first = nb["cells"][0]
        text = "".join(first["source"])
        if first["cell_type"] == "code" and ("google.colab" in text or text.strip() == "# COLAB"):
            first["source"] = cell.splitlines(keepends=True)
        else:
            nb["cells"].insert(0, {"cell_type": "code", "execution_count": None, "id": "colab-install",
                                   "metadata": {}, "outputs": [], "source": cell.splitlines(keepends=True)})
        # Colab runs the cell; the rendered book leaves it out (the intro says how to run a chapter).
        nb["cells"][0]["metadata"] = {"tags": ["remove-cell"]}
        # Committed notebooks carry no outputs and name the standard Python 3 kernel;
        # every cell has an id (nbformat 4.5), unique in its notebook.
        ids = {c.get("id") for c in nb["cells"]}
        for i, c in enumerate(nb["cells"]):
            if not c.get("id"):
                c["id"] = next(f"cell-{i}-{k}" for k in range(len(ids) + 1) if f"cell-{i}-{k}" not in ids)
                ids.add(c["id"])
            if c["cell_type"] == "code":
                c["outputs"], c["execution_count"] = [], None
        nb["metadata"] = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"stamped {path.relative_to(ROOT)}")


# --------------------------------------------------------------------------- the Colab path, locally

def run_notebooks(paths: list[str], expect: str | None = None) -> None:
    """Execute each notebook in a fresh kernel, in its own folder; exit non-zero naming those that failed.

    ``colab`` runs this with the fresh environment's Python (``python tasks.py
    run-notebooks [--expect TEXT] ...``), so the notebooks import aelab from that
    environment only. With ``expect``, every exercise's starter cell must print it
    ("Not attempted" when untouched, "Correct" with the book's solutions put in).
    """
    import time

    import nbformat
    from nbclient import NotebookClient

    failed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        try:
            NotebookClient(nb, timeout=1800, kernel_name="python3",
                           resources={"metadata": {"path": os.path.dirname(path)}}).execute()
        except Exception as err:
            failed.append(os.path.basename(path))
            last = re.sub(r"\x1b\[[0-9;]*m", "", str(err)).strip().splitlines()[-1]  # no terminal colours
            print(f"  FAILED {os.path.basename(path)}: {last}", flush=True)
            continue
        wrong = []
        for cell in nb.cells:
            if expect and cell.cell_type == "code" and cell.get("id", "").startswith("starter-"):
                said = "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
                if expect not in said:
                    wrong.append(f"{cell.id}: {said.strip()[:200] or 'printed nothing'}")
        if wrong:
            failed.append(os.path.basename(path))
            print(f"  FAILED {os.path.basename(path)}: exercise checks did not say {expect!r}: {wrong}", flush=True)
        else:
            print(f"  ran   {os.path.basename(path)} in {time.perf_counter() - start:.0f} s", flush=True)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


def ref_commit(ref: str) -> str | None:
    """The commit ``ref`` (a branch, local or origin's) names in this clone, or None."""
    for candidate in (ref, f"origin/{ref}"):
        found = subprocess.run(["git", "rev-parse", "-q", "--verify", f"{candidate}^{{commit}}"],
                               cwd=ROOT, capture_output=True, text=True)
        if found.returncode == 0:
            return found.stdout.strip()
    return None


def local_requirement() -> str:
    """The first cell's requirement, with the repository URL pointed at this clone."""
    return colab_install_line().replace(repository_url(), f"file://{ROOT}")


def colab() -> None:
    """Run every chapter as a new Colab user would: a fresh environment, aelab from the branch only.

    The first cell's requirement is installed into a new virtual environment
    (in a temporary folder), with the repository URL pointed at this clone,
    and each notebook is copied alone into an empty folder and executed there
    in the quick profile: no editable install, no checkout beside it.
    """
    import shutil
    import tempfile

    branch = repository_branch()
    commit = ref_commit(branch)
    if commit is None:
        sys.exit(f"this clone has no branch {branch!r}, which _config.yml names and every "
                 f"first cell installs from: check out {branch} or change _config.yml.")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    if head != commit or dirty:
        print(f"note: this installs aelab as committed on {branch} ({commit[:8]}), and runs the "
              f"notebooks of the working tree, which differ from it", flush=True)
    requirement = local_requirement()
    with tempfile.TemporaryDirectory(prefix="aelab-colab-") as tmp:
        env_dir, work = Path(tmp) / "env", Path(tmp) / "work"
        venv.create(env_dir, with_pip=True)
        py = env_dir / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")
        run(py, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(py, "-m", "pip", "install", "--quiet", requirement)
        run(py, "-m", "pip", "install", "--quiet", "nbclient", "ipykernel")  # Colab's runtime has these
        # the reader's notebooks, as the launch button opens them: untouched, and with the book's
        # solutions typed into the starter cells; the two passes share the two cores
        module = _reader()
        solutions = json.loads(module.SOLUTIONS.read_text())
        passes = {"untouched": ("Not attempted", lambda nb: nb),
                  "solved": ("Correct", lambda nb: module.with_solutions(nb, solutions))}
        env = dict(os.environ, AELAB_QUICK="1", AELAB_PROGRESS="0", OMP_NUM_THREADS="1")
        env.pop("PYTHONPATH", None)
        where = "import aelab; print(f'aelab {aelab.__version__} from {aelab.__file__}')"
        work.mkdir(parents=True)
        subprocess.run([str(py), "-c", where], cwd=work, env=env, check=True)
        jobs = []
        for name, (expect, make) in passes.items():
            notebooks = []
            for path in sorted(module.READER.glob("*.ipynb")):
                folder = work / name / path.stem
                folder.mkdir(parents=True)
                target = folder / path.name
                target.write_text(module.dumps(make(json.loads(path.read_text()))))
                notebooks.append(str(target))
            print(f"+ running {len(notebooks)} reader notebooks ({name}) with {requirement!r} (quick profile)",
                  flush=True)
            jobs.append(subprocess.Popen([str(py), str(ROOT / "tasks.py"), "run-notebooks", "--expect", expect,
                                          *notebooks], cwd=work, env=env))
        codes = [job.wait() for job in jobs]
        if any(codes):
            sys.exit("the Colab rehearsal failed: see the lines above")


# --------------------------------------------------------------------------- robustness of the claims

ROBUSTNESS_DIR = ROOT / "benchmarks" / "robustness"  # one JSON file per chapter
ROBUSTNESS_PAGE = ROOT / "book" / "robustness.md"
EVIDENCE = ROOT / "aelab" / "evidence.json"  # what the chapters' closing tables show of the recorded runs


def _run_chapter(path: Path, profile: str, offset: int, threads: int, out: Path) -> tuple[str, float]:
    """Execute one chapter in a fresh kernel; its Claims.report writes out/<chapter>.json."""
    import time

    env = environment(AELAB_PROGRESS="0", AELAB_CLAIMS="report", AELAB_SEED=str(offset),
                      OMP_NUM_THREADS=str(threads), AELAB_CLAIMS_OUT=str(out))
    env.pop("AELAB_QUICK", None)
    if profile == "quick":
        env["AELAB_QUICK"] = "1"
    with _cpu_slots(threads):
        start = time.perf_counter()
        done = _nbconvert(env, out, path)
    error = "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["no output"])[-1]
    return error, time.perf_counter() - start


def _nbconvert(env: dict, out: Path, path: Path):
    return subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                           "--ExecutePreprocessor.timeout=1800", "--output-dir", str(out), str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def _integers(text: str) -> list[int]:
    """``"0-3,7"`` -> ``[0, 1, 2, 3, 7]``."""
    found = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        found.extend(range(int(low), int(high or low) + 1))
    return found


class _cpu_slots:
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
        import tempfile
        import threading
        import time

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


def robustness(argv: list[str]) -> None:
    """Run chapters under several seed offsets and thread counts; tabulate the claims that failed.

    python3 tasks.py robustness [--profile quick|full] [--offsets 0,1,2,3,4] [--threads 1,2]
                                [--keep DIR] [chapter ...]

    Each run is recorded in benchmarks/robustness/<chapter>.json (a later run of
    the same chapter, profile, offset and threads replaces it) and the page
    book/robustness.md is written from all recorded runs.
    """
    import argparse
    import datetime
    import tempfile
    from concurrent.futures import ThreadPoolExecutor, as_completed

    parser = argparse.ArgumentParser(prog="python3 tasks.py robustness")
    parser.add_argument("--profile", choices=["quick", "full"], default="quick")
    parser.add_argument("--offsets", default="0-19", help="seed offsets, comma-separated, ranges allowed (0-19)")
    parser.add_argument("--threads", default="1,2", help="CPU thread counts, comma-separated")
    parser.add_argument("--keep", default=None,
                        help="a folder to keep each executed notebook in (to look at its figures)")
    parser.add_argument("chapters", nargs="*", help="notebook names or prefixes (default: all)")
    args = parser.parse_args(argv)
    try:
        offsets = _integers(args.offsets)
        thread_counts = _integers(args.threads)
    except ValueError:
        sys.exit("--offsets and --threads take comma-separated integers or ranges, e.g. --offsets 0-19,25")
    notebooks = sorted((ROOT / "book").glob("*.ipynb"))
    if args.chapters:
        notebooks = [p for p in notebooks if any(p.stem.startswith(c) for c in args.chapters)]
        if not notebooks:
            sys.exit(f"no chapter matches {args.chapters}; the chapters are named like 02_ae_vs_pca")
    setup()
    with tempfile.TemporaryDirectory(prefix="aelab-robustness-") as tmp:
        jobs = [(path, offset, threads) for threads in thread_counts for offset in offsets for path in notebooks]
        for threads in thread_counts:
            batch = [job for job in jobs if job[2] == threads]
            # one-thread runs go two at a time on a 2-core machine; others one at a time
            workers = max(1, (os.cpu_count() or 1) // threads)

            def one(job):
                path, offset, n = job
                version = _notebook_hash(path)  # the file as it is now, in case the run leaves no notebook
                out = Path(tmp) / f"{args.profile}-{n}-{offset}-{path.stem}"
                out.mkdir()
                error, seconds = _run_chapter(path, args.profile, offset, n, out)
                executed = out / path.name
                if executed.exists():  # the code that ran: the file may change while a run waits for a slot
                    version = _notebook_hash(executed)
                if args.keep:
                    kept = Path(args.keep) / f"{args.profile}-t{n}-o{offset}"
                    kept.mkdir(parents=True, exist_ok=True)
                    for executed in out.glob("*.ipynb"):
                        executed.replace(kept / executed.name)
                found = out / f"{path.stem}.json"
                claims = json.loads(found.read_text())["claims"] if found.exists() else []
                failed = [c for c in claims if c["status"] == "FAILED"]
                print(f"  {path.stem} profile={args.profile} offset={offset} threads={n}: "
                      f"{len(claims) - len(failed)}/{len(claims)} claims held in {seconds:.0f} s"
                      + (f"; ERROR {error}" if error else ""), flush=True)
                return {"chapter": path.stem, "profile": args.profile, "offset": offset, "threads": n,
                        "seconds": round(seconds), "error": error, "claims": claims,
                        "notebook": version}

            with ThreadPoolExecutor(max_workers=workers) as pool:
                for done in as_completed([pool.submit(one, job) for job in batch]):  # recorded as they end
                    result = done.result()
                    result["date"] = datetime.date.today().isoformat()
                    _record_run(result)
    record = write_records()
    failures = [(r, c) for r in record["runs"] for c in r["claims"] if c["status"] == "FAILED"]
    errors = [r for r in record["runs"] if r["error"]]
    print(f"{len(failures)} failed claims and {len(errors)} chapter errors in {len(record['runs'])} recorded runs; "
          f"see {ROBUSTNESS_PAGE.relative_to(ROOT)}")


def write_records() -> dict:
    """Write the robustness page and aelab/evidence.json from every recorded run; return the record."""
    record = {"runs": [run for path in sorted(ROBUSTNESS_DIR.glob("*.json"))
                       for run in json.loads(path.read_text())["runs"]]}
    _write_atomically(ROBUSTNESS_PAGE, robustness_page(record))
    evidence = {chapter: {profile: {name: {"runs": st["runs"], "held": st["held"], "log": st["log"],
                                          "smallest": {k: round(min(v), 6) for k, v in st["margins"].items()}}
                                   for name, st in claims.items()}
                          for profile, claims in profiles.items()}
                for chapter, profiles in claim_statistics(record["runs"]).items()}
    _write_atomically(EVIDENCE, json.dumps(evidence, indent=1, sort_keys=True) + "\n")
    return record


def _write_atomically(path: Path, text: str) -> None:
    # several robustness commands may finish at once: a reader never sees half a file
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text)
    tmp.replace(path)


def _current_versions() -> dict:
    return {p.stem: _notebook_hash(p) for p in (ROOT / "book").glob("*.ipynb")}


def distinct_runs(runs: list[dict]) -> dict:
    """The runs of each chapter's current version, by (chapter, profile), one per distinct outcome.

    Two runs whose every claim has the same values and margins repeat each other bitwise
    (the quick profile of chapters 1, 2, 5 and 6 gives the same numbers at 1 and 2 threads):
    they count once.
    """
    current = _current_versions()
    groups: dict = {}
    for r in runs:
        if r.get("notebook") != current.get(r["chapter"]) or not r["claims"]:
            continue
        signature = json.dumps([(c["name"], c["values"], c.get("margins")) for c in r["claims"]], sort_keys=True)
        groups.setdefault((r["chapter"], r["profile"]), {}).setdefault(signature, r)
    return {key: list(found.values()) for key, found in groups.items()}


def claim_statistics(runs: list[dict]) -> dict:
    """{chapter: {profile: {claim: {"runs", "held", "fact", "says", "log", "margins": {comparison: [margin per run]}}}}}.

    ``log`` names the comparisons whose margin is a log10 ratio (shown as a factor).
    """
    stats: dict = {}
    for (chapter, profile), rs in sorted(distinct_runs(runs).items()):
        for r in rs:
            for c in r["claims"]:
                if c["status"] == "not checked":
                    continue
                st = stats.setdefault(chapter, {}).setdefault(profile, {}).setdefault(
                    c["name"], {"runs": 0, "held": 0, "fact": c.get("fact", False), "says": c.get("says", ""), "margins": {},
                             "log": c.get("logs", [])})
                st["runs"] += 1
                st["held"] += c["status"] == "held"
                for label, m in (c.get("margins") or {}).items():
                    st["margins"].setdefault(label, []).append(m)
    return stats


def _rule():
    """aelab/rule.py, loaded alone: it needs only the standard library, not the virtual environment."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("aelab_rule", ROOT / "aelab" / "rule.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _verdict(st: dict, profile: str) -> tuple[bool, str]:
    """The rule for keeping a claim (aelab.notebook.keeps), applied to each of its comparisons."""
    RULE_RUNS, keeps = _rule().RULE_RUNS, _rule().keeps
    if st["fact"]:
        return st["held"] == st["runs"], "a fact (true by construction)"
    if not st["margins"]:
        return False, "no margin recorded"
    if st["runs"] < RULE_RUNS[profile]:
        return False, f"{st['runs']} runs, the rule needs {RULE_RUNS[profile]}"
    for label, ms in st["margins"].items():
        kept, why = keeps(ms, profile)
        if not kept:
            return False, f"{label}: {why}"
    return True, "meets the rule"


def margins(argv: list[str]) -> None:
    """Print, per claim and comparison, what the recorded runs of the current version say.

    python3 tasks.py margins [--profile quick|full] [chapter ...]
    """
    import argparse
    import statistics

    parser = argparse.ArgumentParser(prog="python3 tasks.py margins")
    parser.add_argument("--profile", choices=["quick", "full"], default=None)
    parser.add_argument("chapters", nargs="*")
    args = parser.parse_args(argv)
    runs = [run for path in sorted(ROBUSTNESS_DIR.glob("*.json")) for run in json.loads(path.read_text())["runs"]]
    stats = claim_statistics(runs)
    for chapter, profiles in stats.items():
        if args.chapters and not any(chapter.startswith(c) for c in args.chapters):
            continue
        for profile, claims in profiles.items():
            if args.profile and profile != args.profile:
                continue
            print(f"\n{chapter}, {profile} profile, current version")
            for name, st in claims.items():
                kept, why = _verdict(st, profile)
                print(f"  {'ok ' if kept else 'NO '} {name}: held {st['held']}/{st['runs']} ({why})")
                for label, ms in st["margins"].items():
                    sd = statistics.stdev(ms) if len(ms) > 1 else 0.0
                    z = f"{statistics.mean(ms) / sd:.1f}" if sd > 0 else "inf"
                    print(f"        {label}: smallest {min(ms):.4g}, mean {statistics.mean(ms):.4g}, "
                          f"sd {sd:.3g}, mean/sd {z}")


def _record_run(result: dict) -> None:
    """Add one run to its chapter's file, replacing an earlier run with the same settings."""
    import fcntl

    ROBUSTNESS_DIR.mkdir(exist_ok=True)
    path = ROBUSTNESS_DIR / f"{result['chapter']}.json"
    # several robustness commands may finish a run of the same chapter at once: one writes at a time
    with open(ROBUSTNESS_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = json.loads(path.read_text())["runs"] if path.exists() else []
        settings = ("profile", "offset", "threads")
        runs = [r for r in runs if tuple(r[k] for k in settings) != tuple(result[k] for k in settings)]
        runs.append(result)
        runs.sort(key=lambda r: (r["profile"], r["threads"], r["offset"]))
        _write_atomically(path, json.dumps({"runs": runs}, indent=1) + "\n")


def _notebook_hash(path: Path) -> str:
    """A short hash of the code a chapter runs, as Python parses it: a run of another version is marked
    as such on the page. Prose and code layout do not count; a changed statement, value or string does."""
    return _code_hash(path.read_text())


def _code_hash(text: str) -> str:
    parts = []
    for cell in json.loads(text)["cells"]:
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        magics = [line for line in lines if line.lstrip().startswith(("%", "!"))]
        code = "\n".join(line for line in lines if line not in magics)
        try:
            parts.append(ast.dump(ast.parse(code)))
        except SyntaxError:
            parts.append(code)
        parts.extend(magics)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


RULE_TEXT = [
    "## The rule for keeping a claim", "",
    "A bound placed at the edge of *n* recorded runs is crossed by the next run about",
    "2/(*n* + 1) of the time, a third at *n* = 5. So each claim records its *margin*, how far",
    "it was from failing, in its own units (or as a ratio on a log scale, shown as a factor,",
    "where the spread over seeds is wide), and the book keeps a claim only when:", "",
    "- it was checked over at least 20 distinct runs of the quick profile and 8 of the full",
    "  one, at 1 and 2 CPU threads (runs that repeat each other bitwise count once), and held",
    "  in every one; and",
    "- for each of its comparisons, the mean margin over those runs is at least 3 standard",
    "  deviations above zero (a margin that is the same in every run, such as a count, passes).", "",
    "A claim that does not meet it is rephrased to what does hold, made about the median of",
    "several seeds trained inside the chapter, or becomes a sentence about the run's own",
    "number with no claim. A check that is true by construction (a shape, a known answer) is",
    "listed as a *fact*, apart: it is not a finding of the run. Each chapter's closing table",
    "shows, beside this run's margin, how often the claim held here and its smallest margin.",
]


def _claims_section(runs: list[dict]) -> list[str]:
    """Per chapter, each claim of the current version: distinct runs, held, smallest margin, the rule's verdict."""
    lines = ["", *RULE_TEXT, "", "## Each claim over the recorded runs", "",
             "Only runs of each chapter's current version count. *Smallest margin* is over the",
             "distinct runs; *mean / sd* is the mean margin over its standard deviation (the rule",
             "asks for at least 3); a log-scale margin is shown as the factor it stands for."]
    for chapter, profiles in claim_statistics(runs).items():
        lines += ["", f"### {chapter}", "",
                  "| claim | profile | runs | held | comparison: smallest margin (mean / sd) | kept? |",
                  "|---|---|---:|---:|---|---|"]
        for profile, claims in sorted(profiles.items(), key=lambda kv: kv[0] != "quick"):
            for name, st in claims.items():
                kept, why = _verdict(st, profile)
                parts = []
                for label, ms in st["margins"].items():
                    sd = _sd(ms)
                    ratio = f"{sum(ms) / len(ms) / sd:.1f}" if sd > 0 else "same in every run"
                    smallest = f"x{10 ** min(ms):.3g}" if label in st["log"] else f"{min(ms):.3g}"
                    parts.append(f"{label}: {smallest} ({ratio})")
                lines.append(f"| `{name}` | {profile} | {st['runs']} | {st['held']} | "
                             f"{'; '.join(parts) or ('(fact)' if st['fact'] else '(no margin recorded)')} | "
                             f"{'yes' if kept else 'no: ' + why} |")
    return lines


def _sd(values: list[float]) -> float:
    import statistics
    return statistics.stdev(values) if len(values) > 1 else 0.0


def robustness_page(record: dict) -> str:
    """The page book/robustness.md, from benchmarks/robustness.json."""
    runs = record["runs"]
    lines = ["# Do the claims hold on your run?", "",
             "Every chapter states its run-dependent claims by name and ends with a table of",
             "them. `python3 tasks.py robustness` runs chapters under several seed offsets",
             "(`AELAB_SEED`) and CPU thread counts and records, for each run, which claims held.",
             "This page is written by that command from `benchmarks/robustness/`.",
             "Runs made on an earlier version of a chapter than the one in this book are",
             "counted apart, as *earlier version*: they say how that version did, not this one.",
             "A version is the chapter's code as Python parses it: a change of prose or of code",
             "layout keeps it, a changed statement, value or string makes a new one.", "",
             "| chapter | profile | threads | seed offsets | runs | claims checked | failed | run errors | minutes | dates |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---|"]
    current = {p.stem: _notebook_hash(p) for p in (ROOT / "book").glob("*.ipynb")}
    for r in runs:
        r["version"] = "this one" if r.get("notebook") and r.get("notebook") == current.get(r["chapter"]) else "earlier version"
    lines[-2] = lines[-2].replace("| profile |", "| version | profile |")
    lines[-1] = lines[-1].replace("|---|---|", "|---|---|---|", 1)
    groups: dict = {}
    for r in runs:
        groups.setdefault((r["chapter"], r["version"], r["profile"], r["threads"]), []).append(r)
    for (chapter, version, profile, threads), rs in sorted(groups.items()):
        checked = sum(1 for r in rs for c in r["claims"] if c["status"] != "not checked")
        failed = sum(1 for r in rs for c in r["claims"] if c["status"] == "FAILED")
        dates = sorted({r.get("date", "") for r in rs})
        lines.append(f"| [{chapter}]({chapter}.ipynb) | {version} | {profile} | {threads} | "
                     f"{', '.join(str(r['offset']) for r in rs)} | {len(rs)} | {checked} | {failed} | "
                     f"{sum(1 for r in rs if r['error'])} | {sum(r['seconds'] for r in rs) / 60:.1f} | "
                     f"{', '.join(dates)} |")
    lines += _claims_section(runs)
    failures = [(r, c) for r in runs for c in r["claims"] if c["status"] == "FAILED"]
    lines += ["", "## Claims that failed", ""]
    if not failures:
        lines.append("None: every claim checked held in every recorded run.")
    else:
        lines += ["| chapter | version | profile | threads | offset | claim | measured |",
                  "|---|---|---|---:|---:|---|---|"]
        for r, c in failures:
            measured = ", ".join(f"{k} = {v}" for k, v in c["values"].items())
            lines.append(f"| {r['chapter']} | {r['version']} | {r['profile']} | {r['threads']} | {r['offset']} | "
                         f"`{c['name']}` | {measured} |")
    errors = [r for r in runs if r["error"]]
    if errors:
        lines += ["", "## Runs that stopped with an error", ""]
        lines += [f"- {r['chapter']}, {r['profile']} profile, {r['threads']} threads, offset {r['offset']}: "
                  f"`{r['error']}`" for r in errors]
    return "\n".join(lines) + "\n"


COMMANDS = {"book": book, "test": test, "setup": setup, "stamp": stamp, "colab": colab, "reader": reader}

if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "robustness":
        robustness(sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) >= 2 and sys.argv[1] == "margins":
        margins(sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) >= 2 and sys.argv[1] == "run-notebooks":  # used by `colab`, in its fresh environment
        if len(sys.argv) >= 4 and sys.argv[2] == "--expect":
            run_notebooks(sys.argv[4:], expect=sys.argv[3])
        else:
            run_notebooks(sys.argv[2:])
        sys.exit(0)
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}|robustness}}")
    try:
        COMMANDS[sys.argv[1]]()
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)
