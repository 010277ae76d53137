"""What the agents of a town share, and the view of the world they think against."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import config
from ..world.clock import GameClock
from ..world.paths import PathFinder
from ..world.placeindex import PlaceIndex
from ..world.townmap import Tile, TownMap
from .objects import ObjectUse
from .retrieve import RetrievalWeights


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
