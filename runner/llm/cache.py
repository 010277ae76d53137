"""The answer cache wrapper: every answer kept under a hash of (backend, model, prompt, params).

The answers live in the sim's ``sim.sqlite`` (the store's :class:`runner.store.AnswerBook`,
tables ``llm_cache`` and ``llm_embed_cache``), so a resumed, re-run or forked sim asks nothing
twice. The key hashes the backend name, the model, the kind, the rendered prompt, the answer
schema, the attempt number (a retry after a malformed answer is a new question) and the
sampling parameters (temperature, structured-output mode).

An answer is committed the moment it arrives, outside the step's transaction (the store's
module doc says why). When the book cannot take it at once (the database is locked), the entry
waits here, is served from here, and goes to the store with the step's records
(:meth:`Cache.take_pending`); nothing is lost either way.

A question asked while the same one is on its way waits for that answer instead of asking
again. An answer asked by a copy of an agent thinking ahead (:mod:`runner.thinkahead`) is kept
for the agent: its own question, once asked, gets that response as its own (sent, with its
tokens); one no agent asks for is an ``ahead`` row of ``llm_calls`` (:meth:`Cache.unclaimed`).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import Protocol

import numpy as np

from ..store.records import CachedAnswer, CachedVector, LLMCall
from . import priority
from .base import Backend, Embeddings, Request, Response
from .wrapper import Wrapper


class Book(Protocol):
    """Where answers are kept (:class:`runner.store.AnswerBook`)."""

    def answer(self, key: str) -> CachedAnswer | None: ...

    def put_answer(self, answer: CachedAnswer) -> bool: ...

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]: ...

    def put_vectors(self, vectors: list[CachedVector]) -> bool: ...

    def close(self) -> None: ...


def answer_key(backend: str, model: str | None, request: Request, params: dict) -> str:
    blob = json.dumps(
        [
            backend,
            model,
            request.kind,
            request.prompt,
            request.schema,
            request.attempt,
            params,
        ],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def embed_key(backend: str, model: str, text: str) -> str:
    return hashlib.sha256(json.dumps([backend, model, text]).encode("utf-8")).hexdigest()


class Cache(Wrapper):
    """Answers from the book when it has them; new answers go into it."""

    def __init__(self, inner: Backend, book: Book, params: dict):
        self.inner = inner
        self.book = book
        self.params = params
        self.hits = 0
        self.claimed = 0  # questions answered by a request sent ahead for them
        self._answers: dict[str, CachedAnswer] = {}  # not yet committed
        self._vectors: dict[str, CachedVector] = {}
        self._flying: dict[str, threading.Event] = {}  # asked, not answered yet
        self._ahead: dict[str, tuple[Response, tuple[int, int], str]] = {}  # sent ahead
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Response:
        began = time.perf_counter()
        key = answer_key(self.inner.name, self.inner.model, request, self.params)
        ahead = priority.thinking_ahead()
        with self._lock:
            claimed = None if ahead else self._ahead.pop(key, None)
            found = self._answers.get(key)
        if claimed is not None:  # the request sent ahead for this very question
            with self._lock:
                self.claimed += 1
            return claimed[0]
        found = found or self.book.answer(key)
        if found is not None:
            with self._lock:
                self.hits += 1
            return Response(
                found.text,
                latency_ms=(time.perf_counter() - began) * 1000,
                cache_hit=True,
                extra={"cached_tokens": [found.prompt_tokens, found.completion_tokens]},
            )
        with self._lock:
            flying = self._flying.get(key)
            if flying is None:
                self._flying[key] = threading.Event()
        if flying is not None:  # asked already and not answered yet: that answer, once
            flying.wait()
            return self.complete(request)
        try:
            return self._ask(key, request, ahead)
        finally:
            with self._lock:
                self._flying.pop(key).set()

    def _ask(self, key: str, request: Request, ahead: bool) -> Response:
        """Send ``request`` and keep its answer (a copy thinking ahead: kept for the agent)."""
        response = self.inner.complete(request)
        if response.text and not response.extra.get("error"):
            answer = CachedAnswer(
                key,
                request.kind,
                self.inner.model,
                response.text,
                response.prompt_tokens,
                response.completion_tokens,
            )
            with self._lock:
                if ahead:
                    self._ahead[key] = (response, priority.current(), request.kind)
            if not self.book.put_answer(answer):
                with self._lock:
                    self._answers[key] = answer
        return response

    def unclaimed(self, upto: int) -> list[LLMCall]:
        """The requests sent ahead for steps up to ``upto`` that no agent asked for in the end
        (``llm_calls`` rows of outcome ``ahead``: they reached the model, in vain)."""
        with self._lock:
            keys = [k for k, (_, (step, _), _) in self._ahead.items() if step <= upto]
            gone = [self._ahead.pop(k) for k in keys]
        return [
            LLMCall(
                step,
                agent,
                kind,
                self.inner.name,
                self.inner.model,
                r.prompt_tokens,
                r.completion_tokens,
                r.latency_ms,
                0,
                1,
                "ahead",
                r.reasoning_tokens,
            )  # fmt: skip
            for r, (step, agent), kind in gone
        ]

    def embed(self, texts: list[str]) -> Embeddings:
        model = self.inner.embed_model
        if not model:  # computed in process (hashed n-grams): nothing to save
            return self.inner.embed(texts)
        keys = [embed_key(self.inner.name, model, t) for t in texts]
        with self._lock:
            found = {
                k: np.frombuffer(self._vectors[k].vector, np.float32)
                for k in keys
                if k in self._vectors
            }
        found.update(self.book.vectors([k for k in keys if k not in found]))
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in found:
                missing.setdefault(key, text)
        with self._lock:
            self.hits += len(texts) - len(missing)
        fresh = Embeddings(np.zeros((0, 0), dtype=np.float32))
        if missing:
            fresh = self.inner.embed(list(missing.values()))
            new = dict(zip(missing, np.asarray(fresh.vectors, dtype=np.float32)))
            rows = [CachedVector(k, model, v.tobytes()) for k, v in new.items()]
            if not self.book.put_vectors(rows):
                with self._lock:
                    self._vectors.update((r.key, r) for r in rows)
            found.update(new)
        vectors = (
            np.stack([found[k] for k in keys]).astype(np.float32)
            if texts
            else np.zeros((0, 0), dtype=np.float32)
        )
        return Embeddings(vectors, fresh.requests, fresh.tokens, fresh.ms)

    def close(self) -> None:
        self.book.close()
        self.inner.close()

    def take_pending(self) -> tuple[list[CachedAnswer], list[CachedVector]]:
        """Entries the book could not take at once, for the step's transaction."""
        with self._lock:
            answers, self._answers = list(self._answers.values()), {}
            vectors, self._vectors = list(self._vectors.values()), {}
        return answers, vectors
