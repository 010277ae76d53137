"""Decide to wait: the object an agent is heading for is in use by someone else.

As the original's ``decide_to_react`` wait branch (``plan.py``: an agent on its way to an
object that another already uses — the one bathroom — waits until the other's action ends):
when the agent is in the object's room and the object is full (every place at it taken,
:class:`~runner.agent.objects.ObjectUse`), it asks ``decide_to_wait`` whether to wait or to use
another free object of the same room. Waiting is an action of its own ("等伊莎贝拉用完淋浴间",
⌛, standing where it is, using nothing) until the holder's action ends; then the interrupted
action goes on if its time is not up. The holder's frame carries its object's event meanwhile,
so both sides are in the frames. One question per full object the agent meets, none when it
has nothing else to choose (the only option is to wait), nor when the action it waited for
finds its object taken again (it waits again).
"""

from __future__ import annotations

from dataclasses import dataclass

from .activity import Action
from .memory import Ask
from .move import Walker
from .plan import NoteOwn
from .spatial import SpatialMemory
from .town import Town, View

WAIT = {"zh": "等待", "en": "wait"}


@dataclass
class WaitState:
    resume: Action | None = None  # the action a wait interrupted


def _waiting_text(user: str, obj: str, lang: str) -> str:
    return f"等{user}用完{obj}" if lang == "zh" else f"waiting for {user} to finish with the {obj}"


def _full(view: View, address: str) -> bool:
    use = view.objects.get(address)
    return use is not None and use.full


class Waiting:
    """One agent's waits (agent ``index``, named ``name``), over its ``state``; it walks with
    ``walker`` and notes its own action with ``note_own``."""

    def __init__(
        self,
        state: WaitState,
        index: int,
        name: str,
        town: Town,
        ask: Ask,
        spatial: SpatialMemory,
        walker: Walker,
        note_own: NoteOwn,
    ):
        self.state = state
        self.index = index
        self.name = name
        self.town = town
        self.ask = ask
        self.spatial = spatial
        self.walker = walker
        self.note_own = note_own

    def check_object(self, step: int, view: View, act: Action, persona: dict) -> Action:
        """The action to go on with: ``act``, or a wait when its object is full and in sight,
        or ``act`` moved to a free object of the same room."""
        use = view.objects.get(act.address)
        if use is None or not use.full or self.index in use.holders:
            return act
        if view.rooms[self.index] != use.room:
            return act  # not in the room yet: it cannot see that the object is taken
        world, sector, arena, obj = act.address.split(":")
        if act.waited:  # it chose to wait before, and finds the object taken again: it waits on
            return self._wait(step, act, use.holders[0], use.until, obj)
        known = self.spatial.known_among(f"{sector}:{arena}", self.town.map.tree[sector][arena])
        free = [o for o in known if o != obj and not _full(view, f"{world}:{sector}:{arena}:{o}")]
        lang, holder = self.town.lang, use.holders[0]
        choice = self.ask(
            "decide_to_wait",
            step,
            persona=persona,
            action=act.description,
            object=obj,
            user=self.town.personas[holder]["name"],
            user_action=view.doing[holder],
            until=self.town.clock_text(use.until),
            time=self.town.clock_text(step),
            options=[WAIT[lang], *free],
            default=WAIT[lang],
        )
        if choice == WAIT[lang]:
            return self._wait(step, act, holder, use.until, obj)
        act.address = f"{world}:{sector}:{arena}:{choice}"
        act.target = self.walker.nearest(step, act.address)
        self.walker.walk_to(step, act.target)
        return act

    def _wait(self, step: int, act: Action, holder: int, until: int, obj: str) -> Action:
        lang, position = self.town.lang, self.walker.position
        here = position.tile_at(step - 1)
        user = self.town.personas[holder]["name"]
        text = _waiting_text(user, obj, lang)
        triple = [self.name, "等待" if lang == "zh" else "is waiting for", obj]
        act.waited = True
        self.state.resume = act
        wait = Action(
            text,
            self.town.map.address_at(here),
            "⌛",
            triple,
            step,
            max(step + 1, min(until, act.end)),
            here,
            waiting_for=holder,
        )
        position.stop(step)
        self.note_own(step, text, triple)
        return wait

    def resume_after_wait(self, step: int, act: Action | None) -> Action | None:
        """After a wait: the interrupted action again, if its time is not up (else
        ``act``)."""
        s = self.state
        if s.resume is None:
            return act
        if act is None or act.waiting_for is None:
            s.resume = None  # the wait was replaced (a conversation changed the plan)
            return act
        if step < act.end:
            return act
        interrupted, s.resume = s.resume, None
        if step < interrupted.end:
            self.walker.walk_to(step, interrupted.target)
            return interrupted
        return act
