"""The memory stream: every event, thought and chat an agent has, and retrieval over it.

Nodes live in numpy arrays (embeddings, importance, created and last-access steps) so that
retrieval scores all of them at once: recency (exponential decay per game hour since last
access) + importance + relevance (cosine similarity), each min-max normalised and weighted, as in
Park et al. 2023. Text and triples live in a parallel list.

The default weights are the original code's effective ones (recency 0.5, relevance 3,
importance 2: its ``gw``). Its recency, though, is ``decay ** rank`` over the nodes sorted by
last access, oldest first, so the least recently used node scores highest; here recency decays
with the game hours since the last access, as the paper describes, so the fresh node is first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..store.records import MemoryRow

KINDS = ("event", "thought", "chat")


@dataclass
class Node:
    kind: str
    created: int  # step
    description: str
    importance: int
    triple: tuple[str, str, str] = ("", "", "")
    keywords: list[str] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class RetrievalWeights:
    recency: float = 0.5
    importance: float = 2.0
    relevance: float = 3.0
    decay: float = 0.995  # per game hour since last access


def _normalise(values: np.ndarray) -> np.ndarray:
    low, high = values.min(), values.max()
    if high - low < 1e-9:
        return np.full_like(values, 0.5)
    return (values - low) * np.float32(1.0 / (high - low))


class MemoryStream:
    """One agent's memories. ``pending`` holds nodes and accesses not yet in the store."""

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

    def retrieve(
        self,
        query: np.ndarray,
        step: int,
        steps_per_hour: int,
        k: int = 10,
        weights: RetrievalWeights = RetrievalWeights(),
        touch: bool = True,
    ) -> list[int]:
        """Ids of the ``k`` best nodes for ``query`` at ``step``, best first.

        Retrieved nodes get ``step`` as their last access unless ``touch`` is False.
        """
        n = len(self.nodes)
        if n == 0:
            return []
        rate = np.float32(np.log(weights.decay) / steps_per_hour)  # per step since last access
        recency = np.exp((np.float32(step) - self._last_access[:n]) * rate)
        relevance = self._emb[:n] @ query.astype(np.float32)
        score = (
            weights.recency * _normalise(recency)
            + weights.importance * _normalise(self._importance[:n])
            + weights.relevance * _normalise(relevance)
        )
        k = min(k, n)
        top = np.argpartition(-score, k - 1)[:k] if k < n else np.arange(n)
        order = top[np.lexsort((top, -score[top]))]  # best first, ties by id: deterministic
        ids = order.tolist()
        if touch:
            self._last_access[order] = step
            self.accesses.extend((i, step) for i in ids)
        return ids

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

    def add_rows(self, rows: list[MemoryRow], last_access: dict[int, int] | None = None) -> None:
        """Append stored rows (the next nodes, in order), as they were stored."""
        for r in rows:
            triple = (r.subject, r.predicate, r.object)
            n = Node(
                r.kind, r.created_step, r.description, r.importance, triple, r.keywords, r.evidence
            )
            self.add(n, r.embedding, (last_access or {}).get(r.node, r.created_step), record=False)
