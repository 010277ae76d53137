"""The backend as the engine uses it: the scenario's backend inside its wrappers.

    Cache → EmbedBatcher → Meter → Retry → Spread → [one backend per endpoint]

- ``Spread`` (spread.py): calls spread over the ``base_url`` endpoints, at most
  ``max_concurrency`` in flight on each.
- ``Retry`` (retry.py): backoff with jitter on timeouts, 429 and 5xx; faults recorded.
- ``Meter`` (meter.py): requests, tokens and cost that reached a model; budgets.
- ``EmbedBatcher`` (embed_batch.py): embedding calls made at once go as one request.
- ``Cache`` (cache.py): answers already in ``sim.sqlite`` are not asked again (``--no-cache``
  leaves it out).

This is the one place the order is built, and the order matters: the meter sits inside the
cache, so that only what reached a model is counted (it also skips a response marked as a cache
hit); inside the batcher, so that a merged embedding request counts once; outside the retry, so
that a call retried after faults counts once, with the tokens of the try that answered. The
retry sits outside the spread, so that a call failed on one endpoint is sent again to another.

The ``offline`` policy (rule-based, not an LLM) gets only the meter. :class:`LLMStack` also holds
the hooks the engine calls once per step: :meth:`take_records` (fault rows, embedding-call rows
and any cache entries not yet committed, which the store writes inside the step's transaction),
:meth:`stop_reason` (a budget reached) and :meth:`progress` (the tqdm postfix).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import LLM, Scenario
from ..errors import RingWorldError
from ..store.records import Fault, LLMRecords, Spent
from .base import Backend
from .cache import Book, Cache
from .embed_batch import EmbedBatcher
from .meter import Meter
from .registry import ScenarioKeyError, make_backend
from .retry import Retry
from .spread import Spread


def endpoint_scenarios(scenario: Scenario) -> list[Scenario]:
    """One scenario per ``llm.base_url`` when it lists several, else the scenario itself."""
    if not isinstance(scenario.llm.base_url, list):
        return [scenario]
    return [scenario.model_copy(update={"llm": llm}) for llm in scenario.llm.endpoints()]


def make_endpoints(scenario: Scenario, source: str | None = None) -> list[Backend]:
    """The scenario's backend, one per endpoint (a clear error for a missing package, a key
    the backend cannot work with named with the scenario file ``source``)."""
    try:
        return [make_backend(one) for one in endpoint_scenarios(scenario)]
    except ScenarioKeyError as exc:
        if source is None:
            raise
        raise RingWorldError(f"{source}: {exc}") from None


@dataclass
class LLMStack:
    backend: Backend  # what the asker talks to: the outermost wrapper
    meter: Meter
    retry: Retry | None = None
    spread: Spread | None = None
    cache: Cache | None = None
    endpoints: list[Backend] = field(default_factory=list)

    # --- hooks for the engine ------------------------------------------------------------------
    def take_records(self, step: int) -> LLMRecords:
        """What to store with ``step``: faults, embedding requests, requests sent ahead in vain
        for steps up to it, uncommitted cache entries."""
        faults = [Fault(**f) for f in self.retry.take_faults()] if self.retry else []
        answers, vectors = self.cache.take_pending() if self.cache else ([], [])
        calls = self.meter.take_embed_calls(step)
        if self.cache is not None:
            calls += self.cache.unclaimed(step)
        return LLMRecords(calls, faults, answers, vectors)

    def stop_reason(self) -> str | None:
        return self.meter.over_budget()

    def watch(self, should_stop: Callable[[], bool]) -> None:
        """Let a stop request (Ctrl-C) end a wait for a failing endpoint."""
        if self.retry is not None:
            self.retry.should_stop = should_stop

    def progress(self) -> str:
        m = self.meter
        text = f"calls {m.calls} tok {_short(m.tokens)}"
        if m.prices.prompt or m.prices.completion:
            text += f" cost {m.cost:.2f}"
        if self.cache is not None and self.cache.hits:
            text += f" cached {self.cache.hits}"
        return text

    def close(self) -> None:
        """Closes every wrapper, the book and the endpoints, outermost first."""
        self.backend.close()


def _short(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.1f}k" if n >= 1e4 else str(n)


def build_stack(
    scenario: Scenario,
    spent: Spent | None = None,
    book: Book | None = None,
    endpoints: list[Backend] | None = None,
    warn: Callable[[str], None] | None = None,
    give_up_s: float | None = None,
) -> LLMStack:
    """Wrap the scenario's backend. ``spent``: what the sim spent before (for the budgets);
    ``book``: where answers are kept (None: no cache). ``give_up_s``: stop retrying a failing
    endpoint after so long (None: never, as in a run)."""
    llm = scenario.llm
    if endpoints is None:
        endpoints = make_endpoints(scenario)
    if not endpoints[0].is_llm:
        meter = Meter(endpoints[0], llm, spent)
        return LLMStack(meter, meter, endpoints=endpoints)
    spread = Spread(endpoints, llm.max_concurrency)
    retry = Retry(spread, warn=warn, give_up_s=give_up_s, never_answered_s=llm.timeout)
    meter = Meter(retry, llm, spent)
    batcher = EmbedBatcher(meter)
    stack = LLMStack(batcher, meter, retry, spread, endpoints=endpoints)
    if book is not None:
        params = {"temperature": llm.temperature, "structured": llm.structured}
        for key in ("thinking", "thinking_tokens", "extra_body"):  # at their default: no key,
            if getattr(llm, key) != LLM.model_fields[key].default:  # as in sims stored before
                params[key] = getattr(llm, key)
        stack.cache = Cache(batcher, book, params)
        stack.backend = stack.cache
    return stack
