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
        self.searches += 1
        h, w = self.map.height, self.map.width
        blocked = self.map.collision
        dist = np.full((h, w), _UNREACHED, dtype=np.int32)
        gx, gy = goal
        dist[gy, gx] = 0
        flat = dist.ravel()  # a view: writes go into ``dist``
        free = ~blocked.ravel()
        queue = deque([gy * w + gx])
        while queue:
            i = queue.popleft()
            d = flat[i] + 1
            y, x = divmod(i, w)
            for j, ok in ((i - w, y > 0), (i + 1, x < w - 1), (i + w, y < h - 1), (i - 1, x > 0)):
                if ok and free[j] and flat[j] == _UNREACHED:
                    flat[j] = d
                    queue.append(j)
        return dist

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
