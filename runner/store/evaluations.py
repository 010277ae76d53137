"""The ``evaluations`` table: what ``rw-batch eval`` measured, the same JSON as ``eval.json``."""

from __future__ import annotations

import sqlite3
import time


class Evaluations:
    db: sqlite3.Connection

    def save_evaluation(self, last_step: int, results_json: str) -> None:
        """Keep one evaluation, replacing the one before (as ``eval.json`` is replaced);
        ``last_step`` is the highest step it looked at, so a fork before it drops it."""
        with self.db:
            self.db.execute("DELETE FROM evaluations")
            self.db.execute(
                "INSERT INTO evaluations (last_step, created, results) VALUES (?, ?, ?)",
                (last_step, time.strftime("%Y-%m-%d %H:%M:%S"), results_json),
            )

    def evaluation(self) -> str | None:
        """The stored evaluation's JSON, or None (none made, or a store older than the table)."""
        exists = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='evaluations'"
        ).fetchone()
        if not exists:
            return None
        row = self.db.execute("SELECT results FROM evaluations ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None
