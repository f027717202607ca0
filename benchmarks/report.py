"""Measure, in one run on this machine, what the performance page reports.

1. The training-loop benchmark of ``bench_fit.py`` (ratios of ``aelab.train.fit``
   to the material's loop and to a bare loop).
2. The many-seeds benchmark of ``bench_seeds.py`` (``aelab.stacked.fit_seeds``
   against the same seeds trained one after another).
3. Each chapter's wall time, executed top to bottom in a fresh kernel, in the
   quick and in the full profile.

It writes ``benchmarks/results.json`` and renders ``book/performance.md`` from
it, so every figure on that page comes from this run.

    .venv/bin/python benchmarks/report.py            # both profiles (the full one takes a while)
    .venv/bin/python benchmarks/report.py --no-full  # quick profile only
    .venv/bin/python benchmarks/report.py --seeds    # re-measure the many-seeds benchmark only
    .venv/bin/python benchmarks/report.py --render   # rewrite the page from results.json
    .venv/bin/python benchmarks/report.py --render --chapters-from-robustness [--build-log LOG]
        # new chapter times only, the benchmarks kept
    .venv/bin/python benchmarks/report.py --chapters-from-robustness [--build-log LOG]
        # measure the two benchmarks; take each chapter's time from the robustness runs
        # of its current version (benchmarks/robustness/), which executed it the same way,
        # and the full profile's from the log of `python3 tasks.py book` when one is given
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]  # the benchmarks beside this file; tools/ (versions)

import bench_fit  # noqa: E402
import bench_seeds  # noqa: E402
from tools.versions import current_versions  # noqa: E402


def chapter_seconds(path: Path, quick: bool) -> float:
    """Wall time of one notebook, executed in a fresh kernel with the given profile."""
    nb = nbformat.read(path, as_version=4)
    env_before = dict(os.environ)
    os.environ["AELAB_PROGRESS"] = "0"
    if quick:
        os.environ["AELAB_QUICK"] = "1"
    else:
        os.environ.pop("AELAB_QUICK", None)
    try:
        start = time.perf_counter()
        NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        return time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(env_before)


def chapters_from_robustness() -> dict:
    """Each chapter's median wall time over the recorded robustness runs of its current version.

    Those runs execute a chapter top to bottom in a fresh kernel, as :func:`chapter_seconds`
    does: the full profile one chapter at a time at 2 threads, the quick profile at 1 thread
    (two chapters at a time, as the test command's one-thread runs are meant to share cores).
    """
    import statistics

    versions = current_versions()
    chapters = {}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        record = ROOT / "benchmarks" / "robustness" / f"{path.stem}.json"
        runs = json.loads(record.read_text())["runs"] if record.exists() else []
        current = [r for r in runs if r.get("notebook") == versions[path.stem] and not r["error"]]
        pick = {"quick": ("quick", 1), "full": ("full", 2)}
        chapters[path.stem] = {
            key: (statistics.median(r["seconds"] for r in current if (r["profile"], r["threads"]) == want)
                  if any((r["profile"], r["threads"]) == want for r in current) else None)
            for key, want in pick.items()}
    return chapters


def chapters_from_build_log(log: str) -> dict[str, float]:
    """Each chapter's execution time in a book build, from myst-nb's log lines."""
    import re

    found = re.findall(r"book/(\w+)\.ipynb: Executed notebook in ([\d.]+) seconds", log)
    return {stem: float(seconds) for stem, seconds in found}


def recorded_times(results: dict, build_log: Path | None) -> None:
    """Put into ``results`` the chapter times already recorded: robustness runs, and a build log."""
    results["chapters"] = chapters_from_robustness()
    results["chapters_source"] = "robustness"
    if build_log:
        for stem, seconds in chapters_from_build_log(build_log.read_text()).items():
            results["chapters"].setdefault(stem, {})["full"] = seconds
        results["chapters_source"] = "robustness and build log"


def chapter_title(stem: str) -> str:
    """The first heading of a chapter's notebook, or its file name if it has none."""
    path = ROOT / "book" / f"{stem}.ipynb"
    if path.exists():
        for cell in nbformat.read(path, as_version=4).cells:
            for line in cell.source.splitlines() if cell.cell_type == "markdown" else ():
                if line.startswith("# "):
                    return line[2:].strip()
    return stem


def seeds_section(seeds: dict | None) -> list[str]:
    """The page's section on training many seeds at once (from bench_seeds.measure)."""
    if not seeds:
        return []
    lines = [
        "## Many seeds at once",
        "",
        "A claim must hold over seeds, so several chapters train the same small model from",
        "several seeds. `aelab.stacked.fit_seeds` trains them as one stacked model (one batched",
        "matrix multiply per layer for all seeds). Measured on "
        f"**{seeds['device']}** (torch {seeds['torch']}), {seeds['epochs']} full-batch epochs on the",
        f"100-point curve; median of {seeds['rounds']} rounds, the two ways taking turns.",
        "",
        "| model | seeds | stacked (s) | one after another (s) | speed-up | stacked / one seed alone |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, rows in seeds["cases"].items():
        for S, r in rows.items():
            lines.append(f"| {name} | {S} | {r['stacked']:.2f} | {r['sequential']:.2f} | "
                         f"{r['speedup']:.1f}x | {r['stacked_over_one_seed']:.1f}x |")
    worst = max(rows[max(rows, key=int)]["stacked_over_one_seed"] for rows in seeds["cases"].values())
    lines += ["", f"Ten stacked seeds cost at most **{worst:.1f}x** the time of one seed trained alone.", ""]
    return lines


def book_section(book: dict | None) -> list[str]:
    """The book command's wall time, chapters side by side against one after another (bench_book.py)."""
    if not book:
        return []
    return [
        "## The book command",
        "",
        f"`python3 tasks.py book` executes the chapters side by side, one process and one thread each, as",
        f"many at once as the machine has cores ({book['cores']} here), then renders them",
        "(`tools/book_build.py`). Before, the Jupyter Book executed them itself, one after another, in",
        "the default thread count (`benchmarks/bench_book.py sequential`). Whole-command wall time,",
        f"setup, execution and HTML included, median of {book['runs']} run{'s' if book['runs'] > 1 else ''} each "
        f"on {book['date']}{', ' + book['note'] if book.get('note') else ''}:",
        "",
        "| build | minutes | relative to one after another |",
        "|---|---:|---:|",
        f"| chapters one after another | {book['sequential_s'] / 60:.1f} | 1.00 |",
        f"| chapters side by side (`python3 tasks.py book`) | {book['parallel_s'] / 60:.1f} | {book['ratio']:.2f} |",
        "",
    ]


def render(results: dict) -> str:
    b = results["benchmark"]
    s = b["seconds_per_epoch"]
    lines = [
        "# Performance",
        "",
        f"Measured on {results['date']} on **{b['device']}** (torch {b['torch']}), by",
        "`benchmarks/report.py`, which writes this page from its own measurements.",
        "",
    ]
    if b.get("device_type", "cpu") != "cuda":
        lines += [
            "No GPU was available for this run, so every figure here is the CPU's. To measure on a",
            "GPU (in Colab, say), run `python benchmarks/bench_fit.py` there.",
            "",
        ]
    lines += [
        "## The training loop",
        "",
        f"The same MLP autoencoder (784-128-64-2, batch {b['batch']}, Adam) on the {b['images']:,}",
        f"embedded training digits; median seconds per epoch over {b['epochs_timed']} timed epochs each.",
        "",
        "| loop | seconds per epoch | relative to `fit` |",
        "|---|---:|---:|",
        f"| the material's loop (per-sample PIL + `ToTensor`, `DataLoader`) | {s['material']:.4f} | {s['material'] / s['fit']:.1f}x |",
        f"| `aelab.train.fit` | {s['fit']:.4f} | 1.0x |",
        f"| a bare loop on the device (same batches, no bookkeeping) | {s['bare']:.4f} | {s['bare'] / s['fit']:.2f}x |",
        "",
        f"`fit` is **{b['fit_speedup_over_material']:.1f}x** faster than the material's loop and takes",
        f"**{b['fit_over_bare']:.2f}x** the time of the bare loop."
        + (" `fit` does the bare loop's work and a little more, so a ratio below 1 is the run's noise."
           if b["fit_over_bare"] < 1 else ""),
        "",
    ]
    lines += seeds_section(results.get("seeds"))
    lines += book_section(results.get("book_build"))
    source = results.get("chapters_source", "")
    from_robustness = source.startswith("robustness")
    lines += [
        "## Each chapter",
        "",
        "Wall time of each notebook, run top to bottom in a fresh kernel on the same machine. The",
        "quick profile (`AELAB_QUICK=1`) is what the test command runs; the full profile is what the",
        "book is built with and what a reader runs.",
    ]
    if source == "robustness and build log":
        lines += [
            "The full profile's times are those of one book build on a fresh clone (`python3 tasks.py book`,",
            "as `python3 tasks.py test` runs it: each chapter's execution time, one thread each, as many",
            "chapters at once as the machine has cores, `tools/book_build.py`); the",
            "quick profile's are the medians over the one-thread runs of `python3 tasks.py robustness`",
            "recorded for the chapters' current versions, two chapters at a time.",
        ]
    elif from_robustness:
        lines += [
            "These are the medians over the runs of `python3 tasks.py robustness` recorded for the",
            "chapters' current versions ([Do the claims hold on your run?](robustness.md)): the full",
            "profile at 2 threads, one chapter at a time; the quick profile at 1 thread, two chapters",
            "at a time, as that command runs them.",
        ]
    else:
        lines += ["One chapter at a time, in the machine's default thread count."]
    if results.get("chapters_date"):
        lines += [f"Chapter times measured on {results['chapters_date']}; the benchmarks above on {results['date']}."]
    lines += ["", "| chapter | quick profile (s) | full profile (s) |", "|---|---:|---:|"]
    fmt = lambda v: f"{v:.0f}" if v is not None else "not measured"  # noqa: E731
    for name, t in results["chapters"].items():
        lines.append(f"| [{chapter_title(name)}]({name}.ipynb) | {fmt(t.get('quick'))} | {fmt(t.get('full'))} |")
    fulls = [t.get("full") for t in results["chapters"].values()]
    if all(v is not None for v in fulls):
        lines += ["", f"All chapters in the full profile: **{sum(fulls) / 60:.1f} minutes**."]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-full", action="store_true", help="time the quick profile only")
    parser.add_argument("--render", action="store_true", help="rewrite book/performance.md from results.json; measure nothing")
    parser.add_argument("--seeds", action="store_true", help="re-measure the many-seeds benchmark only; keep the rest")
    parser.add_argument("--chapters-from-robustness", action="store_true",
                        help="take the chapter times from the robustness runs of the current versions")
    parser.add_argument("--build-log", type=Path, default=None,
                        help="with --chapters-from-robustness: the full-profile times from this log "
                             "of `python3 tasks.py book` (myst-nb's 'Executed notebook in N seconds')")
    args = parser.parse_args()
    if args.seeds:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
        results["seeds"] = bench_seeds.measure()
        (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        (ROOT / "book" / "performance.md").write_text(render(results))
        print("wrote the many-seeds figures to benchmarks/results.json and book/performance.md")
        return
    if args.render and args.chapters_from_robustness:  # new chapter times, the benchmarks kept
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
        recorded_times(results, args.build_log)
        results["chapters_date"] = dt.date.today().isoformat()
        (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        (ROOT / "book" / "performance.md").write_text(render(results))
        print("wrote the chapter times to benchmarks/results.json and book/performance.md")
        return
    if args.render:
        results = json.loads((ROOT / "benchmarks" / "results.json").read_text())
        (ROOT / "book" / "performance.md").write_text(render(results))
        print("wrote book/performance.md")
        return

    results = {"date": dt.date.today().isoformat(), "benchmark": bench_fit.measure(),
               "seeds": bench_seeds.measure(), "chapters": {}}
    if args.chapters_from_robustness:
        recorded_times(results, args.build_log)
    for path in ([] if args.chapters_from_robustness else sorted((ROOT / "book").glob("*.ipynb"))):
        times = {"quick": chapter_seconds(path, quick=True)}
        times["full"] = None if args.no_full else chapter_seconds(path, quick=False)
        results["chapters"][path.stem] = times
        print(path.stem, times, flush=True)

    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (ROOT / "book" / "performance.md").write_text(render(results))
    print("wrote benchmarks/results.json and book/performance.md")


if __name__ == "__main__":
    main()
