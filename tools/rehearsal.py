"""The Colab path, locally: the reader's notebooks run as a new reader would run them.

``python3 tasks.py colab`` (:func:`colab`) makes a fresh virtual environment
with nothing of aelab in it and runs every reader's notebook there, each alone
in an empty folder, in the quick profile: their set-up cell installs aelab
from the branch _config.yml names (pointed at this clone), as in Colab or a
bare JupyterLab. ``python tasks.py run-notebooks`` (:func:`run_notebooks`) is
what runs them inside that environment. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

from tools import reader as reader_notebooks
from tools.colab_cell import colab_install_line, repository_branch, repository_url
from tools.versions import ROOT


def run(*cmd, env=None, cwd=ROOT) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, check=True)


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
    """Run every reader's notebook as a new reader would: a fresh environment, aelab from the branch only.

    The environment gets what Colab's runtime has (a kernel, nbclient), not
    aelab: each notebook's set-up cell must install it, from its requirement
    pointed at this clone. The set-up chapter runs first, alone, and installs
    it; then the others run, untouched (every ``check()`` must say "Not
    attempted") and with the book's solutions typed in (every one "Correct").
    """
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
        run(py, "-m", "pip", "install", "--quiet", "nbclient", "ipykernel")  # Colab's runtime has these
        env = dict(os.environ, AELAB_QUICK="1", AELAB_PROGRESS="0", OMP_NUM_THREADS="1")
        env.pop("PYTHONPATH", None)
        work.mkdir(parents=True)
        absent = "import importlib.util, sys; sys.exit(importlib.util.find_spec('aelab') is not None)"
        if subprocess.run([str(py), "-c", absent], cwd=work, env=env).returncode:
            sys.exit("the fresh environment already has aelab: the set-up cell would not be tested")
        # the reader's notebooks, as the launch button opens them (their requirement pointed at this
        # clone): untouched, and with the book's solutions typed into the starter cells
        solutions = json.loads(reader_notebooks.SOLUTIONS.read_text())
        passes = {"untouched": ("Not attempted", lambda nb: nb),
                  "solved": ("Correct", lambda nb: reader_notebooks.with_solutions(nb, solutions))}
        runs = {}
        for name, (expect, make) in passes.items():
            for path in sorted(reader_notebooks.READER.glob("*.ipynb")):
                folder = work / name / path.stem
                folder.mkdir(parents=True)
                target = folder / path.name
                text = reader_notebooks.dumps(make(json.loads(path.read_text())))
                target.write_text(text.replace(colab_install_line(), requirement))
                runs.setdefault(name, []).append(str(target))
        first = runs["untouched"].pop(0)  # the set-up chapter: its first cell installs aelab
        print(f"+ the set-up cell installs {requirement!r} into the fresh environment", flush=True)
        run(py, ROOT / "tasks.py", "run-notebooks", "--expect", passes["untouched"][0], first, env=env, cwd=work)
        where = "import aelab; print(f'aelab {aelab.__version__} installed in {aelab.__file__}')"
        run(py, "-c", where, env=env, cwd=work)
        jobs = []  # the two passes share the two cores
        for name, notebooks in runs.items():
            print(f"+ running {len(notebooks)} reader notebooks ({name}, quick profile)", flush=True)
            jobs.append(subprocess.Popen([str(py), str(ROOT / "tasks.py"), "run-notebooks", "--expect",
                                          passes[name][0], *notebooks], cwd=work, env=env))
        codes = [job.wait() for job in jobs]
        if any(codes):
            sys.exit("the Colab rehearsal failed: see the lines above")
