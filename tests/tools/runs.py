"""Run records as the robustness command writes them, for the tests of the tooling."""

from pathlib import Path

from tools.versions import version

ROOT = Path(__file__).resolve().parents[2]


def run(offset, threads, status="held", error=""):
    """A run of an earlier version of a chapter 02_x, with one claim."""
    return {"chapter": "02_x", "profile": "quick", "offset": offset, "threads": threads, "seconds": 30,
            "error": error, "date": "2026-11-22",
            "claims": [{"name": "ae-beats-pca", "status": status, "values": {"ae": "0.1", "pca": "0.2"}}]}


def margin_run(offset, threads, margin, chapter="00_setup"):
    """A run of the current version of ``chapter``, with one claim of the given margin and one fact."""
    return {"chapter": chapter, "profile": "quick", "offset": offset, "threads": threads, "seconds": 30,
            "error": "", "notebook": version(ROOT / "book" / f"{chapter}.ipynb"),
            "claims": [{"name": "falls", "says": "It falls.", "status": "held" if margin > 0 else "FAILED",
                        "values": {"e": str(margin)}, "margins": {"e": margin}, "fact": False},
                       {"name": "shape", "says": "A shape.", "status": "held", "values": {}, "margins": {},
                        "fact": True}]}
