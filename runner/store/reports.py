"""What ``rw-batch status`` and the benchmarks read from a store: sums over its tables."""

from __future__ import annotations

import sqlite3

from .compact import unpack_state
from .records import Spent
from .schema import TABLES

# a question the run gave a fail-safe answer (outcome 'ahead': a request a copy thinking ahead
# sent that no agent asked for in the end, runner/thinkahead.py, not a question)
FAILSAFE = "outcome NOT IN ('ok', 'ahead')"


class Reports:
    db: sqlite3.Connection

    def tables(self) -> set[str]:
        return {n for (n,) in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _reasoning(self) -> str:
        """The column of reasoning tokens, or 0 in a store older than version 7 read as is."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(llm_calls)")}
        return "reasoning_tokens" if "reasoning_tokens" in columns else "0"

    def call_summary(self) -> dict[str, float]:
        row = self.db.execute(
            "SELECT coalesce(sum(outcome != 'ahead'), 0),"
            " coalesce(sum(prompt_tokens + completion_tokens), 0),"
            f" coalesce(sum(cache_hit), 0), coalesce(sum({FAILSAFE}), 0),"
            " coalesce(sum(attempts - 1), 0) FROM llm_calls"
        ).fetchone()
        return dict(zip(("calls", "tokens", "cache_hits", "failsafes", "retries"), row))

    def last_call_id(self) -> int:
        return self.db.execute("SELECT max(id) FROM llm_calls").fetchone()[0] or 0

    def conversation_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM conversations").fetchone()[0]

    def spent(self) -> Spent:
        """Requests and tokens the stored steps sent to a model (cache hits excluded)."""
        row = self.db.execute(
            "SELECT coalesce(sum(attempts), 0), coalesce(sum(prompt_tokens), 0),"
            f" coalesce(sum(completion_tokens), 0), coalesce(sum({self._reasoning()}), 0)"
            " FROM llm_calls WHERE cache_hit = 0"
        ).fetchone()
        return Spent(*row)

    def faults_by_reason(self) -> dict[str, int]:
        if "llm_faults" not in self.tables():  # a store of 0.1.0 read as it is
            return {}
        return dict(self.db.execute("SELECT reason, count(*) FROM llm_faults GROUP BY reason"))

    def calls_by_kind(self) -> list[dict]:
        """Per kind: questions, requests sent (those sent ahead in vain among them), cache
        hits, tokens (the reasoning tokens among the completion tokens), mean latency,
        fail-safes."""
        rows = self.db.execute(
            "SELECT kind, sum(outcome != 'ahead'),"
            " coalesce(sum(CASE WHEN cache_hit = 0 THEN attempts END), 0),"
            " sum(cache_hit), sum(prompt_tokens), sum(completion_tokens),"
            f" avg(CASE WHEN cache_hit = 0 THEN latency_ms END), sum({FAILSAFE}),"
            f" sum({self._reasoning()}) FROM llm_calls GROUP BY kind ORDER BY kind"
        ).fetchall()
        keys = (
            "kind",
            "calls",
            "sent",
            "cache_hits",
            "prompt_tokens",
            "completion_tokens",
            "latency_ms",
            "failsafes",
            "reasoning_tokens",
        )
        out = [dict(zip(keys, row)) for row in rows]
        for row in out:
            row["latency_ms"] = row["latency_ms"] or 0.0
        return out

    def step_wall_ms(self) -> list[float]:
        """The engine's wall time of each stored step, in step order."""
        return [ms for (ms,) in self.db.execute("SELECT wall_ms FROM steps ORDER BY step")]

    def asked(self, kind: str) -> list[tuple[int | None, int]]:
        """(agent, step) of every question of ``kind``, in step order."""
        return self.db.execute(
            "SELECT agent, step FROM llm_calls WHERE kind = ? ORDER BY step, id", (kind,)
        ).fetchall()

    def state_from(self, agent: int, step: int) -> bytes | None:
        """The agent's first state (msgpack) stored at ``step`` or later: at the first snapshot
        since, where it differs from the one before."""
        row = self.db.execute(
            "SELECT state FROM agent_state WHERE agent = ? AND step >= ? ORDER BY step LIMIT 1",
            (agent, step),
        ).fetchone()
        return unpack_state(row[0]) if row else None

    def memory_texts(self) -> list[tuple]:
        """(agent, node, created_step, kind, description, importance) of every memory, in agent
        and node order."""
        return self.db.execute(
            "SELECT agent, node, created_step, kind, description, importance FROM memories"
            " ORDER BY agent, node"
        ).fetchall()

    def table_bytes(self) -> dict[str, int]:
        """Bytes of the file's pages per table, its indexes counted with it (sqlite's dbstat)."""
        owner = {
            name: table
            for name, table in self.db.execute("SELECT name, tbl_name FROM sqlite_master")
        }
        sizes: dict[str, int] = {}
        for name, size in self.db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            sizes[table] = sizes.get(table, 0) + size
        return sizes

    def count(self, table: str, **where: object) -> int:
        """Rows of a table (of the schema) with the given column values."""
        if table not in {t.name for t in TABLES} or not all(c.isidentifier() for c in where):
            raise ValueError(f"no table {table} or a bad column in {list(where)}")
        clause = " AND ".join(f"{column} = ?" for column in where) or "1"
        sql = f"SELECT count(*) FROM {table} WHERE {clause}"  # names checked, values bound
        return self.db.execute(sql, tuple(where.values())).fetchone()[0]
