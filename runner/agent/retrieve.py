"""Retrieval: the memories most worth recalling for a query, as in Park et al. 2023.

Every node of the stream is scored at once: recency (exponential decay per game hour since last
access) + importance + relevance (cosine similarity), each min-max normalised and weighted.

The default weights are the original code's effective ones (recency 0.5, relevance 3,
importance 2: its ``gw``). Its recency, though, is ``decay ** rank`` over the nodes sorted by
last access, oldest first, so the least recently used node scores highest; here recency decays
with the game hours since the last access, as the paper describes, so the fresh node is first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .memory import Embed, MemoryStream


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


def retrieve(
    stream: MemoryStream,
    query: np.ndarray,
    step: int,
    steps_per_hour: int,
    k: int = 10,
    weights: RetrievalWeights = RetrievalWeights(),
    touch: bool = True,
) -> list[int]:
    """Ids of the ``k`` best nodes of ``stream`` for ``query`` at ``step``, best first.

    Retrieved nodes get ``step`` as their last access unless ``touch`` is False.
    """
    n = len(stream)
    if n == 0:
        return []
    rate = np.float32(np.log(weights.decay) / steps_per_hour)  # per step since last access
    recency = np.exp((np.float32(step) - stream.last_accesses) * rate)
    relevance = stream.embeddings @ query.astype(np.float32)
    score = (
        weights.recency * _normalise(recency)
        + weights.importance * _normalise(stream.importances)
        + weights.relevance * _normalise(relevance)
    )
    k = min(k, n)
    top = np.argpartition(-score, k - 1)[:k] if k < n else np.arange(n)
    order = top[np.lexsort((top, -score[top]))]  # best first, ties by id: deterministic
    ids = order.tolist()
    if touch:
        stream.touch(ids, step)
    return ids


def distinct(stream: MemoryStream, ids: list[int]) -> list[int]:
    """``ids`` without the nodes whose text an earlier one of them has (the same event
    remembered again later): each memory once, where it ranks best."""
    seen: set[str] = set()
    out = []
    for i in ids:
        text = stream.nodes[i].description
        if text not in seen:
            seen.add(text)
            out.append(i)
    return out


class Retriever:
    """One agent's retrieval: queries embedded through ``embed``, ``top_k`` by default."""

    def __init__(
        self,
        stream: MemoryStream,
        embed: Embed,
        steps_per_hour: int,
        weights: RetrievalWeights,
        top_k: int,
    ):
        self.stream = stream
        self.embed = embed
        self.steps_per_hour = steps_per_hour
        self.weights = weights
        self.top_k = top_k

    def recall(self, query: str, step: int, k: int | None = None) -> list[str]:
        """Descriptions of the memories most worth recalling for ``query``, best first."""
        return self.recall_many([query], step, k)

    def recall_many(self, queries: list[str], step: int, k: int | None = None) -> list[str]:
        """The same for several focal points at once (relevance to their mean embedding)."""
        if not len(self.stream):
            return []
        ids = self._ids(self.embed(queries).mean(axis=0), step, k, True)
        return [self.stream.nodes[i].description for i in ids]

    def recall_ids(self, query: str, step: int, k: int | None = None, touch: bool = True):
        """Ids of the memories most worth recalling for ``query``, best first."""
        return self._ids(self.embed([query])[0], step, k, touch)

    def _ids(self, embedding: np.ndarray, step: int, k: int | None, touch: bool) -> list[int]:
        k = k or self.top_k
        return retrieve(self.stream, embedding, step, self.steps_per_hour, k, self.weights, touch)
