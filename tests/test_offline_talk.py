"""The offline policy's talk reads like a town (issue 20, item 4): over the town25 day, most
lines are distinct, no opening dominates, speakers say «我» of themselves (never their own name
or their own 她/他), nobody says the other's action as their own; and the same in English.
The rule-based policy is no LLM: these are its rules' figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.talk_variety import figures, run_talk
from runner.policy.lines import chat_line
from runner.policy.scene import Scene
from runner.policy.text import persona_text
from runner.policy.voice import own_pronoun

ROOT = Path(__file__).resolve().parents[1]
ZH_CLAUSE = re.compile(r"[，。！？；：]")
# a clause in which the speaker says what it does: «我正在煮咖啡», «是啊，我在家吃早餐»
DOES = re.compile(r"我((?:正在|在)[^，。！？；]+)")


@pytest.fixture(scope="module")
def town_day():
    """town25, one game day, offline: (personas by name, conversations, figures)."""
    personas, convs, zh = run_talk(str(ROOT / "scenarios/town25.yaml"))
    return {p["name"]: p for p in personas}, convs, figures(personas, convs, zh)


def test_most_lines_are_distinct(town_day):
    f = town_day[2]
    assert f["lines"] > 200
    assert f["distinct"] / f["lines"] >= 0.8, f


def test_no_opening_opens_more_than_15_percent(town_day):
    f = town_day[2]
    assert f["conversations"] > 30
    assert f["top_opening_count"] / f["conversations"] <= 0.15, f["top_opening"]


def test_hardly_a_line_said_twice_by_one_speaker(town_day):
    f = town_day[2]
    assert len(f["repeats"]) <= f["lines"] // 100, f["repeats"]


def test_speakers_say_i_of_themselves(town_day):
    """Never the speaker's own name (but «我是X»), never its own 她/他 where it says «我»."""
    personas, convs, f = town_day
    assert f["self_named"] == []
    slips = []
    for conv in convs:
        for who, line in conv:
            pronoun = own_pronoun(personas[who], True) or _guess(personas[who], who)
            for clause in ZH_CLAUSE.split(line):
                if pronoun and "我" in clause and re.search(rf"{pronoun}(?!们)", clause):
                    slips.append((who, line))
    assert slips == []


def _guess(persona: dict, name: str) -> str | None:
    """The pronoun of the persona's sentences that open with its name, when one only."""
    about = [s for s in re.split(r"(?<=。)", persona_text(persona)) if s.strip().startswith(name)]
    used = {p for p in "她他" for s in about if re.search(rf"{p}(?!们)", s)}
    return used.pop() if len(used) == 1 else None


def test_nobody_says_the_others_action_as_its_own(town_day):
    """What one side said it does («我正在整理药柜») the other never then says of itself,
    but with «也» (also)."""
    claims = []
    for conv in town_day[1]:
        said: dict[str, set[str]] = {}
        for who, line in conv:
            mine = {m.removeprefix("正") for m in DOES.findall(line)}
            others = set().union(*(v for k, v in said.items() if k != who))
            claims += [(who, line) for m in mine if m in others]
            said.setdefault(who, set()).update(mine)
    assert claims == []


def _line(**c) -> str:
    base = {
        "lang": "zh",
        "history": [],
        "time": "09:00",
        "memories": [],
        "style": None,
        "relationship": "",
    }
    return chat_line({**base, **c}, 25)["line"]


def test_a_persona_sentence_becomes_first_person_whole():
    hailey = {
        "name": "海莉·约翰逊",
        "learned": "海莉·约翰逊是一位小说家。",
        "daily_requirement": "海莉·约翰逊每天在霍布斯咖啡馆写她的第一部长篇推理小说。",
    }
    scene = Scene({"lang": "zh", "persona": hailey, "name": "海莉·约翰逊", "listener": "王浩"})
    assert scene.projects == ["我每天在霍布斯咖啡馆写我的第一部长篇推理小说"]
    rajiv = {"name": "拉吉夫·帕特尔", "currently": "拉吉夫·帕特尔正在准备他的第一次个人画展。"}
    scene = Scene({"lang": "zh", "persona": rajiv, "name": "拉吉夫·帕特尔", "listener": "王浩"})
    assert scene.projects == ["我正在准备我的第一次个人画展"]


def test_nobody_asks_whether_the_other_waits_for_the_asker():
    klaus = {"name": "克劳斯·穆勒", "learned": "克劳斯·穆勒是学生。"}
    line = _line(
        name="克劳斯·穆勒",
        persona=klaus,
        listener="苏晓晴",
        own_action="在洗手池洗漱",
        listener_action="等克劳斯·穆勒用完洗手池",
    )
    assert "等克劳斯" not in line and "等我" in line


@pytest.mark.parametrize(
    ("learned", "bond"),
    [
        ("林建国和妻子方慧、女儿林小雨住在林家住宅。", "family"),
        ("店里的咖啡师方慧是她一手带出来的。", "colleague"),
        ("林建国和方慧是多年的老朋友。", "friend"),
        ("林建国和住在王家的邻居方慧很熟。", "neighbour"),
        ("林建国是药剂师。", "stranger"),
    ],
)
def test_who_the_listener_is_comes_from_the_persona(learned, bond):
    persona = {"name": "林建国", "learned": learned, "living_area": "林家住宅:主卧"}
    c = {"lang": "zh", "persona": persona, "name": "林建国", "listener": "方慧"}
    c |= {"own_action": "在仁心药房整理药柜", "listener_action": "在仁心药房买药"}
    assert Scene(c).bond == bond


def test_english_talk_is_english_and_first_person():
    personas, convs, zh = run_talk(str(ROOT / "scenarios/demo_en.yaml"))
    f = figures(personas, convs, zh)
    lines = [line for conv in convs for _, line in conv]
    assert not zh and lines
    assert all(line.isascii() and line not in ("", "...") for line in lines), lines
    assert f["self_named"] == []
    assert f["distinct"] == f["lines"]
