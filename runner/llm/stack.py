"""The backend as the engine uses it: the scenario's backend inside its wrappers.

    Cache → EmbedBatcher → Meter → Retry → Spread → [one backend per endpoint]

- ``Spread`` (limits.py): calls spread over the ``base_url`` endpoints, at most
  ``max_concurrency`` in flight on each.
- ``Retry`` (retry.py): backoff with jitter on timeouts, 429 and 5xx; faults recorded.
- ``EmbedBatcher`` (limits.py): embedding calls made at once go as one request.
- ``Meter`` (limits.py): requests, tokens and cost that reached a model; budgets.
- ``Cache`` (cache.py): answers already in ``sim.sqlite`` are not asked again (``--no-cache``
  leaves it out).

The ``offline`` policy (rule-based, not an LLM) gets only the meter. :class:`LLMStack` also holds
the hooks the engine calls once per step: :meth:`write` (fault rows, embedding-call rows and any
cache entries not yet committed, inside the step's transaction), :meth:`stop_reason` (a budget
reached) and :meth:`progress` (the tqdm postfix).
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from .base import Backend
from .cache import AnswerStore, Cache
from .limits import EmbedBatcher, Meter, Spread, cost_of
from .registry import make_backend
from .retry import Retry

FAULTS_TABLE = """
CREATE TABLE IF NOT EXISTS llm_faults (
    id INTEGER PRIMARY KEY, step INTEGER NOT NULL, kind TEXT NOT NULL, agent TEXT,
    endpoint TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL);
"""


def endpoint_scenarios(scenario: dict) -> list[dict]:
    """One scenario per ``llm.base_url`` when it lists several, else the scenario itself."""
    urls = scenario["llm"].get("base_url")
    if not isinstance(urls, list):
        return [scenario]
    out = []
    for url in urls or [None]:
        one = copy.deepcopy(scenario)
        one["llm"]["base_url"] = url
        out.append(one)
    return out


def make_endpoints(scenario: dict) -> list[Backend]:
    """The scenario's backend, one per endpoint (a clear error for a missing package)."""
    return [make_backend(one) for one in endpoint_scenarios(scenario)]


def spent_so_far(db: sqlite3.Connection) -> dict:
    """Requests and tokens the sim's stored steps sent to a model (cache hits excluded)."""
    row = db.execute(
        "SELECT coalesce(sum(attempts), 0), coalesce(sum(prompt_tokens), 0),"
        " coalesce(sum(completion_tokens), 0) FROM llm_calls WHERE cache_hit = 0"
    ).fetchone()
    return dict(zip(("calls", "prompt_tokens", "completion_tokens"), row))


@dataclass
class LLMStack:
    backend: Backend  # what the asker talks to: the outermost wrapper
    meter: Meter
    retry: Retry | None = None
    spread: Spread | None = None
    cache: Cache | None = None
    answers: AnswerStore | None = None
    endpoints: list[Backend] = field(default_factory=list)

    # --- hooks for the engine ------------------------------------------------------------------
    def write(self, db: sqlite3.Connection, step: int) -> None:
        """Inside the step's transaction: this step's faults and embedding requests."""
        if self.retry is not None:
            db.executemany(
                "INSERT INTO llm_faults (step, kind, agent, endpoint, reason, message)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (step, f["kind"], f["agent"], f["endpoint"], f["reason"], f["message"])
                    for f in self.retry.take_faults()
                ],
            )
        embeds = self.meter.take_embed_records()
        if embeds:
            db.executemany(
                "INSERT INTO llm_calls (step, agent, kind, backend, model, prompt_tokens,"
                " completion_tokens, latency_ms, cache_hit, attempts, outcome)"
                " VALUES (?, NULL, 'embed', ?, ?, ?, 0, ?, 0, ?, 'ok')",
                [
                    (
                        step,
                        self.backend.name,
                        getattr(self.backend, "embed_model", None),
                        e["tokens"],
                        e["ms"],
                        e["requests"],
                    )
                    for e in embeds
                ],
            )
        if self.answers is not None:
            self.answers.flush(db)

    def stop_reason(self) -> str | None:
        return self.meter.over_budget()

    def watch(self, should_stop: Callable[[], bool]) -> None:
        """Let a stop request (Ctrl-C) end a wait for a failing endpoint."""
        if self.retry is not None:
            self.retry.should_stop = should_stop

    def progress(self) -> str:
        m = self.meter
        text = f"calls {m.calls} tok {_short(m.tokens)}"
        if m.prices.get("prompt") or m.prices.get("completion"):
            text += f" cost {m.cost:.2f}"
        if self.cache is not None and self.cache.hits:
            text += f" cached {self.cache.hits}"
        return text

    def close(self) -> None:
        if self.answers is not None:
            self.answers.close()
        for backend in self.endpoints:
            close = getattr(backend, "close", None)
            if close is not None:
                close()


def _short(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.1f}k" if n >= 1e4 else str(n)


def build_stack(
    scenario: dict,
    db: sqlite3.Connection | None = None,
    db_path=None,
    use_cache: bool = True,
    endpoints: list[Backend] | None = None,
    warn: Callable[[str], None] | None = None,
    give_up_s: float | None = None,
) -> LLMStack:
    """Wrap the scenario's backend. ``db`` is the sim's store connection (for what was spent
    before and the faults table), ``db_path`` its file (for the cache); both may be None.
    ``give_up_s``: stop retrying a failing endpoint after so long (None: never, as in a run)."""
    llm = scenario["llm"]
    if endpoints is None:
        endpoints = make_endpoints(scenario)
    spent = {}
    if db is not None:
        with db:
            db.executescript(FAULTS_TABLE)
        spent = spent_so_far(db)
    if not endpoints[0].is_llm:
        meter = Meter(endpoints[0], llm, spent)
        return LLMStack(meter, meter, endpoints=endpoints)
    spread = Spread(endpoints, llm["max_concurrency"])
    retry = Retry(spread, warn=warn, give_up_s=give_up_s)
    meter = Meter(retry, llm, spent)
    batcher = EmbedBatcher(meter)
    stack = LLMStack(batcher, meter, retry, spread, endpoints=endpoints)
    if use_cache:
        stack.answers = AnswerStore(db_path)
        params = {"temperature": llm["temperature"], "structured": llm["structured"]}
        stack.cache = Cache(batcher, stack.answers, params)
        stack.backend = stack.cache
    return stack


def spent_summary(db: sqlite3.Connection, prices: dict) -> dict:
    """Cost and faults of a stored sim, for ``rw-batch status``."""
    spent = spent_so_far(db)
    info = {
        "sent": spent["calls"],
        "cost": cost_of(spent["prompt_tokens"], spent["completion_tokens"], prices),
        "faults": {},
    }
    try:
        rows = db.execute("SELECT reason, count(*) FROM llm_faults GROUP BY reason").fetchall()
    except sqlite3.OperationalError:  # a sim that never had an LLM stack
        rows = []
    info["faults"] = dict(rows)
    return info
