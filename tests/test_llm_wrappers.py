"""The backend wrappers on their own: retry, spread, embedding batches, meter, cache, schemas."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from runner.config import LLM
from runner.llm.base import Embeddings, Request, Response
from runner.llm.cache import Cache
from runner.llm.chat import bounded_schema, request_schema, user_text
from runner.llm.embed_batch import EmbedBatcher
from runner.llm.meter import Meter
from runner.llm.retry import (
    MAX_BAD_IN_A_ROW,
    BadRequest,
    FatalLLMError,
    LLMStopped,
    Retry,
    TransientError,
)
from runner.llm.spread import Endpoint, Spread
from runner.prompts.kinds import KINDS
from runner.scenario import parse_scenario
from runner.store import AnswerBook
from runner.store.records import Spent


def request(kind: str = "action_arena", attempt: int = 0, **context) -> Request:
    context = {"name": "甲", "lang": "zh", **context}
    return Request(kind, "zh", context, KINDS[kind].schema, "甲", attempt)


class Scripted:
    """A backend that fails as told, then answers."""

    name, model, is_llm, serial, embed_model = "scripted", "m", True, False, None

    def __init__(self, failures: list[Exception] | None = None, text: str = '{"choice": "厨房"}'):
        self.failures = list(failures or [])
        self.text = text
        self.calls = 0

    def complete(self, req: Request) -> Response:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return Response(self.text, 10, 5, 1.0)

    def embed(self, texts: list[str]):
        self.calls += 1
        return Embeddings(np.ones((len(texts), 4), dtype=np.float32), 1, len(texts), 1.0)


def test_retry_waits_out_transient_faults_and_records_them():
    inner = Scripted([TransientError("5xx", "boom", "e1"), TransientError("429", "slow", "e1", 0)])
    retry = Retry(inner, base_s=0.001, max_s=0.01)
    response = retry.complete(request())
    assert response.text and inner.calls == 3 and response.extra["faults"] == 2
    assert [f["reason"] for f in retry.take_faults()] == ["5xx", "429"]
    assert retry.take_faults() == []


def test_retry_backoff_doubles_with_jitter_up_to_the_cap_and_honours_retry_after():
    retry = Retry(Scripted(), base_s=1.0, max_s=8.0)
    for tries, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)):
        delays = [retry._delay(tries, None) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter
    assert retry._delay(1, 5.0) >= 5.0


def test_a_stop_request_ends_an_outage_wait():
    inner = Scripted([TransientError("connection", "refused", "e1")] * 1000)
    retry = Retry(inner, base_s=0.05, max_s=0.05)
    calls = []
    retry.should_stop = lambda: calls.append(1) or len(calls) > 3
    with pytest.raises(LLMStopped, match="was not stored"):
        retry.complete(request())


def test_a_quick_check_gives_up_on_an_endpoint_that_stays_down():
    inner = Scripted([TransientError("connection", "refused", "e1")] * 1000)
    retry = Retry(inner, base_s=0.01, max_s=0.02, give_up_s=0.1)
    with pytest.raises(FatalLLMError, match="still failing after"):
        retry.complete(request())
    assert inner.calls > 2


def test_a_refused_request_is_an_empty_answer_until_every_request_is_refused():
    inner = Scripted([BadRequest("context too long", "e1")])
    retry = Retry(inner, base_s=0.001)
    assert retry.complete(request()).text == ""
    assert retry.complete(request()).text  # the next one is answered
    inner.failures = [BadRequest("no", "e1")] * MAX_BAD_IN_A_ROW
    with pytest.raises(FatalLLMError, match="in a row were refused"):
        for _ in range(MAX_BAD_IN_A_ROW):
            retry.complete(request())


def test_spread_bounds_calls_in_flight_per_endpoint_and_uses_every_endpoint():
    gate = threading.Event()
    started = threading.Semaphore(0)

    class Slow(Scripted):
        def complete(self, req):
            started.release()
            gate.wait(5)
            return super().complete(req)

    ends = [Slow(), Slow()]
    spread = Spread(ends, max_concurrency=2)
    threads = [threading.Thread(target=spread.complete, args=(request(),)) for _ in range(6)]
    for t in threads:
        t.start()
    for _ in range(4):
        assert started.acquire(timeout=5)
    assert not started.acquire(timeout=0.2)  # the fifth waits: 2 endpoints x 2 in flight
    assert spread.in_flight == [2, 2]
    gate.set()
    for t in threads:
        t.join(5)
    assert spread.peak_in_flight == [2, 2] and sum(e.calls for e in ends) == 6


def test_spread_prefers_an_endpoint_that_did_not_just_fail():
    bad, good = Scripted([TransientError("5xx", "x", "bad")]), Scripted()
    spread = Spread([bad, good], max_concurrency=4)
    with pytest.raises(TransientError):
        spread.complete(request())  # goes to the first (both idle)
    for _ in range(3):
        spread.complete(request())
    assert (bad.calls, good.calls) == (1, 3)


def test_a_failed_call_goes_at_once_to_another_endpoint_that_is_up():
    dead = Scripted([TransientError("connection", "refused", "dead")] * 100)
    good = Scripted()
    retry = Retry(Spread([dead, good], max_concurrency=4), base_s=30.0)
    retry.should_stop = lambda: True  # any wait would end in LLMStopped
    for _ in range(5):
        assert retry.complete(request()).text
    assert (dead.calls, good.calls) == (1, 5)  # paused after its failure, not tried again
    assert [f["reason"] for f in retry.take_faults()] == ["connection"]


def test_an_endpoint_that_keeps_failing_pauses_longer_and_is_probed_one_call_at_a_time():
    endpoint = Endpoint(Scripted(), ceiling=8)
    refused = TransientError("connection", "refused")
    pauses = []
    for now in (100.0, 200.0, 300.0, 400.0, 500.0, 600.0):
        endpoint.failed(refused, endpoint.epoch, now)
        pauses.append(endpoint.down_until - now)
        assert not endpoint.up(now) and endpoint.up(now + pauses[-1]) and endpoint.room() == 1
    assert pauses == [5.0, 10.0, 20.0, 40.0, 60.0, 60.0]
    endpoint.succeeded()
    assert endpoint.room() == 8 and endpoint.limit == 8  # a connection fault is not a 429


def test_the_limit_halves_once_per_window_on_429_and_grows_back_by_one_per_window():
    endpoint = Endpoint(Scripted(), ceiling=16)
    slow_down = TransientError("429", "rate limited", retry_after=3.0)
    sent_before = endpoint.epoch
    endpoint.failed(slow_down, sent_before, 100.0)
    endpoint.failed(slow_down, sent_before, 100.0)  # sent before the halving: no second one
    assert endpoint.limit == 8 and endpoint.room() == 8  # alive: no probing, ...
    assert endpoint.down_until == 103.0  # ... but paused as long as Retry-After says
    endpoint.failed(slow_down, endpoint.epoch, 100.0)
    endpoint.failed(TransientError("timeout", "slow"), endpoint.epoch, 100.0)
    assert endpoint.limit == 2
    limits = []
    for _ in range(60):
        endpoint.succeeded()
        limits.append(max(1, int(endpoint.limit)))
    assert limits[:6] == [2, 2, 3, 3, 3, 4]  # +1/limit a success: about +1 a window
    assert limits == sorted(limits) and limits[-1] == 11
    for _ in range(200):
        endpoint.succeeded()
    assert endpoint.limit == 16  # never above max_concurrency


def test_embed_batcher_merges_calls_made_while_a_request_is_in_flight():
    gate, sending = threading.Event(), threading.Event()
    inner = Scripted()
    sizes = []

    def slow_embed(texts):
        sizes.append(len(texts))
        if len(sizes) == 1:
            sending.set()
            assert gate.wait(5)
        return Scripted.embed(inner, texts)

    inner.embed = slow_embed
    batcher = EmbedBatcher(inner, max_in_flight=1)
    joined = threading.Semaphore(0)

    class Queue(list):  # says when a call has joined the batcher's queue
        def append(self, item):
            super().append(item)
            joined.release()

    batcher._queue = Queue()
    results = {}

    def call(i):
        results[i] = batcher.embed([f"t{i}", f"u{i}"])

    first = threading.Thread(target=call, args=(0,))
    first.start()
    assert sending.wait(5), "the first request never went out"
    rest = [threading.Thread(target=call, args=(i,)) for i in range(1, 5)]
    for t in rest:
        t.start()
    for _ in range(5):  # the first call and the four that wait for its request
        assert joined.acquire(timeout=5), "a call never joined the queue"
    gate.set()
    for t in [first, *rest]:
        t.join(5)
    assert sizes == [2, 8]  # the first alone, the four that waited together
    assert all(results[i].vectors.shape == (2, 4) for i in range(5))
    usage = [(results[i].requests, results[i].tokens) for i in range(5)]
    assert sorted(usage) == [(0, 0)] * 3 + [(1, 2), (1, 8)]  # each request's cost once


def test_meter_counts_and_stops_at_each_budget():
    llm = LLM(price_per_1k={"prompt": 1.0, "completion": 2.0})
    meter = Meter(Scripted(), llm.model_copy(update={"max_calls": 3}), Spent(calls=1))
    meter.complete(request())
    assert meter.over_budget() is None
    meter.embed(["a", "b"])
    assert meter.calls == 3 and meter.prompt_tokens == 12 and meter.completion_tokens == 5
    assert meter.cost == pytest.approx((12 * 1.0 + 5 * 2.0) / 1000)
    assert "llm.max_calls is 3" in meter.over_budget()
    assert "max_cost" in Meter(Scripted(), LLM(max_cost=0.0)).over_budget()
    assert "max_tokens" in Meter(Scripted(), LLM(max_tokens=0)).over_budget()
    (call,) = meter.take_embed_calls(step=5)
    assert (call.step, call.kind, call.attempts, call.prompt_tokens) == (5, "embed", 1, 2)
    assert meter.take_embed_calls(step=6) == []


def test_embedding_usage_counts_the_same_whatever_the_order_of_the_wrappers():
    def spent(build) -> tuple[int, int]:
        inner = Scripted()
        inner.embed_model = "emb"
        meter, outer = build(inner)
        for texts in (["a", "b"], ["b", "c"], ["a"]):
            outer.embed(texts)
        return meter.calls, meter.prompt_tokens

    def meter_inside(inner):
        meter = Meter(inner, LLM())
        return meter, Cache(EmbedBatcher(meter), AnswerBook(None), {})

    def meter_outside(inner):
        meter = Meter(Cache(EmbedBatcher(inner), AnswerBook(None), {}), LLM())
        return meter, meter

    # "a" and "b", then "c" were sent (two requests, three texts); the last call was cached
    assert spent(meter_inside) == spent(meter_outside) == (2, 3)


def test_cache_answers_again_only_the_same_question(tmp_path):
    inner = Scripted()
    store = AnswerBook(tmp_path / "c.sqlite")
    cache = Cache(inner, store, {"temperature": 0.7})
    ctx = {
        "options": ["厨房", "卧室"],
        "action": "做饭",
        "task": "做饭",
        "sector": "家",
        "default": "厨房",
    }
    first = cache.complete(request(**ctx))
    again = cache.complete(request(**ctx))
    retry = cache.complete(request(attempt=1, **ctx))  # a retry is a new question
    assert (first.cache_hit, again.cache_hit, retry.cache_hit) == (False, True, False)
    assert again.text == first.text and again.prompt_tokens == 0 and inner.calls == 2
    hotter = Cache(inner, store, {"temperature": 1.0})
    assert not hotter.complete(request(**ctx)).cache_hit  # other parameters, other key
    store.close()
    reopened = Cache(Scripted(), AnswerBook(tmp_path / "c.sqlite"), {"temperature": 0.7})
    assert reopened.complete(request(**ctx)).cache_hit  # committed at once, not at step end


def test_cache_keeps_embeddings_per_text(tmp_path):
    inner = Scripted()
    inner.embed_model = "emb"
    cache = Cache(inner, AnswerBook(None), {})
    first = cache.embed(["a", "b"])
    out = cache.embed(["b", "c", "a"])
    assert out.vectors.shape == (3, 4) and inner.calls == 2 and cache.hits == 2
    assert (first.requests, out.requests, out.tokens) == (1, 1, 1)  # only "c" was sent
    assert cache.embed(["a"]).requests == 0  # all from the cache: nothing spent


def test_pick_one_questions_get_their_options_as_an_enum_and_bounds():
    req = request(options=["厨房", "卧室"])
    schema = request_schema(req)
    assert schema["properties"]["choice"]["enum"] == ["厨房", "卧室"]
    assert "enum" not in KINDS["action_arena"].schema["properties"]["choice"]
    bounded = bounded_schema(KINDS["hourly_schedule"].schema, 50, 10)
    items = bounded["properties"]["schedule"]
    assert items["maxItems"] == 10 and items["items"]["properties"]["task"]["maxLength"] == 50


def test_a_retry_asks_for_json_only(monkeypatch):
    monkeypatch.setattr(Request, "prompt", property(lambda self: "问题"))
    assert user_text(request()) == "问题"
    assert "JSON" in user_text(request(attempt=1))


def test_scenario_accepts_the_llm_keys(tmp_path):
    (tmp_path / "t.yaml").write_text("world: stub\n", encoding="utf-8")
    agent = {
        "name": "甲",
        "age": 30,
        "innate": "x",
        "learned": "x",
        "currently": "x",
        "lifestyle": "x",
        "living_area": "家:卧室",
    }
    llm = {
        "backend": "gpt4all",
        "model": "m.gguf",
        "allow_download": True,
        "timeout": 30,
        "base_url": ["http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"],
    }
    sc = parse_scenario({"map": "t.yaml", "agents": [agent], "llm": llm}, "s.yaml", tmp_path)
    assert sc.llm.allow_download is True and sc.llm.max_concurrency == 64
    from runner.errors import RingWorldError

    with pytest.raises(RingWorldError, match="llm.base_url"):
        parse_scenario(
            {"map": "t.yaml", "agents": [agent], "llm": {"base_url": []}}, "s.yaml", tmp_path
        )
    with pytest.raises(RingWorldError, match="llm.max_calls"):
        parse_scenario(
            {"map": "t.yaml", "agents": [agent], "llm": {"max_calls": True}}, "s.yaml", tmp_path
        )
