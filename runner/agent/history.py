"""History CSVs in the original format: a header, then ``Name,Whisper`` rows whose whisper is
one string of memories separated by ``;``. Each memory becomes a thought of that agent."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from ..errors import RingWorldError
from .memory import Memory


def read_history(path: str | Path, names: list[str]) -> dict[str, list[str]]:
    """Agent name -> its memories; names may be any of ``names`` (or an English alias)."""
    path = Path(path)
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read the history file ({exc.strerror})") from None
    except csv.Error as exc:
        raise RingWorldError(f"{path}: not a CSV file ({exc})") from None
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["name", "whisper"]:
        raise RingWorldError(f"{path}: the first row must be the header 'Name,Whisper'")
    out: dict[str, list[str]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise RingWorldError(f"{path}: row {line} needs two columns, Name and Whisper")
        name = row[0].strip()
        if name not in names:
            raise RingWorldError(f"{path}: row {line}: no agent named '{name}' in this sim")
        memories = [m.strip() for m in row[1].split(";") if m.strip()]
        out.setdefault(name, []).extend(memories)
    return out


def agent_names(personas: list[dict]) -> dict[str, int]:
    """Every name an agent answers to (scenario name and English name) -> its index."""
    names: dict[str, int] = {}
    for i, p in enumerate(personas):
        names[p["name"]] = i
        if p.get("name_en"):
            names.setdefault(p["name_en"], i)
    return names


def plant_history(
    personas: list[dict], memories: list[Memory], path: str, step: int, map_fn: Callable = map
) -> None:
    """Seed the agents' memories (``memories[i]`` agent ``i``'s) from a history CSV (at the
    start of a run); ``map_fn`` may be a thread pool's ``map``: each agent's memories touch
    only that agent."""
    names = agent_names(personas)
    planted = read_history(path, list(names))

    def plant(index: int) -> None:
        name = personas[index]["name"]
        for who, texts in planted.items():
            if names[who] == index:
                for text in texts:
                    memories[index].remember("thought", step, text[:300], (name, "remembers", ""))

    list(map_fn(plant, range(len(memories))))
