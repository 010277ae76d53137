"""Embedding calls made at the same time (by agents thinking at once) merged into one request.

Up to ``max_in_flight`` calls go at once; calls that come while that many requests are in
flight wait for one to end and then go together in one request.
"""

from __future__ import annotations

import threading

import numpy as np

from .base import Backend, Embeddings, Request, Response
from .wrapper import Wrapper


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
