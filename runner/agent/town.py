"""What the agents of a town share, and the view of the world they think against."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..world.clock import GameClock
from ..world.paths import PathFinder
from ..world.placeindex import PlaceIndex
from ..world.townmap import Tile, TownMap
from .mind import MindSettings
from .objects import ObjectUse


@dataclass
class Town:
    """What every agent shares: the map, paths, the clock, who lives here."""

    map: TownMap
    paths: PathFinder
    clock: GameClock
    lang: str
    personas: list[dict]
    vision_radius: int = 4
    style: str | None = None
    mind: MindSettings = MindSettings()
    places: PlaceIndex = field(init=False)

    def __post_init__(self) -> None:
        self.places = PlaceIndex.of(self.map)


@dataclass(frozen=True)
class View:
    """The world as it was at the start of a step (read-only while agents think)."""

    tiles: list[Tile]
    busy: list[bool]  # asleep or in a conversation: not to be talked to
    doing: list[str]  # each agent's current action description
    events: list[tuple[str, tuple]]  # each agent's event: (text, triple)
    objects: dict[str, ObjectUse] = field(default_factory=dict)  # full address -> its use
    rooms: list[int] = field(default_factory=list)  # the room of each agent's tile
    in_room: dict[int, list[int]] = field(default_factory=dict)  # room -> agents in it

    @classmethod
    def of(cls, places: PlaceIndex, tiles: list[Tile], **fields) -> View:
        """A view whose ``rooms`` and ``in_room`` are read from the tiles."""
        rooms = [places.arena_at(t) for t in tiles]
        in_room: dict[int, list[int]] = {}
        for i, room in enumerate(rooms):
            in_room.setdefault(room, []).append(i)
        return cls(tiles=tiles, rooms=rooms, in_room=in_room, **fields)
