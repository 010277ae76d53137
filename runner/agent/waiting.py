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

from typing import TYPE_CHECKING

from .state import Action

if TYPE_CHECKING:
    from .agent import Agent
    from .town import View

WAIT = {"zh": "等待", "en": "wait"}


def _waiting_text(user: str, obj: str, lang: str) -> str:
    return f"等{user}用完{obj}" if lang == "zh" else f"waiting for {user} to finish with the {obj}"


def check_object(agent: Agent, step: int, view: View) -> None:
    """Wait, or switch to a free object, when the action's object is full and in sight."""
    s = agent.state
    act = s.action
    if act is None or not act.object_state or (s.chat is not None and step < s.chat.end):
        return
    use = view.objects.get(act.address)
    if use is None or not use.full or agent.index in use.holders:
        return
    if view.rooms[agent.index] != use.room:
        return  # not in the room yet: it cannot see that the object is taken
    world, sector, arena, obj = act.address.split(":")
    if act.waited:  # it chose to wait before, and finds the object taken again: it waits on
        _wait(agent, step, act, use.holders[0], use.until, obj)
        return
    free = [
        o
        for o in agent.places.spatial.known_among(
            f"{sector}:{arena}", agent.town.map.tree[sector][arena]
        )
        if o != obj and not _full(view, f"{world}:{sector}:{arena}:{o}")
    ]
    lang = agent.town.lang
    holder = use.holders[0]
    choice = agent.ask(
        "decide_to_wait",
        step,
        persona=agent.persona,
        action=act.description,
        object=obj,
        user=agent.town.personas[holder]["name"],
        user_action=view.doing[holder],
        until=agent.town.clock.time_at(use.until).strftime("%H:%M"),
        time=agent.clock_text(step),
        options=[WAIT[lang], *free],
        default=WAIT[lang],
    )
    if choice == WAIT[lang]:
        _wait(agent, step, act, holder, use.until, obj)
        return
    act.address = f"{world}:{sector}:{arena}:{choice}"
    here = s.tile_at(step - 1)
    act.target = agent.town.paths.nearest(here, agent.town.map.tiles_of(act.address)) or here
    agent.walk_to(step, act.target)


def _full(view: View, address: str) -> bool:
    use = view.objects.get(address)
    return use is not None and use.full


def _wait(agent: Agent, step: int, act: Action, holder: int, until: int, obj: str) -> None:
    s, lang = agent.state, agent.town.lang
    here = s.tile_at(step - 1)
    user = agent.town.personas[holder]["name"]
    text = _waiting_text(user, obj, lang)
    triple = [agent.name, "等待" if lang == "zh" else "is waiting for", obj]
    act.waited = True
    s.resume = act
    s.action = Action(
        text,
        agent.town.map.address_at(here),
        "⌛",
        triple,
        step,
        max(step + 1, min(until, act.end)),
        here,
        waiting_for=holder,
    )
    s.stop(step)
    agent._note_own_action(step, text, triple)


def resume_after_wait(agent: Agent, step: int) -> None:
    """After a wait: the interrupted action again, if its time is not up (else nothing)."""
    s = agent.state
    if s.resume is None:
        return
    if s.action is None or s.action.waiting_for is None:
        s.resume = None  # the wait was replaced (a conversation changed the plan)
        return
    if step < s.action.end:
        return
    act, s.resume = s.resume, None
    if step < act.end:
        s.action = act
        agent.walk_to(step, act.target)
