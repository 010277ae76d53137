"""The retry wrapper: exponential backoff with jitter on transient faults, around any backend.

A backend turns its library's errors into the three kinds below; this wrapper decides what to do:

- :class:`TransientError` (timeout, connection refused, HTTP 429, HTTP 5xx): wait and try again,
  the wait doubling from ``base_s`` up to ``max_s`` with "equal jitter" (half fixed, half
  random), or as long as the server's ``Retry-After`` says; at once, without counting a wait,
  when another endpoint is up to take the call (``elsewhere``). There is no limit on the number of
  tries: a persistent outage pauses the run (with a warning on stderr every few minutes) rather
  than losing the step; a stop request (Ctrl-C) during such a wait ends the run without storing
  the step in progress.
- :class:`BadRequest` (HTTP 400 for this one prompt, say a context overflow): the answer is
  empty, so the asker retries and in the end uses the kind's fail-safe; the run goes on. Only
  when every request is refused (``MAX_BAD_IN_A_ROW``) the run stops with a clear error.
- :class:`FatalLLMError` (bad key, unknown model, no such server path): a one-line error at once.

An endpoint that has never answered since the run began and cannot be reached at all (a typo in
``base_url``: nothing listens there, or no such host) is not waited for: after
``never_answered_s`` (``llm.timeout`` in a run) the run stops with one line naming it. One that
answered before and went down gets the patient retry above.

Every fault is recorded (kind, agent, endpoint, reason) for the ``llm_faults`` table, and so is
an answer that came back cut off while the model was still thinking (reason ``truncated``: the
backend asked again with a larger budget).
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from typing import Any

from ..errors import RingWorldError
from .base import Backend, Embeddings, Request, Response
from .notices import say
from .wrapper import Wrapper

# first and longest wait between two tries (the variables are for tests)
BASE_S = float(os.environ.get("RINGWORLD_RETRY_BASE_S", "1.0"))
MAX_S = float(os.environ.get("RINGWORLD_RETRY_MAX_S", "60.0"))
MAX_BAD_IN_A_ROW = 25  # refused requests in a row (no success between) that stop the run
WARN_EVERY_S = 120.0


class TransientError(Exception):
    """A fault worth retrying: ``reason`` is 'timeout', 'connection', '429' or '5xx'.
    ``unreachable``: the connection itself failed (nothing listens there, no such host).
    ``elsewhere``: another endpoint is up (set by ``Spread``), so try again at once."""

    def __init__(
        self,
        reason: str,
        message: str,
        endpoint: str = "",
        retry_after: float | None = None,
        unreachable: bool = False,
    ):
        super().__init__(message)
        self.reason = reason
        self.endpoint = endpoint
        self.retry_after = retry_after
        self.unreachable = unreachable  # no connection could be made (refused, no such host)
        self.elsewhere = False


class BadRequest(Exception):
    """The server refused this one request (HTTP 400/422): the answer is lost, not the run."""

    def __init__(self, message: str, endpoint: str = "", reason: str = "400"):
        super().__init__(message)
        self.reason = reason
        self.endpoint = endpoint


class FatalLLMError(RingWorldError):
    """A configuration problem no retry fixes (wrong key, unknown model): stop with one line."""


class LLMStopped(RingWorldError):
    """A stop was requested while waiting out an outage; the step in progress is not stored."""


class Retry(Wrapper):
    """Wraps a backend; see the module docstring."""

    def __init__(
        self,
        inner: Backend,
        base_s: float | None = None,
        max_s: float | None = None,
        warn: Callable[[str], None] | None = None,
        give_up_s: float | None = None,
        never_answered_s: float | None = None,
    ):
        self.inner = inner
        self.base_s = BASE_S if base_s is None else base_s
        self.max_s = MAX_S if max_s is None else max_s
        self.give_up_s = give_up_s  # None: wait out any outage (a run); a number: a quick check
        self.never_answered_s = never_answered_s  # None: wait for it too
        self.should_stop: Callable[[], bool] = lambda: False
        self._warn = warn or say
        self._answered: set[str] = set()  # endpoints that answered since the start
        self._first_failure: dict[str, float] = {}  # endpoint -> its first failure, unanswered
        self._faults: list[dict] = []
        self._lock = threading.Lock()
        self._bad_in_a_row = 0
        self._last_warning = 0.0
        self._rng = random.Random()  # jitter only; never part of what the sim computes

    # --- the interface ---------------------------------------------------------------------
    def complete(self, request: Request) -> Response:
        try:
            response = self._call(lambda: self.inner.complete(request), request.kind, request.agent)
        except BadRequest as exc:
            return Response("", extra={"error": str(exc)[:200]})
        endpoint = response.extra.get("endpoint", "")
        self._answer_from(endpoint)
        if response.extra.get("truncated"):
            self._record(request.kind, request.agent, endpoint, "truncated", "cut off thinking")
        return response

    def embed(self, texts: list[str]) -> Embeddings:
        try:
            got = self._call(lambda: self.inner.embed(texts), "embed", None)
        except BadRequest as exc:
            raise FatalLLMError(f"llm: the embedding endpoint refused the texts: {exc}") from None
        self._answer_from(got.endpoint)
        return got

    def _answer_from(self, endpoint: str) -> None:
        if endpoint and endpoint not in self._answered:
            with self._lock:
                self._answered.add(endpoint)

    # --- faults ----------------------------------------------------------------------------
    def take_faults(self) -> list[dict]:
        """Faults since the last call: dicts of kind, agent, endpoint, reason, message."""
        with self._lock:
            faults, self._faults = self._faults, []
        return faults

    def _record(self, kind: str, agent: str | None, endpoint: str, reason: str, text: str) -> None:
        with self._lock:
            self._faults.append(
                {
                    "kind": kind,
                    "agent": agent,
                    "endpoint": endpoint,
                    "reason": reason,
                    "message": text[:200],
                }
            )

    def _record_exc(self, kind: str, agent: str | None, exc: Exception) -> None:
        endpoint = getattr(exc, "endpoint", "")
        self._record(kind, agent, endpoint, getattr(exc, "reason", "error"), str(exc))

    def _never_answered(self, exc: TransientError) -> float | None:
        """How long ``exc``'s endpoint has been unreachable without ever answering (None: it
        answered before, or it was reached: a dropped connection, a slow answer, a 5xx)."""
        if self.never_answered_s is None or not exc.unreachable:
            return None
        with self._lock:
            if exc.endpoint in self._answered:
                return None
            first = self._first_failure.setdefault(exc.endpoint, time.monotonic())
        return time.monotonic() - first

    def _call(self, call: Callable[[], Any], kind: str, agent: str | None) -> Any:
        tries = waits = 0
        outage_began = None
        while True:
            try:
                result = call()
            except TransientError as exc:
                tries += 1
                outage_began = outage_began or time.monotonic()
                waits += self._after_transient(exc, kind, agent, outage_began, waits + 1)
                continue
            except BadRequest as exc:
                self._record_exc(kind, agent, exc)
                with self._lock:
                    self._bad_in_a_row += 1
                    bad = self._bad_in_a_row
                if bad >= MAX_BAD_IN_A_ROW:
                    raise FatalLLMError(
                        f"llm: {bad} requests in a row were refused, the last by "
                        f"{exc.endpoint or 'the server'}: {str(exc)[:160]}"
                    ) from None
                raise
            with self._lock:
                self._bad_in_a_row = 0
            if tries and isinstance(result, Response):
                result.extra["faults"] = tries
            return result

    def _after_transient(
        self, exc: TransientError, kind: str, agent: str | None, outage_began: float, wait: int
    ) -> int:
        """Record ``exc``, give up (raise) or wait the ``wait``-th backoff; the waits done
        (0 when another endpoint takes the call at once)."""
        self._record_exc(kind, agent, exc)
        silent_s = self._never_answered(exc)
        if silent_s is not None and silent_s >= self.never_answered_s:
            raise FatalLLMError(
                f"llm: nothing answers at {exc.endpoint or 'the endpoint'} "
                f"({exc.reason}, {silent_s:.0f} s since the first try); "
                "check llm.base_url and that the server is up"
            ) from None
        if self.give_up_s is not None and time.monotonic() - outage_began > self.give_up_s:
            raise FatalLLMError(
                f"llm: {exc.endpoint or 'the endpoint'} still failing after "
                f"{self.give_up_s:.0f} s ({exc.reason}: {str(exc)[:100]})"
            ) from None
        if exc.elsewhere:
            return 0  # another endpoint takes it now
        delay = self._delay(wait, exc.retry_after)
        if silent_s is not None:  # never wait past the point of giving up on it
            delay = min(delay, max(0.0, self.never_answered_s - silent_s) + 0.01)
        self._wait(delay, exc, outage_began)
        return 1

    def _delay(self, tries: int, retry_after: float | None) -> float:
        ceiling = min(self.max_s, self.base_s * 2 ** min(tries - 1, 20))
        delay = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_s))
        return delay

    def _wait(self, delay: float, exc: TransientError, outage_began: float) -> None:
        now = time.monotonic()
        if now - outage_began >= 10 and now - self._last_warning >= WARN_EVERY_S:
            self._last_warning = now
            self._warn(
                f"llm: {exc.endpoint or 'the endpoint'} failing for {now - outage_began:.0f} s "
                f"({exc.reason}: {str(exc)[:80]}); still retrying, Ctrl-C stops the run"
            )
        deadline = now + delay
        while True:
            if self.should_stop():
                raise LLMStopped(
                    f"llm: stopped while waiting for {exc.endpoint or 'the endpoint'} "
                    f"({exc.reason}); the step in progress was not stored, "
                    "continue with 'rw-batch resume'"
                )
            left = deadline - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(left, 0.2))
