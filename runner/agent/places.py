"""Choosing where an action happens, among the places the agent knows.

The options come from the agent's spatial memory (:mod:`runner.agent.spatial`): the sectors it
knows, then their rooms; the room's objects are offered with the action's details
(``action_details``). In its home it may use its own room and the shared rooms, not another
resident's bedroom (a room with a bed is somebody's bedroom); in somebody else's home, only the
rooms without a bed. The place of an action (:meth:`Places.place`) is the original's
``generate_action_sector``, ``_arena`` and ``_game_object`` (in its ``plan.py``), with the
action's emoji and event triple in the same question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..world.placeindex import is_bed
from ..world.townmap import TownMap
from .spatial import SpatialMemory

Ask = Callable[..., Any]  # ask(kind, step, **context) -> the validated answer
OTHER_HOME = "residence"  # the kind shown for a home the agent knows but does not live in


def _has_bed(objects: list[str]) -> bool:
    return any(is_bed(obj) for obj in objects)


def home_of(tile_map: TownMap, living_area: str) -> tuple[str, str | None]:
    """(home sector, own room or None) of a living area 'world:sector:arena' or 'sector:arena'."""
    parts = living_area.split(":")
    if parts[0] == tile_map.world:
        parts = parts[1:]
    return parts[0], (parts[1] if len(parts) > 1 else None)


class Places:
    def __init__(self, tile_map: TownMap, spatial: SpatialMemory, living_area: str, ask: Ask):
        self.map = tile_map
        self.spatial = spatial
        self.ask = ask
        self.home, self.room = home_of(tile_map, living_area)
        self._placed_day, self._placed = "", {}  # today's placed actions: see place

    def place(
        self, step: int, description: str, task: str, persona: dict, day: str
    ) -> tuple[str, dict]:
        """(address, details) of an action: asked, unless the same action of the same task was
        placed earlier on ``day`` with the same places known (the same prompts: the answer
        cache would give the same answers); then the same again, without a question. Kept in
        memory only: after a resume it is asked again and the cache answers."""
        key = (description, task, self.spatial.state.places)
        if self._placed_day != day:
            self._placed_day, self._placed = day, {}
        if key in self._placed:
            return self._placed[key]
        sector, arena, objects = self.choose(step, description, task, persona)
        details = self.ask(
            "action_details",
            step,
            persona=persona,
            action=description,
            task=task,
            sector=sector,
            arena=arena,
            options=objects,
            default=objects[0],
        )
        self._placed[key] = f"{self.map.world}:{sector}:{arena}:{details['object']}", details
        return self._placed[key]

    def known_kinds(self) -> dict[str, str]:
        """sector -> kind, for the sectors this agent knows (another's home: 'residence')."""
        kinds = {}
        for sector in self.spatial.sectors():
            kind = self.map.kinds.get(sector, "other")
            kinds[sector] = OTHER_HOME if kind == "home" and sector != self.home else kind
        return kinds

    def arenas(self, sector: str) -> list[str]:
        tree = self.map.tree.get(sector, {})
        arenas = self.spatial.known_among(sector, [a for a, objects in tree.items() if objects])
        if sector == self.home:
            return [a for a in arenas if a == self.room or not _has_bed(tree[a])]
        if self.map.kinds.get(sector) == "home":
            return [a for a in arenas if not _has_bed(tree[a])]
        return arenas

    def choose(self, step: int, action: str, task: str, persona: dict) -> tuple[str, str, list]:
        """sector → arena, each one question; returns them and the objects known there (the
        object is chosen with the action's details, ``action_details``)."""
        kinds = self.known_kinds()
        options = [s for s in kinds if self.arenas(s)]
        sector = self.ask(
            "action_sector",
            step,
            persona=persona,
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
            persona=persona,
            action=action,
            task=task,
            sector=sector,
            options=arenas,
            default=default,
        )
        objects = self.spatial.known_among(f"{sector}:{arena}", self.map.tree[sector][arena])
        return sector, arena, objects
