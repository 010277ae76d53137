"""Where an agent is and how it walks: the position part of its state.

The tile is derived from the walk (origin, path, the step it began), so walking and waiting do
not change the state by themselves (as the original's ``execute``: a planned path, one tile a
step).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..world.paths import PathFinder
from ..world.townmap import Tile, TownMap


@dataclass
class Position:
    origin: Tile
    path: list[Tile] = field(default_factory=list)
    path_start: int = 0

    def tile_at(self, step: int) -> Tile:
        if not self.path or step < self.path_start:
            return self.origin
        return self.path[min(step - self.path_start, len(self.path) - 1)]

    def walk(self, step: int, path: list[Tile]) -> None:
        """Start walking ``path`` at ``step`` (the first tile is reached at ``step``)."""
        self.origin = self.tile_at(step - 1)
        self.path = list(path)
        self.path_start = step

    def stop(self, step: int) -> None:
        """Stand still from ``step`` on."""
        self.origin = self.tile_at(step - 1)
        self.path = []


class Walker:
    """Moves one position over the town's paths."""

    def __init__(self, position: Position, paths: PathFinder, tile_map: TownMap):
        self.position = position
        self.paths = paths
        self.map = tile_map

    def walk_to(self, step: int, target: Tile) -> None:
        """Walk from where it stood at ``step - 1`` to ``target`` (stand still if there)."""
        here = self.position.tile_at(step - 1)
        route = self.paths.path(here, target)
        if route:
            self.position.walk(step, route)
        else:
            self.position.stop(step)

    def nearest(self, step: int, address: str) -> Tile:
        """The tile of ``address`` nearest to where it stood at ``step - 1``."""
        here = self.position.tile_at(step - 1)
        return self.paths.nearest(here, self.map.tiles_of(address)) or here
