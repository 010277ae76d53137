"""The town as a tile grid: collision, addresses and spawn points.

Every tile has an address ``world:sector:arena:game_object`` (shorter where it is outdoors or
in a room without an object). Map loaders (our YAML format, the original "matrix" layout) build
a :class:`TownMap`; everything else only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

Tile = tuple[int, int]  # (x, y): column, row


@dataclass
class TownMap:
    """An immutable tile map.

    ``address_grid[y, x]`` indexes ``addresses`` (0 is the bare world name); ``collision[y, x]``
    is True for walls and water. ``labels`` maps each name in the loaded language to its name in
    the other language (for a bilingual interface); ``kinds`` maps a sector to a kind such as
    ``home``, ``cafe`` or ``park``; ``homes`` is informational only.
    """

    world: str
    width: int
    height: int
    collision: np.ndarray
    address_grid: np.ndarray
    addresses: list[str]
    spawns: dict[str, Tile] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    water: np.ndarray | None = None
    tile_size: int = 32

    def __post_init__(self) -> None:
        self.collision = np.asarray(self.collision, dtype=bool)
        self.address_grid = np.asarray(self.address_grid, dtype=np.int32)
        if self.collision.shape != (self.height, self.width):
            raise ValueError("collision grid does not match the map size")
        if self.address_grid.shape != (self.height, self.width):
            raise ValueError("address grid does not match the map size")
        if self.water is None:
            self.water = np.zeros((self.height, self.width), dtype=bool)
        self._tiles: dict[str, list[Tile]] = {}
        ys, xs = np.nonzero(self.address_grid)
        for y, x in zip(ys.tolist(), xs.tolist()):
            parts = self.addresses[self.address_grid[y, x]].split(":")
            for depth in range(2, len(parts) + 1):
                self._tiles.setdefault(":".join(parts[:depth]), []).append((x, y))
        self.tree = self._build_tree()

    def _build_tree(self) -> dict[str, dict[str, list[str]]]:
        """sector -> arena -> sorted objects, in the order addresses first appear."""
        tree: dict[str, dict[str, list[str]]] = {}
        for address in self.addresses[1:]:
            parts = address.split(":")[1:]
            if not parts:
                continue
            arenas = tree.setdefault(parts[0], {})
            if len(parts) >= 2:
                objects = arenas.setdefault(parts[1], [])
                if len(parts) >= 3 and parts[2] not in objects:
                    objects.append(parts[2])
        return tree

    def in_bounds(self, tile: Tile) -> bool:
        x, y = tile
        return 0 <= x < self.width and 0 <= y < self.height

    def walkable(self, tile: Tile) -> bool:
        return self.in_bounds(tile) and not self.collision[tile[1], tile[0]]

    def address_at(self, tile: Tile) -> str:
        """The full address of a tile (``world`` alone outdoors)."""
        return self.addresses[self.address_grid[tile[1], tile[0]]]

    def tiles_of(self, address: str) -> list[Tile]:
        """All tiles whose address starts with ``address`` (a sector, arena or object)."""
        if address == self.world:
            raise ValueError("the whole world is not a place")
        if not address.startswith(self.world + ":"):
            address = f"{self.world}:{address}"
        return self._tiles.get(address, [])

    def has(self, address: str) -> bool:
        return bool(self.tiles_of(address))

    def label(self, name: str) -> str:
        """The other-language name of a place name, or the name itself."""
        return self.labels.get(name, name)

    def to_dict(self) -> dict:
        """A plain description for the replay page (names, kinds, grids as flat lists)."""
        return {
            "world": self.world,
            "width": self.width,
            "height": self.height,
            "tile_size": self.tile_size,
            "addresses": self.addresses,
            "address_grid": self.address_grid.ravel().tolist(),
            "collision": self.collision.ravel().astype(np.uint8).tolist(),
            "water": self.water.ravel().astype(np.uint8).tolist(),
            "kinds": self.kinds,
            "labels": self.labels,
            "spawns": {name: list(tile) for name, tile in self.spawns.items()},
        }
