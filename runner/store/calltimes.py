"""Read-only: the model calls each agent sent at each step, for the critical path of a run
(``benchmarks/day_speed.py``)."""

from __future__ import annotations

from typing import NamedTuple

from .sim import SimStore


class SentCalls(NamedTuple):
    step: int
    agent: int
    requests: int  # requests sent to the model (attempts), cache hits left out
    prompt_tokens: int
    completion_tokens: int


def sent_calls(store: SimStore) -> list[SentCalls]:
    """Per step and agent, the chat requests it sent (not the cache's answers, not embeddings,
    which have no agent, not the requests sent ahead in vain), in step and agent order; a
    request sent ahead for the agent's own question counts where the agent asked it."""
    rows = store.db.execute(
        "SELECT step, agent, sum(attempts), sum(prompt_tokens), sum(completion_tokens)"
        " FROM llm_calls WHERE cache_hit = 0 AND agent IS NOT NULL AND kind != 'embed'"
        " AND outcome != 'ahead'"
        " GROUP BY step, agent ORDER BY step, agent"
    )
    return [SentCalls(*row) for row in rows]
