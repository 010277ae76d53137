"""One script file for the page's code: the classic scripts between ``<!-- bundle -->`` and
``<!-- /bundle -->`` in the built ``index.html`` are joined, in order, into ``js/replay.js``.

The template keeps one small file per job; a phone loads one file instead of twenty (each
script a page loads costs it a task of its own: measured, about a fifth of the time to the
first frame). Nothing is minified: the joined file is the same code, each part headed by its
file name.
"""

from __future__ import annotations

import re
from pathlib import Path

BLOCK = re.compile(r"<!-- bundle -->\n(.*?)<!-- /bundle -->\n", re.S)
SCRIPT = re.compile(r'<script src="(js/[a-z0-9_-]+\.js)"></script>')
BUNDLE = "js/replay.js"


def bundle_scripts(site: Path) -> None:
    """Join the scripts of the bundle block of ``site/index.html`` into :data:`BUNDLE`."""
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    block = BLOCK.search(html)
    if not block:
        return
    parts = []
    for name in SCRIPT.findall(block.group(1)):
        path = site / name
        parts.append(f"// ---- {name} ----\n{path.read_text(encoding='utf-8')}")
        path.unlink()
    (site / BUNDLE).write_text("\n".join(parts), encoding="utf-8")
    tag = f'<script src="{BUNDLE}"></script>\n'
    page.write_text(html[: block.start()] + tag + html[block.end() :], encoding="utf-8")
