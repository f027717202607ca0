"""Sphinx fixes for the aelab book.

sphinx-thebe and sphinx-togglebutton add inline scripts after the HTML builder
has started, and Sphinx 7 then registers them twice (once with the file name
``None``, once with ``""``): each page declares ``const THEBE_JS_URL`` twice
and the browser reports a SyntaxError. This extension drops the repeats from
each page's scripts.
"""


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


def setup(app):
    # Late priority: run after every other extension has added its scripts.
    app.connect("html-page-context", _dedupe_scripts, priority=10000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
