"""Thinking ahead (issue 19): a copy of a waiting agent asks its likely next questions; the
agent's own question then takes that request as its own, a request no one takes is kept as an
``ahead`` row, and the same question asked twice at once is sent once."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from runner.agent.move import Position
from runner.agent.town import Seen, View
from runner.llm import priority
from runner.llm.base import Request, Response
from runner.llm.cache import Cache
from runner.llm.wrapper import Wrapper
from runner.prompts.kinds import KINDS
from runner.store.answers import AnswerBook
from runner.thinkahead import ThinkAhead, same_reading


class Counting(Wrapper):
    """A model that answers each prompt with its number of requests so far; ``gate``, once
    cleared, holds every answer until it is set again."""

    name, model = "counting", "m"

    def __init__(self) -> None:
        self.sent = 0
        self.gate = threading.Event()
        self.gate.set()
        self.inner = None

    def complete(self, request: Request) -> Response:
        assert self.gate.wait(30)
        self.sent += 1
        return Response(f'{{"n": {self.sent}}}', prompt_tokens=10, completion_tokens=3)


def ask(cache: Cache, who: str = "甲") -> Response:
    kind = "action_arena"
    context = {"name": who, "lang": "zh", "options": ["厨房", "卧室"], "action": "做饭"}
    context |= {"task": "做饭", "sector": "家", "default": "厨房"}
    return cache.complete(Request(kind, "zh", context, KINDS[kind].schema, who))


def test_a_request_sent_ahead_answers_the_agents_own_question_once():
    model = Counting()
    cache = Cache(model, AnswerBook(None), {})
    with priority.asking(5, 2), priority.ahead():
        sent = ask(cache)
    own = ask(cache)  # the agent itself, later
    again = ask(cache)
    assert model.sent == 1 and cache.claimed == 1
    assert own is sent and not own.cache_hit and own.completion_tokens == 3  # sent for it
    assert again.cache_hit and again.text == sent.text
    assert cache.unclaimed(1 << 30) == []


def test_a_request_sent_ahead_in_vain_is_an_ahead_row_of_its_step():
    cache = Cache(Counting(), AnswerBook(None), {})
    with priority.asking(5, 2), priority.ahead():
        ask(cache, "乙")  # a guess that was wrong
    assert cache.unclaimed(4) == []  # step 5 is not stored yet
    (row,) = cache.unclaimed(5)
    assert (row.step, row.agent, row.kind, row.outcome, row.cache_hit) == (
        5, 2, "action_arena", "ahead", 0,
    )  # fmt: skip
    assert row.prompt_tokens == 10 and cache.unclaimed(5) == []


def test_the_same_question_asked_twice_at_once_is_sent_once():
    model = Counting()
    model.gate.clear()
    cache = Cache(model, AnswerBook(None), {})
    got: list[Response] = []
    threads = [threading.Thread(target=lambda: got.append(ask(cache))) for _ in range(2)]
    for thread in threads:
        thread.start()
    model.gate.set()
    for thread in threads:
        thread.join(30)
    assert len(got) == 2 and model.sent == 1
    assert sorted(r.cache_hit for r in got) == [False, True]


def _seen(index: int, tile: tuple[int, int], doing: str = "走路") -> Seen:
    return Seen(index, Position(tile), None, None, tile, False, doing, (doing, ("", "", "")))


def test_a_guess_is_right_when_the_agent_reads_the_same_of_it():
    me, near, far = _seen(0, (10, 10)), _seen(1, (12, 10)), _seen(2, (30, 10))
    real = View.of(3, [me, near, far], {})
    moved_far = View.of(3, [me, near, _seen(2, (31, 10))], {})
    moved_near = View.of(3, [me, _seen(1, (13, 10)), far], {})
    other_doing = View.of(3, [me, _seen(1, (12, 10), "读书"), far], {})
    assert same_reading(moved_far, real, 0, 4, objects=False)  # beyond its sight: not read
    assert not same_reading(moved_far, real, 0, 4, objects=True)  # a room with objects: all
    assert not same_reading(moved_near, real, 0, 4, objects=False)
    assert not same_reading(other_doing, real, 0, 4, objects=False)
    missing_me = View.of(3, [near, far], {})
    assert not same_reading(missing_me, real, 0, 4, objects=False)


def test_a_copy_that_fails_is_dropped_and_the_next_wait_makes_a_new_one():
    made: list[object] = []

    class Agents(ThinkAhead):
        @staticmethod
        def _copy_of(agent):
            made.append(agent)
            return agent

    agent = SimpleNamespace(town=SimpleNamespace(vision_radius=4))
    ahead = Agents([agent], lambda agent, step: None)
    first = ahead.next(0, 10, 100)
    ahead.drop(0, first)
    assert first.dropped and 0 not in ahead.copies
    second = ahead.next(0, 10, 100)
    assert second is not first and second.next == 11 and len(made) == 2
