"""Wrappers for throughput and spending, around any backend.

- :class:`Spread` spreads calls over several endpoints (one backend each: four GPU servers give
  four times the throughput). It picks the endpoint with the fewest calls in flight, of those
  the one that has had the fewest calls. Each has an adaptive limit of calls in flight (AIMD,
  as TCP does): ``max_concurrency`` at first, halved on HTTP 429 or a timeout (once per window:
  calls sent before a halving do not halve it again), grown back by 1/limit on each success,
  so an API with rate limits is respected without a setting. An endpoint that fails
  (connection, timeout, 5xx) is paused, 5 s doubling up to 60 s while it keeps failing; after
  the pause one call at a time probes it until one succeeds. A failed call is marked
  ``elsewhere`` when another endpoint is up, and the retry wrapper then sends it again at once
  instead of waiting: an endpoint gone for good costs one refused call per pause, not a
  stalled run.
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
from . import priority
from .base import Backend, Embeddings, Request, Response
from .retry import TransientError
from .wrapper import Wrapper

COOL_DOWN_S = 5.0  # first pause of an endpoint that failed, doubling while it keeps failing
MAX_COOL_DOWN_S = 60.0


class Endpoint:
    """One backend behind :class:`Spread`: its calls in flight, adaptive limit and health."""

    def __init__(self, backend: Backend, ceiling: int):
        self.backend = backend
        self.ceiling = ceiling
        self.limit = float(ceiling)  # AIMD: halved on 429 or timeout, +1/limit per success
        self.epoch = 0  # bumped at each halving: calls sent before it do not halve it again
        self.in_flight = 0
        self.peak_in_flight = 0
        self.calls = 0
        self.failures = 0  # transient failures in a row; while > 0 one call probes at a time
        self.down_until = 0.0

    def up(self, now: float) -> bool:
        return now >= self.down_until

    def room(self) -> int:
        """Calls it may take now."""
        return (1 if self.failures else max(1, int(self.limit))) - self.in_flight

    def succeeded(self) -> None:
        self.failures = 0
        self.limit = min(float(self.ceiling), self.limit + 1 / self.limit)

    def failed(self, exc: TransientError, epoch: int, now: float) -> None:
        if exc.reason in ("429", "timeout") and epoch == self.epoch:
            self.limit = max(1.0, self.limit / 2)
            self.epoch += 1
        pause = exc.retry_after or 0.0
        if exc.reason != "429":  # a 429 says 'slow down'; the rest say 'this one is unwell'
            self.failures += 1
            pause = max(pause, min(MAX_COOL_DOWN_S, COOL_DOWN_S * 2 ** (self.failures - 1)))
        self.down_until = max(self.down_until, now + pause)


class Spread:
    """Several endpoints, each with an adaptive limit of calls in flight (see module doc)."""

    def __init__(self, backends: list[Backend], max_concurrency: int):
        if not backends:
            raise ValueError("Spread needs at least one backend")
        self.backends = backends
        self.endpoints = [Endpoint(b, max_concurrency) for b in backends]
        self._cond = threading.Condition()
        self._waiting: set[tuple[tuple[int, int], int]] = set()  # (priority key, arrival)
        self._arrivals = itertools.count()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("backends", "endpoints"):
            raise AttributeError(name)
        return getattr(self.backends[0], name)

    @property
    def in_flight(self) -> list[int]:
        return [e.in_flight for e in self.endpoints]

    @property
    def peak_in_flight(self) -> list[int]:
        return [e.peak_in_flight for e in self.endpoints]

    @property
    def calls(self) -> list[int]:
        return [e.calls for e in self.endpoints]

    @property
    def waiting(self) -> int:
        """Calls waiting for a slot."""
        with self._cond:
            return len(self._waiting)

    @property
    def limits(self) -> list[int]:
        """Each endpoint's limit of calls in flight now."""
        return [max(1, int(e.limit)) for e in self.endpoints]

    def _acquire(self) -> tuple[int, int]:
        """An endpoint to send a call to, and its epoch; waits while none has room, or while
        a waiting call of a lower priority key (:mod:`~runner.llm.priority`) may take it."""
        me = (priority.current(), next(self._arrivals))
        with self._cond:
            self._waiting.add(me)
            try:
                return self._admit(me)
            finally:
                self._waiting.discard(me)
                self._cond.notify_all()  # the next in line looks again

    def _admit(self, me: tuple) -> tuple[int, int]:
        n = len(self.endpoints)
        while True:
            now = time.monotonic()
            up = [i for i, e in enumerate(self.endpoints) if e.up(now)]
            pool = up or range(n)  # all paused: the retry's backoff paces the probes
            free = [i for i in pool if self.endpoints[i].room() > 0]
            if free and me == min(self._waiting):
                i = min(free, key=lambda i: (self.endpoints[i].in_flight, self.endpoints[i].calls))
                e = self.endpoints[i]
                e.in_flight += 1
                e.calls += 1
                e.peak_in_flight = max(e.peak_in_flight, e.in_flight)
                return i, e.epoch
            paused = [e.down_until - now for e in self.endpoints if not e.up(now)]
            self._cond.wait(min(paused) if paused else None)

    def _release(self, i: int, epoch: int, failed: TransientError | None) -> None:
        with self._cond:
            e = self.endpoints[i]
            e.in_flight -= 1
            if failed is None:
                e.succeeded()
            else:
                now = time.monotonic()
                e.failed(failed, epoch, now)
                others = (o for j, o in enumerate(self.endpoints) if j != i)
                failed.elsewhere = any(o.up(now) for o in others)
            self._cond.notify_all()

    def _through(self, method: str, arg: Any) -> Any:
        i, epoch = self._acquire()
        failed = None
        try:
            return getattr(self.endpoints[i].backend, method)(arg)
        except TransientError as exc:
            failed = exc
            raise
        finally:
            self._release(i, epoch, failed)

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
