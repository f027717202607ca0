"""A reader's run, as a report they can send back: the environment and each claim's verdict.

:meth:`aelab.claims.Claims.report` shows it under the closing table of a
reader's run (never in the book's build): a JSON block, and a link that opens
an issue on the course's repository with the block filled in. ``python3
tasks.py reports FILE`` (``tools/reports.py``) takes such reports into the
records, apart from the book's own runs. The ``digest`` is a checksum of the
rest: it tells an edited or broken report from one the chapter wrote.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import platform
from urllib.parse import quote

import torch

from . import __version__, runtime

KIND = "aelab reader run"


def digest(report: dict) -> str:
    """The checksum of a report, every field but ``digest`` itself."""
    rest = {k: v for k, v in report.items() if k != "digest"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:16]


def make(chapter: str, rows: list) -> dict:
    """The report of this run of ``chapter``, its claims ``rows`` (aelab.claims.Claim) included."""
    dev = runtime.device()
    report = {
        "kind": KIND, "chapter": chapter, "aelab": __version__, "code": runtime.code_version(),
        "torch": torch.__version__, "python": platform.python_version(),
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else dev.type,
        "threads": torch.get_num_threads(), "seed_offset": runtime._seed_offset(), "profile": runtime.profile(),
        "data": os.environ.get("AELAB_MNIST", "").strip() or "embedded",
        "claims": [{"name": row.name, "status": row.status,
                    "margins": {k: round(float(v), 6) for k, v in row.margins.items()}} for row in rows],
    }
    report["digest"] = digest(report)
    return report


def repository() -> str | None:
    """The course's repository, from the installed package's metadata (pyproject's [project.urls])."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("aelab").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    found = [u.split(",", 1)[1].strip() for u in urls if u.lower().startswith("repository,")]
    return found[0].rstrip("/") if found else None


def html_block(report: dict) -> str:
    """The report under the closing table: how to send it, the link, and the JSON to copy."""
    text = json.dumps(report, indent=1)
    where = repository()
    held = sum(1 for c in report["claims"] if c["status"] == "held")
    checked = sum(1 for c in report["claims"] if c["status"] in ("held", "FAILED"))
    link = ""
    if where:
        title = f"Reader's run: {report['chapter']}, {held} of {checked} claims held"
        body = f"My run of {report['chapter']} (please keep the block as it is):\n\n```json\n{text}\n```\n"
        url = f"{where}/issues/new?title={quote(title)}&body={quote(body)}"
        link = f' <a href="{html.escape(url)}" target="_blank">Open an issue with this report</a>, or copy it.'
    return (f'<details><summary style="cursor: pointer">Report your run (click to open): your environment and '
            f"each claim's verdict, to send to the course</summary><p>Your run helps check the book's claims on "
            f"machines the book never ran on.{link} The maintainers take it in with <code>python3 tasks.py "
            f"reports</code>.</p><pre>{html.escape(text)}</pre></details>")
