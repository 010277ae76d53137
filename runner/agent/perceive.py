"""Perception: what an agent sees of the world at the start of a step, and what it stores.

As the original's ``perceive``: the agent looks at the tiles within its vision radius (a square)
and learns the places on them (its spatial memory); of the events there it perceives only those
in its own room (:class:`~runner.world.placeindex.PlaceIndex`: never through a wall), people and
objects in use alike, the nearest ``attention_bandwidth`` of them. A perceived event is new, and
stored, unless its triple is among the agent's latest ``retention`` event memories (as the
original) and was stored within the last ``retention_minutes`` of game time: a long activity is
remembered again every so often, even by an agent who sees nothing else (0: never). The
agent's own actions are perceived the same way (:meth:`Perception.note_own`). What is perceived
is noted in the memory (:class:`~runner.agent.memory.Memory`), stored once its importance is
judged.
"""

from __future__ import annotations

import math

from .memory import Memory, MemoryStream
from .spatial import SpatialMemory
from .town import View


def event_text(name: str, action: str, lang: str) -> str:
    """'克劳斯·穆勒正在看书' / 'Klaus Mueller: reading'."""
    if lang == "zh":
        return name + (action if action.startswith(("在", "正在")) else "正在" + action)
    return f"{name}: {action}"


def recent_triples(
    memory: MemoryStream, count: int, since: int | None, pending: list[tuple] = ()
) -> set[tuple]:
    """Triples of the latest ``count`` event memories (the original's
    ``get_summarized_latest_events``), those created before step ``since`` left out; the
    ``pending`` triples (noted, not stored yet) are the latest."""
    out = set(pending[-count:]) if count else set()
    found = min(count, len(pending))
    for node in reversed(memory.nodes):
        if found >= count:
            break
        if node.kind == "event":
            found += 1
            if since is None or node.created >= since:
                out.add(tuple(node.triple))
    return out


class Perception:
    """One agent's perception: its index in the view and its name, its spatial memory, its
    memory (where what it perceives is noted); ``retention`` and ``retention_minutes`` as in
    ``mind``, ``attention`` its attention bandwidth."""

    def __init__(
        self,
        index: int,
        name: str,
        spatial: SpatialMemory,
        memory: Memory,
        vision_radius: int,
        attention: int,
        retention: int,
        retention_steps: int,
        lang: str,
    ):
        self.index = index
        self.name = name
        self.spatial = spatial
        self.memory = memory
        self.radius = vision_radius
        self.attention = attention
        self.retention = retention
        self.window = retention_steps
        self.lang = lang

    def recent(self, step: int) -> set[tuple]:
        since = step - self.window if self.window > 0 else None
        pending = [tuple(triple) for _, triple, *_ in self.memory.state.noted]
        return recent_triples(self.memory.stream, self.retention, since, pending)

    def is_new(self, triple: tuple, step: int) -> bool:
        return tuple(triple) not in self.recent(step)

    def look_around(self, view: View) -> None:
        """Learn the places within sight (the spatial memory)."""
        self.spatial.learn_around(view.tiles[self.index], self.radius)

    def in_sight(self, view: View) -> list[tuple[str, tuple]]:
        """(text, triple) of the events in this agent's arena within its vision radius, nearest
        first (people before objects at the same distance), at most the attention bandwidth."""
        here, radius = view.tiles[self.index], self.radius
        room = view.rooms[self.index]
        found = [
            (math.dist(view.tiles[j], here), 0, j, view.events[j])
            for j in view.around(self.index, radius)
        ]

        def near(tile) -> bool:
            return abs(tile[0] - here[0]) <= radius and abs(tile[1] - here[1]) <= radius

        for n, use in enumerate(view.objects.values()):
            if use.room == room and self.index not in use.holders and near(use.tile):
                found.append((math.dist(use.tile, here), 1, n, (use.text, use.triple)))
        found.sort(key=lambda e: e[:3])
        return [event for *_, event in found[: self.attention]]

    def perceive(self, step: int, view: View) -> None:
        """Store the new events in sight."""
        events = self.in_sight(view)
        if not events:
            return
        recent = self.recent(step)
        for text, triple in events:
            if tuple(triple) in recent:
                continue
            recent.add(tuple(triple))
            self.memory.observe(step, text, tuple(triple))

    def note_own(
        self, step: int, description: str, triple: list[str], importance: int | None = None
    ) -> None:
        """Remember what I am doing, unless it is not new (the retention of perception); its
        importance is the one the action's question gave, if any."""
        if self.is_new(tuple(triple), step):
            text = event_text(self.name, description, self.lang)
            self.memory.observe(step, text, tuple(triple), importance)
