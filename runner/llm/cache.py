"""The answer cache: every answer stored under a hash of (backend, model, prompt, parameters).

It lives in two tables of the sim's ``sim.sqlite`` (``llm_cache`` for answers,
``llm_embed_cache`` for embedding vectors), so a resumed, re-run or forked sim (a copy of the
file) asks nothing twice. The key hashes the backend name, the model, the kind, the rendered
prompt, the answer schema, the attempt number (a retry after a malformed answer is a new
question) and the sampling parameters (temperature, structured-output mode).

**Why the cache writes outside the step's transaction.** The one-transaction-per-step rule keeps
the *sim state* consistent: a step is stored whole or not at all. The cache is not sim state: it
is a memo of answers, keyed by content, never by step. So an answer is committed the moment it
arrives, through the cache's own connection (WAL lets it write between the engine's step
transactions). A run killed in the middle of a step thus keeps every answer it paid for, and the
resumed step gets the very same answers back (with a sampling model too), so the resumed run is
the run that would have been. If that write cannot get the database lock (another writer holds
it), the entry waits in memory and the engine writes it inside the next step's transaction
(:meth:`AnswerStore.flush`); nothing is lost either way.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .base import Backend, Request, Response
from .wrapper import Wrapper

TABLES = """
CREATE TABLE IF NOT EXISTS llm_cache (
    key TEXT PRIMARY KEY, kind TEXT NOT NULL, model TEXT, response TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL DEFAULT 0, completion_tokens INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS llm_embed_cache (
    key TEXT PRIMARY KEY, model TEXT, vector BLOB NOT NULL) WITHOUT ROWID;
"""


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


@dataclass
class Answer:
    kind: str
    model: str | None
    text: str
    prompt_tokens: int
    completion_tokens: int


class AnswerStore:
    """The two cache tables, reached through a connection of their own (see module doc)."""

    def __init__(self, path: Path | str | None):
        target = str(path) if path is not None else ":memory:"
        self.db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA busy_timeout=2000")
        self.db.executescript(TABLES)
        self._lock = threading.Lock()
        self._answers: dict[str, Answer] = {}  # not yet committed
        self._vectors: dict[str, tuple[str, bytes]] = {}

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def get(self, key: str) -> Answer | None:
        with self._lock:
            if key in self._answers:
                return self._answers[key]
            row = self.db.execute(
                "SELECT kind, model, response, prompt_tokens, completion_tokens FROM llm_cache"
                " WHERE key = ?",
                (key,),
            ).fetchone()
        return Answer(*row) if row else None

    def put(self, key: str, answer: Answer) -> None:
        row = (
            key,
            answer.kind,
            answer.model,
            answer.text,
            answer.prompt_tokens,
            answer.completion_tokens,
            time.strftime("%Y-%m-%d %H:%M:%S"),
        )
        with self._lock:
            try:
                self.db.execute("INSERT OR IGNORE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?, ?)", row)
            except sqlite3.OperationalError:
                self._answers[key] = answer

    def get_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for key in keys:
                if key in self._vectors:
                    found[key] = np.frombuffer(self._vectors[key][1], dtype=np.float32)
                    continue
                row = self.db.execute(
                    "SELECT vector FROM llm_embed_cache WHERE key = ?", (key,)
                ).fetchone()
                if row:
                    found[key] = np.frombuffer(row[0], dtype=np.float32)
        return found

    def put_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        rows = [(k, model, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
        with self._lock:
            try:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR IGNORE INTO llm_embed_cache VALUES (?, ?, ?)", rows)
                self.db.execute("COMMIT")
            except sqlite3.OperationalError:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                self._vectors.update({k: (m, blob) for k, m, blob in rows})

    def flush(self, db: sqlite3.Connection) -> int:
        """Write entries that could not be committed at once, through ``db`` (the step's
        transaction); returns how many."""
        with self._lock:
            answers, self._answers = self._answers, {}
            vectors, self._vectors = self._vectors, {}
        db.executemany(
            "INSERT OR IGNORE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (k, a.kind, a.model, a.text, a.prompt_tokens, a.completion_tokens, "")
                for k, a in answers.items()
            ],
        )
        db.executemany(
            "INSERT OR IGNORE INTO llm_embed_cache VALUES (?, ?, ?)",
            [(k, m, blob) for k, (m, blob) in vectors.items()],
        )
        return len(answers) + len(vectors)


class Cache(Wrapper):
    """Answers from the store when it has them; new answers go into it."""

    def __init__(self, inner: Backend, answers: AnswerStore, params: dict):
        self.inner = inner
        self.answers = answers
        self.params = params
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Response:
        began = time.perf_counter()
        key = answer_key(self.inner.name, self.inner.model, request, self.params)
        found = self.answers.get(key)
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
            self.misses += 1
        response = self.inner.complete(request)
        if response.text and not response.extra.get("error"):
            self.answers.put(
                key,
                Answer(
                    request.kind,
                    self.inner.model,
                    response.text,
                    response.prompt_tokens,
                    response.completion_tokens,
                ),
            )
        return response

    def embed(self, texts: list[str]) -> np.ndarray:
        model = getattr(self.inner, "embed_model", None)
        if not model:  # computed here (hashed n-grams): nothing to save
            return self.inner.embed(texts)
        keys = [embed_key(self.inner.name, model, t) for t in texts]
        found = self.answers.get_vectors(keys)
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in found:
                missing.setdefault(key, text)
        with self._lock:
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
        if missing:
            vectors = self.inner.embed(list(missing.values()))
            new = dict(zip(missing, np.asarray(vectors, dtype=np.float32)))
            self.answers.put_vectors(model, new)
            found.update(new)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)
