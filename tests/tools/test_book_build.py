"""tools/book_build.py: chapters executed in parallel processes into the cache the build reads."""

import json
import os

import nbformat
import pytest
import yaml
from jupyter_cache import get_cache

from tools import book_build

# each notebook says which process ran it, when, with how many threads, and where
REPORT = """\
import json, os, time
start = time.time()
time.sleep(2)
print(json.dumps({"pid": os.getpid(), "driver": os.getppid(), "start": start, "end": time.time(),
                  "threads": os.environ.get("OMP_NUM_THREADS"), "cwd": os.getcwd()}))
"""


def notebook(folder, name, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    path = folder / name
    nbformat.write(nb, path)
    return path


def cached_report(cache_dir, path):
    """What the notebook printed, read back from the cache the way myst-nb looks it up."""
    _, nb = get_cache(str(cache_dir)).merge_match_into_notebook(nbformat.read(path, as_version=4))
    return json.loads(nb.cells[0].outputs[0]["text"])


def test_notebooks_run_at_once_in_their_own_processes_with_one_thread(tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    # the cache knows a notebook by its code: the two differ by a comment
    paths = [notebook(folder, f"{name}.ipynb", f"# {name}\n" + REPORT) for name in ("a", "b")]
    cache_dir = tmp_path / "cache"
    seconds = book_build.execute(paths, cache_dir, jobs=2, timeout=60, log=lambda line: None)
    assert sorted(seconds) == ["a.ipynb", "b.ipynb"]
    a, b = (cached_report(cache_dir, p) for p in paths)
    assert a["start"] < b["end"] and b["start"] < a["end"], "the two notebooks ran one after the other"
    assert a["driver"] != b["driver"] and os.getpid() not in (a["driver"], b["driver"])
    assert a["threads"] == b["threads"] == "1"
    assert a["cwd"] == b["cwd"] == str(folder)  # the notebook's folder, as myst-nb runs it


def test_a_failing_notebook_is_named_with_its_error_and_the_others_are_cached(tmp_path):
    good = notebook(tmp_path, "good.ipynb", "print(1 + 1)")
    bad = notebook(tmp_path, "bad.ipynb", "x = 1", "raise ValueError('broken on purpose')")
    lines = []
    with pytest.raises(book_build.ChapterFailed, match="bad.ipynb") as failed:
        book_build.execute([good, bad], tmp_path / "cache", jobs=2, timeout=60, log=lines.append)
    assert failed.value.failures == {"bad.ipynb": "ValueError: broken on purpose"}
    assert any(line.startswith(f"{bad}: FAILED") and "broken on purpose" in line for line in lines)
    get_cache(str(tmp_path / "cache")).match_cache_notebook(nbformat.read(good, as_version=4))
    with pytest.raises(KeyError):
        get_cache(str(tmp_path / "cache")).match_cache_notebook(nbformat.read(bad, as_version=4))


def test_the_build_configuration_reads_the_cache_and_changes_nothing_else(tmp_path):
    target = book_build.write_config(tmp_path / "build" / "book_config.yml", tmp_path / "cache")
    written, source = (yaml.safe_load(p.read_text()) for p in (target, book_build.ROOT / "_config.yml"))
    assert written["execute"].pop("execute_notebooks") == "cache"
    assert written["execute"].pop("cache") == str(tmp_path / "cache")
    assert source["execute"].pop("execute_notebooks") == "force"  # a plain jupyter-book build still executes
    extensions = written["sphinx"].pop("local_extensions")
    assert extensions == {name: str(book_build.ROOT / folder)
                          for name, folder in source["sphinx"].pop("local_extensions").items()}
    assert written == source


def test_the_chapters_are_the_notebooks_of_the_table_of_contents():
    found = book_build.chapters()
    assert found[0].name == "00_setup.ipynb"
    assert sorted(found) == sorted((book_build.ROOT / "book").glob("*.ipynb"))
