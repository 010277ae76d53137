"""The memory stream: every event, thought and chat an agent has, each with its importance.

Nodes live in numpy arrays (embeddings, importance, created and last-access steps) so that
retrieval (:mod:`runner.agent.retrieve`) scores all of them at once; text and triples live in a
parallel list. :class:`Memory` is the component that writes into the stream: it judges each new
memory's importance (asked once per description) and holds the events noted and not stored yet
(``noted``, its part of the agent's state), which wait to be judged together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..store.records import MemoryRow

KINDS = ("event", "thought", "chat")
PLANS, REMEMBERS, CHATS = "plans", "remembers", "chat with"  # predicates of a talk's triples
NOTED_BATCH = 16  # events waiting for their importance: judged together at this many
NOTED_WAIT_MINUTES = 30  # or when the oldest has waited this long (game time)

Ask = Callable[..., Any]  # ask(kind, step, **context) -> the validated answer
Embed = Callable[[list[str]], np.ndarray]


@dataclass
class Node:
    kind: str
    created: int  # step
    description: str
    importance: int
    triple: tuple[str, str, str] = ("", "", "")
    keywords: list[str] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)


class MemoryStream:
    """One agent's memories. ``new_nodes`` and ``accesses`` are not in the store yet."""

    def __init__(self, dim: int, capacity: int = 256):
        self.dim = dim
        self.nodes: list[Node] = []
        self._emb = np.zeros((capacity, dim), dtype=np.float32)
        self._importance = np.zeros(capacity, dtype=np.float32)
        self._last_access = np.zeros(capacity, dtype=np.float32)
        self._kind = np.zeros(capacity, dtype=np.int8)
        self.new_nodes: list[int] = []
        self.accesses: list[tuple[int, int]] = []  # (node, step)

    def __len__(self) -> int:
        return len(self.nodes)

    def _grow(self) -> None:
        size = 2 * len(self._importance)
        self._emb = np.resize(self._emb, (size, self.dim))
        for name in ("_importance", "_last_access", "_kind"):
            setattr(self, name, np.resize(getattr(self, name), size))

    def add(
        self, node: Node, embedding: np.ndarray, last_access: int | None = None, record: bool = True
    ) -> int:
        """Append a node; returns its id (its index in this agent's stream)."""
        i = len(self.nodes)
        if i == len(self._importance):
            self._grow()
        self.nodes.append(node)
        self._emb[i] = embedding
        self._importance[i] = node.importance
        self._last_access[i] = node.created if last_access is None else last_access
        self._kind[i] = KINDS.index(node.kind)
        if record:
            self.new_nodes.append(i)
        return i

    # --- what retrieval scores (views of the nodes so far) ---------------------------------
    @property
    def embeddings(self) -> np.ndarray:
        return self._emb[: len(self.nodes)]

    @property
    def importances(self) -> np.ndarray:
        return self._importance[: len(self.nodes)]

    @property
    def last_accesses(self) -> np.ndarray:
        return self._last_access[: len(self.nodes)]

    def touch(self, ids: list[int], step: int) -> None:
        """Mark the nodes ``ids`` accessed at ``step`` (recorded for the store)."""
        self._last_access[ids] = step
        self.accesses.extend((i, step) for i in ids)

    def recent(self, count: int, kinds: tuple[str, ...] = KINDS) -> list[int]:
        """Ids of the latest ``count`` nodes of the given kinds, oldest first."""
        wanted = [KINDS.index(k) for k in kinds]
        ids = np.nonzero(np.isin(self._kind[: len(self.nodes)], wanted))[0]
        return ids[-count:].tolist()

    def last_about(self, name: str, kind: str, predicate: str) -> Node | None:
        """The latest node of ``kind`` whose triple is (…, ``predicate``, ``name``)."""
        for i in reversed(self.recent(len(self.nodes), (kind,))):
            if self.nodes[i].triple[1:] == (predicate, name):
                return self.nodes[i]
        return None

    def take_pending(self) -> tuple[list[int], list[tuple[int, int]]]:
        """The ids of the nodes added and the (node, step) accesses since the last call."""
        nodes, accesses = self.new_nodes, self.accesses
        self.new_nodes, self.accesses = [], []
        return nodes, accesses

    # --- rows for the store ----------------------------------------------------------------
    def row(self, agent: int, i: int) -> MemoryRow:
        return self.node_row(agent, i, self.nodes[i], self._emb[i])

    @staticmethod
    def node_row(agent: int, node_id: int, n: Node, embedding: np.ndarray) -> MemoryRow:
        return MemoryRow(
            agent,
            node_id,
            n.created,
            n.kind,
            *n.triple,
            n.description,
            n.importance,
            n.keywords,
            n.evidence,
            embedding,
        )

    @classmethod
    def from_rows(
        cls, dim: int, rows: list[MemoryRow], last_access: dict[int, int]
    ) -> MemoryStream:
        """Rebuild from the stored rows (ordered by node) and the last access per node."""
        stream = cls(dim, capacity=max(256, len(rows)))
        stream.add_rows(rows, last_access)
        return stream

    def copy(self) -> MemoryStream:
        """The same memories in arrays of its own, with nothing pending (a copy that thinks
        ahead: :mod:`runner.thinkahead`). Nodes are never changed once added, so shared."""
        other = MemoryStream(self.dim, capacity=len(self._importance))
        other.nodes = list(self.nodes)
        for name in ("_emb", "_importance", "_last_access", "_kind"):
            setattr(other, name, getattr(self, name).copy())
        return other

    def add_rows(self, rows: list[MemoryRow], last_access: dict[int, int] | None = None) -> None:
        """Append stored rows (the next nodes, in order), as they were stored."""
        for r in rows:
            triple = (r.subject, r.predicate, r.object)
            n = Node(
                r.kind, r.created_step, r.description, r.importance, triple, r.keywords, r.evidence
            )
            self.add(n, r.embedding, (last_access or {}).get(r.node, r.created_step), record=False)


def _keywords(triple: tuple[str, str, str]) -> list[str]:
    return [w for w in (triple[0], triple[2]) if w]


@dataclass
class MemoryState:
    """The memory's part of the agent's state: events seen and not stored yet, each as
    [text, triple, importance or None, step], waiting for their importance."""

    noted: list[list] = field(default_factory=list)


class Memory:
    """Writes one agent's stream: asks importance through ``ask`` (with the persona that
    ``persona`` returns), embeds through ``embed``; each stored memory's text and importance
    go to the ``listeners`` (the reflection's count, the spatial memory's places)."""

    def __init__(
        self,
        stream: MemoryStream,
        state: MemoryState,
        ask: Ask,
        embed: Embed,
        persona: Callable[[], dict],
        steps_per_hour: int,
        observe: bool = True,
    ):
        self.stream = stream
        self.state = state
        self.ask = ask
        self.embed = embed
        self.persona = persona
        self.observing = observe
        self.wait = NOTED_WAIT_MINUTES * steps_per_hour // 60
        self.listeners: list[Callable[[str, int], object]] = []
        # importance already judged, by description: a repeated event is not asked again
        self._judged = {n.description: n.importance for n in stream.nodes}

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
        description); returns its id."""
        if importance is None:
            importance = self.judge(step, [(kind, description)])[0]
        self._judged[description] = importance
        embedding = self.embed([description])[0]
        node = Node(kind, step, description, importance, triple, _keywords(triple), evidence or [])
        for listener in self.listeners:
            listener(description, importance)
        return self.stream.add(node, embedding)

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
                persona=self.persona(),
                memory_kind=kind,
                description=description,
            )
        elif todo:
            memories = [{"kind": k, "description": d} for d, k in todo.items()]
            scores = self.ask("importances", step, persona=self.persona(), memories=memories)
            self._judged.update(zip(todo, scores))
        if todo:
            self._store_noted(step)
        return [self._judged[d] for _, d in items]

    def observe(self, step: int, text: str, triple: tuple, importance: int | None = None) -> None:
        """Note an event seen (one's own action too, with the importance its question gave),
        stored by ``settle``; nothing with ``mind.observe`` off."""
        if self.observing:
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
