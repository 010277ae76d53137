"""The rows the rest of the runner hands to the store (and gets back): plain typed records.

The agent, the asker and the LLM wrappers make these; only the store turns them into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np


class Frame(NamedTuple):
    """One agent at one step, as the ``frames`` table holds it."""

    step: int
    agent: int
    x: int
    y: int
    action: str
    emoji: str
    address: str
    chat: str | None
    object_event: str | None = None  # what the object the agent uses is doing, while it does


@dataclass
class LLMCall:
    """One question asked (or one embedding request), a row of ``llm_calls``."""

    step: int
    agent: int | None
    kind: str
    backend: str
    model: str | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    cache_hit: int = 0
    attempts: int = 0
    outcome: str = "failsafe"
    reasoning_tokens: int = 0  # of the completion tokens, those the model spent thinking


@dataclass(frozen=True)
class Fault:
    """A failed request that was retried or given up, a row of ``llm_faults`` (with its step)."""

    kind: str
    agent: str | None
    endpoint: str
    reason: str
    message: str


@dataclass(frozen=True)
class CachedAnswer:
    key: str
    kind: str
    model: str | None
    text: str
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class CachedVector:
    key: str
    model: str
    vector: bytes  # float32


@dataclass
class LLMRecords:
    """What the LLM stack has to store at the end of a step."""

    calls: list[LLMCall] = field(default_factory=list)  # embedding requests
    faults: list[Fault] = field(default_factory=list)
    answers: list[CachedAnswer] = field(default_factory=list)  # cache entries not yet committed
    vectors: list[CachedVector] = field(default_factory=list)


@dataclass(frozen=True)
class MemoryRow:
    """One node of an agent's memory stream, a row of ``memories``."""

    agent: int
    node: int
    created_step: int
    kind: str
    subject: str
    predicate: str
    object: str
    description: str
    importance: int
    keywords: list[str]
    evidence: list[int]
    embedding: np.ndarray


@dataclass(frozen=True)
class Spent:
    """Requests and tokens a sim's stored steps sent to a model (cache hits excluded)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0  # the reasoning tokens among them
    reasoning_tokens: int = 0


class Conversation(NamedTuple):
    step_start: int
    step_end: int
    agent_a: int
    agent_b: int
    place: str
    lines: str  # JSON list of [speaker name, line]
