"""Calls spread over several endpoints (one backend each: four GPU servers give four times the
throughput), each with an adaptive limit of calls in flight.

:class:`Spread` picks the endpoint with the fewest calls in flight, of those the one that has had
the fewest calls. Each has an adaptive limit of calls in flight (AIMD, as TCP does):
``max_concurrency`` at first, halved on HTTP 429 or a timeout (once per window: calls sent before
a halving do not halve it again), grown back by 1/limit on each success, so an API with rate
limits is respected without a setting. An endpoint that fails (connection, timeout, 5xx) is
paused, 5 s doubling up to 60 s while it keeps failing; after the pause one call at a time probes
it until one succeeds. A failed call is marked ``elsewhere`` when another endpoint is up, and the
retry wrapper then sends it again at once instead of waiting: an endpoint gone for good costs one
refused call per pause, not a stalled run.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from . import priority
from .base import Backend, Embeddings, Request, Response
from .retry import TransientError

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

    # the endpoints serve one model: the declared attributes are the first one's
    @property
    def name(self) -> str:
        return self.backends[0].name

    @property
    def model(self) -> str | None:
        return self.backends[0].model

    @property
    def is_llm(self) -> bool:
        return self.backends[0].is_llm

    @property
    def serial(self) -> bool:
        return self.backends[0].serial

    @property
    def embed_model(self) -> str | None:
        return self.backends[0].embed_model

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
    def limits(self) -> list[int]:
        """Each endpoint's limit of calls in flight now."""
        return [max(1, int(e.limit)) for e in self.endpoints]

    @property
    def waiting(self) -> int:
        """Calls waiting for a slot."""
        with self._cond:
            return len(self._waiting)

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

    def close(self) -> None:
        for backend in self.backends:
            backend.close()
