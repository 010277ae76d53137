"""The page templates: where ``web_template/`` is, and how a tree of it is rendered.

Both the replay page (:mod:`sitegen.build`), its report view (:mod:`sitegen.report`) and the
gallery (:mod:`sitegen.gallery`) render from here, so none of them imports another for it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2

# The top-level web_template/ of a checkout, or the copy that an installed wheel carries inside
# this package (package data, see pyproject.toml).
_SHIPPED = Path(__file__).resolve().parent / "web_template"
TEMPLATE_DIR = _SHIPPED if _SHIPPED.is_dir() else _SHIPPED.parent.parent / "web_template"
GALLERY_DIR = "gallery"  # the gallery page's own template, not part of a replay site
REPORT_PAGE = "report.html.j2"  # rendered by sitegen.report, only for a sim with an evaluation


def render_tree(src: Path, out: Path, skip: tuple[str, ...] = (), **context: object) -> None:
    """Copy ``src`` into ``out``; ``*.j2`` files are rendered by jinja2 (without the suffix)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(src),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir() or rel.parts[0] in skip:
            continue
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".j2":
            page = env.get_template(rel.as_posix()).render(**context)
            target.with_suffix("").write_text(page, encoding="utf-8")
        else:
            shutil.copyfile(path, target)
