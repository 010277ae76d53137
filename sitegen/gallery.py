"""``rw-site gallery``: one index page over several built replays, ready for GitHub Pages."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from runner.errors import RingWorldError

from .pack import FORMAT, read_data_file
from .templates import GALLERY_DIR, TEMPLATE_DIR, render_tree


def find_site(path: Path) -> Path:
    """A built site folder, given it or the sim folder that holds it in ``site/``."""
    for folder in (path, path / "site"):
        if (folder / "index.html").is_file() and (folder / "data" / "meta.js").is_file():
            return folder
    raise RingWorldError(f"{path}: no built replay here (run 'rw-site build' first)")


def replay_summary(site: Path) -> dict:
    """Name, size and time span of a built replay, read back from its meta payload."""
    try:
        key, meta = read_data_file(site / "data" / "meta.js")
    except (OSError, ValueError) as exc:
        raise RingWorldError(f"{site / 'data' / 'meta.js'}: unreadable ({exc})") from None
    if key != "meta" or not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise RingWorldError(f"{site / 'data' / 'meta.js'}: not a RingWorld replay")
    start = dt.datetime.fromisoformat(meta["start_time"])
    end = start + dt.timedelta(seconds=meta["sec_per_step"] * (meta["steps"] - 1))
    return {
        "name": meta["name"],
        "agents": len(meta["agents"]),
        "steps": meta["steps"],
        "language": meta["language"],
        "offline": meta.get("backend") == "offline",
        "start": start.strftime("%Y-%m-%d %H:%M"),
        "end": end.strftime("%Y-%m-%d %H:%M"),
    }


def _slug(site: Path, taken: set[str]) -> str:
    base = site.parent.name if site.name == "site" else site.name
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.") or "replay"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def build_gallery(dirs: list[Path], out: Path) -> Path:
    """Copy each replay into ``out/<name>/`` and write ``out/index.html`` linking them."""
    sites = [find_site(Path(d)) for d in dirs]
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    entries = []
    for site in sites:
        entry = replay_summary(site)
        entry["href"] = _slug(site, taken)
        target = out / entry["href"]
        if target.resolve() != site.resolve():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(site, target)
        entries.append(entry)
    render_tree(TEMPLATE_DIR / GALLERY_DIR, out, replays=entries)
    (out / ".nojekyll").write_text("")
    return out / "index.html"
