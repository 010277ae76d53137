"""Events noted and judged together (``Mind.settle``), and who of a pair decides to talk."""

from __future__ import annotations

import numpy as np

from runner.agent.agent import decides
from runner.agent.memory import MemoryStream
from runner.agent.mind import NOTED_BATCH, Mind, MindSettings
from runner.agent.state import AgentState

STEPS_PER_HOUR = 360  # 10 s a step
WAIT = 30 * STEPS_PER_HOUR // 60


def a_mind() -> tuple[Mind, list[tuple[str, int]]]:
    """A mind whose questions are recorded as (kind, how many memories it judges)."""
    asked: list[tuple[str, int]] = []

    def ask(kind, step, **context):
        asked.append((kind, len(context.get("memories", [None]))))
        return [4] * len(context["memories"]) if kind == "importances" else 4

    def embed(texts):
        return np.ones((len(texts), 4), dtype=np.float32)

    state = AgentState(origin=(0, 0))
    mind = Mind(ask, embed, MemoryStream(4), MindSettings(), state, 0, {}, STEPS_PER_HOUR)
    return mind, asked


def test_noted_events_wait_and_are_judged_in_one_question():
    mind, asked = a_mind()
    for n in range(3):
        mind.observe(n, f"事件{n}", ("a", "b", str(n)))
        mind.settle(n)
    assert asked == [] and len(mind.memory) == 0 and len(mind.state.noted) == 3
    mind.settle(WAIT)  # the oldest has waited 30 game minutes
    assert asked == [("importances", 3)] and len(mind.memory) == 3
    assert mind.state.importance_sum == 12 and mind.state.noted == []


def test_rated_events_are_stored_at_once_and_a_full_batch_is_judged():
    mind, asked = a_mind()
    mind.observe(0, "我在看书", ("我", "在", "看书"), importance=2)  # rated by its own answer
    mind.settle(0)
    assert asked == [] and len(mind.memory) == 1
    for n in range(NOTED_BATCH):
        mind.observe(1, f"事件{n}", ("a", "b", str(n)))
    mind.settle(1)
    assert asked == [("importances", NOTED_BATCH)] and len(mind.memory) == 1 + NOTED_BATCH


def test_a_memory_asked_for_takes_the_noted_events_along():
    mind, asked = a_mind()
    mind.observe(0, "事件", ("a", "b", "c"))
    mind.settle(0)
    mind.remember("chat", 5, "我们聊了派对")  # its importance is asked: the event goes too
    assert asked == [("importances", 2)]
    assert [n.kind for n in mind.memory.nodes] == ["event", "chat"]
    mind.observe(6, "事件", ("a", "b", "c"))  # judged before: stored without a question
    mind.settle(6)
    assert len(asked) == 1 and len(mind.memory) == 3


def test_one_of_each_pair_decides():
    for i in range(12):
        others = [j for j in range(12) if j != i]
        mine = [j for j in others if decides(i, j)]
        assert all(decides(i, j) != decides(j, i) for j in others)
        assert 4 <= len(mine) <= 7  # about half of its pairs
