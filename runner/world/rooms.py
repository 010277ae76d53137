"""The rooms of a map as walks (issue 19, docs/engine.md): per room, how many 4-connected steps
each tile is from it, for the run-ahead rule (:mod:`runner.runahead`) and its critical path
(benchmarks/critical_path.py)."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .placeindex import PlaceIndex
from .townmap import TownMap

UNREACHED = 1 << 20  # the walk from floor that no path joins to a room


class Rooms:
    """Per room: the walk (4-connected steps) from each tile to its nearest tile of the room
    (computed when first asked: :meth:`walk`; ``distance[room, y, x]`` all of them);
    ``objects[room]``: whether the room holds a game object."""

    def __init__(self, grid: np.ndarray, walkable: np.ndarray, objects: np.ndarray):
        self.grid, self.walkable, self.objects = grid, walkable, objects
        self._walks: dict[int, np.ndarray] = {}

    @classmethod
    def of(cls, tile_map: TownMap, places: PlaceIndex) -> Rooms:
        grid = places.arena_grid
        is_object = np.array([a.count(":") == 3 for a in tile_map.addresses])
        objects = np.zeros(int(grid.max()) + 1, dtype=bool)
        objects[np.unique(grid[is_object[tile_map.address_grid]])] = True
        return cls(grid, ~tile_map.collision, objects)

    def walk(self, room: int) -> np.ndarray:
        """(height, width): the walk to a walkable tile of ``room``; from a tile that is no
        floor (a spawn on a wall) the Manhattan distance to any tile of it (a lower bound of
        the walk); none (``UNREACHED``) from floor that no walk joins to the room."""
        if room not in self._walks:
            walkable = self.walkable
            walked = _spread((self.grid == room) & walkable, walkable)
            blind = _spread(self.grid == room, np.ones_like(walkable))
            self._walks[room] = np.where(
                walked >= 0, walked, np.where(walkable, UNREACHED, blind)
            ).astype(np.int32)
        return self._walks[room]

    @cached_property
    def distance(self) -> np.ndarray:
        return np.stack([self.walk(room) for room in range(int(self.grid.max()) + 1)])


def walk_to_rooms(grid: np.ndarray, walkable: np.ndarray, with_objects: np.ndarray) -> Rooms:
    """The rooms of a map from its room grid (``PlaceIndex.arena_grid``) and floor."""
    return Rooms(grid, walkable, with_objects)


def _spread(seeds: np.ndarray, passable: np.ndarray) -> np.ndarray:
    """Breadth-first steps from ``seeds`` over ``passable`` tiles, 4-connected; -1 unreached."""
    out = np.where(seeds, 0, -1).astype(np.int32)
    front, d = seeds.copy(), 0
    while front.any():
        d += 1
        grown = np.zeros_like(front)
        grown[1:] |= front[:-1]
        grown[:-1] |= front[1:]
        grown[:, 1:] |= front[:, :-1]
        grown[:, :-1] |= front[:, 1:]
        front = grown & passable & (out < 0)
        out[front] = d
    return out
