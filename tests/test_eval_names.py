"""Names of people and places not in the town, in Chinese and English answers."""

from __future__ import annotations

import pytest
from eval_helpers import known_names

from runner.eval.names import KnownNames, NameHit, candidates

P, L = "person", "place"


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        # known names and places, written whole, with another dot, or by another place word
        ("我和伊莎贝拉·罗德里格斯在霍布斯咖啡馆聊天。", []),
        ("伊莎贝拉•罗德里格斯说要去环界学院的图书馆。", []),
        ("我去霍布斯咖啡店喝了一杯。", []),
        ("听说伊莎贝拉·罗；我记得", []),  # a known name cut short where a memory was bounded
        ("Yesterday Maria went to Hobbs Coffee with Klaus Mueller.", []),
        ("I'll see Isabella Rodriguez at Hobbs Cafe on Valentine's Day.", []),
        ("Professor Lopez and the Lin family.", []),
        ("陈老师和罗先生都来了。", []),  # agents have these surnames
        # generic words are not names
        ("我去了咖啡馆，然后去了镇上的酒吧，又去了一家小公园。", []),
        ("他是历史教授，也是大学生的朋友。", []),
        ("The Town is quiet. On Monday I went to the library.", []),
        # strangers
        ("我昨天遇到了约翰·史密斯，他说要去老街咖啡馆。", [(P, "约翰·史密斯"), (L, "老街咖啡馆")]),
        ("伊莎贝拉·陈是谁？", [(P, "伊莎贝拉·陈")]),  # a mix of two names
        ("赵老师让我去图书馆。", [(P, "赵老师")]),
        ("I met John Smith at the Rose Bar.", [(P, "John Smith"), (L, "Rose Bar")]),
        ("Then Dr. Watson came.", [(P, "Dr. Watson")]),
        ("Maria Rodriguez is nice.", [(P, "Maria Rodriguez")]),  # a mix of two names
        ("The Town Hall is big.", [(L, "Town Hall")]),
    ],
)
def test_candidates(text, hits):
    assert candidates(text, known_names()) == [NameHit(kind, name) for kind, name in hits]


def test_names_mentioned_by_the_scenario_are_known():
    people = ["山姆·摩尔", "Sam Moore"]
    persona = "山姆·摩尔年轻时在约翰·史密斯的农场打工。He worked for John Smith."
    plain = KnownNames(people, ["环界小镇"])
    told = KnownNames(people, ["环界小镇"], mentioned=[persona])
    answer = "我听说约翰·史密斯是山姆的老朋友，John Smith lives far away."
    assert [h.text for h in candidates(answer, plain)] == ["约翰·史密斯", "John Smith"]
    assert candidates(answer, told) == []
