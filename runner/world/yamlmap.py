"""RingWorld's own town-map format: a hand-editable YAML file rasterised into a TownMap.

The format is described in ``docs/map-format.md``. Inside a sector every coordinate (arenas,
objects, doors, spawns) is relative to the sector's top-left tile, so a building moves by
editing its ``rect`` alone. Every problem is one RingWorldError line naming the file, the key
path and what was expected.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import RingWorldError
from .townmap import Tile, TownMap
from .yamlcheck import Reader, Rect, inside, overlaps

KINDS = (
    "home",
    "cafe",
    "restaurant",
    "bar",
    "grocery",
    "shop",
    "pharmacy",
    "hospital",
    "college",
    "school",
    "library",
    "office",
    "park",
    "square",
    "other",
)
LANGS = ("zh", "en")
MAX_SIDE = 1000


@dataclass
class Names:
    """A place's name in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Item:
    """A named rect in map coordinates (an object; also the base of arenas and sectors)."""

    names: Names
    rect: Rect
    where: str


@dataclass
class Arena(Item):
    objects: list[Item]
    spawn: Tile | None


@dataclass
class Sector(Item):
    kind: str
    walls: bool
    doors: list[Tile]
    arenas: list[Arena]


@dataclass
class Water:
    names: Names
    rects: list[Rect]
    bridges: list[Rect]


@dataclass
class MapSpec:
    world: Names
    width: int
    height: int
    tile_size: int
    water: list[Water]
    sectors: list[Sector]


def load_yaml_map(path: str | Path, lang: str = "zh") -> TownMap:
    """Read, validate and rasterise a RingWorld YAML map in language ``lang`` ("zh" or "en")."""
    path = Path(path)
    if lang not in LANGS:
        raise RingWorldError(f"{path}: map language must be 'zh' or 'en', got {lang!r:.20}")
    reader = Reader(str(path))
    spec = parse_map(reader, reader.load_yaml(path))
    return rasterise(reader, spec, lang)


def parse_map(r: Reader, data: Any) -> MapSpec:
    """Validate the raw YAML tree into a MapSpec (all coordinates made absolute)."""
    top = r.fields(data, "", ("world", "world_en", "size", "sectors"), ("tile_size", "water"))
    world = Names(r.name(top["world"], "world"), r.name(top["world_en"], "world_en"))
    width, height = r.ints(top["size"], "size", 2, "[width, height]")
    for i, side in enumerate((width, height)):
        r.integer(side, f"size[{i}]", 1, MAX_SIDE)
    tile_size = r.integer(top.get("tile_size", 32), "tile_size", 1, 512)
    bounds = (0, 0, width, height)
    water = [
        _parse_water(r, raw, f"water[{i}]", bounds)
        for i, raw in enumerate(r.items(top.get("water"), "water"))
    ]
    sectors = [
        _parse_sector(r, raw, f"sectors[{i}]", bounds)
        for i, raw in enumerate(r.items(top["sectors"], "sectors"))
    ]
    if not sectors:
        r.fail("sectors", "must list at least one sector")
    _check_unique(r, sectors)
    _check_disjoint(r, sectors)
    return MapSpec(world, width, height, tile_size, water, sectors)


def _names(r: Reader, fields: dict, where: str) -> Names:
    return Names(
        r.name(fields["name"], f"{where}.name"), r.name(fields["name_en"], f"{where}.name_en")
    )


def _check_in(
    r: Reader, rect: Rect, area: Rect, where: str, local: tuple[int, ...], what: str
) -> None:
    """Fail unless ``rect`` (given in the file as ``local``) lies inside ``area``."""
    if not inside(rect, area):
        x0, y0 = area[0] - rect[0] + local[0], area[1] - rect[1] + local[1]
        r.fail(
            where,
            f"{list(local)} must lie inside {what} "
            f"(x {x0}..{x0 + area[2] - 1}, y {y0}..{y0 + area[3] - 1})",
        )


def _parse_water(r: Reader, raw: Any, where: str, bounds: Rect) -> Water:
    f = r.fields(raw, where, ("name", "name_en", "rects"), ("bridges",))
    rects, bridges = [], []
    for key, out in (("rects", rects), ("bridges", bridges)):
        for i, value in enumerate(r.items(f.get(key), f"{where}.{key}")):
            rect = r.rect(value, f"{where}.{key}[{i}]")
            _check_in(r, rect, bounds, f"{where}.{key}[{i}]", rect, "the map")
            out.append(rect)
    if not rects:
        r.fail(f"{where}.rects", "must list at least one rect of water")
    for i, bridge in enumerate(bridges):
        if not any(overlaps(bridge, rect) for rect in rects):
            r.fail(f"{where}.bridges[{i}]", f"{list(bridge)} crosses none of this water's rects")
    return Water(_names(r, f, where), rects, bridges)


def _parse_sector(r: Reader, raw: Any, where: str, bounds: Rect) -> Sector:
    required = ("name", "name_en", "kind", "rect", "arenas")
    f = r.fields(raw, where, required, ("walls", "doors"))
    names = _names(r, f, where)
    kind = r.string(f["kind"], f"{where}.kind")
    if kind not in KINDS:
        r.fail(f"{where}.kind", f"must be one of {', '.join(KINDS)}; got {kind!r:.30}")
    rect = r.rect(f["rect"], f"{where}.rect")
    _check_in(r, rect, bounds, f"{where}.rect", rect, "the map")
    walls = r.flag(f.get("walls", True), f"{where}.walls")
    if walls and (rect[2] < 3 or rect[3] < 3):
        r.fail(f"{where}.rect", "a walled sector must be at least 3x3 (wall, room, wall)")
    room = (rect[0] + 1, rect[1] + 1, rect[2] - 2, rect[3] - 2) if walls else rect
    what = "the sector's walls" if walls else "the sector"
    arenas = [
        _parse_arena(r, a, f"{where}.arenas[{i}]", rect, room, what)
        for i, a in enumerate(r.items(f["arenas"], f"{where}.arenas"))
    ]
    if not arenas:
        r.fail(f"{where}.arenas", "must list at least one arena")
    _check_unique(r, arenas)
    _check_disjoint(r, arenas)
    sector = Sector(names, rect, where, kind, walls, [], arenas)
    sector.doors = _parse_doors(r, f.get("doors"), sector)
    return sector


def _parse_arena(r: Reader, raw: Any, where: str, sector: Rect, room: Rect, what: str) -> Arena:
    f = r.fields(raw, where, ("name", "name_en", "rect"), ("objects", "spawn"))
    names = _names(r, f, where)
    ox, oy = sector[:2]
    local = r.rect(f["rect"], f"{where}.rect")
    rect = (local[0] + ox, local[1] + oy, local[2], local[3])
    _check_in(r, rect, room, f"{where}.rect", local, what)
    label = f"its arena '{names.zh}'"
    objects = []
    for i, obj in enumerate(r.items(f.get("objects"), f"{where}.objects")):
        here = f"{where}.objects[{i}]"
        of = r.fields(obj, here, ("name", "name_en"), ("rect", "at"))
        if ("rect" in of) == ("at" in of):
            r.fail(here, "must have exactly one of 'rect: [x, y, width, height]' or 'at: [x, y]'")
        key = "rect" if "rect" in of else "at"
        if key == "rect":
            local_obj = r.rect(of["rect"], f"{here}.rect")
        else:
            local_obj = (*r.ints(of["at"], f"{here}.at", 2, "[x, y]"), 1, 1)
        obj_rect = (local_obj[0] + ox, local_obj[1] + oy, local_obj[2], local_obj[3])
        shown = local_obj if key == "rect" else local_obj[:2]
        _check_in(r, obj_rect, rect, f"{here}.{key}", shown, label)
        objects.append(Item(_names(r, of, here), obj_rect, here))
    _check_unique(r, objects)
    _check_disjoint(r, objects)
    spawn = None
    if f.get("spawn") is not None:
        sx, sy = r.ints(f["spawn"], f"{where}.spawn", 2, "[x, y]")
        spawn = (sx + ox, sy + oy)
        _check_in(r, (*spawn, 1, 1), rect, f"{where}.spawn", (sx, sy), f"{label} (not on a wall)")
    return Arena(names, rect, where, objects, spawn)


def _parse_doors(r: Reader, raw: Any, sector: Sector) -> list[Tile]:
    where = f"{sector.where}.doors"
    values = r.items(raw, where)
    if not sector.walls:
        if values:
            r.fail(where, "only a walled sector (walls: true) has doors")
        return []
    if not values:
        r.fail(where, "a walled sector needs at least one door, or nobody can get in")
    x0, y0, w, h = sector.rect
    doors = []
    for i, value in enumerate(values):
        dx, dy = r.ints(value, f"{where}[{i}]", 2, "[x, y]")
        door = (dx + x0, dy + y0)
        _check_in(r, (*door, 1, 1), sector.rect, f"{where}[{i}]", (dx, dy), "the sector")
        if dx in (0, w - 1) and dy in (0, h - 1):
            r.fail(f"{where}[{i}]", f"[{dx}, {dy}] is a corner; a door must lead somewhere")
        for arena in sector.arenas:
            if inside((*door, 1, 1), arena.rect):
                r.fail(
                    f"{where}[{i}]", f"[{dx}, {dy}] is inside arena '{arena.names.zh}', not a wall"
                )
        doors.append(door)
    return doors


def _check_unique(r: Reader, items: list) -> None:
    for lang, key in (("zh", "name"), ("en", "name_en")):
        seen: dict[str, str] = {}
        for item in items:
            name = item.names.get(lang)
            if name in seen:
                r.fail(f"{item.where}.{key}", f"'{name}' is used twice (also at {seen[name]})")
            seen[name] = item.where


def _check_disjoint(r: Reader, items: list) -> None:
    for i, item in enumerate(items):
        for other in items[:i]:
            if overlaps(item.rect, other.rect):
                r.fail(f"{item.where}", f"overlaps {other.where} ('{other.names.zh}')")


def rasterise(r: Reader, spec: MapSpec, lang: str) -> TownMap:
    """Draw a validated MapSpec onto the grids of a TownMap in language ``lang``."""
    other = "en" if lang == "zh" else "zh"
    shape = (spec.height, spec.width)
    collision = np.zeros(shape, dtype=bool)
    grid = np.zeros(shape, dtype=np.int32)
    chains: list[tuple[Names, ...]] = [(spec.world,)]

    def code(*chain: Names) -> int:
        chains.append((spec.world, *chain))
        return len(chains) - 1

    for sector in spec.sectors:
        if sector.walls:
            collision[_cells(sector.rect)] = True
        else:
            grid[_cells(sector.rect)] = code(sector.names)
        for arena in sector.arenas:
            collision[_cells(arena.rect)] = False
            grid[_cells(arena.rect)] = code(sector.names, arena.names)
            for obj in arena.objects:
                grid[_cells(obj.rect)] = code(sector.names, arena.names, obj.names)
        door = code(sector.names)
        for x, y in sector.doors:
            collision[y, x] = False
            grid[y, x] = door
    water = _water(spec, shape)
    collision |= water
    grid[collision] = 0
    _check_reachable(r, spec, collision)

    used = np.unique(grid)
    remap = np.zeros(len(chains), dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    kept = [chains[i] for i in used.tolist()]
    addresses = [":".join(n.get(lang) for n in chain) for chain in kept]
    labels = _labels(spec, lang, other)
    for chain in kept[1:]:
        labels[":".join(n.get(lang) for n in chain)] = ":".join(n.get(other) for n in chain)
    return TownMap(
        world=spec.world.get(lang),
        width=spec.width,
        height=spec.height,
        collision=collision,
        address_grid=remap[grid],
        addresses=addresses,
        spawns={
            f"{s.names.get(lang)}:{a.names.get(lang)}": a.spawn
            for s in spec.sectors
            for a in s.arenas
            if a.spawn is not None
        },
        kinds={s.names.get(lang): s.kind for s in spec.sectors},
        labels=labels,
        water=water,
        tile_size=spec.tile_size,
    )


def _water(spec: MapSpec, shape: tuple[int, int]) -> np.ndarray:
    """The water tiles: every body's rectangles, less its bridges."""
    water = np.zeros(shape, dtype=bool)
    for body in spec.water:
        for rect in body.rects:
            water[_cells(rect)] = True
    for body in spec.water:
        for rect in body.bridges:
            water[_cells(rect)] = False
    return water


def _cells(rect: Rect) -> tuple[slice, slice]:
    x, y, w, h = rect
    return slice(y, y + h), slice(x, x + w)


def _labels(spec: MapSpec, lang: str, other: str) -> dict[str, str]:
    """Plain names, first use wins (餐桌 is "dining table" in a kitchen, "table" in the café)."""
    names = [spec.world] + [body.names for body in spec.water]
    for sector in spec.sectors:
        names.append(sector.names)
        for arena in sector.arenas:
            names.append(arena.names)
            names.extend(obj.names for obj in arena.objects)
    labels: dict[str, str] = {}
    for n in names:
        labels.setdefault(n.get(lang), n.get(other))
    return labels


def _check_reachable(r: Reader, spec: MapSpec, collision: np.ndarray) -> None:
    """Every object and spawn must stand on open ground joined to the largest walkable area."""
    main = _largest_region(collision)
    for sector in spec.sectors:
        for arena in sector.arenas:
            if not main[_cells(arena.rect)].any():
                r.fail(arena.where, f"'{arena.names.zh}' cannot be reached; add a door")
            for obj in arena.objects:
                if collision[_cells(obj.rect)].any():
                    r.fail(obj.where, f"'{obj.names.zh}' stands in water; objects need open ground")
                if not main[_cells(obj.rect)].all():
                    r.fail(obj.where, f"'{obj.names.zh}' cannot be reached from the streets")
            if arena.spawn is not None:
                x, y = arena.spawn
                if collision[y, x]:
                    r.fail(f"{arena.where}.spawn", "stands in water; a spawn needs open ground")
                if not main[y, x]:
                    r.fail(f"{arena.where}.spawn", "cannot be reached from the streets")


def _largest_region(collision: np.ndarray) -> np.ndarray:
    """The largest 4-connected region of walkable tiles, as a boolean mask."""
    height, width = collision.shape
    blocked = collision.ravel().tolist()
    label = [0] * (width * height)
    best, best_size = 0, 0
    for start in range(width * height):
        if blocked[start] or label[start]:
            continue
        region = start + 1  # unique, non-zero
        label[start] = region
        queue, size = deque([start]), 0
        while queue:
            cell = queue.popleft()
            size += 1
            x = cell % width
            for step, ok in ((1, x + 1 < width), (-1, x > 0), (width, True), (-width, True)):
                near = cell + step
                if ok and 0 <= near < width * height and not blocked[near] and not label[near]:
                    label[near] = region
                    queue.append(near)
        if size > best_size:
            best, best_size = region, size
    return (np.array(label, dtype=np.int64) == best).reshape(height, width) & (best > 0)
