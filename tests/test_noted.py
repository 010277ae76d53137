"""Events noted and judged together (``Memory.settle``), and who of a pair decides to talk."""

from __future__ import annotations

import numpy as np

from runner.agent.converse import decides
from runner.agent.memory import NOTED_BATCH, Memory, MemoryState, MemoryStream
from runner.agent.reflect import Reflection, ReflectState
from runner.agent.retrieve import RetrievalWeights, Retriever

STEPS_PER_HOUR = 360  # 10 s a step
WAIT = 30 * STEPS_PER_HOUR // 60


def a_mind() -> tuple[Memory, ReflectState, list[tuple[str, int]]]:
    """A memory whose questions are recorded as (kind, how many memories it judges), and the
    state of a reflection that counts what it stores."""
    asked: list[tuple[str, int]] = []

    def ask(kind, step, **context):
        asked.append((kind, len(context.get("memories", [None]))))
        return [4] * len(context["memories"]) if kind == "importances" else 4

    def embed(texts):
        return np.ones((len(texts), 4), dtype=np.float32)

    stream = MemoryStream(4)
    mind = Memory(stream, MemoryState(), ask, embed, dict, STEPS_PER_HOUR)
    retriever = Retriever(stream, embed, STEPS_PER_HOUR, RetrievalWeights(), 30)
    reflection = Reflection(ReflectState(), mind, retriever, ask, dict, threshold=10**9)
    return mind, reflection.state, asked


def test_noted_events_wait_and_are_judged_in_one_question():
    mind, reflect, asked = a_mind()
    for n in range(3):
        mind.observe(n, f"事件{n}", ("a", "b", str(n)))
        mind.settle(n)
    assert asked == [] and len(mind.stream) == 0 and len(mind.state.noted) == 3
    mind.settle(WAIT)  # the oldest has waited 30 game minutes
    assert asked == [("importances", 3)] and len(mind.stream) == 3
    assert reflect.importance_sum == 12 and mind.state.noted == []


def test_rated_events_are_stored_at_once_and_a_full_batch_is_judged():
    mind, reflect, asked = a_mind()
    mind.observe(0, "我在看书", ("我", "在", "看书"), importance=2)  # rated by its own answer
    mind.settle(0)
    assert asked == [] and len(mind.stream) == 1
    for n in range(NOTED_BATCH):
        mind.observe(1, f"事件{n}", ("a", "b", str(n)))
    mind.settle(1)
    assert asked == [("importances", NOTED_BATCH)] and len(mind.stream) == 1 + NOTED_BATCH


def test_a_memory_asked_for_takes_the_noted_events_along():
    mind, reflect, asked = a_mind()
    mind.observe(0, "事件", ("a", "b", "c"))
    mind.settle(0)
    mind.remember("chat", 5, "我们聊了派对")  # its importance is asked: the event goes too
    assert asked == [("importances", 2)]
    assert [n.kind for n in mind.stream.nodes] == ["event", "chat"]
    mind.observe(6, "事件", ("a", "b", "c"))  # judged before: stored without a question
    mind.settle(6)
    assert len(asked) == 1 and len(mind.stream) == 3


def test_one_of_each_pair_decides():
    for i in range(12):
        others = [j for j in range(12) if j != i]
        mine = [j for j in others if decides(i, j)]
        assert all(decides(i, j) != decides(j, i) for j in others)
        assert 4 <= len(mine) <= 7  # about half of its pairs
