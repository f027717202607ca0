"""The built book in a real browser (headless Chromium through Playwright).

For every chapter page of ``_build/html``: figures rendered (images present and
non-empty), every glued number resolved (no error text), math rendered by
MathJax where the page has math, the Colab launch button linking to that
chapter's notebook, every link into the book reaching its page and section,
the chapter executed in this run's profile (quick under the test command),
and no console error, page error or failed request. One
screenshot per page goes to ``_build/html/_screenshots`` for a person to look at.
The pages that are not chapters (errata, performance, references) are opened
too: no console error, and every link into the book reaches a page and, where
it names a section, that section.

The test command builds the book (full profile) before it runs these tests.
Without Chromium, or without a build, these tests skip with a message, except
under ``CI=true``, where either is a failure.
"""

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

import pytest

from aelab import runtime

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = HTML / "_screenshots"
CHROMIUM = os.environ.get("AELAB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("*.ipynb"))
PAGES = sorted(p.stem for p in (ROOT / "book").glob("*.md") if p.stem != "intro")  # errata, performance, references


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


def _repository_url() -> str:
    config = (ROOT / "_config.yml").read_text()
    return re.search(r"^\s*url:\s*(\S+)", config, re.M).group(1).rstrip("/")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        _missing("Chromium is not installed (Debian: apt-get install chromium); browser checks skipped")
    if not (HTML / "index.html").exists():
        _missing(f"no built book at {HTML} (run `python3 tasks.py test`, which builds it first)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


def _open(browser, name: str):
    """Open ``book/<name>.html``, wait for MathJax, save its screenshot; return the page and its errors."""
    page_path = HTML / "book" / f"{name}.html"
    assert page_path.exists(), f"{name} is not in the built book"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(page_path.as_uri(), wait_until="load")
    # MathJax typesets after load; wait for its startup promise when the page has it.
    page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
        " { await MathJax.startup.promise; } }"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return page, problems


def test_index_leads_to_the_intro(browser):
    assert "book/intro.html" in (HTML / "index.html").read_text()
    page, problems = _open(browser, "intro")
    assert "Autoencoders" in page.title()
    assert not problems, json.dumps(problems, indent=1)
    page.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_page(browser, chapter):
    page, problems = _open(browser, chapter)

    # Figures: every output image has loaded and has a size.
    images = page.evaluate(
        "() => Array.from(document.querySelectorAll('.cell_output img, .output img'))"
        ".map(i => [i.currentSrc || i.src, i.complete, i.naturalWidth, i.naturalHeight])"
    )
    assert images, f"{chapter}: no figure rendered"
    empty = [src for src, done, w, h in images if not done or w < 10 or h < 10]
    assert not empty, f"{chapter}: images not rendered: {empty}"

    # Glued numbers: resolved, with no error text left in the page.
    text = page.inner_text("article")
    for marker in ("{glue", "Traceback (most recent call last)", "Failed to format", "NameError", "KeyError:"):
        assert marker not in text, f"{chapter}: the page shows {marker!r}"
    # Built in this run's profile: a page left over from a build in the other profile fails here.
    profile = runtime.profile()
    assert f"| profile: {profile} |" in text, (  # the line runtime.describe() prints
        f"{chapter}: the page was not executed in the {profile} profile (a stale build?); rebuild the book"
    )

    # Math: every math element has been typeset by MathJax.
    n_math = page.evaluate("() => document.querySelectorAll('.math').length")
    if n_math:
        typeset = page.evaluate("() => document.querySelectorAll('.math mjx-container, mjx-container').length")
        assert typeset >= n_math, f"{chapter}: {n_math} math elements but {typeset} typeset"

    # The Colab button opens this chapter's reader's notebook (reader/), not the book's source.
    links = page.evaluate("() => Array.from(document.querySelectorAll('a')).map(a => a.href)")
    repo = _repository_url().removeprefix("https://github.com/")
    wanted = f"https://colab.research.google.com/github/{repo}/blob/main/reader/{chapter}.ipynb"
    assert wanted in links, f"{chapter}: no Colab launch link to {wanted}"
    assert not any("colab.research.google.com" in link and "/book/" in link for link in links), (
        f"{chapter}: a Colab link opens the book's source notebook instead of the reader's")
    # No stray repr of a matplotlib object above a figure (a cell whose last line returned one).
    for marker in ("<matplotlib.", "<Axes:", "<Figure size", "Text(0.5", "Text(0,"):
        assert marker not in text, f"{chapter}: the page shows a stray repr {marker!r}"
    broken = _broken_links(page)
    assert not broken, f"{chapter}: links to missing pages or sections: {broken}"

    assert not problems, f"{chapter}: " + json.dumps(problems, indent=1)
    page.close()


# cells tagged in the notebooks (tests/test_notebooks.py checks the tags are where the figures are)
FIGURE_TAGS = ("diagram", "latent-map", "stand-in")


def _tagged_figures(chapter: str) -> dict:
    cells = json.loads((ROOT / "book" / f"{chapter}.ipynb").read_text())["cells"]
    counts = {tag: sum(tag in c["metadata"].get("tags", []) for c in cells) for tag in FIGURE_TAGS}
    return {tag: n for tag, n in counts.items() if n}


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if _tagged_figures(c)])
def test_diagrams_latent_maps_and_stand_ins_are_drawn(browser, chapter):
    import numpy as np
    from PIL import Image

    page, problems = _open(browser, chapter)
    for tag, n in _tagged_figures(chapter).items():
        cells = page.evaluate(
            "(tag) => Array.from(document.querySelectorAll('.cell.tag_' + tag)).map(c => Array.from("
            "c.querySelectorAll('img')).map(i => [i.currentSrc || i.src, i.complete, i.naturalWidth, i.naturalHeight]))",
            tag)
        assert len(cells) == n, f"{chapter}: {n} cells tagged {tag!r} in the notebook, {len(cells)} on the page"
        for images in cells:
            assert images, f"{chapter}: a cell tagged {tag!r} shows no figure"
            for src, done, width, height in images:
                assert done and width >= 100 and height >= 100, f"{chapter}: {tag} figure {src} not drawn"
                pixels = np.asarray(Image.open(url2pathname(urlparse(src).path)).convert("L"), dtype=float)
                # drawn: not one flat colour, and ink on more than a sliver of the figure
                ink = (np.abs(pixels - np.median(pixels)) > 30).mean()
                assert pixels.std() > 5 and ink > 0.02, f"{chapter}: {tag} figure {src} is blank (ink {ink:.1%})"
    assert not problems, f"{chapter}: " + json.dumps(problems, indent=1)
    page.close()


def _broken_links(page) -> list[str]:
    """Links into the built book whose page, or whose section anchor, does not exist."""
    broken = []
    for href in set(page.evaluate("() => Array.from(document.querySelectorAll('article a[href]')).map(a => a.href)")):
        if not href.startswith("file://"):
            continue
        target, _, anchor = href.partition("#")
        target, anchor = Path(url2pathname(urlparse(target).path)), unquote(anchor)
        if not target.is_file():
            broken.append(href)
        elif anchor and f'id="{anchor}"' not in target.read_text(encoding="utf-8"):
            broken.append(href)
    return sorted(broken)


@pytest.mark.parametrize("name", PAGES)
def test_other_page(browser, name):
    page, problems = _open(browser, name)
    assert page.inner_text("article").strip(), f"{name}: the page is empty"
    broken = _broken_links(page)
    assert not broken, f"{name}: links to missing pages or sections: {broken}"
    assert not problems, f"{name}: " + json.dumps(problems, indent=1)
    page.close()


# --------------------------------------------------------------------------- the reader's notebooks in JupyterLab

READER = sorted((ROOT / "reader").glob("*.ipynb"))


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab serving a copy of reader/ on a free local port (opened, not run: no kernel is needed)."""
    import socket
    import subprocess
    import sys
    import time

    folder = tmp_path_factory.mktemp("reader")
    for path in READER:
        shutil.copy(path, folder / path.name)
    # every cell in the page, not only those scrolled into view (JupyterLab 4 draws lazily by default)
    settings = tmp_path_factory.mktemp("settings") / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "aelab-reader-check"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}", "--ServerApp.ip=127.0.0.1",
         f"--LabApp.user_settings_dir={settings.parent.parent}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(180):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        # ?reset: a fresh workspace for each notebook, not every notebook opened so far in tabs
        yield f"http://127.0.0.1:{port}/lab/tree/{{}}?reset&token={token}"
    finally:
        server.terminate()
        server.wait(timeout=30)


# what the folded cells hold: none of it may show in JupyterLab
PLUMBING = re.compile(r"\bglue\(|\bclaims\.(check|fact|report)\(")


@pytest.mark.parametrize("path", READER, ids=lambda p: p.stem)
def test_a_reader_notebook_in_jupyterlab_shows_no_plumbing(browser, jupyterlab, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(jupyterlab.format(path.name))
    source = json.loads(path.read_text())["cells"]
    expected = sum(1 for c in source if c["cell_type"] == "code")
    panel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell"
    page.wait_for_function(f"document.querySelectorAll('{panel}').length >= {expected}", timeout=120_000)
    page.wait_for_timeout(1500)  # the cells' editors fill in
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].map(c => ({
               folded: !!c.querySelector('.jp-InputPlaceholder'),
               text: (c.querySelector('.cm-content') || {}).innerText || ''}))""")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"reader-{path.stem}.png"))
    page.close()
    plumbing = [c for c in source if c["cell_type"] == "code" and PLUMBING.search("".join(c["source"]))
                and not c["id"].startswith("starter-")]
    assert plumbing, f"{path.name}: no glue or claims cell to check"
    assert len(cells) == expected, f"{path.name}: not every cell drawn"
    shown = [c["text"][:80] for c in cells if not c["folded"] and PLUMBING.search(c["text"])]
    assert not shown, f"{path.name}: JupyterLab shows glue or claims code: {shown}"
    assert sum(c["folded"] for c in cells) >= len(plumbing), f"{path.name}: the plumbing cells are not folded"
