"""The narrow interface every thinking backend implements: ``complete`` and ``embed``.

The engine never talks to a backend directly; it asks questions through
:class:`runner.agent.asking.Asker`, which renders prompts, parses, validates and accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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

    @property
    def prompt(self) -> str:
        from ..prompts.render import render_prompt

        return render_prompt(self.kind, self.lang, self.context)


@dataclass
class Response:
    """A backend's raw answer text with its accounting."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0
    cache_hit: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    """What the agents think through."""

    name: str
    model: str | None
    is_llm: bool

    def complete(self, request: Request) -> Response: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...
