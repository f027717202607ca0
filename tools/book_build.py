"""Execute the book's chapters in parallel, one process and one thread each, for the build to render.

``python3 tasks.py book`` runs this with the build's environment, then the
Jupyter Book build::

    .venv/bin/python -m tools.book_build --write-config _build/book_config.yml
    .venv/bin/jupyter-book build . --config _build/book_config.yml --all ...

Every chapter notebook of _toc.yml is executed afresh in its own process (at
most one per core, ``OMP_NUM_THREADS=1``), in its own folder as myst-nb would,
and stored in a jupyter-cache under _build/. The written configuration is
_config.yml with ``execute_notebooks: cache`` pointed at that cache, so the
build finds every chapter there and only renders it (glue included). Two
chapters at one thread each take about as long as one at two threads, so on a
2-core machine the chapters take about half the time they take one after another.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"
RAN = ROOT / "_build" / "aelab_code.txt"  # the aelab (version and code) the last build's chapters ran
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # terminal colours in kernel tracebacks


class ChapterFailed(RuntimeError):
    """One or more chapters failed to execute; ``failures`` maps each notebook's name to its error."""

    def __init__(self, failures: dict[str, str]):
        self.failures = failures
        lines = "; ".join(f"{name}: {error}" for name, error in failures.items())
        super().__init__(f"{len(failures)} chapter(s) failed: {lines}")


def chapters(root: Path = ROOT) -> list[Path]:
    """The notebooks _toc.yml lists, in its order (the pages written in Markdown execute nothing)."""
    import yaml

    found = []

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                path = root / f"{entry['file']}.ipynb"
                if path.exists():
                    found.append(path)
            walk(entry.get("sections", []) + entry.get("chapters", []) + entry.get("parts", []))

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    walk([{"file": toc["root"]}] + toc.get("chapters", []) + toc.get("parts", []))
    return found


def _limit_threads() -> None:
    """In each worker: the kernel it starts inherits one thread, so the cores are shared one per chapter."""
    os.environ["OMP_NUM_THREADS"] = "1"


def execute_one(path: str, timeout: int, allow_errors: bool) -> dict:
    """Execute one notebook in a fresh kernel with its folder as working directory (myst-nb's call).

    Returns {"path", "notebook" (the executed notebook as JSON text), "seconds", "error" (None or a
    line naming what failed), "detail" (the full error text)}; it never raises for a failing notebook.
    """
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    error = detail = None
    try:
        result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout,
                                     allow_errors=allow_errors, meta_override=True)
        err = result.err
    except Exception as exc:  # a kernel that died, or would not start
        err = exc
    if err is not None:
        detail = ANSI.sub("", str(err)).strip()
        if getattr(err, "ename", None):
            error = ANSI.sub("", f"{err.ename}: {err.evalue}").strip()
        else:
            error = f"{type(err).__name__}: {detail.splitlines()[-1] if detail else ''}"
    return {"path": path, "notebook": nbformat.writes(nb), "seconds": time.perf_counter() - start,
            "error": error, "detail": detail}


def _previous_seconds(cache_dir: Path) -> dict[str, float]:
    """Each notebook's execution time recorded in the cache by the last build, if any."""
    if not (cache_dir / "global.db").exists():
        return {}
    try:
        from jupyter_cache import get_cache

        return {r.uri: float(r.data.get("execution_seconds") or 0)
                for r in get_cache(str(cache_dir)).list_cache_records()}
    except Exception:  # an unreadable cache only loses the ordering
        return {}


def execute(paths: list[Path], cache_dir: Path = CACHE, *, jobs: int | None = None,
            timeout: int = 900, allow_errors: bool = False, log=None) -> dict[str, float]:
    """Execute ``paths`` afresh, ``jobs`` at a time (default one per core), into a new cache at ``cache_dir``.

    The longest chapters of the last build start first. Raises ChapterFailed naming every
    notebook that failed; returns {notebook name: seconds} when all succeeded.
    """
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    log = log or (lambda line: print(line, flush=True))
    cache_dir = Path(cache_dir)
    before = _previous_seconds(cache_dir)
    paths = sorted(paths, key=lambda p: -before.get(str(p), float("inf")))  # stable: unknown ones first
    shutil.rmtree(cache_dir, ignore_errors=True)  # every build executes every chapter: no stale entry
    cache = get_cache(str(cache_dir))
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    log(f"executing {len(paths)} notebooks, {jobs} at a time, one thread each")
    seconds, failures = {}, {}
    with ProcessPoolExecutor(max_workers=jobs, initializer=_limit_threads) as pool:
        futures = [pool.submit(execute_one, str(p), timeout, allow_errors) for p in paths]
        for future in as_completed(futures):
            done = future.result()
            path = Path(done["path"])
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            if done["error"]:
                failures[path.name] = done["error"]
                log(f"{shown}: FAILED after {done['seconds']:.2f} seconds\n{done['detail']}")
                continue
            nb = nbformat.reads(done["notebook"], as_version=4)
            cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": done["seconds"]}),
                                        check_validity=False, overwrite=True)
            # the build looks a chapter up by its code cells: check now that it will find this one
            try:
                cache.match_cache_notebook(nbformat.read(path, as_version=4))
            except KeyError:
                failures[path.name] = "its executed copy does not match the source (it changed while running?)"
                log(f"{shown}: FAILED: {failures[path.name]}")
                continue
            seconds[path.name] = done["seconds"]
            # the line myst-nb writes (benchmarks/report.py --build-log reads it)
            log(f"{shown}: Executed notebook in {done['seconds']:.2f} seconds")
    if failures:
        raise ChapterFailed(failures)
    return seconds


def write_config(target: Path, cache_dir: Path = CACHE, root: Path = ROOT) -> Path:
    """_config.yml with the build reading the chapters from ``cache_dir``, written to ``target``.

    Paths the Jupyter Book resolves against the configuration's folder (local extensions) are
    made absolute; the others are the source folder's, as before.
    """
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text())
    config.setdefault("execute", {}).update(execute_notebooks="cache", cache=str(Path(cache_dir).resolve()))
    local = config.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in local.items():
        local[name] = str((root / folder).resolve())
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# written by tools/book_build.py from _config.yml: the chapters come from the cache\n"
                      + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-config", type=Path, required=True,
                        help="where to write the build's configuration (under _build/)")
    parser.add_argument("--jobs", type=int, default=None, help="notebooks at a time (default: one per core)")
    args = parser.parse_args(argv)
    import yaml

    settings = yaml.safe_load((ROOT / "_config.yml").read_text()).get("execute", {})
    # the aelab code the chapters run: the reader's notebooks name it beside the book's numbers
    from aelab import __version__
    from aelab.runtime import code_version

    RAN.parent.mkdir(parents=True, exist_ok=True)
    RAN.write_text(f"{__version__}, code {code_version()}\n")
    start = time.perf_counter()
    try:
        execute(chapters(), CACHE, jobs=args.jobs, timeout=settings.get("timeout", 30),
                allow_errors=settings.get("allow_errors", False))
    except ChapterFailed as failed:
        sys.exit(f"the book's chapters failed: {'; '.join(f'{n} ({e})' for n, e in failed.failures.items())}")
    print(f"all chapters executed in {time.perf_counter() - start:.0f} s", flush=True)
    write_config(args.write_config, CACHE)


if __name__ == "__main__":
    main()
