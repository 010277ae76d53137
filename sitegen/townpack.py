"""The town part of the replay data: grids as bytes, where the page writes place names, and
which sprite goes on which tile (worked out here once, not in every browser that opens the
page; see :mod:`sitegen.mapart`)."""

from __future__ import annotations

import numpy as np

from runner.world.townmap import TownMap

from .mapart import ground_and_overlay, object_groups


def pack_town(town: TownMap, visited: np.ndarray | None = None) -> dict:
    """The map: grids as little-endian byte strings, names, kinds, labels, places, objects,
    and the art of each tile (``visited``: tiles some agent stood on, kept free of trees)."""
    grid = np.asarray(town.address_grid, dtype="<u2" if len(town.addresses) < 65536 else "<u4")
    groups = object_groups(town)
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
        "objects": [_object(g) for g in groups],
        **ground_and_overlay(town, groups, visited),
    }


def _object(group: dict) -> list:
    """``[name, x, y, address, x0, y0, w, h, kind, effect]``: (x, y) the middle tile of the
    group, where its name would go; the rect bounds its tiles."""
    x, y = group["tiles"][len(group["tiles"]) // 2]
    return [group["name"], x, y, group["address"], *group["rect"], group["kind"], group["effect"]]


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
