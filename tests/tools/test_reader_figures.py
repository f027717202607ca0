"""The book's figures in the reader's notebooks: taken from a build, kept for unchanged code, nothing else."""

import json

from tools import reader, reader_figures

PNG = "iVBORw0KGgo="  # the start of a PNG, base64: enough for these tests


def executed_cell(cell_id, *outputs):
    return {"cell_type": "code", "id": cell_id, "source": ["plot()\n"], "outputs": list(outputs)}


def test_only_the_image_outputs_travel_as_display_data():
    figure = {"output_type": "execute_result", "execution_count": 3, "metadata": {"image/png": {"width": 400}},
              "data": {"image/png": PNG, "text/plain": "<Figure size 640x480>", "text/html": "<img>"}}
    log = {"output_type": "stream", "name": "stdout", "text": "epoch 1: 0.3\n"}
    table = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<table>", "text/plain": "t"}}
    found = reader_figures.figures({"cells": [executed_cell("a", log, figure), executed_cell("b", table)]})
    assert found == {"a": [{"output_type": "display_data", "metadata": {"image/png": {"width": 400}},
                            "data": {"image/png": PNG, "text/plain": "<Figure size 640x480>"}}]}


def test_a_build_gives_the_figures_else_the_committed_ones_stay_where_the_code_is_unchanged():
    shown = [{"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG}}]
    notebook = {"cells": [{"cell_type": "code", "id": "a", "source": ["plot()\n"], "outputs": []},
                          {"cell_type": "code", "id": "b", "source": ["plot(2)\n"], "outputs": []},
                          {"cell_type": "markdown", "id": "m", "source": ["text"]}]}
    assert reader_figures.attach(notebook, {"b": shown}, {}) == 1
    assert [c.get("outputs") for c in notebook["cells"]] == [[], shown, None]
    kept = {"a": ("plot()\n", shown), "b": ("plot(1)\n", shown)}  # b's code changed since: its figure is stale
    assert reader_figures.attach(notebook, None, kept) == 1
    assert [c.get("outputs") for c in notebook["cells"]] == [shown, [], None]


def test_figures_are_read_from_an_executed_notebook_when_there_is_no_cache(tmp_path):
    executed = tmp_path / "_build" / "jupyter_execute" / "book"
    executed.mkdir(parents=True)
    figure = {"output_type": "display_data", "metadata": {}, "data": {"image/png": PNG}}
    (executed / "01_x.ipynb").write_text(json.dumps({"cells": [executed_cell("a", figure)]}))
    found = reader_figures.from_build(executed, [tmp_path / "01_x.ipynb", tmp_path / "02_y.ipynb"])
    assert found == {"01_x": {"a": [figure]}}


def test_every_reader_notebook_shows_the_books_figures_before_it_runs():
    for path in sorted(reader.READER.glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        images = [c["id"] for c in cells if c["cell_type"] == "code"
                  and any(reader_figures.IMAGE in o.get("data", {}) for o in c["outputs"])]
        assert images, f"reader/{path.name} carries none of the book's figures: run `python3 tasks.py reader`"
        assert all(o["output_type"] == "display_data" for c in cells if c["cell_type"] == "code"
                   for o in c["outputs"]), f"reader/{path.name}: only the book's figures travel"
