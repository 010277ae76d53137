"""Which tile of the art goes where: for every map tile a ground sprite and an overlay sprite
(an object, a tree), the windows that light up at night, and the object groups.

Decided here, once, from the map alone (and the tiles the run's agents walked on, so that no
tree stands where somebody walks); the page only draws what it is told. Styles come from
names in both languages together, so a zh and an en build of one map look the same.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from runner.world.townmap import TownMap

from .art.objects import KIND_EFFECT, object_kind
from .sprites import ATLAS

FLOOR_RULES = [
    ("floor_tiles", r"bath|toilet|restroom|shower|浴|厕|卫生间|洗手间"),
    ("floor_kitchen", r"kitchen|厨"),
    ("carpet", r"bed|dorm|room|卧|宿舍|房间|客房|儿童房"),
]
KIND_FLOORS = {
    "cafe": "floor_wood",
    "bar": "floor_wood_dark",
    "restaurant": "floor_wood",
    "grocery": "floor_stone",
    "shop": "floor_stone",
    "pharmacy": "floor_stone",
    "hospital": "floor_tiles",
}
CARPETS = ("floor_rose", "floor_teal", "floor_ochre")
TREE_EVERY = 7  # about one free grass tile in TREE_EVERY gets a tree


def _key(name: str, labels: dict[str, str]) -> str:
    """A name that is the same in a zh and an en build (the pair's first in sort order)."""
    return min(name, labels.get(name, name))


def _hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _near(mask: np.ndarray, radius: int) -> np.ndarray:
    """Tiles within ``radius`` (Chebyshev) of a True tile."""
    out = mask.copy()
    h, w = mask.shape
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            src = mask[max(0, -dy) : h - max(0, dy), max(0, -dx) : w - max(0, dx)]
            out[max(0, dy) : h - max(0, -dy), max(0, dx) : w - max(0, -dx)] |= src
    return out


def _shift(mask: np.ndarray, dx: int, dy: int, fill: bool = False) -> np.ndarray:
    """``out[y, x] = mask[y + dy, x + dx]`` (``fill`` outside the map)."""
    h, w = mask.shape
    out = np.full_like(mask, fill)
    ys, yd = slice(max(0, dy), h + min(0, dy)), slice(max(0, -dy), h + min(0, -dy))
    xs, xd = slice(max(0, dx), w + min(0, dx)), slice(max(0, -dx), w + min(0, -dx))
    out[yd, xd] = mask[ys, xs]
    return out


def floor_style(address: str, town: TownMap) -> str:
    """The ground sprite of a sector's or arena's floor."""
    parts = address.split(":")
    sector = parts[1]
    kind = town.kinds.get(sector, "")
    names = " ".join(p + " " + town.labels.get(p, "") for p in parts[1:3])
    if len(parts) == 2:
        return "paving" if kind in ("square", "other") else "path"
    if kind == "park":
        return "lawn" if _hash(_key(parts[2], town.labels)) % 2 else "lawn2"
    if kind == "square":
        return "paving"
    for style, pattern in FLOOR_RULES:
        if re.search(pattern, names, re.I):
            if style == "carpet":
                return CARPETS[_hash(_key(sector, town.labels)) % len(CARPETS)]
            return style
    return KIND_FLOORS.get(kind, "floor_wood")


def ground_and_overlay(
    town: TownMap, groups: list[dict], visited: np.ndarray | None = None
) -> dict:
    """``ground`` and ``overlay`` (bytes, one atlas index per tile, row-major) and
    ``windows`` (``[x, y, ...]``: wall tiles with a window)."""
    grid = np.asarray(town.address_grid)
    water = np.asarray(town.water, dtype=bool)
    wall = np.asarray(town.collision, dtype=bool) & ~water
    placed = grid > 0
    h, w = grid.shape
    ground = np.zeros((h, w), dtype=np.uint8)
    overlay = np.zeros((h, w), dtype=np.uint8)
    pattern = (np.indices((h, w)).sum(axis=0) * 7 + np.arange(w) * 5) % 3

    building = wall & _near(placed, 2)
    outdoor = ~placed & ~wall & ~water
    road = outdoor & _near(placed | building, 2)
    ground[outdoor] = ATLAS["grass"]
    ground[outdoor & (pattern == 1)] = ATLAS["grass2"]
    ground[outdoor & (pattern == 2)] = ATLAS["grass3"]
    ground[road] = np.where(pattern[road] == 0, ATLAS["road2"], ATLAS["road"])
    _bridges(ground, outdoor, water)

    ground[water] = ATLAS["water"]
    ground[water & ~_shift(water, 0, -1, True)] = ATLAS["water_edge"]

    styles = [floor_style(a, town) if i else "road" for i, a in enumerate(town.addresses)]
    style_index = np.array([ATLAS[s] for s in styles], dtype=np.uint8)
    ground[placed] = style_index[grid[placed]]
    sector_only = np.array([len(a.split(":")) == 2 for a in town.addresses])[grid] & placed
    doors = sector_only & (
        (_shift(wall, -1, 0) & _shift(wall, 1, 0)) | (_shift(wall, 0, -1) & _shift(wall, 0, 1))
    )
    ground[doors] = ATLAS["door"]

    face = building & ~_shift(wall, 0, 1, True)
    ground[building] = ATLAS["wall_top"]
    ground[face] = ATLAS["wall_face"]
    columns = np.arange(w)[None, :].repeat(h, axis=0)
    windows = face & _shift(outdoor, 0, 1) & _shift(placed, 0, -1) & (columns % 3 == 1)
    windows &= ~_shift(doors, -1, 1) & ~_shift(doors, 1, 1)
    ground[windows] = ATLAS["wall_window"]

    trees = wall & ~building
    if visited is not None:
        free = outdoor & ~road & ~np.asarray(visited, dtype=bool)
        free &= ~_near(~free & ~water, 1) | trees
        trees |= free & (_spread(h, w) % TREE_EVERY == 0)
    ground[wall & ~building] = ATLAS["grass"]
    overlay[trees] = ATLAS["tree"]
    for group in groups:
        _draw_object(overlay, group)
    ys, xs = np.nonzero(windows)
    return {
        "ground": ground.tobytes(),
        "overlay": overlay.tobytes(),
        "windows": [int(v) for pair in zip(xs.tolist(), ys.tolist()) for v in pair],
    }


def _spread(h: int, w: int) -> np.ndarray:
    """A fixed scatter of integers over the map (no randomness: builds are reproducible)."""
    ys, xs = np.indices((h, w))
    return (xs * 374761393 + ys * 668265263) % 1000003 // 7


def _bridges(ground: np.ndarray, outdoor: np.ndarray, water: np.ndarray) -> None:
    """Dry tiles with water within two tiles on both sides are a bridge, with a rail on the
    side that is water."""
    near = {(dx, dy): _shift(water, dx, dy) for dx in (-2, -1, 1, 2) for dy in (0,)}
    near |= {(dx, dy): _shift(water, dx, dy) for dy in (-2, -1, 1, 2) for dx in (0,)}
    across = (near[-1, 0] | near[-2, 0]) & (near[1, 0] | near[2, 0])
    along = (near[0, -1] | near[0, -2]) & (near[0, 1] | near[0, 2])
    for mask, rails in ((across & outdoor, ("w", "e")), (along & outdoor & ~across, ("n", "s"))):
        ground[mask] = ATLAS["bridge"]
        side_a = near[-1, 0] if rails[0] == "w" else near[0, -1]
        side_b = near[1, 0] if rails[1] == "e" else near[0, 1]
        ground[mask & side_a] = ATLAS[f"bridge_{rails[0]}"]
        ground[mask & side_b] = ATLAS[f"bridge_{rails[1]}"]


def object_groups(town: TownMap) -> list[dict]:
    """Each connected group of tiles of one object address: its address index, name, kind,
    in-use mark, bounding rect and tiles (in row order)."""
    grid = np.asarray(town.address_grid)
    is_object = np.array([len(a.split(":")) >= 4 for a in town.addresses])
    todo = {(int(x), int(y)) for y, x in zip(*np.nonzero(is_object[grid]))}
    out = []
    while todo:
        start = min(todo, key=lambda t: (t[1], t[0]))
        todo.discard(start)
        group, stack = [start], [start]
        while stack:
            x, y = stack.pop()
            for tile in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if tile in todo and grid[tile[1], tile[0]] == grid[y, x]:
                    todo.discard(tile)
                    group.append(tile)
                    stack.append(tile)
        group.sort(key=lambda t: (t[1], t[0]))
        address = int(grid[start[1], start[0]])
        name = town.addresses[address].split(":")[3]
        kind = object_kind(name, town.labels.get(name, ""))
        xs, ys = [t[0] for t in group], [t[1] for t in group]
        out.append(
            {
                "address": address,
                "name": name,
                "kind": kind,
                "effect": KIND_EFFECT.get(kind, "sparkle"),
                "rect": [min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1],
                "tiles": group,
            }
        )
    return out


def _draw_object(overlay: np.ndarray, group: dict) -> None:
    kind = group["kind"]
    top = group["rect"][1]
    for x, y in group["tiles"]:
        sprite = f"obj_{kind}"
        if kind == "bed":
            sprite = "obj_bed_head" if y == top else "obj_bed"
        overlay[y, x] = ATLAS[sprite]
