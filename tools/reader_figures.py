"""The book's figures in the reader's notebooks: a reader sees them before running a cell.

The reader's notebook ships the image outputs of the book's last full build under
each cell that draws one (a run replaces them with the reader's own). Only
figures travel, at about 0.2 to 2 MB of PNG per chapter: a notebook Colab and
JupyterLab open in a moment, where shipping every output (tables, logs, the
claims table) would carry one machine's text into every reader's copy.

Where the figures come from: a build's jupyter-cache (``_build/.jupyter_cache``,
written by :mod:`tools.book_build`), else executed notebooks that still hold
their outputs (the robustness command's ``--keep``); without a build, the
committed reader notebooks keep the figures they have, for every cell whose
code is unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

IMAGE = "image/png"


def figures(notebook: dict) -> dict[str, list[dict]]:
    """{cell id: its image outputs, as display data} of an executed notebook (cells without one left out)."""
    found = {}
    for cell in notebook.get("cells", []):
        shown = [{"output_type": "display_data",
                  "data": {k: v for k, v in out["data"].items() if k in (IMAGE, "text/plain")},
                  "metadata": {k: v for k, v in out.get("metadata", {}).items() if k == IMAGE}}
                 for out in cell.get("outputs", []) if IMAGE in out.get("data", {})]
        if shown and cell.get("id"):
            found[cell["id"]] = shown
    return found


def from_build(executed: Path, chapters: list[Path]) -> dict[str, dict[str, list[dict]]]:
    """{chapter: {cell id: image outputs}} from the build beside ``executed`` (see the module's docstring).

    A chapter whose code changed since the build has no executed copy that matches: it is left out,
    and keeps the figures it has.
    """
    import nbformat
    from jupyter_cache import get_cache

    cache_dir, found = Path(executed).parents[1] / ".jupyter_cache", {}
    cache = get_cache(str(cache_dir)) if (cache_dir / "global.db").exists() else None
    for path in chapters:
        done = None
        if cache is not None:
            try:
                record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
                done = json.loads(nbformat.writes(cache.get_cache_bundle(record.pk).nb))
            except KeyError:  # not executed by that build (its code changed since)
                pass
        kept = Path(executed) / f"{path.stem}.ipynb"
        if done is None and kept.exists():
            done = json.loads(kept.read_text())
        shown = figures(done) if done is not None else {}
        if shown:  # a copy without outputs (myst-nb's) tells nothing
            found[path.stem] = shown
    return found


def committed(reader_dir: Path, chapter: str) -> dict[str, tuple[str, list[dict]]]:
    """{cell id: (its code, its image outputs)} of the committed reader notebook of ``chapter``."""
    path = Path(reader_dir) / f"{chapter}.ipynb"
    if not path.exists():
        return {}
    cells = json.loads(path.read_text())["cells"]
    return {c["id"]: ("".join(c["source"]), c["outputs"]) for c in cells
            if c["cell_type"] == "code" and c.get("outputs")}


def attach(notebook: dict, built: dict[str, list[dict]] | None, kept: dict[str, tuple[str, list[dict]]]) -> int:
    """Put the book's figures under the reader's cells: from a build when given, else those kept
    for the same code. Returns how many cells got one."""
    count = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        if built is not None:
            outputs = built.get(cell["id"], [])
        else:
            code, outputs = kept.get(cell["id"], ("", []))
            outputs = outputs if code == "".join(cell["source"]) else []
        cell["outputs"] = outputs
        count += bool(outputs)
    return count
