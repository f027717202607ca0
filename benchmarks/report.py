"""Measure, in one run on this machine, what the performance page reports.

1. The training-loop benchmark of ``bench_fit.py`` (ratios of ``aelab.train.fit``
   to the material's loop and to a bare loop).
2. Each chapter's wall time, executed top to bottom in a fresh kernel, in the
   quick and in the full profile.

It writes ``benchmarks/results.json`` and renders ``book/performance.md`` from
it, so every figure on that page comes from this run.

    .venv/bin/python benchmarks/report.py            # both profiles (the full one takes a while)
    .venv/bin/python benchmarks/report.py --no-full  # quick profile only
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_fit  # noqa: E402


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


def render(results: dict) -> str:
    b = results["benchmark"]
    s = b["seconds_per_epoch"]
    lines = [
        "# Performance",
        "",
        f"Measured on {results['date']} on **{b['device']}** (torch {b['torch']}), by",
        "`benchmarks/report.py`, which writes this page from its own measurements.",
        "",
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
        f"**{b['fit_over_bare']:.2f}x** the time of the bare loop.",
        "",
        "## Each chapter",
        "",
        "Wall time of each notebook, run top to bottom in a fresh kernel.",
        "",
        "| chapter | quick profile (s) | full profile (s) |",
        "|---|---:|---:|",
    ]
    for name, t in results["chapters"].items():
        full = f"{t['full']:.0f}" if t.get("full") is not None else "not measured"
        lines.append(f"| {name} | {t['quick']:.0f} | {full} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-full", action="store_true", help="time the quick profile only")
    args = parser.parse_args()

    results = {"date": dt.date.today().isoformat(), "benchmark": bench_fit.measure(), "chapters": {}}
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        times = {"quick": chapter_seconds(path, quick=True)}
        times["full"] = None if args.no_full else chapter_seconds(path, quick=False)
        results["chapters"][path.stem] = times
        print(path.stem, times, flush=True)

    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (ROOT / "book" / "performance.md").write_text(render(results))
    print("wrote benchmarks/results.json and book/performance.md")


if __name__ == "__main__":
    main()
