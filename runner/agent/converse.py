"""Conversations in the shape of the original's ``agent_chat_v2``.

The two walk toward each other until they stand on neighbouring tiles. Before the first line
each side forms its view of the other (``relationship``, from the memories it retrieves about
them), kept per pair in its state and asked again only when stale: never per line, as the
original does. Then they speak in turn, each line (``chat_turn``) written from the speaker's
view of the listener and the memories it retrieves about the topic (the view, what the
listener is doing, the last lines: the original's focal points, its 15 memories), in the
speaker's own voice; up to 16 lines, until one side ends it. With ``mind.chat: whole`` the
talk is written in one question (``conversation``) from both sides' personas, views and
memories, where ``turns`` (the default) asks each line of its speaker. The lines are played out
in the frames, one every few steps, and each side remembers the talk (``afterchat``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..prompts.styles import voice
from .afterchat import CHATS, remember_talk
from .agent import Agent
from .mind import event_text
from .state import Chat
from .town import View

MAX_LINES = 16
CHAT_MEMORIES = 15  # per line (the original's)
VIEW_MEMORIES = 50  # for the view of the other (the original's)
VIEW_HOURS = 24  # a view older than this, or older than the last talk, is formed again
STEPS_PER_LINE = 3  # each line stays on screen this many steps


def converse(a: Agent, b: Agent, step: int, view: View, sides: Callable = map) -> list[list]:
    """``a`` and ``b`` meet and talk from ``step`` on; returns the lines as [speaker, text].

    ``sides`` maps a function over the two sides, (a, b) then (b, a); the engine's runs them
    at once (each side's view and memories of the talk touch only that side's agent)."""
    start, place = _approach(a, b, step, view)
    pair = ((a, b), (b, a))
    views = dict(zip((a.index, b.index), sides(lambda p: view_of(*p, step), pair)))
    if a.town.mind.chat == "whole":
        history = _whole(a, b, step, view, views)
    else:
        history = _turns(a, b, step, view, views)
    index = {a.name: a.index, b.name: b.index}
    lines = [[index[who], said] for who, said in history]
    reconsiders = list(sides(lambda p: remember_talk(*p, history, step), pair))
    for (me, other), reconsider in zip(pair, reconsiders):
        me.state.chat = Chat(other.index, lines, start, STEPS_PER_LINE, place, reconsider)
        me.state.talked[other.index] = step
        me.state.chat_end = me.state.chat.end
    return lines


def _turns(a: Agent, b: Agent, step: int, view: View, views: dict) -> list[list]:
    """Line by line (``mind.chat: turns``), each written by its speaker; [name, line]."""
    history: list[list] = []
    for turn in range(MAX_LINES):
        speaker, listener = (a, b) if turn % 2 == 0 else (b, a)
        listener_doing = view.doing[listener.index]
        focal = [
            views[speaker.index],
            event_text(listener.name, listener_doing, a.town.lang),
            *(["\n".join(f"{who}: {said}" for who, said in history[-4:])] if history else []),
        ]
        answer = speaker.ask(
            "chat_turn",
            step,
            persona=speaker.persona,
            listener=listener.name,
            own_action=view.doing[speaker.index],
            listener_action=listener_doing,
            relationship=views[speaker.index],
            history=history,
            time=speaker.clock_text(step),
            memories=speaker.mind.recall_many(focal, step, CHAT_MEMORIES),
            **voice(speaker.persona, a.town.style),
        )
        history.append([speaker.name, answer["line"]])
        if answer["end"] and turn >= 1:
            break
    return history


def _whole(a: Agent, b: Agent, step: int, view: View, views: dict) -> list[list]:
    """The whole talk in one question (``mind.chat: whole``), written from both sides: each
    one's persona, what it is doing, its view of the other and the memories it retrieves
    about them (the same focal points as a first line); [name, line]."""
    sides = []
    for me, other in ((a, b), (b, a)):
        doing = view.doing[other.index]
        focal = [views[me.index], event_text(other.name, doing, a.town.lang)]
        sides.append(
            {
                "name": me.name,
                "persona": me.persona,
                "doing": view.doing[me.index],
                "view": views[me.index],
                "memories": me.mind.recall_many(focal, step, CHAT_MEMORIES),
                **voice(me.persona, a.town.style),
            }
        )
    return a.ask(
        "conversation",
        step,
        persona=a.persona,
        partner=b.name,
        sides=sides,
        time=a.clock_text(step),
        max_lines=MAX_LINES,
    )


def view_of(me: Agent, other: Agent, step: int) -> str:
    """``me``'s view of ``other``: the one kept, unless it is stale, else formed now."""
    held = me.state.relations.get(other.index)
    last = me.mind.memory.last_about(other.name, "chat", CHATS)
    fresh = (
        held is not None
        and step - held[1] < VIEW_HOURS * me.town.clock.steps_per_hour()
        and (last is None or last.created < held[1])
    )
    if fresh:
        return held[0]
    summary = me.ask(
        "relationship",
        step,
        persona=me.persona,
        other=other.name,
        statements=me.mind.recall(other.name, step, VIEW_MEMORIES),
    )
    me.state.relations[other.index] = [summary, step]
    return summary


def _approach(a: Agent, b: Agent, step: int, view: View) -> tuple[int, str]:
    """Both walk the shortest path toward each other until they stand on neighbouring tiles;
    returns the step of the first line and the address where they talk."""
    here, there = view.tiles[a.index], view.tiles[b.index]
    route = a.town.paths.path(here, there)
    if not route:  # on the same tile, or (never on a connected map) no way there
        a.state.stop(step)
        b.state.stop(step)
        return step, a.town.map.address_at(here)
    chain = [here, *route]
    meet = (len(route) - 1) // 2  # a stops at chain[meet], b at chain[meet + 1]
    for agent, path in ((a, chain[1 : meet + 1]), (b, chain[meet + 1 : -1][::-1])):
        if path:
            agent.state.walk(step, path)
        else:
            agent.state.stop(step)
    walk = max(meet, len(route) - 1 - meet)
    return step + walk, a.town.map.address_at(chain[meet])
