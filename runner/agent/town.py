"""What the agents of a town share, and the view of the world they think against."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product

from .. import config
from ..world.clock import GameClock
from ..world.paths import PathFinder
from ..world.placeindex import PlaceIndex
from ..world.townmap import Tile, TownMap
from .activity import Action, Chat
from .move import Position
from .objects import ObjectUse
from .retrieve import RetrievalWeights

CELL = 8  # tiles a side of the cells a view files its agents in, to find who is near whom


@dataclass(frozen=True)
class MindSettings:
    """The scenario's ``mind`` section, as the agents use it."""

    reflection_threshold: int = 150
    top_k: int = 30  # memories per focal point of a reflection
    attention_bandwidth: int = 3
    retention: int = 5
    retention_minutes: int = 30
    weights: RetrievalWeights = RetrievalWeights()
    reflect: bool = True
    plan: bool = True
    observe: bool = True
    chat: str = "turns"  # or "whole": a conversation in one question

    @classmethod
    def from_scenario(cls, mind: config.MindConfig) -> MindSettings:
        weights = RetrievalWeights(
            mind.recency_weight, mind.importance_weight, mind.relevance_weight, mind.recency_decay
        )
        return cls(
            mind.reflection_threshold,
            mind.top_k,
            mind.attention_bandwidth,
            mind.retention,
            mind.retention_minutes,
            weights,
            mind.reflect,
            mind.plan,
            mind.observe,
            mind.chat,
        )


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

    def clock_text(self, step: int) -> str:
        """The game time of ``step``: '10:20'."""
        return self.clock.time_at(step).strftime("%H:%M")

    def stamp(self, step: int) -> str:
        """The game date and time of ``step``: '2月13日 10:20' / 'Feb 13 10:20'."""
        t = self.clock.time_at(step)
        if self.lang == "zh":
            return f"{t.month}月{t.day}日 {t:%H:%M}"
        return f"{t:%b} {t.day} {t:%H:%M}"


@dataclass(frozen=True)
class Seen:
    """An agent after a step, as the others and the store read it (its live state may have
    moved on): where it stands and walks, what it does, and how it looks at the next step."""

    index: int
    position: Position  # a copy: its walk as it was after the step
    action: Action | None  # a copy
    chat: Chat | None
    tile: Tile  # where it stands after the step
    busy: bool  # at the next step: asleep or in (or resting from) a conversation
    doing: str  # its action's description
    event: tuple[str, tuple]  # at the next step: (text, triple)


@dataclass(frozen=True)
class View:
    """The world of one room as it was at the start of a step (read-only while agents think):
    only the agents standing in the room and the objects in use there; a read of anyone else
    raises ``KeyError`` (an agent reads nothing beyond its room)."""

    tiles: dict[int, Tile]
    busy: dict[int, bool]  # asleep or in a conversation: not to be talked to
    doing: dict[int, str]  # each agent's current action description
    events: dict[int, tuple[str, tuple]]  # each agent's event: (text, triple)
    objects: dict[str, ObjectUse]  # full address -> its use, in the town-wide order
    rooms: dict[int, int]  # the room of each agent's tile
    in_room: dict[int, list[int]]  # room -> agents in it, in agent order
    cells: dict[Tile, list[int]]  # (x, y) // CELL -> the agents standing in that cell

    @classmethod
    def of(cls, room: int, seen: Sequence[Seen], objects: dict[str, ObjectUse]) -> View:
        """The view of ``room`` from its agents after the last step (in agent order) and the
        objects in use then (those of other rooms left out)."""
        cells: dict[Tile, list[int]] = {}
        for a in seen:
            cells.setdefault((a.tile[0] // CELL, a.tile[1] // CELL), []).append(a.index)
        return cls(
            tiles={a.index: a.tile for a in seen},
            busy={a.index: a.busy for a in seen},
            doing={a.index: a.doing for a in seen},
            events={a.index: a.event for a in seen},
            objects={k: use for k, use in objects.items() if use.room == room},
            rooms={a.index: room for a in seen},
            in_room={room: [a.index for a in seen]},
            cells=cells,
        )

    def around(self, i: int, radius: int) -> list[int]:
        """The others within ``radius`` tiles of agent ``i`` (a square) in its room, in no
        particular order: only the cells that square touches are looked at, so the time
        grows with the agents near ``i``, not with the room's."""
        x, y = self.tiles[i]
        xs = range((x - radius) // CELL, (x + radius) // CELL + 1)
        ys = range((y - radius) // CELL, (y + radius) // CELL + 1)
        found = []
        for cell in product(xs, ys):
            for j in self.cells.get(cell, ()):
                tx, ty = self.tiles[j]
                if j != i and abs(tx - x) <= radius and abs(ty - y) <= radius:
                    found.append(j)
        return found


def room_views(
    places: PlaceIndex, seen: Sequence[Seen], objects: dict[str, ObjectUse]
) -> dict[int, View]:
    """The view of every room someone stands in, from everyone after the last step."""
    by_room: dict[int, list[Seen]] = {}
    for a in seen:
        by_room.setdefault(places.arena_at(a.tile), []).append(a)
    in_room: dict[int, dict[str, ObjectUse]] = {}  # each room's objects, in the town-wide order
    for address, use in objects.items():
        in_room.setdefault(use.room, {})[address] = use
    return {
        room: View.of(room, members, in_room.get(room, {})) for room, members in by_room.items()
    }
