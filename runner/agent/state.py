"""An agent's state: its components' parts, stored together as one msgpack map.

Each component owns its part (a small dataclass of its module) and is the only writer of it:
where it stands (:class:`~runner.agent.move.Position`), its plan and current action
(:class:`~runner.agent.plan.PlanState`), the action a wait interrupted
(:class:`~runner.agent.wait.WaitState`), its conversations (:class:`~runner.agent.converse.
TalkState`), the importance toward its next reflection (:class:`~runner.agent.reflect.
ReflectState`), the places it knows (:class:`~runner.agent.spatial.SpatialState`) and the events
noted and not stored yet (:class:`~runner.agent.memory.MemoryState`). The stored map is flat:
the parts' fields side by side, in the order of ``KEYS`` (the same keys and order as before the
state was split into parts, so old stores open as they are). What it has perceived lately is
read from its memory stream; nothing derivable is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import msgpack

from ..world.townmap import Tile
from .activity import Action, Chat
from .converse import TalkState
from .memory import MemoryState
from .move import Position
from .plan import PlanState
from .reflect import ReflectState
from .spatial import SpatialState
from .wait import WaitState

KEYS = (
    "origin", "path", "path_start", "day", "wake_hour", "daily_plan", "schedule", "task_index",
    "subtasks", "action", "chat", "talked", "in_sight", "importance_sum", "currently",
    "relations", "hour_asked", "places", "resume", "chat_end", "noted",
)  # fmt: skip


def _action(data: dict | None) -> Action | None:
    if not data:
        return None
    target = data.get("target")
    return Action(**{**data, "target": tuple(target) if target else None})


DECODE = {
    "origin": tuple,
    "path": lambda path: [tuple(t) for t in path],
    "action": _action,
    "resume": _action,
    "chat": lambda chat: Chat(**chat) if chat else None,
}


@dataclass
class AgentState:
    position: Position
    plan: PlanState = field(default_factory=PlanState)
    wait: WaitState = field(default_factory=WaitState)
    talk: TalkState = field(default_factory=TalkState)
    reflect: ReflectState = field(default_factory=ReflectState)
    spatial: SpatialState = field(default_factory=SpatialState)
    memory: MemoryState = field(default_factory=MemoryState)

    @classmethod
    def at(cls, tile: Tile) -> AgentState:
        """The state of an agent that starts at ``tile``."""
        return cls(Position(tile))

    def parts(self) -> list[object]:
        return [getattr(self, f.name) for f in fields(self)]

    def to_bytes(self) -> bytes:
        """msgpack of the parts' fields (shallow: msgpack walks the lists itself, fast)."""
        data = {}
        for part in self.parts():
            data.update(vars(part))
        for name in ("action", "chat", "resume"):
            data[name] = vars(data[name]) if data[name] else None
        return msgpack.packb({key: data[key] for key in KEYS}, use_bin_type=True)

    @classmethod
    def from_bytes(cls, blob: bytes) -> AgentState:
        """The state stored as ``blob``; a field an older store lacks takes its default, one
        it no longer has (0.1.0's 'seen') is left out."""
        data = msgpack.unpackb(blob, raw=False, strict_map_key=False)
        data = {k: DECODE[k](v) if k in DECODE else v for k, v in data.items()}
        parts = {}
        for part in fields(cls):
            kind = part.type if isinstance(part.type, type) else globals()[part.type]
            names = [f.name for f in fields(kind)]
            parts[part.name] = kind(**{n: data[n] for n in names if n in data})
        return cls(**parts)
