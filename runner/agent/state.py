"""An agent's state: everything needed to continue it, and nothing derivable.

The tile is derived from the walk (origin, path, the step it began), so walking and waiting do
not change the state by themselves; the engine stores it only at the steps where it changed (a
decision, a conversation, a place learned, the importance toward a reflection). What it has
perceived lately is read from its memory stream, and from ``noted``: the events seen and not
stored yet, waiting for their importance (:meth:`runner.agent.mind.Mind.settle`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgpack

from ..world.townmap import Tile


@dataclass
class Action:
    description: str
    address: str  # world:sector:arena:object
    emoji: str
    event: list[str]  # subject, predicate, object
    start: int  # first step of the action
    end: int  # first step after it
    target: Tile | None = None
    object_state: str = ""  # what the object is doing while used ("煮咖啡"); "" uses none
    waiting_for: int | None = None  # a wait: the agent whose use of the object it waits out
    waited: bool = False  # it has waited for its object once: it waits again without asking


def _action(data: dict | None) -> Action | None:
    if not data:
        return None
    target = data.get("target")
    return Action(**{**data, "target": tuple(target) if target else None})


@dataclass
class Chat:
    partner: int
    lines: list[list]  # [speaker index, line]
    start: int
    steps_per_line: int
    place: str
    reconsider: bool = False  # the talk may change the plan: after_chat is asked at its end

    @property
    def end(self) -> int:
        return self.start + len(self.lines) * self.steps_per_line

    def approaching(self, step: int) -> bool:
        """Still walking over to the partner: the first line is not said yet."""
        return step < self.start

    def line_at(self, step: int, me: int) -> str | None:
        """What ``me`` says at ``step`` (None while listening)."""
        i = (step - self.start) // self.steps_per_line
        if 0 <= i < len(self.lines) and self.lines[i][0] == me:
            return self.lines[i][1]
        return None


@dataclass
class AgentState:
    origin: Tile
    path: list[Tile] = field(default_factory=list)
    path_start: int = 0
    day: str = ""
    wake_hour: int = 7
    daily_plan: list[str] = field(default_factory=list)
    schedule: list[list] = field(default_factory=list)  # [task, minutes] from midnight
    task_index: int = -1
    subtasks: list[list] = field(default_factory=list)  # [action, minutes] of the task
    action: Action | None = None
    chat: Chat | None = None
    talked: dict[int, int] = field(default_factory=dict)  # partner -> step of last decision
    in_sight: list[int] = field(default_factory=list)  # the others whose encounter is decided
    importance_sum: int = 0  # importance stored since the last reflection
    currently: str = ""  # today's revised status ("" on the first day: the scenario's)
    relations: dict[int, list] = field(default_factory=dict)  # other -> [view of them, step]
    hour_asked: int = -1  # with mind.plan off: the hour of the day last decided
    places: bytes = b""  # the spatial memory: a bit per place of the map it knows
    resume: Action | None = None  # the action a wait interrupted
    chat_end: int = -(10**9)  # the step after the last line of its last conversation
    noted: list[list] = field(default_factory=list)  # [text, triple, importance, step] to store

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

    def to_bytes(self) -> bytes:
        """msgpack of the fields (shallow: msgpack walks the lists itself, fast, in C)."""
        data = dict(vars(self))
        for name in ("action", "chat", "resume"):
            data[name] = vars(data[name]) if data[name] else None
        return msgpack.packb(data, use_bin_type=True)

    @classmethod
    def from_bytes(cls, blob: bytes) -> AgentState:
        data = msgpack.unpackb(blob, raw=False, strict_map_key=False)
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}  # older: 'seen'
        data["origin"] = tuple(data["origin"])
        data["path"] = [tuple(t) for t in data["path"]]
        data["action"] = _action(data["action"])
        data["resume"] = _action(data.get("resume"))
        if data["chat"]:
            data["chat"] = Chat(**data["chat"])
        return cls(**data)
