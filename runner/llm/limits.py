"""Wrappers for throughput and spending, around any backend.

- :class:`Spread` spreads calls over several endpoints (one backend each: four GPU servers give
  four times the throughput) and keeps at most ``max_concurrency`` calls in flight per endpoint.
  It picks the endpoint with the fewest calls in flight, skipping for a few seconds one that has
  just failed.
- :class:`EmbedBatcher` merges embedding calls made at the same time (by agents thinking at
  once) into one request: up to ``max_in_flight`` calls go at once; calls that come while that
  many requests are in flight wait for one to end and then go together in one request.
- :class:`Meter` counts what actually reached a model (requests, prompt and completion tokens,
  cost from the scenario's prices) on top of what the sim had spent before, and says when a
  budget (``max_cost``, ``max_calls``, ``max_tokens``) is reached; the engine then stops after
  the current step.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import numpy as np

from ..config import LLM, Prices
from ..store.records import LLMCall, Spent
from .base import Backend, Embeddings, Request, Response
from .retry import TransientError
from .wrapper import Wrapper

COOL_DOWN_S = 5.0  # an endpoint that just failed is used only when no other one is free


class Spread:
    """Several endpoints, each with at most ``max_concurrency`` calls in flight."""

    def __init__(self, backends: list[Backend], max_concurrency: int):
        if not backends:
            raise ValueError("Spread needs at least one backend")
        self.backends = backends
        self.limit = max_concurrency
        self.in_flight = [0] * len(backends)
        self.peak_in_flight = [0] * len(backends)
        self.calls = [0] * len(backends)
        self._down_until = [0.0] * len(backends)
        self._turn = itertools.count()
        self._cond = threading.Condition()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "backends":
            raise AttributeError(name)
        return getattr(self.backends[0], name)

    def _acquire(self) -> int:
        n = len(self.backends)
        with self._cond:
            while True:
                free = [i for i in range(n) if self.in_flight[i] < self.limit]
                if free:
                    now = time.monotonic()
                    up = [i for i in free if self._down_until[i] <= now] or free
                    turn = next(self._turn)
                    i = min(up, key=lambda i: (self.in_flight[i], (i - turn) % n))
                    self.in_flight[i] += 1
                    self.calls[i] += 1
                    self.peak_in_flight[i] = max(self.peak_in_flight[i], self.in_flight[i])
                    return i
                self._cond.wait()

    def _release(self, i: int, failed: TransientError | None) -> None:
        with self._cond:
            self.in_flight[i] -= 1
            if failed is not None:
                pause = max(COOL_DOWN_S, failed.retry_after or 0.0)
                self._down_until[i] = time.monotonic() + pause
            self._cond.notify()

    def _through(self, method: str, arg: Any) -> Any:
        i = self._acquire()
        failed = None
        try:
            return getattr(self.backends[i], method)(arg)
        except TransientError as exc:
            failed = exc
            raise
        finally:
            self._release(i, failed)

    def complete(self, request: Request) -> Response:
        return self._through("complete", request)

    def embed(self, texts: list[str]) -> Embeddings:
        return self._through("embed", texts)


class _Pending:
    def __init__(self, texts: list[str]):
        self.texts = texts
        self.result: Embeddings | None = None
        self.error: BaseException | None = None
        self.done = False


class EmbedBatcher(Wrapper):
    """Concurrent ``embed`` calls merged into one request (see module doc)."""

    def __init__(self, inner: Backend, max_in_flight: int = 4, max_texts: int = 256):
        self.inner = inner
        self.max_in_flight = max_in_flight
        self.max_texts = max_texts
        self._queue: list[_Pending] = []
        self._in_flight = 0
        self._cond = threading.Condition()

    def complete(self, request: Request) -> Response:
        return self.inner.complete(request)

    def embed(self, texts: list[str]) -> Embeddings:
        mine = _Pending(list(texts))
        with self._cond:
            self._queue.append(mine)
        while True:
            with self._cond:
                while not mine.done and self._in_flight >= self.max_in_flight:
                    self._cond.wait()
                if mine.done:
                    return self._result(mine)
                if mine not in self._queue:  # taken by a batch in flight: wait for it
                    self._cond.wait()
                    continue
                self._in_flight += 1  # this thread sends the next batch, oldest calls first
                batch, size = [], 0
                while self._queue and (
                    not batch or size + len(self._queue[0].texts) <= self.max_texts
                ):
                    batch.append(self._queue.pop(0))
                    size += len(batch[-1].texts)
            self._send(batch)

    def _send(self, batch: list[_Pending]) -> None:
        """One request for the whole batch; its cost goes with the first caller's vectors."""
        try:
            got = self.inner.embed([t for p in batch for t in p.texts])
            start = 0
            for i, p in enumerate(batch):
                vectors = np.asarray(got.vectors[start : start + len(p.texts)])
                usage = (got.requests, got.tokens, got.ms) if i == 0 else ()
                p.result = Embeddings(vectors, *usage)
                start += len(p.texts)
        except BaseException as exc:  # every caller in the batch gets the error
            for p in batch:
                p.error = exc
        with self._cond:
            for p in batch:
                p.done = True
            self._in_flight -= 1
            self._cond.notify_all()

    @staticmethod
    def _result(p: _Pending) -> Embeddings:
        if p.error is not None:
            raise p.error
        return p.result


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
        self.completion_tokens = spent.completion_tokens
        self._embed_calls: list[LLMCall] = []
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Response:
        response = self.inner.complete(request)
        with self._lock:
            self.calls += 1
            self.prompt_tokens += response.prompt_tokens
            self.completion_tokens += response.completion_tokens
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
