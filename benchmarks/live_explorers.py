"""The explorers in a live JupyterLab, driven by headless Chromium: a check by hand, not a test.

usage: .venv/bin/python benchmarks/live_explorers.py [--keep DIR]

It writes a small notebook (an untrained 2-D and 6-D decoder, so nothing to
wait for), starts ``jupyter lab`` on a free local port, opens the notebook in
Chromium through Playwright, runs every cell, and then does what a student
does: types a new value into the first slider of ``code_explorer`` and of
``latent_sliders``, and presses the latter's "back to z0" button. After each
step it checks that the widget's picture changed (or came back), and prints
one line per step. Screenshots go to ``--keep`` (default: a temporary folder).
Exit status 0 when every step did what it should.

It needs Chromium (``$AELAB_CHROMIUM``, or ``chromium`` on the PATH) and the
``book`` extra (jupyterlab, ipywidgets, playwright).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CELLS = [
    "import torch\n"
    "from aelab import explore, models\n"
    "torch.manual_seed(0)\n"
    "small = models.MLPAutoencoder((1, 8, 8), latent_dim=2, hidden=(16,))\n"
    "wide = models.MLPAutoencoder((1, 8, 8), latent_dim=6, hidden=(16,))\n"
    "codes, labels = torch.randn(300, 2), torch.randint(0, 3, (300,))",
    "explore.code_explorer(small.decode, codes, labels)",
    "explore.latent_sliders(wide.decode, torch.zeros(6))",
]


def _notebook(folder: Path) -> Path:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
              "source": text} for i, text in enumerate(CELLS)]
    path = folder / "live_explorers.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "display_name": "Python 3", "language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise TimeoutError(f"waited {seconds:.0f} s for {what}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="a folder for the screenshots")
    args = parser.parse_args(argv)
    chromium = os.environ.get("AELAB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="aelab-live-"))
    shots = Path(args.keep) if args.keep else folder
    shots.mkdir(parents=True, exist_ok=True)
    _notebook(folder)
    port, token = _free_port(), "aelab-live-check"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={folder}", "--ServerApp.ip=127.0.0.1", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []

    def step(name: str, ok: bool, detail: str = "") -> None:
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""), flush=True)
        if not ok:
            failures.append(name)

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            url = f"http://127.0.0.1:{port}/lab/tree/live_explorers.ipynb?token={token}"
            _wait_for(lambda: _reachable(port), 90, "jupyter lab to start")
            page.goto(url)
            page.wait_for_selector(".jp-Notebook", timeout=90_000)
            _wait_for(lambda: page.locator(".jp-Notebook-ExecutionIndicator, .jp-Toolbar").count(), 30, "the toolbar")
            time.sleep(3)  # the kernel starts
            page.locator(".jp-Notebook").first.click()
            for _ in CELLS:  # run each cell in turn, as a student would
                page.keyboard.press("Shift+Enter")
                time.sleep(0.5)
            images = page.locator(".widget-image")
            _wait_for(lambda: images.count() >= 2, 120, "both explorers' pictures")
            page.screenshot(path=str(shots / "1-built.png"), full_page=True)
            sliders = page.locator(".widget-slider")
            step("widgets drawn", images.count() == 2 and sliders.count() == 2 + 6,
                 f"{images.count()} pictures, {sliders.count()} sliders")

            def picture(i: int) -> str:
                return images.nth(i).get_attribute("src") or ""

            def set_slider(i: int, value: str) -> None:
                readout = sliders.nth(i).locator(".widget-readout")
                readout.click()
                page.keyboard.press("Control+A")
                page.keyboard.type(value)
                page.keyboard.press("Enter")

            for name, picture_index, slider_index, value in (
                    ("code_explorer redraws when z2 moves", 0, 0, "0.5"),  # its vertical slider comes first
                    ("latent_sliders redraws when z1 moves", 1, 2, "2.5")):
                before = picture(picture_index)
                set_slider(slider_index, value)
                try:
                    _wait_for(lambda: picture(picture_index) != before, 30, name)
                    step(name, True)
                except TimeoutError as err:
                    step(name, False, str(err))
            moved = picture(1)
            page.get_by_text("back to z0").click()
            try:
                _wait_for(lambda: picture(1) != moved, 30, "the reset")
                readout = sliders.nth(2).locator(".widget-readout").inner_text().strip()
                step("'back to z0' puts the slider back and redraws", readout in ("0.00", "-0.00"), f"z1 reads {readout}")
            except TimeoutError as err:
                step("'back to z0' puts the slider back and redraws", False, str(err))
            page.screenshot(path=str(shots / "2-after.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"screenshots in {shots}")
    return 1 if failures else 0


def _reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
