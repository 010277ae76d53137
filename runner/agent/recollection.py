"""Questions put to an agent outside the steps (``rw-batch interview``, ``rw-batch eval``).

The agent answers from its memory stream as it was after a step: the memories retrieved for
the question (as the agent retrieves them, without marking them accessed), numbered in the
prompt, so that an answer can cite them. Nothing is written. A long activity is remembered
again every so often (:mod:`runner.agent.perceive`), so the stream holds the same text in
several nodes: the memories shown hold each text once (its best-scored node).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..store.records import MemoryRow
from .asker import Asker
from .memory import MemoryStream
from .retrieve import RetrievalWeights, distinct, retrieve


@dataclass(frozen=True)
class Recollection:
    """One agent's memories after ``step``: its stream and each entry's stored node id."""

    index: int
    persona: dict
    stream: MemoryStream
    nodes: list[int]
    step: int

    @classmethod
    def from_rows(
        cls,
        index: int,
        persona: dict,
        rows: list[MemoryRow],
        accesses: dict[int, int],
        step: int,
        dim: int,
    ) -> Recollection:
        """From the store's rows of the memories created up to ``step`` (in node order) and
        the last access of each node."""
        stream = MemoryStream.from_rows(dim, rows, accesses)
        return cls(index, persona, stream, [r.node for r in rows], step)

    @property
    def name(self) -> str:
        return self.persona["name"]

    def texts(self) -> list[str]:
        return [node.description for node in self.stream.nodes]

    def recall(
        self, query: np.ndarray, steps_per_hour: int, k: int, weights: RetrievalWeights
    ) -> list[int]:
        """Stream indices of the ``k`` memories best for ``query``, best first, no text
        twice."""
        ranked = retrieve(
            self.stream, query, self.step, steps_per_hour, len(self.stream), weights, touch=False
        )
        return distinct(self.stream, ranked)[:k]


def persona_of_the_day(persona: dict, index: int, days: list[tuple]) -> dict:
    """The persona with the ``currently`` of the agent's latest stored day (store ``days``
    rows: agent, date, currently, plan), as the agent itself saw it that day."""
    mine = [d for d in days if d[0] == index]
    return {**persona, "currently": mine[-1][2]} if mine else persona


def ask_from_memory(
    asker: Asker,
    kind: str,
    memory: Recollection,
    shown: list[int],
    context: dict[str, Any],
) -> Any:
    """Ask ``kind`` with the memories ``shown`` (stream indices, best first) as the context's
    numbered ``memories``; an answer's ``cited`` numbers become stored node ids."""
    texts = [memory.stream.nodes[i].description for i in shown]
    context = {"name": memory.name, "persona": memory.persona, **context, "memories": texts}
    value = asker.ask(kind, context, memory.step, memory.index)
    if isinstance(value, dict) and "cited" in value:
        value = {**value, "cited": [memory.nodes[shown[n - 1]] for n in value["cited"]]}
    return value
