"""Retrieval over hand-built memory streams: each score component on its own."""

from __future__ import annotations

import numpy as np

from runner.agent.memory import MemoryStream, Node
from runner.agent.recollection import Recollection
from runner.agent.retrieve import RetrievalWeights, retrieve
from runner.llm.hashed import hashed_embed

HOUR = 360  # steps per game hour at 10 s a step


def unit(*values: float) -> np.ndarray:
    v = np.zeros(8, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def stream_of(*nodes: tuple[int, int, np.ndarray]) -> MemoryStream:
    """Nodes as (created step, importance, embedding)."""
    stream = MemoryStream(8)
    for i, (created, importance, emb) in enumerate(nodes):
        stream.add(Node("event", created, f"node {i}", importance), emb)
    return stream


def test_recent_beats_old_at_equal_relevance_and_importance():
    same = unit(1, 0)
    stream = stream_of((0, 5, same), (100 * HOUR, 5, same), (50 * HOUR, 5, unit(0, 1)))
    ids = retrieve(stream, unit(1, 0), step=101 * HOUR, steps_per_hour=HOUR, k=3)
    assert ids.index(1) < ids.index(0)


def test_important_beats_trivial_at_equal_recency_and_relevance():
    same = unit(1, 1)
    stream = stream_of((10, 2, same), (10, 9, same), (10, 5, unit(0, 0, 1)))
    ids = retrieve(stream, unit(1, 1), step=20, steps_per_hour=HOUR, k=3)
    assert ids.index(1) < ids.index(0)


def test_related_beats_unrelated_at_equal_recency_and_importance():
    stream = stream_of((10, 5, unit(0, 1)), (10, 5, unit(1, 0.1)), (10, 1, unit(0, 0, 1)))
    ids = retrieve(stream, unit(1, 0), step=20, steps_per_hour=HOUR, k=2)
    assert ids[0] == 1


def test_weights_can_switch_a_component_off():
    stream = stream_of((0, 9, unit(0, 1)), (10 * HOUR, 1, unit(1, 0)))
    only_importance = RetrievalWeights(recency=0, importance=1, relevance=0)
    assert retrieve(stream, unit(1, 0), 11 * HOUR, HOUR, 1, only_importance) == [0]
    only_relevance = RetrievalWeights(recency=0, importance=0, relevance=1)
    assert retrieve(stream, unit(1, 0), 11 * HOUR, HOUR, 1, only_relevance) == [1]


def test_retrieval_updates_last_access_so_the_node_counts_as_recent():
    same = unit(1, 0)
    stream = stream_of((0, 5, same), (5 * HOUR, 5, same))
    recency_only = RetrievalWeights(recency=1, importance=0, relevance=0)
    assert retrieve(stream, same, 6 * HOUR, HOUR, 1, recency_only) == [1]
    retrieve(stream, unit(1, 0), 7 * HOUR, HOUR, 2)  # touches both
    assert sorted(stream.accesses[-2:]) == [(0, 7 * HOUR), (1, 7 * HOUR)]
    untouched = retrieve(stream, same, 8 * HOUR, HOUR, 2, recency_only, touch=False)
    assert sorted(untouched) == [0, 1]
    assert len(stream.accesses) == 3  # the untouched retrieval recorded nothing


def test_stream_survives_store_rows():
    stream = stream_of((0, 3, unit(1, 0)), (HOUR, 7, unit(0, 1)))
    retrieve(stream, unit(0, 1), 2 * HOUR, HOUR, 1)
    rows = [stream.row(0, i) for i in range(len(stream))]
    back = MemoryStream.from_rows(8, rows, {1: 2 * HOUR})
    assert [n.description for n in back.nodes] == ["node 0", "node 1"]
    q = unit(0.3, 0.7)
    assert retrieve(back, q, 3 * HOUR, HOUR, 2, touch=False) == retrieve(
        stream, q, 3 * HOUR, HOUR, 2, touch=False
    )


def test_hashed_embeddings_find_related_chinese_and_english_text():
    embed = hashed_embed
    texts = [
        "伊莎贝拉在霍布斯咖啡馆筹备情人节派对",
        "克劳斯在图书馆写论文",
        "玛丽亚在宿舍直播打游戏",
        "Isabella is planning a Valentine's Day party at Hobbs Cafe",
    ]
    stream = MemoryStream(embed(["x"]).shape[1])
    for i, (text, emb) in enumerate(zip(texts, embed(texts))):
        stream.add(Node("event", i, text, 5), emb)
    flat = RetrievalWeights(recency=0, importance=0, relevance=1)
    assert retrieve(stream, embed(["情人节派对"])[0], 10, HOUR, 1, flat) == [0]
    assert retrieve(stream, embed(["论文"])[0], 10, HOUR, 1, flat) == [1]
    assert retrieve(stream, embed(["the party at the cafe"])[0], 10, HOUR, 1, flat) == [3]


def test_a_question_recalls_each_memory_once():
    """A long activity is remembered again every so often: the same text in several nodes
    (rw-batch interview showed «…正在准备派对的点心» twice). The memories shown for a question
    (interview, eval) hold each text once, its best-scored node, and still ``k`` of them."""
    party, other = unit(1, 0), unit(0.6, 0.8)
    stream = MemoryStream(8)
    for created, text, emb in [
        (0, "伊莎贝拉正在准备派对的点心", party),
        (HOUR, "伊莎贝拉正在准备派对的点心", party),
        (HOUR, "伊莎贝拉在柜台招呼客人", other),
        (0, "伊莎贝拉在看书", unit(0, 0, 1)),
    ]:
        stream.add(Node("event", created, text, 5), emb)
    memory = Recollection(0, {"name": "伊莎贝拉"}, stream, [10, 11, 12, 13], 2 * HOUR)
    shown = memory.recall(party, HOUR, 3, RetrievalWeights())
    texts = [stream.nodes[i].description for i in shown]
    assert len(texts) == len(set(texts)) == 3
    assert shown[0] == 1  # the later copy: more recent, the better score
