"""An agent's state: everything needed to continue it, and nothing derivable.

The tile is derived from the walk (origin, path, the step it began), so walking and waiting do
not change the state by themselves; the engine stores it only at the steps where it changed (a
decision, a conversation, an event perceived, the importance toward a reflection).
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


@dataclass
class Chat:
    partner: int
    lines: list[list]  # [speaker index, line]
    start: int
    steps_per_line: int
    place: str

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
    seen: dict[str, int] = field(default_factory=dict)  # perceived event -> step
    importance_sum: int = 0  # importance stored since the last reflection
    currently: str = ""  # today's revised status ("" on the first day: the scenario's)
    relations: dict[int, list] = field(default_factory=dict)  # other -> [view of them, step]
    hour_asked: int = -1  # with mind.plan off: the hour of the day last decided

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
        data["action"] = vars(self.action) if self.action else None
        data["chat"] = vars(self.chat) if self.chat else None
        return msgpack.packb(data, use_bin_type=True)

    @classmethod
    def from_bytes(cls, blob: bytes) -> AgentState:
        data = msgpack.unpackb(blob, raw=False, strict_map_key=False)
        data["origin"] = tuple(data["origin"])
        data["path"] = [tuple(t) for t in data["path"]]
        if data["action"]:
            act = data["action"]
            act["target"] = tuple(act["target"]) if act["target"] else None
            data["action"] = Action(**act)
        if data["chat"]:
            data["chat"] = Chat(**data["chat"])
        return cls(**data)
