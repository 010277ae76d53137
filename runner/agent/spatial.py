"""An agent's spatial memory: the places of the town it knows, growing as it sees and hears.

As the original's ``s_mem`` (a tree world → sector → arena → objects), but kept as one bit per
place of the map (:class:`~runner.world.placeindex.PlaceIndex`) in the agent's state, so that a
resume or a fork continues with exactly what the agent knew. An agent starts knowing its home
and the places its persona names, each whole (as the original's bootstrap memory). It learns
every place on the tiles within its vision radius (sector, arena and object, through walls, as
the original), and the places named in what it remembers (a chat summary, a thought, a heard
invitation), by name. Where it may go is what it knows: a sector known only by name offers all
its rooms until the agent has seen some of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..world.placeindex import PlaceIndex
from ..world.townmap import Tile, TownMap

PERSONA_KEYS = ("innate", "learned", "currently", "lifestyle", "daily_requirement")


@dataclass
class SpatialState:
    places: bytes = b""  # a bit per place of the map it knows (packed)


class SpatialMemory:
    def __init__(
        self, tile_map: TownMap, index: PlaceIndex, state: SpatialState, persona: dict, home: str
    ):
        self.map = tile_map
        self.index = index
        self.state = state
        self._seen_from: Tile | None = None  # the tile last looked around from (not stored)
        if state.places:
            bits = np.frombuffer(state.places, dtype=np.uint8)
            self.known = np.unpackbits(bits, count=len(index)).astype(bool)
            return
        self.known = np.zeros(len(index), dtype=bool)
        text = " ".join(str(persona.get(k) or "") for k in PERSONA_KEYS)
        sectors = {home} | {
            index.paths[i] for i in index.named_in(text) if ":" not in index.paths[i]
        }
        whole = [i for sector in sectors for i in index.in_sector.get(sector, ())]
        self.known[whole] = True
        self._save()

    def _save(self) -> None:
        self.state.places = np.packbits(self.known).tobytes()

    def _learn(self, ids) -> bool:
        if len(ids) == 0 or self.known[ids].all():
            return False
        self.known[ids] = True
        self._save()
        return True

    def learn_places_from_text(self, text: str) -> bool:
        """Know every place ``text`` names (a sector, or a room found in one sector only);
        returns whether anything was new."""
        return self._learn(self.index.named_in(text))

    def hear(self, description: str, importance: int) -> None:
        """A memory was stored: learn the places it names (a listener of the memory)."""
        self.learn_places_from_text(description)

    def learn_around(self, tile: Tile, radius: int) -> bool:
        """Know every place on the tiles within ``radius`` of ``tile`` (a square, as the
        original's vision); returns whether anything was new."""
        if tile == self._seen_from:
            return False
        self._seen_from = tile
        x, y = tile
        window = self.map.address_grid[
            max(0, y - radius) : y + radius + 1, max(0, x - radius) : x + radius + 1
        ]
        addresses = np.unique(window)
        ids = np.concatenate([self.index.of_address[a] for a in addresses.tolist()])
        return self._learn(ids)

    def knows(self, path: str) -> bool:
        """Whether the place ``S``, ``S:A`` or ``S:A:O`` is known."""
        number = self.index.ids.get(path)
        return number is not None and bool(self.known[number])

    def sectors(self) -> list[str]:
        """The known sectors, in map order."""
        return [s for s in self.map.tree if self.knows(s)]

    def known_among(self, parent: str, names: list[str]) -> list[str]:
        """Those of ``names`` (rooms of a sector, objects of a room) known under the place
        ``parent``; all of them while none is known (a place known only by name)."""
        known = [n for n in names if self.knows(f"{parent}:{n}")]
        return known or list(names)
