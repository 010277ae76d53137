"""The 25-question interview battery in zh and en."""

from __future__ import annotations

import re

import pytest
from eval_helpers import AGENTS, ISA, NAMES

from runner.eval.battery import battery, local_name, templates
from runner.eval.results import CATEGORIES

PLACES_ZH = ["霍布斯咖啡馆", "环界学院", "老钟酒吧"]
PLACES_EN = ["Hobbs Cafe", "Ringworld College", "Old Bell Bar"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_25_questions_in_five_categories_with_names_filled(lang):
    names = [local_name(a, lang) for a in AGENTS]
    places = PLACES_ZH if lang == "zh" else PLACES_EN
    for agent in names:
        questions = battery(agent, names, places, lang, seed=4)
        assert len(questions) == 25
        assert [q.category for q in questions] == [c for c in CATEGORIES for _ in range(5)]
        assert len({q.id for q in questions}) == 25
        assert questions[5].id == "memory-1"
        text = " ".join(q.text for q in questions)
        assert "{" not in text and "[" not in text
        assert agent not in text  # never asked about oneself
        assert all(name in text for name in names if name != agent)  # three others, 8 slots
        assert any(place in text for place in places)
    script = r"[\u4e00-\u9fff]" if lang == "zh" else r"^[ -~]+$"
    assert all(re.search(script, q.text) for q in battery(names[0], names, places, lang, 4))


def test_the_paper_questions_are_there():
    zh = [q.text for q in battery(ISA, NAMES, PLACES_ZH, "zh", seed=1)]
    en = [q.text for q in battery("Isabella Rodriguez", ["Maria Lopez"], PLACES_EN, "en", 1)]
    assert zh[0] == "请介绍一下你自己。" and en[0] == "Give an introduction of yourself."
    assert "明天上午10点你会做什么？" in zh and "What will you be doing at 10 am tomorrow?" in en
    assert "你的早饭烧糊了！你会怎么做？" in zh
    assert zh[-1] == "如果要和最近遇到的一个人共度时光，你会选谁？为什么？"
    assert en[5] == "Who is Maria Lopez?"  # one other agent fills every slot


def test_both_languages_ask_the_same_questions():
    zh, en = templates("zh"), templates("en")
    assert len(zh) == len(en) == 25
    for (qid, category, a), (qid_en, category_en, b) in zip(zh, en, strict=True):
        assert (qid, category) == (qid_en, category_en)
        assert sorted(re.findall(r"{\w+}", a)) == sorted(re.findall(r"{\w+}", b)), qid


def test_names_are_chosen_with_the_seed():
    town = [f"居民{i}" for i in range(25)]
    one = battery("居民0", town, PLACES_ZH, "zh", seed=9)
    assert one == battery("居民0", town, PLACES_ZH, "zh", seed=9)
    assert one != battery("居民0", town, PLACES_ZH, "zh", seed=10)
    assert one != battery("居民1", town, PLACES_ZH, "zh", seed=9)
    asked = re.findall(r"居民\d+", " ".join(q.text for q in one))
    assert len(set(asked)) == 8  # eight distinct people while there are enough


def test_a_battery_needs_someone_and_somewhere():
    with pytest.raises(ValueError, match="at least one other agent"):
        battery(ISA, [ISA], PLACES_ZH, "zh", seed=1)
    with pytest.raises(ValueError, match="lang must be zh or en"):
        battery(ISA, NAMES, PLACES_ZH, "fr", seed=1)
