"""Objects in use: which agents use which game object at a step, and the object's event.

An agent uses the object of its action while the action goes on, it stands where the action
takes it (on or beside the object) and it is not in a conversation; an action whose
``object_state`` is empty (a wait) uses nothing. The object then carries an event, as in the
original (where the agent's arrival writes the object's event on its tile and leaving clears it):
its name and what it is doing, "咖啡机正在煮咖啡" / "coffee machine is brewing coffee". An object
holds ``capacity`` users (:class:`~runner.world.placeindex.PlaceIndex`), first come first; the
event is that of its first user.

Everything here is read from what the agents are doing (:class:`Doer`) only, in agent order,
so the result is the same whatever the threads did: the engine computes it for the view at the
start of a step and for the frames at its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..world.placeindex import PlaceIndex
from ..world.townmap import Tile
from .activity import Action, Chat
from .move import Position


class Doer(Protocol):
    """What the objects in use read of an agent: who, where it is and what it is doing."""

    @property
    def index(self) -> int: ...

    @property
    def position(self) -> Position: ...

    @property
    def action(self) -> Action | None: ...

    @property
    def chat(self) -> Chat | None: ...


@dataclass(frozen=True)
class ObjectUse:
    users: tuple[int, ...]  # agents using it, first come first
    holders: tuple[int, ...]  # the first ``capacity`` of them: those who have a place at it
    full: bool  # no place is left
    text: str  # the object's event, as its first user makes it
    triple: tuple[str, str, str]
    tile: Tile  # where its first user stands
    room: int  # the room of that tile (PlaceIndex.arena_at)
    until: int  # the step the earliest holder's action ends


def object_event(obj: str, state: str, lang: str) -> tuple[str, tuple[str, str, str]]:
    """(text, triple) of an object's event: '咖啡机正在煮咖啡', ('咖啡机', '正在', '煮咖啡');
    '床被人睡着' (a state that says by itself that it goes on takes no '正在')."""
    if lang == "zh":
        state = state.removeprefix("正在")
        ongoing = state.startswith(("在", "被", "有")) or "着" in state or "了" in state
        return obj + ("" if ongoing else "正在") + state, (obj, "正在", state)
    state = state.removeprefix("is ")
    return f"{obj} is {state}", (obj, "is", state)


def _arrived(doer: Doer) -> int:
    """The step the agent reached (or will reach) the end of its walk."""
    act, position = doer.action, doer.position
    if position.path:
        return position.path_start + len(position.path) - 1
    return act.start if act else 0


def using(doer: Doer, at: int) -> Action | None:
    """The agent's action if it uses the action's object at step ``at``."""
    act, chat = doer.action, doer.chat
    if act is None or not act.object_state or not act.start <= at < act.end:
        return None
    if chat is not None and chat.start <= at < chat.end:
        return None
    if act.address.count(":") != 3 or doer.position.tile_at(at) != act.target:
        return None
    return act


def objects_in_use(
    doers: Sequence[Doer], at: int, index: PlaceIndex, lang: str
) -> dict[str, ObjectUse]:
    """Full object address -> its use at step ``at``, from what the agents are doing."""
    by_object: dict[str, list[tuple[int, int, Action, Doer]]] = {}
    for doer in doers:  # in agent order
        act = using(doer, at)
        if act is not None:
            by_object.setdefault(act.address, []).append((_arrived(doer), doer.index, act, doer))
    out = {}
    for address, users in by_object.items():
        users.sort(key=lambda u: (u[0], u[1]))
        _, _, act, first = users[0]
        capacity = index.capacity.get(address, 1)
        text, triple = object_event(address.rsplit(":", 1)[-1], act.object_state, lang)
        until = min(u[2].end for u in users[:capacity])
        tile = first.position.tile_at(at)
        order = tuple(u[1] for u in users)
        full = len(order) >= capacity
        room = index.arena_at(tile)
        out[address] = ObjectUse(order, order[:capacity], full, text, triple, tile, room, until)
    return out
