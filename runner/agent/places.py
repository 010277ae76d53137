"""What an agent knows of the town, and choosing where an action happens.

An agent knows its own home and every public place. In its home it may use its own room and the
shared rooms, not another resident's bedroom (a room with a bed is somebody's bedroom).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..world.townmap import TownMap

Ask = Callable[..., Any]  # ask(kind, step, **context) -> the validated answer
BED_WORDS = ("床", "bed")


def _has_bed(objects: list[str]) -> bool:
    return any(obj.lower() in BED_WORDS for obj in objects)


class Places:
    def __init__(self, tile_map: TownMap, living_area: str, ask: Ask):
        self.map = tile_map
        self.ask = ask
        parts = living_area.split(":")
        if parts[0] == tile_map.world:
            parts = parts[1:]
        self.home = parts[0]
        self.room = parts[1] if len(parts) > 1 else None

    def known_kinds(self) -> dict[str, str]:
        """sector -> kind, for the sectors this agent knows."""
        return {
            sector: self.map.kinds.get(sector, "other")
            for sector in self.map.tree
            if sector == self.home or self.map.kinds.get(sector, "other") != "home"
        }

    def arenas(self, sector: str) -> list[str]:
        arenas = self.map.tree.get(sector, {})
        if sector != self.home:
            return [a for a, objs in arenas.items() if objs]
        return [a for a, objs in arenas.items() if objs and (a == self.room or not _has_bed(objs))]

    def choose(self, step: int, action: str, task: str) -> str:
        """sector → arena → object, each one question; returns the full address."""
        kinds = self.known_kinds()
        options = [s for s in kinds if self.arenas(s)]
        sector = self.ask(
            "action_sector",
            step,
            action=action,
            task=task,
            options=options,
            kinds=kinds,
            home=self.home,
            default=self.home,
        )
        arenas = self.arenas(sector)
        default = self.room if self.room in arenas else arenas[0]
        arena = self.ask(
            "action_arena",
            step,
            action=action,
            task=task,
            sector=sector,
            options=arenas,
            default=default,
        )
        objects = self.map.tree[sector][arena]
        obj = self.ask(
            "action_object",
            step,
            action=action,
            task=task,
            sector=sector,
            arena=arena,
            options=objects,
            default=objects[0],
        )
        return f"{self.map.world}:{sector}:{arena}:{obj}"
