"""Many seeds at once: aelab.stacked.fit_seeds against training the seeds one after another.

Two of the book's small models on the 1-D curve (100 points, full batch, Adam):

- chapter 2's autoencoder: 3-32-32-1-32-32-3, tanh, the reconstruction objective;
- chapter 6's: 3-48-48-48-48-3 and back, leaky ReLU, a spectral-norm decoder,
  the least-volume objective.

For S = 1, 4 and 10 seeds, each is trained (a) stacked, by ``fit_seeds``, and
(b) seed by seed, by ``aelab.train.fit``, for ``--epochs`` epochs. The two take
turns over ``--rounds`` rounds so a busy machine slows them alike; the median
wall time is reported, with two ratios: sequential over stacked (the speed-up),
and stacked S over one seed trained alone (the cost of more seeds).

    .venv/bin/python benchmarks/bench_seeds.py [--epochs 300] [--rounds 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import torch

from aelab import data, models, runtime, train
from aelab.stacked import fit_seeds

ROOT = Path(__file__).resolve().parents[1]

CASES = {
    "chapter 2: curve autoencoder (tanh, 32-32)": (
        lambda: models.MLPAutoencoder(3, 1, hidden=(32, 32), activation="tanh"),
        train.reconstruction_objective(),
    ),
    "chapter 6: least volume (leaky ReLU, 4x48, spectral-norm decoder)": (
        lambda: models.MLPAutoencoder(3, 3, hidden=(48, 48, 48, 48), activation="leaky_relu",
                                      spectral_norm_decoder=True),
        train.least_volume_objective(lam=0.01),
    ),
}


def _stacked(make, objective, x, seeds, epochs, dev) -> float:
    start = time.perf_counter()
    fit_seeds(make, x, objective, seeds=seeds, epochs=epochs, lr=1e-3, batch_size=len(x), device=dev)
    return time.perf_counter() - start


def _sequential(make, objective, x, seeds, epochs, dev) -> float:
    start = time.perf_counter()
    for s in seeds:
        torch.manual_seed(s)
        train.fit(make(), x, objective, epochs=epochs, lr=1e-3, batch_size=len(x), seed=s, device=dev,
                  progress=False)
    return time.perf_counter() - start


def measure(epochs: int = 300, rounds: int = 3, sizes=(1, 4, 10)) -> dict:
    dev = runtime.device()
    x = data.curve(n=100, noise=0.01, seed=0).x.to(dev)
    results = {"device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else
               f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads",
               "device_type": dev.type, "torch": torch.__version__, "epochs": epochs, "rounds": rounds,
               "cases": {}}
    for name, (make, objective) in CASES.items():
        _stacked(make, objective, x, [0, 1], 2, dev)  # warm-up: first-call costs out of the timings
        _sequential(make, objective, x, [0], 2, dev)
        times = {S: {"stacked": [], "sequential": []} for S in sizes}
        for _ in range(rounds):
            for S in sizes:
                seeds = list(range(S))
                times[S]["stacked"].append(_stacked(make, objective, x, seeds, epochs, dev))
                times[S]["sequential"].append(_sequential(make, objective, x, seeds, epochs, dev))
        one = statistics.median(times[1]["sequential"])
        rows = {}
        for S in sizes:
            stacked, sequential = (statistics.median(times[S][k]) for k in ("stacked", "sequential"))
            rows[S] = {"stacked": stacked, "sequential": sequential, "speedup": sequential / stacked,
                       "stacked_over_one_seed": stacked / one}
            print(f"{name} | S={S:2d} | stacked {stacked:6.2f} s | one after another {sequential:6.2f} s | "
                  f"speed-up {sequential / stacked:4.1f}x | stacked / one seed {stacked / one:4.1f}x", flush=True)
        results["cases"][name] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="torch's CPU threads (default: torch's own)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "seeds.json")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    results = measure(args.epochs, args.rounds)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
