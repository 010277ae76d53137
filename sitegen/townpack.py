"""The town part of the replay data: grids as bytes, and where the page writes place names and
draws object glyphs (worked out here once, not in every browser that opens the page)."""

from __future__ import annotations

import numpy as np

from runner.world.townmap import TownMap


def pack_town(town: TownMap) -> dict:
    """The map: grids as little-endian byte strings, names, kinds, labels, places, objects."""
    grid = np.asarray(town.address_grid, dtype="<u2" if len(town.addresses) < 65536 else "<u4")
    return {
        "world": town.world,
        "width": town.width,
        "height": town.height,
        "addresses": town.addresses,
        "address_bytes": grid.dtype.itemsize,
        "address_grid": grid.tobytes(),
        "collision": np.asarray(town.collision, dtype=np.uint8).tobytes(),
        "water": np.asarray(town.water, dtype=np.uint8).tobytes(),
        "kinds": town.kinds,
        "labels": town.labels,
        "places": label_points(town),
        "objects": object_points(town),
    }


def label_points(town: TownMap) -> list[list]:
    """``[name, level, x, y]`` for each sector (level 1) and arena (level 2): the tile of the
    place nearest the mean of its tiles (inside the place even where it is not convex)."""
    grid = np.asarray(town.address_grid)
    ys, xs = np.indices(grid.shape)
    out = []
    for level in (1, 2):
        keys: dict[str, int] = {}
        key_of = np.full(len(town.addresses), -1)
        for index, address in enumerate(town.addresses):
            parts = address.split(":")
            if len(parts) > level:
                key_of[index] = keys.setdefault(":".join(parts[1 : level + 1]), len(keys))
        tiles = key_of[grid]
        for key, number in keys.items():
            mask = tiles == number
            px, py = xs[mask], ys[mask]
            nearest = np.argmin((px - px.mean()) ** 2 + (py - py.mean()) ** 2)
            out.append([key.split(":")[-1], level, int(px[nearest]), int(py[nearest])])
    return out


def object_points(town: TownMap) -> list[list]:
    """``[name, x, y]`` once for each connected group of tiles of the same object address."""
    grid = np.asarray(town.address_grid)
    is_object = np.array([len(a.split(":")) >= 4 for a in town.addresses])
    todo = {(int(x), int(y)) for y, x in zip(*np.nonzero(is_object[grid]))}
    out = []
    while todo:
        start = min(todo)
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
        x, y = group[len(group) // 2]
        out.append([town.addresses[grid[y, x]].split(":")[3], x, y])
    return out
