"""Shortest 4-connected paths on the collision grid.

A breadth-first distance field is searched once per goal tile and cached; a path from any start
is then read off by walking downhill, so the same route is never searched twice. A field is
searched only as far as the starts asked so far (the search is kept and goes on for a start
farther away). The searches go a whole ring of tiles at a time (numpy over each tile's
neighbours), not tile by tile: on a 1,000-resident town of 230×222 tiles a whole field takes
milliseconds, not tens of them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from .townmap import Tile, TownMap

# Neighbour order is fixed so that ties always break the same way (determinism).
_STEPS = ((0, -1), (1, 0), (0, 1), (-1, 0))
_UNREACHED = -1
FIELDS_BYTES = 64 * 2**20  # the cache's size by default: 1,024 fields, fewer on a big map


class PathFinder:
    """Shortest paths on one map, with a bounded cache of distance fields per goal."""

    def __init__(self, tile_map: TownMap, max_fields: int | None = None):
        self.map = tile_map
        field_bytes = 4 * tile_map.width * tile_map.height
        self.max_fields = max_fields or max(16, min(1024, FIELDS_BYTES // field_bytes))
        self._fields: dict[Tile, tuple[np.ndarray, Iterator]] = {}  # goal -> its search
        self._lock = threading.Lock()
        self.searches = 0  # distance fields begun (for tests and benchmarks)
        self._links: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def distance_field(self, goal: Tile) -> np.ndarray:
        """Steps from every tile to ``goal`` (-1 where unreachable)."""
        h, w = self.map.height, self.map.width
        return self._field(goal, None)[: h * w].reshape(h, w)

    def _field(self, goal: Tile, start: int | None) -> np.ndarray:
        """The flat field of ``goal`` (the padding index last), searched from the goal at
        least as far as the tile ``start`` (a flat index; None: everywhere): every tile within
        that walk of the goal has its final value, and a tile not reached yet -1. The search
        is kept with the field and goes on when a start farther away asks."""
        _, walkable, _ = self._link()
        with self._lock:  # one thread at a time moves a search on
            entry = self._fields.get(goal)
            if entry is None:
                if len(self._fields) >= self.max_fields:
                    self._fields.pop(next(iter(self._fields)))
                entry = self._fields[goal] = self._search(goal, walkable)
            dist, rings = entry
            while start is None or dist[start] == _UNREACHED:
                if next(rings, None) is None:
                    break
            return dist

    def _search(self, goal: Tile, walkable: np.ndarray) -> tuple[np.ndarray, Iterator]:
        """The breadth-first search from ``goal``, not begun: a walk leaves any tile (the goal
        may be a wall) for its walkable neighbours."""
        self.searches += 1
        h, w = self.map.height, self.map.width
        dist = np.full(h * w + 1, _UNREACHED, dtype=np.int32)
        dist[h * w] = 0  # the padding index, "no neighbour": never entered
        ring = np.asarray([goal[1] * w + goal[0]])
        dist[ring] = 0
        return dist, _rings(walkable, dist, ring)

    def _link(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(every, walkable, free): each tile's neighbours in bounds and its walkable
        neighbours, (h*w, 4) flat indices in the order of ``_STEPS`` with the padding index
        h*w where there is none; and whether each tile is walkable (h*w + 1, the padding not)."""
        with self._lock:
            if self._links is None:
                h, w = self.map.height, self.map.width
                free = np.append(~self.map.collision.ravel(), False)
                ys, xs = np.divmod(np.arange(h * w), w)
                every = np.full((h * w, 4), h * w, dtype=np.int64)
                for k, (dx, dy) in enumerate(_STEPS):
                    nx, ny = xs + dx, ys + dy
                    inside = (nx >= 0) & (nx < w) & (ny >= 0) & (ny < h)
                    every[inside, k] = ny[inside] * w + nx[inside]
                walkable = np.where(free[every], every, h * w)
                self._links = every, walkable, free
        return self._links

    def path(self, start: Tile, goal: Tile) -> list[Tile] | None:
        """Tiles from ``start`` (excluded) to ``goal`` (included); [] if already there; None if
        ``goal`` cannot be reached."""
        if start == goal:
            return []
        w = self.map.width
        field = self._field(goal, start[1] * w + start[0])
        x, y = start
        d = int(field[y * w + x])
        if d == _UNREACHED:
            return None
        route = []
        while d > 0:  # every tile nearer the goal than the start has its final value
            for dx, dy in _STEPS:
                nx, ny = x + dx, y + dy
                if self.map.in_bounds((nx, ny)) and field[ny * w + nx] == d - 1:
                    x, y, d = nx, ny, d - 1
                    route.append((x, y))
                    break
        return route

    def nearest(self, start: Tile, goals: list[Tile]) -> Tile | None:
        """The goal tile with the shortest walk from ``start`` (then lowest y, x); None if none
        can be reached. One search outward from ``start``, ring by ring, stopped at the first
        ring with a goal: the walks are those of the goals' fields, read the other way (a walk
        ends on a goal that is a wall, and none starts from a wall but that goal's own)."""
        if start in goals:
            return start
        h, w = self.map.height, self.map.width
        every, _, free = self._link()
        here = start[1] * w + start[0]
        if not free[here]:
            return None
        target = np.zeros(h * w + 1, dtype=bool)
        target[[y * w + x for x, y in goals]] = True
        dist = np.where(free | target, _UNREACHED, 0).astype(np.int32)  # 0: never entered
        dist[here] = 0
        for ring in _rings(every, dist, np.asarray([here]), free):
            hits = ring[target[ring]]
            if hits.size:  # flat index order is (y, x) order
                return divmod(int(hits.min()), w)[::-1]
        return None


def _rings(links: np.ndarray, dist: np.ndarray, ring: np.ndarray, onward=None):
    """Breadth first from ``ring`` over ``links``: yields ring after ring, each tile once, with
    its ``dist`` set to the ring's number; a tile whose ``dist`` is not -1 is never entered, and
    with ``onward`` only the tiles where it is True lead on to the next ring."""
    d = 0
    while ring.size:
        d += 1
        ring = links[ring].ravel()
        ring = ring[dist[ring] == _UNREACHED]
        order = np.arange(ring.size)
        dist[ring] = order  # a tile met twice keeps the number of one of its copies
        ring = ring[dist[ring] == order]
        dist[ring] = d
        yield ring
        if onward is not None:
            ring = ring[onward[ring]]
