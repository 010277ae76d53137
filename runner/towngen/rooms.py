"""The buildings drawn as sectors of a map file: the plans of places.yaml turned the way the
building faces, a shop's own shelves, beds sized for who sleeps in them, flats in a row."""

from __future__ import annotations

from typing import Any

from .layout import FLATS_PER_BUILDING, Unit
from .tables import table

FLAT_INSIDE = (4, 7)  # a flat's floor, in tiles


def _obj(unit: Unit, raw: list, goods: list | None) -> dict:
    name, name_en, x, y, *size = raw
    if name == "GOODS":
        name, name_en = goods or ("货架", "shelf")
    w, h = size or (1, 1)
    y = unit.fy(y, h)
    if size:
        return {"name": name, "name_en": name_en, "rect": [x, y, w, h]}
    return {"name": name, "name_en": name_en, "at": [x, y]}


def _bed(unit: Unit, x: int, bottom: int, sleepers: int) -> dict:
    """A bed two tiles wide (a tile a sleeper … two tiles sleep one), its foot at ``bottom``."""
    h = max(1, sleepers)
    return {"name": "床", "name_en": "bed", "rect": [x, unit.fy(bottom - h + 1, h), 2, h]}


def _arena(unit: Unit, raw: list, goods: list | None, sleepers: int) -> dict:
    name, name_en, (x, y, w, h), objects = raw
    out: dict[str, Any] = {"name": name, "name_en": name_en, "rect": [x, unit.fy(y, h), w, h]}
    things = []
    for obj in objects:
        if obj[0] == "床" and sleepers:
            bed = _bed(unit, obj[2], y + h - 1, sleepers)
            things.append(bed)
            out["spawn"] = bed["rect"][:2]
        else:
            things.append(_obj(unit, obj, goods))
    if things:
        out["objects"] = things
    return out


def building(unit: Unit, sleepers: dict[str, int]) -> dict:
    """The sector of a unit drawn from its plan; ``sleepers``: arena name -> people in it."""
    plan = table("places")["plans"][unit.plan]
    goods = unit.place.goods if unit.place else None
    sector: dict[str, Any] = {
        "name": unit.names[0],
        "name_en": unit.names[1],
        "kind": unit.place.kind if unit.place else "home",
        "rect": [unit.x, unit.y, unit.w, unit.h],
        "walls": not plan.get("open", False),
    }
    if sector["walls"]:
        sector["doors"] = [[dx, unit.fy(dy)] for dx, dy in plan["doors"]]
    sector["arenas"] = [_arena(unit, a, goods, sleepers.get(a[0], 0)) for a in plan["arenas"]]
    return sector


def flat_name(number: int) -> tuple[str, str]:
    return f"{101 + number}室", f"Flat {101 + number}"


def flats(unit: Unit) -> dict:
    """A block of flats: a row of one-room flats, each with its own door onto the street."""
    plan = table("places")["plans"]["flat"]
    w, h = FLAT_INSIDE
    arenas = []
    for k in range(FLATS_PER_BUILDING):
        home = next((m for m in unit.homes if m.number == k), None)
        sleepers = len(home.household.members) if home and home.household else 1
        ox = 1 + 5 * k
        things = [
            _obj(unit, [o[0], o[1], o[2] + ox, o[3] + 1, *o[4:]], None) for o in plan["objects"]
        ]
        bed = _bed(unit, ox, h, sleepers)
        zh, en = flat_name(k)
        arenas.append(
            {
                "name": zh,
                "name_en": en,
                "rect": [ox, unit.fy(1, h), w, h],
                "spawn": bed["rect"][:2],
                "objects": [bed, *things],
            }
        )
    return {
        "name": unit.names[0],
        "name_en": unit.names[1],
        "kind": "home",
        "rect": [unit.x, unit.y, unit.w, unit.h],
        "walls": True,
        "doors": [[2 + 5 * k, unit.fy(0)] for k in range(FLATS_PER_BUILDING)],
        "arenas": arenas,
    }


def pond(unit: Unit) -> dict | None:
    """The water of a park, in map coordinates."""
    plan = table("places")["plans"][unit.plan]
    if "pond" not in plan:
        return None
    x, y, w, h = plan["pond"]
    zh = unit.names[0].removesuffix("公园") + "湖"
    en = unit.names[1].removesuffix(" Park") + " Lake"
    return {"name": zh, "name_en": en, "rects": [[unit.x + x, unit.y + unit.fy(y, h), w, h]]}
