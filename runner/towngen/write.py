"""The town's two files: the map in the hand-editable layout of docs/map-format.md (a sector
per block of lines, an object per line) and the scenario."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

PLAIN = re.compile(r"^[^\s:#,\[\]{}&*!|>'\"%@`?-][^:#,\[\]{}]*$")


def scalar(value: Any) -> str:
    """A YAML scalar: a plain word where it reads as the same string, else quoted."""
    if isinstance(value, str):
        plain = PLAIN.match(value) and value.strip() == value
        loaded = yaml.safe_load(value) if plain else None
        return value if plain and loaded == value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    return json.dumps(value)


def flow(item: dict) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in item.items()) + "}"


def _sector(sector: dict) -> list[str]:
    lines = [f"  - name: {scalar(sector['name'])}"]
    for key in ("name_en", "kind", "rect", "walls", "doors"):
        if key in sector:
            value = sector[key]
            shown = "true" if value is True else "false" if value is False else scalar(value)
            lines.append(f"    {key}: {shown}")
    lines.append("    arenas:")
    for arena in sector["arenas"]:
        lines.append(f"      - name: {scalar(arena['name'])}")
        for key in ("name_en", "rect", "spawn"):
            if key in arena:
                lines.append(f"        {key}: {scalar(arena[key])}")
        if arena.get("objects"):
            lines.append("        objects:")
            lines += [f"          - {flow(obj)}" for obj in arena["objects"]]
    return lines


def map_text(town: dict, header: str) -> str:
    """The map file's text."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [
        "",
        f"world: {scalar(town['world'])}",
        f"world_en: {scalar(town['world_en'])}",
        f"size: {scalar(town['size'])}",
        "tile_size: 32",
    ]
    if town["water"]:
        lines += ["", "water:"] + [f"  - {flow(body)}" for body in town["water"]]
    lines += ["", "sectors:"]
    for sector in town["sectors"]:
        lines += _sector(sector) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def scenario_text(scenario: dict, header: str) -> str:
    body = yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False, width=100000)
    return "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + body


def save(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
