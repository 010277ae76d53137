"""The offline interview answer speaks of the agent in the first person and tells each thing
once: «伊莎贝拉·罗德里格斯正在准备派对的点心», said by 伊莎贝拉, is «我正在准备派对的点心»."""

from __future__ import annotations

import json

import pytest
from conftest import SCENARIOS

from runner import batch, levers
from runner.llm.base import Request
from runner.policy.offline import OfflinePolicy

ISABELLA = "伊莎贝拉·罗德里格斯"
KLAUS = {
    "name": "克劳斯·穆勒",
    "learned": "克劳斯·穆勒是环界学院的学生。他和玛丽亚·洛佩兹住在同一栋宿舍，常和她一起讨论。",
    "currently": "克劳斯·穆勒正在准备他的第一次个人画展。",
}
ISABELLA_EN = {
    "name": "Isabella Rodriguez",
    "learned": "Isabella Rodriguez is the owner of Hobbs Cafe. She knows most regulars by name "
    "and remembers what they like to drink.",
    "currently": "Isabella Rodriguez is planning a party.",
}


def interview(lang: str, persona: dict, memories: list[str]) -> dict:
    context = {
        "lang": lang,
        "name": persona["name"],
        "persona": persona,
        "question": "你今天在忙什么？" if lang == "zh" else "What are you up to?",
        "time": "18:00",
        "style": None,
        "memories": memories,
    }
    answer = OfflinePolicy().complete(Request("interview", lang, context, {})).text
    return json.loads(answer)


def test_a_memory_about_herself_is_said_as_i_and_once():
    memories = [
        f"{ISABELLA}正在准备派对的点心",
        f"{ISABELLA}正在准备派对的点心",
        "我和玛丽亚·洛佩兹是老朋友，她常来店里看书",
        "克劳斯·穆勒正在图书馆看书",
    ]
    got = interview("zh", {"name": ISABELLA, "currently": ""}, memories)
    assert got["answer"] == (
        "我想想……我正在准备派对的点心；我和玛丽亚·洛佩兹是老朋友，她常来店里看书；"
        "克劳斯·穆勒正在图书馆看书。"
    )
    assert got["cited"] == [1, 3, 4]  # the repeated memory neither said nor cited


def test_the_personas_own_pronoun_becomes_i_and_another_persons_stays():
    memories = [KLAUS["currently"], KLAUS["learned"]]
    answer = interview("zh", KLAUS, memories)["answer"]
    assert "我正在准备我的第一次个人画展" in answer
    assert "我和玛丽亚·洛佩兹住在同一栋宿舍，常和她一起讨论" in answer  # 她 is 玛丽亚
    assert "克劳斯" not in answer and "他" not in answer


def test_news_heard_twice_is_told_once():
    news = "伊莎贝拉·罗德里格斯计划2月14日在霍布斯咖啡馆举办情人节派对"
    memories = [
        f"和玛丽亚·洛佩兹聊天，得知：{news}",
        f"克劳斯·穆勒想记住的事：玛丽亚说：好！对了，听说{news}",
    ]
    answer = interview("zh", KLAUS, memories)["answer"]
    assert answer.count(news) == 1 and "我想记住的事：玛丽亚说：好" in answer


def test_in_english_she_is_becomes_i_am():
    memories = [
        "Isabella Rodriguez is preparing snacks for the party",
        "Isabella Rodriguez: write the party guest list",
        ISABELLA_EN["learned"],
        "Maria Lopez is talking with Isabella Rodriguez about Isabella Rodriguez's party",
    ]
    got = interview("en", ISABELLA_EN, memories)
    assert got["answer"] == (
        "Let me think... I am preparing snacks for the party; I write the party guest list; "
        "I am the owner of Hobbs Cafe. I know most regulars by name and remember what they like "
        "to drink."
    )
    other = interview("en", ISABELLA_EN, memories[3:])["answer"]
    assert other == "Let me think... Maria Lopez is talking with me about my party."


@pytest.mark.parametrize("question", ["你今天在忙什么？", "你在筹备什么活动？"])
def test_interviewed_after_a_demo_day_she_speaks_of_herself_as_i(question, demo_day):
    answer, cited = levers.interview(demo_day, ISABELLA, question)
    assert ISABELLA not in answer and "我正在" in answer
    assert len(cited) == len(set(cited)) == 3  # three memories, each another
    for text in cited:
        assert answer.count(text.replace(ISABELLA, "我").rstrip("。")) == 1, answer


@pytest.fixture(scope="module")
def demo_day(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return batch.run_scenario(SCENARIOS / "demo.yaml", out_root=out).sim_dir
