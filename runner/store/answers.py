"""The answer cache tables (``llm_cache``, ``llm_embed_cache``), through a connection of their own.

**Why outside the step's transaction.** The one-transaction-per-step rule keeps the *sim state*
consistent. The cache is not sim state: it is a memo of answers keyed by content, never by
step. So an answer is committed the moment it arrives, through this autocommit connection (WAL
lets it write between the engine's step transactions): a run killed in the middle of a step
keeps every answer it paid for, and the resumed step gets the same answers back. When the write
cannot get the database lock, ``put_*`` returns False; the cache wrapper then hands the entry
to the engine, which stores it inside the next step's transaction (:meth:`SimStore.add_llm`).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import numpy as np

from .records import CachedAnswer, CachedVector
from .schema import CACHE_TABLES, create_tables


class AnswerBook:
    """Reads through one connection, writes through another (each with its lock): a lookup
    never waits behind a write that waits for the engine's step transaction, and a write gives
    up after ``WRITE_WAIT_MS`` (its entry then goes with the step, as the module doc says)."""

    WRITE_WAIT_MS = 50

    def __init__(self, path: Path | str | None):
        target = str(path) if path is not None else ":memory:"
        self.db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self.db.execute(f"PRAGMA busy_timeout={self.WRITE_WAIT_MS}")
        self.db.execute("PRAGMA synchronous=NORMAL")  # as the store's: WAL, safe from kill -9
        create_tables(self.db, CACHE_TABLES)
        self._lock = threading.Lock()
        self.reader, self._read_lock = self.db, self._lock  # one in-memory database: shared
        if path is not None:
            self.reader = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
            self.reader.execute("PRAGMA busy_timeout=2000")
            self._read_lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self.db.close()
        if self.reader is not self.db:
            with self._read_lock:
                self.reader.close()

    def answer(self, key: str) -> CachedAnswer | None:
        with self._read_lock:
            row = self.reader.execute(
                "SELECT key, kind, model, response, prompt_tokens, completion_tokens"
                " FROM llm_cache WHERE key = ?",
                (key,),
            ).fetchone()
        return CachedAnswer(*row) if row else None

    def put_answer(self, answer: CachedAnswer) -> bool:
        """Commit at once; False when the database is locked (the caller keeps the entry)."""
        with self._lock:
            try:
                self.db.execute(
                    "INSERT OR IGNORE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*_answer_row(answer), time.strftime("%Y-%m-%d %H:%M:%S")),
                )
            except sqlite3.OperationalError:
                return False
        return True

    def vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._read_lock:
            for key in keys:
                row = self.reader.execute(
                    "SELECT vector FROM llm_embed_cache WHERE key = ?", (key,)
                ).fetchone()
                if row:
                    found[key] = np.frombuffer(row[0], dtype=np.float32)
        return found

    def put_vectors(self, vectors: list[CachedVector]) -> bool:
        """Commit at once; False when the database is locked (the caller keeps the entries)."""
        with self._lock:
            try:
                self.db.execute("BEGIN")
                self.db.executemany(
                    "INSERT OR IGNORE INTO llm_embed_cache VALUES (?, ?, ?)",
                    [(v.key, v.model, v.vector) for v in vectors],
                )
                self.db.execute("COMMIT")
            except sqlite3.OperationalError:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                return False
        return True


def _answer_row(a: CachedAnswer) -> tuple:
    return (a.key, a.kind, a.model, a.text, a.prompt_tokens, a.completion_tokens)


def write_entries(
    db: sqlite3.Connection, answers: list[CachedAnswer], vectors: list[CachedVector]
) -> None:
    """Cache entries that could not be committed at once, inside the step's transaction."""
    db.executemany(
        "INSERT OR IGNORE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?, '')",
        [_answer_row(a) for a in answers],
    )
    db.executemany(
        "INSERT OR IGNORE INTO llm_embed_cache VALUES (?, ?, ?)",
        [(v.key, v.model, v.vector) for v in vectors],
    )
