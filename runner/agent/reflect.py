"""Reflection: insights drawn from what happened, and what a conversation leaves behind.

As the original's ``reflect.py``: when the importance of what was stored since the last
reflection passes a threshold (``ReflectState.importance_sum``, this component's part of the
agent's state), the agent asks focal questions about its recent memories, retrieves memories
for each, and stores the insights they lead to, each citing its evidence. After a talk, as the
original's ``generate_planning_thought_on_convo`` and ``generate_memo_on_convo``: each side stores
the conversation's summary (a chat memory), a thought for its planning and a memo of what it
wants to remember, both citing the chat (one ``chat_summary`` question gives all three where the
original asks three, and whether the talk may change what the agent does next).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .memory import CHATS, PLANS, REMEMBERS, Ask, Memory
from .retrieve import Retriever


@dataclass
class ReflectState:
    importance_sum: int = 0  # importance stored since the last reflection


class Reflection:
    """One agent's reflection: over ``memory`` (whose stores it counts), ``retriever`` for the
    evidence, asking through ``ask`` with the persona ``persona`` returns. ``enabled`` is
    ``mind.reflect``: off, there are no insights and no thoughts on a talk."""

    def __init__(
        self,
        state: ReflectState,
        memory: Memory,
        retriever: Retriever,
        ask: Ask,
        persona: Callable[[], dict],
        threshold: int,
        enabled: bool = True,
    ):
        self.state = state
        self.memory = memory
        self.retriever = retriever
        self.ask = ask
        self.persona = persona
        self.threshold = threshold
        self.enabled = enabled
        memory.listeners.append(self.count)

    def count(self, description: str, importance: int) -> None:
        """A memory was stored: its importance counts toward the next reflection."""
        self.state.importance_sum += importance

    def maybe_reflect(self, step: int) -> bool:
        """Reflect when enough has happened (never with ``reflect`` off); returns whether it
        did. Each insight is stored with its own event triple and its importance asked."""
        if not self.enabled or self.state.importance_sum < self.threshold:
            return False
        self.memory.store_noted(step)
        self.state.importance_sum = 0
        stream, persona = self.memory.stream, self.persona()
        recent = [stream.nodes[i].description for i in stream.recent(50)]
        known = {stream.nodes[i].description for i in stream.recent(30, ("thought",))}
        questions = self.ask("focal_points", step, persona=persona, statements=recent)
        for question in questions[:3]:
            ids = self.retriever.recall_ids(question, step)
            statements = [stream.nodes[i].description for i in ids]
            insights = self.ask(
                "insights", step, persona=persona, question=question, statements=statements
            )
            new = []
            for item in insights:
                if item["insight"] not in known:  # already concluded: it would only repeat it
                    known.add(item["insight"])
                    new.append(item)
            items = [("thought", item["insight"]) for item in new]
            scores = self.memory.judge(step, items, [item["importance"] for item in new])
            for item, score in zip(new, scores):
                evidence = [ids[n - 1] for n in item["evidence"]]
                triple = tuple(item["triple"])
                self.memory.remember("thought", step, item["insight"], triple, evidence, score)
        self.state.importance_sum = 0  # thoughts written now do not trigger the next one
        return True

    def remember_talk(
        self, name: str, partner: str, lines: list[list], step: int, lang: str
    ) -> bool:
        """``name`` stores the summary of its talk with ``partner`` and (unless reflection is
        off) the two thoughts on it; their importance is the summary's, or (where it gave none)
        asked in one question. Returns whether the talk may change what it does next (the
        summary's ``reconsider``)."""
        persona = self.persona()
        notes = self.ask("chat_summary", step, persona=persona, partner=partner, lines=lines)
        thoughts = _thoughts(name, notes, lang) if self.enabled else []
        items = [("chat", notes["summary"])] + [("thought", text) for text, _, _ in thoughts]
        given = [notes["importance"] or None] + [score or None for _, _, score in thoughts]
        scores = self.memory.judge(step, items, given)
        chat = self.memory.remember(
            "chat", step, notes["summary"], (name, CHATS, partner), importance=scores[0]
        )
        for (text, predicate, _), score in zip(thoughts, scores[1:]):
            self.memory.remember("thought", step, text, (name, predicate, partner), [chat], score)
        return notes["reconsider"]


def _thoughts(name: str, notes: dict, lang: str) -> list[tuple[str, str, int]]:
    """(text, predicate, importance) of the planning thought and the memo a talk left, those
    not empty."""
    if lang == "zh":
        planning = f"{name}为今后的打算：{notes['planning']}"
        memo = f"{name}想记住的事：{notes['memo']}"
    else:
        planning = f"For {name}'s planning: {notes['planning']}"
        memo = f"Things {name} wants to remember: {notes['memo']}"
    return [
        (text, predicate, score)
        for note, text, predicate, score in (
            (notes["planning"], planning, PLANS, notes["planning_importance"]),
            (notes["memo"], memo, REMEMBERS, notes["memo_importance"]),
        )
        if note
    ]
