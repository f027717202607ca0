"""Every chapter's first cell: the Colab install of aelab, from the repository _config.yml names.

``python3 tasks.py stamp`` (:func:`stamp`) writes the cell into every notebook
under book/ and strips their outputs; ``tests/test_notebooks.py`` checks each
first cell is what it writes. Standard library only.
"""

from __future__ import annotations

import json
import re

from tools.versions import BOOK, ROOT


def _config(key: str) -> str:
    """One value of the ``repository:`` block of _config.yml (the one place it is set)."""
    config = (ROOT / "_config.yml").read_text()
    return re.search(rf"^\s*{key}:\s*(\S+)", config, re.M).group(1)


def repository_url() -> str:
    """The book's repository, as _config.yml names it."""
    return _config("url").rstrip("/")


def repository_branch() -> str:
    """The branch the launch buttons open every notebook from, as _config.yml names it."""
    return _config("branch")


def colab_install_line() -> str:
    """The pip requirement every chapter's first cell installs in Colab.

    It names the branch the launch button opens the notebook from, so the
    notebook and the package a reader gets come from the same commit.
    """
    return f"aelab @ git+{repository_url()}@{repository_branch()}"


def colab_cell() -> str:
    """The source of every chapter's first cell: install aelab wherever it is missing.

    Colab, a bare JupyterLab or a new virtual environment lack it; the book's
    own environment (``python3 tasks.py``) has it, and the cell does nothing.
    """
    return (
        "# Install the course package where it is missing (Colab, a bare JupyterLab).\n"
        "import importlib.util\n"
        "import subprocess\n"
        "import sys\n"
        "\n"
        f'AELAB = "{colab_install_line()}"\n'
        'if importlib.util.find_spec("aelab") is None:\n'
        '    pip = [sys.executable, "-m", "pip", "install", "--quiet", AELAB]\n'
        "    if subprocess.run(pip).returncode != 0:\n"
        '        print(f"Could not install {AELAB}: if this notebook comes from a fork or "\n'
        '              "a renamed repository, put its URL in AELAB above and run again.")\n'
        "    importlib.invalidate_caches()  # so that `import aelab` finds what pip put there"
    )


def stamp() -> None:
    """Write the Colab cell first in every notebook under book/; strip outputs; give every cell an id."""
    cell = colab_cell()
    for path in sorted(BOOK.glob("*.ipynb")):
        nb = json.loads(path.read_text())
        first = nb["cells"][0]
        text = "".join(first["source"])
        if first["cell_type"] == "code" and ("AELAB = \"aelab @ " in text or text.strip() == "# COLAB"):
            first["source"] = cell.splitlines(keepends=True)
        else:
            nb["cells"].insert(0, {"cell_type": "code", "execution_count": None, "id": "colab-install",
                                   "metadata": {}, "outputs": [], "source": cell.splitlines(keepends=True)})
        # Colab runs the cell; the rendered book leaves it out (the intro says how to run a chapter).
        nb["cells"][0]["metadata"] = {"tags": ["remove-cell"]}
        # Committed notebooks carry no outputs and name the standard Python 3 kernel;
        # every cell has an id (nbformat 4.5), unique in its notebook.
        ids = {c.get("id") for c in nb["cells"]}
        for i, c in enumerate(nb["cells"]):
            if not c.get("id"):
                c["id"] = next(f"cell-{i}-{k}" for k in range(len(ids) + 1) if f"cell-{i}-{k}" not in ids)
                ids.add(c["id"])
            if c["cell_type"] == "code":
                c["outputs"], c["execution_count"] = [], None
        nb["metadata"] = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        print(f"stamped {path.name}")
