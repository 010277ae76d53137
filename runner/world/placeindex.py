"""The places of a town map, numbered: what an agent can know, and which room a tile is in.

A place is a sector ``S``, an arena ``S:A`` or a game object ``S:A:O`` (the world's name left
out). Every place has a number, in the order the map's addresses first name it, so that what an
agent knows of the town is a set of bits over them.

``arena_grid`` numbers each tile's room: two tiles are in the same room when their numbers are
equal, which is what perception asks (the original perceives the events of the agent's own
arena only). A room is an arena path (``world:sector:arena``; shorter outdoors and in doorways),
except that the arenas of one building that meet with no wall or door between them are one
open-plan room (a café's counter open to its dining area).

An object's ``capacity`` is how many agents can use it at once: one per tile (a sink or a shower
of one tile holds one, a long table several), and a bed one per two tiles (a single bed sleeps
one, a double bed two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .townmap import Tile, TownMap

MIN_ARENA_NAME = 3  # an arena named in a text must be unique on the map and this long
BED_WORDS = ("床", "bed")


def is_bed(obj: str) -> bool:
    return obj.lower() in BED_WORDS


def _rooms(town: TownMap) -> np.ndarray:
    """(height, width) room number of each tile (see the module docstring)."""
    arena_paths = sorted({":".join(a.split(":")[:3]) for a in town.addresses})
    number = {p: n for n, p in enumerate(arena_paths)}
    per_address = [number[":".join(a.split(":")[:3])] for a in town.addresses]
    grid = np.asarray(per_address, dtype=np.int32)[town.address_grid]
    root = list(range(len(arena_paths)))

    def find(n: int) -> int:
        while root[n] != n:
            n = root[n]
        return n

    free = ~town.collision
    for a, b, ok in (
        (grid[:, :-1], grid[:, 1:], free[:, :-1] & free[:, 1:]),
        (grid[:-1, :], grid[1:, :], free[:-1, :] & free[1:, :]),
    ):
        meet = ok & (a != b)
        for m, n in sorted({(int(m), int(n)) for m, n in zip(a[meet], b[meet])}):
            pm, pn = arena_paths[m].split(":"), arena_paths[n].split(":")
            if len(pm) == len(pn) == 3 and pm[1] == pn[1]:  # two arenas of one sector
                root[find(m)] = find(n)
    return np.asarray([find(n) for n in range(len(arena_paths))], dtype=np.int32)[grid]


def _place_names(town: TownMap, ids: dict[str, int]) -> dict[str, list[int]]:
    """Sector names, and arena names found in one sector only, as words to find in text:
    word -> the places it names."""
    owners: dict[str, list[str]] = {}
    for sector, arenas in town.tree.items():
        for arena in arenas:
            owners.setdefault(arena, []).append(sector)
    names = {sector.lower(): [ids[sector]] for sector in town.tree}
    for arena, sectors in owners.items():
        if len(sectors) == 1 and len(arena) >= MIN_ARENA_NAME and arena.lower() not in names:
            names[arena.lower()] = [ids[sectors[0]], ids[f"{sectors[0]}:{arena}"]]
    return names


@dataclass
class PlaceIndex:
    paths: list[str]  # place number -> "S", "S:A" or "S:A:O"
    ids: dict[str, int]
    of_address: list[np.ndarray]  # address number -> the places it names (sector, arena, object)
    arena_grid: np.ndarray  # (height, width): number of each tile's arena path
    capacity: dict[str, int] = field(default_factory=dict)  # full object address -> users
    names: dict[str, list[int]] = field(default_factory=dict)  # name in a text -> places
    in_sector: dict[str, list[int]] = field(default_factory=dict)  # sector -> its places
    pattern: re.Pattern | None = None

    @classmethod
    def of(cls, town: TownMap) -> PlaceIndex:
        paths: list[str] = []
        ids: dict[str, int] = {}
        of_address = []
        for address in town.addresses:
            parts = address.split(":")[1:]
            mine = []
            for depth in range(1, min(3, len(parts)) + 1):
                path = ":".join(parts[:depth])
                if path not in ids:
                    ids[path] = len(paths)
                    paths.append(path)
                mine.append(ids[path])
            of_address.append(np.asarray(mine, dtype=np.int32))
        names = _place_names(town, ids)
        words = sorted(names, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, words))) if words else None
        index = cls(paths, ids, of_address, _rooms(town), names=names, pattern=pattern)
        for number, path in enumerate(paths):
            index.in_sector.setdefault(path.split(":")[0], []).append(number)
        for address in town.addresses:
            if address.count(":") == 3:
                tiles = len(town.tiles_of(address))
                bed = is_bed(address.rsplit(":", 1)[-1])
                index.capacity[address] = max(1, tiles // 2) if bed else tiles
        return index

    def __len__(self) -> int:
        return len(self.paths)

    def arena_at(self, tile: Tile) -> int:
        return int(self.arena_grid[tile[1], tile[0]])

    def named_in(self, text: str) -> list[int]:
        """The places a text names (sector names, and unique arena names with their sector)."""
        if self.pattern is None or not text:
            return []
        found: list[int] = []
        for match in self.pattern.finditer(text.lower()):
            found.extend(self.names[match.group(0)])
        return found
