"""Requests, tokens and cost that reached a model, and the budgets.

:class:`Meter` counts what actually reached a model (requests, prompt and completion tokens,
the reasoning tokens among them, cost from the scenario's prices) on top of what the sim had
spent before, and says when a budget (``max_cost``, ``max_calls``, ``max_tokens``) is reached;
the engine then stops after the current step. An answer from the cache reached no model and is
not counted, wherever the meter sits.
"""

from __future__ import annotations

import threading
import time

from ..config import LLM, Prices
from ..store.records import LLMCall, Spent
from .base import Backend, Embeddings, Request, Response
from .wrapper import Wrapper


def cost_of(prompt_tokens: float, completion_tokens: float, prices: Prices) -> float:
    """Cost in the scenario's currency from ``llm.price_per_1k``."""
    return (prompt_tokens * prices.prompt + completion_tokens * prices.completion) / 1000


class Meter(Wrapper):
    """Counts requests, tokens and cost that reached the inner backend; checks budgets.

    ``spent`` is what the sim had spent before this process (from its ``llm_calls`` rows).
    Requests to an embedding endpoint count as calls, their tokens priced at the prompt price;
    embeddings computed in process (hashed n-grams, llama.cpp) count as nothing.
    """

    def __init__(self, inner: Backend, llm: LLM, spent: Spent | None = None):
        self.inner = inner
        spent = spent or Spent()
        self.prices = llm.price_per_1k
        self.budget = {k: getattr(llm, k) for k in ("max_cost", "max_calls", "max_tokens")}
        self.calls = spent.calls
        self.prompt_tokens = spent.prompt_tokens
        self.completion_tokens = spent.completion_tokens  # the reasoning tokens among them
        self.reasoning_tokens = spent.reasoning_tokens
        self._embed_calls: list[LLMCall] = []
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Response:
        response = self.inner.complete(request)
        if response.cache_hit:  # reached no model
            return response
        with self._lock:
            self.calls += 1
            self.prompt_tokens += response.prompt_tokens
            self.completion_tokens += response.completion_tokens
            self.reasoning_tokens += response.reasoning_tokens
        return response

    def embed(self, texts: list[str]) -> Embeddings:
        began = time.perf_counter()
        got = self.inner.embed(texts)
        if not got.requests:  # computed in process (hashed n-grams, llama.cpp), or cached
            return got
        call = LLMCall(
            step=-1,  # set when the step's records are taken
            agent=None,
            kind="embed",
            backend=self.inner.name,
            model=self.inner.embed_model,
            prompt_tokens=got.tokens,
            latency_ms=got.ms or (time.perf_counter() - began) * 1000,
            attempts=got.requests,
            outcome="ok",
        )
        with self._lock:
            self.calls += got.requests
            self.prompt_tokens += got.tokens
            self._embed_calls.append(call)
        return got

    def take_embed_calls(self, step: int) -> list[LLMCall]:
        """The embedding requests since the last call, as ``llm_calls`` rows of ``step``."""
        with self._lock:
            calls, self._embed_calls = self._embed_calls, []
        for call in calls:
            call.step = step
        return calls

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def cost(self) -> float:
        return cost_of(self.prompt_tokens, self.completion_tokens, self.prices)

    def over_budget(self) -> str | None:
        """Why the run must stop, or None while every budget holds."""
        spent = {"max_cost": self.cost, "max_calls": self.calls, "max_tokens": self.tokens}
        for key, limit in self.budget.items():
            if limit is not None and spent[key] >= limit:
                shown = f"{spent[key]:.4f}" if key == "max_cost" else f"{spent[key]}"
                return f"budget reached: llm.{key} is {limit}, spent {shown}"
        return None
