"""Speed of aelab.train.fit against the material's loop and a bare loop, in one run.

The same MLP autoencoder (784-128-64-2, batch 256, Adam) on the embedded digits:

(a) the material's style (source 001): a per-sample dataset that builds a PIL
    image and applies ``ToTensor``, batched by a ``DataLoader``, each batch
    flattened and moved to the device;
(b) ``aelab.train.fit``: tensors on the device, seeded shuffled batches, the
    epoch's loss averaged on the device;
(c) a bare loop on the device over the same batches, with no bookkeeping.

Each variant runs one untimed warm-up epoch, then ``--epochs`` timed ones; the
variants take turns over ``--rounds`` rounds so that a busy machine slows them
alike, and the median seconds per epoch is reported with the ratios.

    .venv/bin/python benchmarks/bench_fit.py [--epochs 3] [--rounds 3]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

from aelab import data, models, runtime, train

BATCH = 256


def new_model(dev):
    runtime.seed_everything(0)
    return models.MLPAutoencoder((1, 28, 28), latent_dim=2, hidden=(128, 64), output="sigmoid").to(dev)


class PILDigits(Dataset):
    """What torchvision's MNIST does per sample: uint8 array -> PIL image -> ToTensor."""

    def __init__(self, images: np.ndarray, labels: np.ndarray):
        self.images, self.labels = images, labels
        self.to_tensor = transforms.ToTensor()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.to_tensor(Image.fromarray(self.images[i], mode="L")), int(self.labels[i])


def material_epochs(images_u8, labels, dev, epochs):
    model = new_model(dev)
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    loader = DataLoader(PILDigits(images_u8, labels), batch_size=BATCH, shuffle=True)
    times = []
    for epoch in range(epochs + 1):
        start = time.perf_counter()
        for features, _ in loader:
            features = features.view(-1, 1, 28, 28).to(dev)
            loss = F.mse_loss(model(features), features)
            opt.zero_grad()
            loss.backward()
            opt.step()
        loss.item()  # the material prints the loss: a sync
        if epoch:
            times.append(time.perf_counter() - start)
    return times


def fit_epochs(x, dev, epochs):
    model = new_model(dev)
    history = train.fit(model, x, train.reconstruction_objective(), epochs=epochs + 1, lr=5e-3,
                        batch_size=BATCH, device=dev, progress=False)
    return history["seconds"].tolist()[1:]


def bare_epochs(x, dev, epochs):
    model = new_model(dev)
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    g = torch.Generator().manual_seed(0)
    times = []
    for epoch in range(epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x), generator=g).to(dev)
        for i in range(0, len(x), BATCH):
            xb = x[order[i : i + BATCH]]
            loss = F.mse_loss(model(xb), xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        loss.item()
        if epoch:
            times.append(time.perf_counter() - start)
    return times


def machine(dev: torch.device) -> str:
    """The device in words: the GPU's name, or the CPU's model and thread count."""
    if dev.type == "cuda":
        return torch.cuda.get_device_name(dev)
    model = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {torch.get_num_threads()} threads"


def measure(epochs: int = 3, rounds: int = 3) -> dict:
    """Median seconds per epoch of each variant, and their ratios."""
    dev = runtime.device()
    digits = data.mnist("embedded", device="cpu", verbose=False)
    x = digits.x_train.to(dev)
    images_u8 = (digits.x_train[:, 0] * 255).round().to(torch.uint8).numpy()
    labels = digits.y_train.numpy()

    times = {"material": [], "fit": [], "bare": []}
    for _ in range(rounds):  # take turns, so a busy machine slows every variant alike
        times["material"] += material_epochs(images_u8, labels, dev, epochs)
        times["fit"] += fit_epochs(x, dev, epochs)
        times["bare"] += bare_epochs(x, dev, epochs)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "device": machine(dev),
        "device_type": dev.type,
        "torch": torch.__version__,
        "images": len(x),
        "batch": BATCH,
        "epochs_timed": rounds * epochs,
        "seconds_per_epoch": med,
        "fit_speedup_over_material": med["material"] / med["fit"],
        "fit_over_bare": med["fit"] / med["bare"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    r = measure(args.epochs, args.rounds)
    print(f"device: {r['device']}; torch {r['torch']}; {r['images']:,} images, batch {r['batch']}; "
          f"median of {r['epochs_timed']} epochs each")
    labels = {"material": "(a) material loop (PIL + ToTensor + DataLoader)",
              "fit": "(b) aelab.train.fit", "bare": "(c) bare on-device loop"}
    for k, label in labels.items():
        print(f"  {label:<50s} {r['seconds_per_epoch'][k]:.4f} s/epoch")
    print(f"  fit is {r['fit_speedup_over_material']:.1f}x faster than the material's loop")
    print(f"  fit takes {r['fit_over_bare']:.3f}x the bare loop's time "
          f"({100 * (r['fit_over_bare'] - 1):+.1f} %)")


if __name__ == "__main__":
    main()
