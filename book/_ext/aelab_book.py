"""Sphinx fixes for the aelab book, and the launch button that opens the reader's notebook.

Each chapter's Colab button opens ``reader/<chapter>.ipynb`` (generated from
the book's notebook by ``python3 tasks.py reader``), not the book's source:
that is the notebook written for a student, with numbers in its prose and
starter cells for the exercises.

sphinx-thebe and sphinx-togglebutton add inline scripts after the HTML builder
has started, and Sphinx 7 then registers them twice (once with the file name
``None``, once with ``""``): each page declares ``const THEBE_JS_URL`` twice
and the browser reports a SyntaxError. This extension drops the repeats from
each page's scripts.

The ``{record}`` role fills in a range or count from the recorded runs of the
chapter's current version (:mod:`tools.record_quotes`), so the prose never types one.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _record_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{record}`quick|claim|comparison|range```: the recorded runs' numbers, as text."""
    from docutils import nodes

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools.record_quotes import quote

    chapter = Path(inliner.document.settings.env.docname).name
    try:
        return [nodes.Text(quote(chapter, text))], []
    except ValueError as exc:
        message = inliner.reporter.error(str(exc), line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", None) or "", tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def _launch_reader(app, pagename, templatename, context, doctree):
    """Point the Colab button of a chapter page at its reader's notebook."""
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if isinstance(group, dict) else []:
            url = button.get("url", "")
            if "colab.research.google.com" in url and "/book/" in url:
                button["url"] = url.replace("/book/", "/reader/", 1)


def setup(app):
    app.add_role("record", _record_role)
    # Late priority: run after every other extension has added its scripts.
    app.connect("html-page-context", _dedupe_scripts, priority=10000)
    # after sphinx-book-theme's add_launch_buttons (priority 501) has made the button
    app.connect("html-page-context", _launch_reader, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
