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
in the frames, one every few steps, and each side remembers the talk
(:meth:`~runner.agent.reflect.Reflection.remember_talk`).

Who talks to whom is decided here too (the original's ``decide_to_chat``, in its ``plan.py``):
once per pair and encounter, when another comes into sight, by one of the two (``decides``).
:class:`Talk` is the component; its part of the agent's state is :class:`TalkState`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..prompts.styles import voice
from .activity import Chat
from .memory import CHATS, Ask, MemoryStream
from .move import Position
from .perceive import event_text
from .reflect import Reflection
from .retrieve import Retriever
from .town import Town, View

MAX_LINES = 16
CHAT_MEMORIES = 15  # per line (the original's)
VIEW_MEMORIES = 50  # for the view of the other (the original's)
VIEW_HOURS = 24  # a view older than this, or older than the last talk, is formed again
STEPS_PER_LINE = 3  # each line stays on screen this many steps
TALK_COOLDOWN_HOURS = 3  # no new conversation with the same agent within this time
TALK_REST_MINUTES = 30  # nor with anyone this soon after the last one ended


@dataclass
class TalkState:
    chat: Chat | None = None
    talked: dict[int, int] = field(default_factory=dict)  # partner -> step of last decision
    in_sight: list[int] = field(default_factory=list)  # the others whose encounter is decided
    relations: dict[int, list] = field(default_factory=dict)  # other -> [view of them, step]
    chat_end: int = -(10**9)  # the step after the last line of its last conversation


def decides(i: int, j: int) -> bool:
    """Whether ``i`` is the one of the pair (i, j) who decides whether they talk: the lower
    index for an even sum, the higher for an odd one, so each decides for half its pairs."""
    return (i < j) == ((i + j) % 2 == 0)


class Talk:
    """One agent's side of conversations: agent ``index`` named ``name``, asking through
    ``ask`` with the persona ``persona`` returns, recalling from ``stream`` with
    ``retriever``, remembering a talk with ``reflection``, walking ``position`` to meet."""

    def __init__(
        self,
        state: TalkState,
        index: int,
        name: str,
        town: Town,
        ask: Ask,
        persona: Callable[[], dict],
        stream: MemoryStream,
        retriever: Retriever,
        reflection: Reflection,
        position: Position,
    ):
        self.state = state
        self.index = index
        self.name = name
        self.town = town
        self.ask = ask
        self.persona = persona
        self.stream = stream
        self.retriever = retriever
        self.reflection = reflection
        self.position = position

    def talking(self, step: int) -> bool:
        return self.state.chat is not None and step < self.state.chat.end

    def resting(self, step: int) -> bool:
        """Talking, or resting from a talk: no conversation begins with it now."""
        rest = TALK_REST_MINUTES * self.town.clock.steps_per_hour() // 60
        return step < self.state.chat_end + rest

    def end_chat(self) -> tuple[str, bool]:
        """The talk is over: (the partner's name, whether the plan may change)."""
        chat, self.state.chat = self.state.chat, None
        return self.town.personas[chat.partner]["name"], chat.reconsider

    def choose(self, step: int, view: View) -> int | None:
        """Perceive who is near; maybe decide to talk to the nearest one. Talking is decided
        once per pair and encounter: when another comes into sight, not again while they stay,
        and by one of the two (``decides``)."""
        s, here, radius = self.state, view.tiles[self.index], self.town.vision_radius
        near = []
        for j in view.around(self.index, radius):  # in its room: never through a wall
            if not view.busy[j]:
                near.append((abs(view.tiles[j][0] - here[0]) + abs(view.tiles[j][1] - here[1]), j))
        cooldown = TALK_COOLDOWN_HOURS * self.town.clock.steps_per_hour()
        seen, s.in_sight = set(s.in_sight), []
        order = [j for _, j in sorted(near)]
        for n, j in enumerate(order):
            s.in_sight.append(j)
            if j in seen or step - s.talked.get(j, -cooldown) < cooldown:
                continue
            if not decides(self.index, j):  # j decides (it is not busy: it is in ``near``)
                continue
            s.talked[j] = step
            s.in_sight += [k for k in order[n + 1 :] if k in seen]  # still in sight, decided
            return j if self._decide_to_talk(step, view, j) else None
        return None

    def _decide_to_talk(self, step: int, view: View, j: int) -> bool:
        """The original's context: what both are doing, what I recall of the other, and when
        we last talked and about what; and my view of them from that talk, if I have one."""
        other, per_hour = self.town.personas[j], self.town.clock.steps_per_hour()
        last = self.stream.last_about(other["name"], "chat", CHATS)
        last_chat = last and {
            "time": self.town.stamp(last.created),
            "hours_ago": (step - last.created) // per_hour,
            "about": last.description,
        }
        return self.ask(
            "decide_to_talk",
            step,
            persona=self.persona(),
            other={"names": [other["name"], other.get("name_en") or other["name"]]},
            other_action=view.doing[j],
            own_action=view.doing[self.index],
            hour_slot=step // per_hour,
            memories=self.retriever.recall(other["name"], step, 5),
            last_chat=last_chat,
            view=self.state.relations.get(j, [""])[0],
            time=self.town.clock_text(step),
        )

    def view_of(self, other: Talk, step: int) -> str:
        """My view of ``other``: the one kept, unless it is stale, else formed now."""
        held = self.state.relations.get(other.index)
        last = self.stream.last_about(other.name, "chat", CHATS)
        fresh = (
            held is not None
            and step - held[1] < VIEW_HOURS * self.town.clock.steps_per_hour()
            and (last is None or last.created < held[1])
        )
        if fresh:
            return held[0]
        summary = self.ask(
            "relationship",
            step,
            persona=self.persona(),
            other=other.name,
            statements=self.retriever.recall(other.name, step, VIEW_MEMORIES),
        )
        self.state.relations[other.index] = [summary, step]
        return summary

    def remember(self, other: Talk, history: list[list], step: int) -> bool:
        """Keep the talk (its summary and thoughts); whether the plan may change."""
        return self.reflection.remember_talk(self.name, other.name, history, step, self.town.lang)


def converse(a: Talk, b: Talk, step: int, view: View, sides: Callable = map) -> list[list]:
    """``a`` and ``b`` meet and talk from ``step`` on; returns the lines as [speaker, text].

    ``sides`` maps a function over the two sides, (a, b) then (b, a); the engine's runs them
    at once (each side's view and memories of the talk touch only that side's agent)."""
    start, place = _approach(a, b, step, view)
    pair = ((a, b), (b, a))
    views = dict(zip((a.index, b.index), sides(lambda p: p[0].view_of(p[1], step), pair)))
    if a.town.mind.chat == "whole":
        history = _whole(a, b, step, view, views)
    else:
        history = _turns(a, b, step, view, views)
    index = {a.name: a.index, b.name: b.index}
    lines = [[index[who], said] for who, said in history]
    reconsiders = list(sides(lambda p: p[0].remember(p[1], history, step), pair))
    for (me, other), reconsider in zip(pair, reconsiders):
        me.state.chat = Chat(other.index, lines, start, STEPS_PER_LINE, place, reconsider)
        me.state.talked[other.index] = step
        me.state.chat_end = me.state.chat.end
    return lines


def _turns(a: Talk, b: Talk, step: int, view: View, views: dict) -> list[list]:
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
            persona=speaker.persona(),
            listener=listener.name,
            own_action=view.doing[speaker.index],
            listener_action=listener_doing,
            relationship=views[speaker.index],
            history=history,
            time=a.town.clock_text(step),
            memories=speaker.retriever.recall_many(focal, step, CHAT_MEMORIES),
            **voice(speaker.persona(), a.town.style),
        )
        history.append([speaker.name, answer["line"]])
        if answer["end"] and turn >= 1:
            break
    return history


def _whole(a: Talk, b: Talk, step: int, view: View, views: dict) -> list[list]:
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
                "persona": me.persona(),
                "doing": view.doing[me.index],
                "view": views[me.index],
                "memories": me.retriever.recall_many(focal, step, CHAT_MEMORIES),
                **voice(me.persona(), a.town.style),
            }
        )
    return a.ask(
        "conversation",
        step,
        persona=a.persona(),
        partner=b.name,
        sides=sides,
        time=a.town.clock_text(step),
        max_lines=MAX_LINES,
    )


def _approach(a: Talk, b: Talk, step: int, view: View) -> tuple[int, str]:
    """Both walk the shortest path toward each other until they stand on neighbouring tiles;
    returns the step of the first line and the address where they talk."""
    here, there = view.tiles[a.index], view.tiles[b.index]
    route = a.town.paths.path(here, there)
    if not route:  # on the same tile, or (never on a connected map) no way there
        a.position.stop(step)
        b.position.stop(step)
        return step, a.town.map.address_at(here)
    chain = [here, *route]
    meet = (len(route) - 1) // 2  # a stops at chain[meet], b at chain[meet + 1]
    for agent, path in ((a, chain[1 : meet + 1]), (b, chain[meet + 1 : -1][::-1])):
        if path:
            agent.position.walk(step, path)
        else:
            agent.position.stop(step)
    walk = max(meet, len(route) - 1 - meet)
    return step + walk, a.town.map.address_at(chain[meet])
