"""Shortest paths: the ring-at-a-time search gives the fields of a tile-by-tile one, and
``nearest`` searches from the start as far as the nearest goal, with the goals' fields' answer."""

from __future__ import annotations

import random
from collections import deque

import numpy as np

from runner.world.paths import PathFinder
from runner.world.townmap import TownMap

STEPS = ((0, -1), (1, 0), (0, 1), (-1, 0))


def walled_map(seed: int, width: int = 23, height: int = 17) -> TownMap:
    rnd = random.Random(seed)
    collision = np.array([[rnd.random() < 0.3 for _ in range(width)] for _ in range(height)])
    address_grid = np.zeros((height, width), dtype=np.int32)
    return TownMap("w", width, height, collision, address_grid, ["w"])


def reference_field(tile_map: TownMap, goal) -> np.ndarray:
    """Breadth first, a tile at a time: a walk leaves any tile for its walkable neighbours."""
    field = np.full((tile_map.height, tile_map.width), -1, dtype=np.int32)
    field[goal[1], goal[0]] = 0
    queue = deque([goal])
    while queue:
        x, y = queue.popleft()
        for dx, dy in STEPS:
            n = (x + dx, y + dy)
            if tile_map.walkable(n) and field[n[1], n[0]] == -1:
                field[n[1], n[0]] = field[y, x] + 1
                queue.append(n)
    return field


def reference_nearest(tile_map: TownMap, start, goals):
    """The goals' fields read at the start: the shortest walk, then the lowest (y, x)."""
    best = None
    for g in goals:
        d = int(reference_field(tile_map, g)[start[1], start[0]])
        if d >= 0 and (best is None or (d, g[1], g[0]) < best[0]):
            best = ((d, g[1], g[0]), g)
    return best and best[1]


def test_fields_are_those_of_a_tile_by_tile_search_walls_and_all():
    for seed in range(3):
        tile_map = walled_map(seed)
        finder = PathFinder(tile_map)
        tiles = [(x, y) for y in range(tile_map.height) for x in range(tile_map.width)]
        for goal in random.Random(seed).sample(tiles, 12):  # some of them walls
            assert (finder.distance_field(goal) == reference_field(tile_map, goal)).all()


def test_nearest_is_the_goals_fields_answer_and_computes_no_field():
    for seed in range(3):
        tile_map, rnd = walled_map(seed), random.Random(seed)
        finder = PathFinder(tile_map)
        tiles = [(x, y) for y in range(tile_map.height) for x in range(tile_map.width)]
        for _ in range(60):
            start, goals = rnd.choice(tiles), rnd.sample(tiles, rnd.randint(1, 6))
            assert finder.nearest(start, goals) == reference_nearest(tile_map, start, goals)
        assert finder.nearest(tiles[0], []) is None
        assert finder.searches == 0  # searched outward from the start only


def test_paths_to_one_goal_from_near_and_far_are_those_of_the_whole_field():
    for seed in range(3):
        tile_map, rnd = walled_map(seed), random.Random(seed)
        finder = PathFinder(tile_map)
        tiles = [(x, y) for y in range(tile_map.height) for x in range(tile_map.width)]
        goal = rnd.choice([t for t in tiles if tile_map.walkable(t)])
        field = reference_field(tile_map, goal)
        starts = sorted(tiles, key=lambda t: field[t[1], t[0]] % 1000)  # near first, then far
        for start in [*starts[:40], *rnd.sample(tiles, 40)]:
            want = reference_route(field, tile_map, start) if start != goal else []
            assert finder.path(start, goal) == want
        assert finder.searches == 1  # one search, gone on as far as asked
        assert (finder.distance_field(goal) == field).all()


def reference_route(field: np.ndarray, tile_map: TownMap, start):
    """Downhill on the whole field, neighbours in the fixed order."""
    x, y = start
    d = int(field[y, x])
    if d < 0:
        return None
    route = []
    while d > 0:
        for dx, dy in STEPS:
            n = (x + dx, y + dy)
            if tile_map.in_bounds(n) and field[n[1], n[0]] == d - 1:
                (x, y), d = n, d - 1
                route.append(n)
                break
    return route


def test_a_path_walks_downhill_to_the_goal_one_tile_a_step():
    tile_map = walled_map(7)
    finder = PathFinder(tile_map)
    free = [(x, y) for y in range(tile_map.height) for x in range(tile_map.width)]
    free = [t for t in free if tile_map.walkable(t)]
    start, goal = free[0], free[-1]
    route = finder.path(start, goal)
    want = int(reference_field(tile_map, goal)[start[1], start[0]])
    if want < 0:
        assert route is None
    else:
        assert len(route) == want and route[-1] == goal
        for (ax, ay), (bx, by) in zip([start, *route], route):
            assert abs(ax - bx) + abs(ay - by) == 1 and tile_map.walkable((bx, by))
