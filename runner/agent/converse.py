"""Conversations: generated turn by turn from each side's memories, then played out line by
line in the frames, and remembered by both sides as a summary."""

from __future__ import annotations

from .agent import Agent
from .state import Chat
from .town import View

MAX_TURNS = 8
STEPS_PER_LINE = 3  # each line stays on screen this many steps


def converse(a: Agent, b: Agent, step: int, view: View) -> list[list]:
    """Both agents stop and talk from ``step`` on; returns the lines as [speaker, text]."""
    history: list[list] = []  # [speaker name, line] for the prompts
    lines: list[list] = []
    for turn in range(MAX_TURNS):
        speaker, listener = (a, b) if turn % 2 == 0 else (b, a)
        topic = history[-1][1] if history else view.doing[listener.index]
        answer = speaker.ask(
            "chat_turn",
            step,
            persona=speaker.persona,
            listener=listener.name,
            own_action=view.doing[speaker.index],
            listener_action=view.doing[listener.index],
            history=history,
            style=speaker.town_style,
            time=speaker.clock_text(step),
            memories=speaker.mind.recall(f"{listener.name} {topic}", step, 5),
        )
        history.append([speaker.name, answer["line"]])
        lines.append([speaker.index, answer["line"]])
        if answer["end"] and turn >= 1:
            break
    place = a.town.map.address_at(view.tiles[a.index])
    for me, other in ((a, b), (b, a)):
        me.state.stop(step)
        me.state.chat = Chat(other.index, lines, step, STEPS_PER_LINE, place)
        me.state.talked[other.index] = step
        summary = me.ask(
            "chat_summary", step, persona=me.persona, partner=other.name, lines=history
        )
        me.mind.remember("chat", step, summary, (me.name, "chat with", other.name))
    return lines
