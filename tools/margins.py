"""Print, per claim and comparison, what the recorded runs of each chapter's current version say.

    python3 tasks.py margins [--profile quick|full] [chapter ...]

(``tasks.py`` runs ``python -m tools.margins`` in the virtual environment.)
Each claim gets the rule's verdict and, per comparison, the smallest margin,
the mean, the standard deviation and their ratio over the distinct runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from tools.records import claim_statistics, load_runs, sd, verdict


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python3 tasks.py margins")
    parser.add_argument("--profile", choices=["quick", "full"], default=None)
    parser.add_argument("chapters", nargs="*")
    args = parser.parse_args(argv)
    shown = 0
    for chapter, profiles in claim_statistics(load_runs()).items():
        if args.chapters and not any(chapter.startswith(c) for c in args.chapters):
            continue
        for profile, claims in profiles.items():
            if args.profile and profile != args.profile:
                continue
            shown += 1
            print(f"\n{chapter}, {profile} profile, current version")
            for name, st in claims.items():
                kept, why = verdict(st, profile)
                print(f"  {'ok ' if kept else 'NO '} {name}: held {st['held']}/{st['runs']} ({why})")
                for label, ms in st["margins"].items():
                    spread = sd(ms)
                    z = f"{statistics.mean(ms) / spread:.1f}" if spread > 0 else "inf"
                    print(f"        {label}: smallest {min(ms):.4g}, mean {statistics.mean(ms):.4g}, "
                          f"sd {spread:.3g}, mean/sd {z}")
    if not shown:
        print("no recorded run of the current version of these chapters (its code or aelab's changed since): "
              "run `python3 tasks.py robustness` first")


if __name__ == "__main__":
    main(sys.argv[1:])
