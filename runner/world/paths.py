"""Shortest 4-connected paths on the collision grid.

A breadth-first distance field is computed once per goal tile and cached; a path from any start
is then read off by walking downhill, so the same route is never searched twice.
"""

from __future__ import annotations

import threading
from collections import deque

import numpy as np

from .townmap import Tile, TownMap

# Neighbour order is fixed so that ties always break the same way (determinism).
_STEPS = ((0, -1), (1, 0), (0, 1), (-1, 0))
_UNREACHED = -1


class PathFinder:
    """Shortest paths on one map, with a bounded cache of distance fields per goal."""

    def __init__(self, tile_map: TownMap, max_fields: int = 1024):
        self.map = tile_map
        self.max_fields = max_fields
        self._fields: dict[Tile, np.ndarray] = {}
        self._lock = threading.Lock()
        self.searches = 0  # distance fields computed (for tests and benchmarks)
        self._links: list[list[int]] | None = None  # walkable neighbours of each tile

    def distance_field(self, goal: Tile) -> np.ndarray:
        """Steps from every tile to ``goal`` (-1 where unreachable)."""
        field = self._fields.get(goal)
        if field is None:
            field = self._bfs(goal)
            with self._lock:
                if len(self._fields) >= self.max_fields:
                    self._fields.pop(next(iter(self._fields)))
                self._fields[goal] = field
        return field

    def _bfs(self, goal: Tile) -> np.ndarray:
        """The breadth-first search, over lists (indexing numpy scalars is several times slower)."""
        self.searches += 1
        h, w = self.map.height, self.map.width
        links = self._links or self._link()
        gx, gy = goal
        flat = [_UNREACHED] * (h * w)
        flat[gy * w + gx] = 0
        queue = deque([gy * w + gx])
        while queue:
            i = queue.popleft()
            d = flat[i] + 1
            for j in links[i]:
                if flat[j] == _UNREACHED:
                    flat[j] = d
                    queue.append(j)
        return np.array(flat, dtype=np.int32).reshape(h, w)

    def _link(self) -> list[list[int]]:
        """Each tile's walkable neighbours (flat indices), in the fixed order of ``_STEPS``."""
        h, w = self.map.height, self.map.width
        free = (~self.map.collision).ravel().tolist()
        links = []
        for i in range(h * w):
            y, x = divmod(i, w)
            near = [(x + dx, y + dy) for dx, dy in _STEPS]
            inside = [ny * w + nx for nx, ny in near if 0 <= nx < w and 0 <= ny < h]
            links.append([j for j in inside if free[j]])
        self._links = links
        return links

    def path(self, start: Tile, goal: Tile) -> list[Tile] | None:
        """Tiles from ``start`` (excluded) to ``goal`` (included); [] if already there; None if
        ``goal`` cannot be reached."""
        if start == goal:
            return []
        field = self.distance_field(goal)
        x, y = start
        d = int(field[y, x])
        if d == _UNREACHED:
            return None
        route = []
        while d > 0:
            for dx, dy in _STEPS:
                nx, ny = x + dx, y + dy
                if self.map.in_bounds((nx, ny)) and field[ny, nx] == d - 1:
                    x, y, d = nx, ny, d - 1
                    route.append((x, y))
                    break
        return route

    def nearest(self, start: Tile, goals: list[Tile]) -> Tile | None:
        """The goal tile with the shortest walk from ``start`` (then lowest y, x); None if none
        can be reached. Uses the goals' cached fields, which every agent shares."""
        best = None
        for g in goals:
            d = int(self.distance_field(g)[start[1], start[0]])
            if d != _UNREACHED and (best is None or (d, g[1], g[0]) < best[0]):
                best = ((d, g[1], g[0]), g)
        return best[1] if best else None
