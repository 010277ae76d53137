"""Ask a backend one kind of question: parse, validate, retry, fall back, account.

A malformed answer is retried up to ``retries`` times, then replaced by the kind's fail-safe;
the run always goes on. Every question becomes one record for the ``llm_calls`` table.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import numpy as np

from ..llm import priority
from ..llm.base import Backend, Request
from ..prompts.kinds import KINDS
from ..store.records import LLMCall


def parse_json(text: str) -> Any:
    """The first JSON value in ``text`` (models like to wrap JSON in prose or code fences)."""
    text = text.strip()
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        raise ValueError("no JSON in the answer")
    value, _ = json.JSONDecoder().raw_decode(text[start:])
    return value


class Asker:
    """Turns (kind, context) into a validated value through one backend."""

    def __init__(self, backend: Backend, lang: str, retries: int = 2):
        self.backend = backend
        self.lang = lang
        self.retries = retries
        self._records: list[LLMCall] = []
        self._lock = threading.Lock()

    def ask(self, kind: str, context: dict[str, Any], step: int, agent: int | None) -> Any:
        spec = KINDS[kind]
        context = {**context, "lang": self.lang}
        options = context.get("options")
        if spec.picks_option and options and len(options) == 1:
            return spec.validate({"choice": options[0]}, context)  # one option: nothing to ask
        record = LLMCall(step, agent, kind, self.backend.name, self.backend.model)
        value = None
        for attempt in range(self.retries + 1):
            request = Request(
                kind, self.lang, context, spec.schema, agent=context.get("name"), attempt=attempt
            )
            began = time.perf_counter()
            with priority.asking(step, agent):  # the agent furthest behind goes first
                response = self.backend.complete(request)
            record.latency_ms += response.latency_ms or (time.perf_counter() - began) * 1000
            record.prompt_tokens += response.prompt_tokens
            record.completion_tokens += response.completion_tokens
            record.reasoning_tokens += response.reasoning_tokens
            record.cache_hit = int(response.cache_hit)
            record.attempts = attempt + 1
            try:
                value = spec.validate(parse_json(response.text), context)
            except (ValueError, KeyError, TypeError):
                continue
            record.outcome = "ok"
            break
        if record.outcome != "ok":
            value = spec.failsafe(context)
        with self._lock:
            self._records.append(record)
        return value

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` (one row each) from the backend."""
        return self.backend.embed(texts).vectors

    def take_records(self) -> list[LLMCall]:
        """The records since the last call, in a stable order (by agent, then kind)."""
        with self._lock:
            records, self._records = self._records, []
        return sorted(records, key=lambda r: r.agent if r.agent is not None else -1)
