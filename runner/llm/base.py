"""The narrow interface every thinking backend implements: ``complete`` and ``embed``.

The engine never talks to a backend directly; it asks questions through
:class:`runner.agent.asking.Asker`, which renders prompts, parses, validates and accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class Request:
    """One question of a known ``kind``.

    ``context`` holds the facts the prompt is made from (persona, options, time …); LLM
    backends read ``prompt`` (rendered from the kind's template), a rule-based policy may read
    ``context`` directly. ``schema`` is the JSON schema of the expected answer.
    """

    kind: str
    lang: str
    context: dict[str, Any]
    schema: dict[str, Any]
    agent: str | None = None
    attempt: int = 0

    @cached_property
    def prompt(self) -> str:
        """Rendered once: the cache's key and the backend's message both read it."""
        from ..prompts.render import render_prompt

        return render_prompt(self.kind, self.lang, self.context)


@dataclass
class Response:
    """A backend's answer text (a thinking model's thinking taken out) with its accounting:
    ``completion_tokens`` counts every token the model wrote, ``reasoning_tokens`` of them
    thinking."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    cache_hit: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    reasoning_tokens: int = 0


@dataclass
class Embeddings:
    """Embedding vectors (one row per text) and what they cost: ``requests`` sent to an
    embedding endpoint, their ``tokens`` and time. Vectors computed in process (hashed n-grams,
    llama.cpp) cost no request. Every wrapper passes the usage on explicitly."""

    vectors: np.ndarray
    requests: int = 0
    tokens: int = 0
    ms: float = 0.0
    endpoint: str = ""  # the endpoint that answered, when a request was sent


class Backend(Protocol):
    """What the agents think through; a wrapper has these members too (``wrapper.py``)."""

    name: str
    model: str | None
    is_llm: bool
    serial: bool  # answers one question at a time: agents take turns (local models)
    embed_model: str | None  # the model of embeddings that are requests (None: computed here)

    def complete(self, request: Request) -> Response: ...

    def embed(self, texts: list[str]) -> Embeddings: ...

    def close(self) -> None: ...
