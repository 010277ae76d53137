"""Remembering, recalling and reflecting: the memory side of an agent (perception is
:mod:`runner.agent.perceive`).

Reflection runs when the importance of what happened since
the last one passes a threshold: focal questions, retrieval for each, insights that cite their
evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import config
from .memory import MemoryStream, Node, RetrievalWeights
from .state import AgentState

NOTED_BATCH = 16  # events waiting for their importance: judged together at this many
NOTED_WAIT_MINUTES = 30  # or when the oldest has waited this long (game time)

Ask = Callable[..., Any]  # ask(kind, step, **context) -> the validated answer
Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class MindSettings:
    reflection_threshold: int = 150
    top_k: int = 30  # memories per focal point of a reflection
    attention_bandwidth: int = 3
    retention: int = 5
    retention_minutes: int = 30
    weights: RetrievalWeights = RetrievalWeights()
    reflect: bool = True
    plan: bool = True
    observe: bool = True
    chat: str = "turns"  # or "whole": a conversation in one question

    @classmethod
    def from_scenario(cls, mind: config.Mind) -> MindSettings:
        weights = RetrievalWeights(
            mind.recency_weight, mind.importance_weight, mind.relevance_weight, mind.recency_decay
        )
        return cls(
            mind.reflection_threshold,
            mind.top_k,
            mind.attention_bandwidth,
            mind.retention,
            mind.retention_minutes,
            weights,
            mind.reflect,
            mind.plan,
            mind.observe,
            mind.chat,
        )


def event_text(name: str, action: str, lang: str) -> str:
    """'克劳斯·穆勒正在看书' / 'Klaus Mueller: reading'."""
    if lang == "zh":
        return name + (action if action.startswith(("在", "正在")) else "正在" + action)
    return f"{name}: {action}"


class Mind:
    """One agent's memory side. It asks through ``ask`` and embeds through ``embed``; ``state``
    is the agent's (the importance toward the next reflection); ``learn_places`` is told the
    text of every memory stored (the spatial memory learns the places it names)."""

    def __init__(
        self,
        ask: Ask,
        embed: Embed,
        memory: MemoryStream,
        settings: MindSettings,
        state: AgentState,
        index: int,
        persona: dict,
        steps_per_hour: int,
        learn_places: Callable[[str], object] | None = None,
    ):
        self.ask = ask
        self.embed = embed
        self.memory = memory
        self.settings = settings
        self.state = state
        self.index = index
        self.persona = persona
        self.steps_per_hour = steps_per_hour
        self.learn_places = learn_places
        # importance already judged, by description: a repeated event is not asked again
        self._judged = {n.description: n.importance for n in memory.nodes}
        self.wait = NOTED_WAIT_MINUTES * steps_per_hour // 60

    def remember(
        self,
        kind: str,
        step: int,
        description: str,
        triple: tuple[str, str, str] = ("", "", ""),
        evidence: list[int] | None = None,
        importance: int | None = None,
    ) -> int:
        """Store a node (asking its importance unless given or already judged for the same
        description); counts toward reflection."""
        if importance is None:
            importance = self.judge(step, [(kind, description)])[0]
        self._judged[description] = importance
        embedding = self.embed([description])[0]
        node = Node(kind, step, description, importance, triple, _keywords(triple), evidence or [])
        self.state.importance_sum += importance
        if self.learn_places is not None:
            self.learn_places(description)
        return self.memory.add(node, embedding)

    def judge(
        self, step: int, items: list[tuple[str, str]], given: list[int | None] | None = None
    ) -> list[int]:
        """The importance of each (kind, description): ``given`` (by the answer that wrote the
        memory), else judged before, else asked, all of those in one question (``importance``
        for one, ``importances`` for several) with the events noted and not judged yet, which
        are then stored."""
        for (_, description), score in zip(items, given or []):
            if score is not None:
                self._judged.setdefault(description, score)
        todo = {d: k for k, d in items if d not in self._judged}
        if todo:
            todo.update((text, "event") for text, *_ in self._unjudged_noted())
        if len(todo) == 1:
            ((description, kind),) = todo.items()
            self._judged[description] = self.ask(
                "importance",
                step,
                persona=self.persona,
                memory_kind=kind,
                description=description,
            )
        elif todo:
            memories = [{"kind": k, "description": d} for d, k in todo.items()]
            scores = self.ask("importances", step, persona=self.persona, memories=memories)
            self._judged.update(zip(todo, scores))
        if todo:
            self._store_noted(step)
        return [self._judged[d] for _, d in items]

    def recall(self, query: str, step: int, k: int | None = None) -> list[str]:
        """Descriptions of the memories most worth recalling for ``query``, best first."""
        return self.recall_many([query], step, k)

    def recall_many(self, queries: list[str], step: int, k: int | None = None) -> list[str]:
        """The same for several focal points at once (relevance to their mean embedding)."""
        if not len(self.memory):
            return []
        ids = self._retrieve(self.embed(queries).mean(axis=0), step, k, True)
        return [self.memory.nodes[i].description for i in ids]

    def recall_ids(self, query: str, step: int, k: int | None = None, touch: bool = True):
        return self._retrieve(self.embed([query])[0], step, k, touch)

    def _retrieve(self, embedding: np.ndarray, step: int, k: int | None, touch: bool):
        return self.memory.retrieve(
            embedding,
            step,
            self.steps_per_hour,
            k or self.settings.top_k,
            self.settings.weights,
            touch=touch,
        )

    def observe(self, step: int, text: str, triple: tuple, importance: int | None = None) -> None:
        """Note an event seen (one's own action too, with the importance its question gave),
        stored by ``settle``; nothing with ``observe`` off."""
        if self.settings.observe:
            self.state.noted.append([text, list(triple), importance, step])

    def settle(self, step: int) -> None:
        """At the end of a step: store the events noted once their importance costs no
        question, or once ``NOTED_BATCH`` wait for one or the oldest has waited
        ``NOTED_WAIT_MINUTES``; else they wait, to be judged with the next importance asked.
        Retrieval does not see them meanwhile (what the others are doing now is in every
        prompt that retrieves about them)."""
        if not self.state.noted:
            return
        unknown = self._unjudged_noted()
        if not unknown or len(unknown) >= NOTED_BATCH or step - unknown[0][3] >= self.wait:
            self.store_noted(step)

    def store_noted(self, step: int) -> None:
        """Store the events noted now, the importance of those not judged asked in one
        question."""
        self.judge(step, [("event", text) for text, *_ in self._unjudged_noted()])
        self._store_noted(step)

    def _unjudged_noted(self) -> list[list]:
        """The noted events with no importance given nor judged before, oldest first."""
        return [n for n in self.state.noted if n[2] is None and n[0] not in self._judged]

    def _store_noted(self, step: int) -> None:
        noted, self.state.noted = self.state.noted, []
        for text, triple, score, _ in noted:
            score = self._judged[text] if score is None else score
            self.remember("event", step, text, tuple(triple), importance=score)

    def maybe_reflect(self, step: int) -> bool:
        """Reflect when enough has happened (never with ``reflect`` off); returns whether it
        did. Each insight is stored with its own event triple and its importance asked."""
        if not self.settings.reflect:
            return False
        if self.state.importance_sum < self.settings.reflection_threshold:
            return False
        self.store_noted(step)
        self.state.importance_sum = 0
        recent = [self.memory.nodes[i].description for i in self.memory.recent(50)]
        known = {self.memory.nodes[i].description for i in self.memory.recent(30, ("thought",))}
        questions = self.ask("focal_points", step, persona=self.persona, statements=recent)
        for question in questions[:3]:
            ids = self.recall_ids(question, step)
            statements = [self.memory.nodes[i].description for i in ids]
            insights = self.ask(
                "insights", step, persona=self.persona, question=question, statements=statements
            )
            new = []
            for item in insights:
                if item["insight"] not in known:  # already concluded: it would only repeat it
                    known.add(item["insight"])
                    new.append(item)
            items = [("thought", item["insight"]) for item in new]
            scores = self.judge(step, items, [item["importance"] for item in new])
            for item, score in zip(new, scores):
                evidence = [ids[n - 1] for n in item["evidence"]]
                triple = tuple(item["triple"])
                self.remember("thought", step, item["insight"], triple, evidence, score)
        self.state.importance_sum = 0  # thoughts written now do not trigger the next one
        return True


def _keywords(triple: tuple[str, str, str]) -> list[str]:
    return [w for w in (triple[0], triple[2]) if w]
