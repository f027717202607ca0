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

from tools import reader as reader_notebooks
from tools.colab_cell import colab_install_line, repository_branch, repository_url, stamp

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
    """Set up; execute every chapter (full profile) into HTML in _build/html; write the reader's notebooks."""
    setup()
    # AELAB_BOOK: the book shows its own numbers only (a reader's run prints theirs beside the book's)
    env = environment(AELAB_PROGRESS="0", AELAB_CLAIMS="strict", AELAB_BOOK="1")
    env.pop("AELAB_QUICK", None)  # the rendered book is the full profile
    run(PY, "-m", "tools.api_page")  # the public-API page, from the package's __all__
    build(env)
    print(f"the book is in {ROOT / '_build' / 'html' / 'index.html'}")
    # the reader's notebooks show this build's numbers: record them, and write the notebooks anew
    run(PY, "-m", "tools.reader", ROOT / "_build" / "jupyter_execute" / "book")


def reader() -> None:
    """Write reader/<chapter>.ipynb and aelab/solutions.json from book/ and the last build's numbers."""
    setup()
    run(PY, "-m", "tools.reader")


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


def margins(argv: list[str]) -> None:
    """Print each claim's margins over the recorded runs of its chapter's version (tools/margins.py)."""
    setup()
    run(PY, "-m", "tools.margins", *argv)


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
        solutions = json.loads(reader_notebooks.SOLUTIONS.read_text())
        passes = {"untouched": ("Not attempted", lambda nb: nb),
                  "solved": ("Correct", lambda nb: reader_notebooks.with_solutions(nb, solutions))}
        env = dict(os.environ, AELAB_QUICK="1", AELAB_PROGRESS="0", OMP_NUM_THREADS="1")
        env.pop("PYTHONPATH", None)
        where = "import aelab; print(f'aelab {aelab.__version__} from {aelab.__file__}')"
        work.mkdir(parents=True)
        subprocess.run([str(py), "-c", where], cwd=work, env=env, check=True)
        jobs = []
        for name, (expect, make) in passes.items():
            notebooks = []
            for path in sorted(reader_notebooks.READER.glob("*.ipynb")):
                folder = work / name / path.stem
                folder.mkdir(parents=True)
                target = folder / path.name
                target.write_text(reader_notebooks.dumps(make(json.loads(path.read_text()))))
                notebooks.append(str(target))
            print(f"+ running {len(notebooks)} reader notebooks ({name}) with {requirement!r} (quick profile)",
                  flush=True)
            jobs.append(subprocess.Popen([str(py), str(ROOT / "tasks.py"), "run-notebooks", "--expect", expect,
                                          *notebooks], cwd=work, env=env))
        codes = [job.wait() for job in jobs]
        if any(codes):
            sys.exit("the Colab rehearsal failed: see the lines above")


def _run_notebooks(argv: list[str]) -> None:
    """Execute notebooks in fresh kernels (``colab`` runs it in its fresh environment)."""
    if len(argv) >= 2 and argv[0] == "--expect":
        run_notebooks(argv[2:], expect=argv[1])
    else:
        run_notebooks(argv)


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
