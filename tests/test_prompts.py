"""The prompt templates: one per kind and language, each rendering with the context its caller
passes (runner/agent/: plan.py, places.py, wait.py, converse.py, memory.py, reflect.py;
runner/levers.py), the persona and the answer schema first (tests/test_prompt_layout.py)."""

from __future__ import annotations

import json

import pytest

from runner.agent.wait import WAIT
from runner.prompts.kinds import KINDS
from runner.prompts.render import TEMPLATES, render_prompt

LANGS = ("zh", "en")

PERSONA = {
    "zh": {
        "name": "伊莎贝拉·罗德里格斯",
        "name_en": "Isabella Rodriguez",
        "age": 34,
        "innate": "友善、外向、好客",
        "learned": "伊莎贝拉·罗德里格斯是霍布斯咖啡馆的老板，记得大多数熟客爱喝什么。",
        "currently": "伊莎贝拉·罗德里格斯正在筹备2月14日下午5点在霍布斯咖啡馆举办的情人节派对。",
        "lifestyle": "伊莎贝拉·罗德里格斯通常早上6点起床，晚上11点睡觉。",
        "living_area": "伊莎贝拉的公寓:卧室",
        "daily_requirement": "伊莎贝拉·罗德里格斯每天早上8点打开霍布斯咖啡馆，一直忙到晚上8点。",
    },
    "en": {
        "name": "Isabella Rodriguez",
        "age": 34,
        "innate": "friendly, outgoing, hospitable",
        "learned": "Isabella Rodriguez owns Hobbs Cafe and knows what most regulars drink.",
        "currently": "Isabella Rodriguez is planning a Valentine's Day party at Hobbs Cafe.",
        "lifestyle": "Isabella Rodriguez wakes up around 6am and goes to bed around 11pm.",
        "living_area": "Isabella Rodriguez's apartment:bedroom",
        "daily_requirement": None,
    },
}

# Per language: home, known places (sector -> kind), a task, an action, the arenas and objects.
TOWN = {
    "zh": {
        "home": "伊莎贝拉的公寓",
        "places": {
            "伊莎贝拉的公寓": "home",
            "霍布斯咖啡馆": "cafe",
            "小镇广场": "square",
            "环界学院": "college",
            "好邻居超市": "grocery",
        },
        "plan": ["早上6点起床，洗漱、吃早饭", "早上8点到晚上8点在霍布斯咖啡馆上班", "晚上11点睡觉"],
        "task": "在霍布斯咖啡馆上班",
        "action": "给客人煮咖啡",
        "arenas": ["柜台", "后厨", "用餐区"],
        "objects": ["咖啡机", "收银台"],
        "other": ("克劳斯·穆勒", "Klaus Mueller"),
        "other_doing": "在霍布斯咖啡馆吃早饭",
        "history": [["克劳斯·穆勒", "早上好，伊莎贝拉！"]],
        "memories": [
            "克劳斯·穆勒正在霍布斯咖啡馆吃早饭",
            "和克劳斯·穆勒聊天，得知他在写一篇关于城市士绅化的论文",
            "伊莎贝拉·罗德里格斯正在布置情人节派对的装饰",
        ],
        "lines": [
            ["伊莎贝拉·罗德里格斯", "克劳斯，2月14日下午5点咖啡馆有情人节派对，你来吗？"],
            ["克劳斯·穆勒", "好啊，我一定到！"],
        ],
        "question": "伊莎贝拉·罗德里格斯最近在为什么事忙碌？",
        "note": "今天下午要去超市买派对用的水果",
        "view": "克劳斯·穆勒是常来店里的学生，为人认真",
        "interview": "你在筹备什么活动？",
        "knows": "你知道情人节派对的事吗？",
        "answers": ("我在准备情人节派对，14号下午5点在咖啡馆。", "不太记得了。"),
    },
    "en": {
        "home": "Isabella Rodriguez's apartment",
        "places": {
            "Isabella Rodriguez's apartment": "home",
            "Hobbs Cafe": "cafe",
            "Town Square": "square",
            "Ringworld College": "college",
            "Good Neighbour Grocery": "grocery",
        },
        "plan": ["wake up at 6am", "work at Hobbs Cafe from 8am to 8pm", "go to bed at 11pm"],
        "task": "working at Hobbs Cafe",
        "action": "brewing coffee for a customer",
        "arenas": ["counter", "back kitchen", "dining area"],
        "objects": ["coffee machine", "cash register"],
        "other": ("Klaus Mueller", "Klaus Mueller"),
        "other_doing": "having breakfast at Hobbs Cafe",
        "history": [["Klaus Mueller", "Morning, Isabella!"]],
        "memories": [
            "Klaus Mueller: having breakfast at Hobbs Cafe",
            "Talked with Klaus Mueller and learned that he is writing a paper on gentrification",
            "Isabella Rodriguez: putting up decorations for the Valentine's Day party",
        ],
        "lines": [
            [
                "Isabella Rodriguez",
                "Klaus, there's a Valentine's party at the cafe at 5pm on Feb 14. Coming?",
            ],
            ["Klaus Mueller", "Sure, I'll be there!"],
        ],
        "question": "What is Isabella Rodriguez busy with lately?",
        "note": "buy fruit for the party at the grocery this afternoon",
        "view": "Klaus Mueller is a student who often comes to the cafe; a serious young man",
        "interview": "What event are you planning?",
        "knows": "Do you know about the Valentine's Day party?",
        "answers": ("I'm planning a Valentine's party at the cafe, Feb 14 at 5pm.", "Not sure."),
    },
}


def context(kind: str, lang: str, **extra) -> dict:
    """The context ``kind`` gets from its caller, plus ``name`` and ``lang`` (Agent/Asker)."""
    p, t = PERSONA[lang], TOWN[lang]
    day = {"persona": p, "date": "2023-02-13"}
    planning = {**day, "wake_hour": 6, "places": t["places"], "home": t["home"]}
    planning["memories"] = t["memories"]
    other = t["other"][0]
    where = {"persona": p, "action": t["action"], "task": t["task"]}
    sector = next(s for s, k in t["places"].items() if k == "cafe")
    statements = [f"2月12日 10:0{i}：{m}" for i, m in enumerate(t["memories"])]
    contexts = {
        "revise_identity": {**day, "yesterday": "2023-02-12", "statements": statements},
        "wake_up_hour": day,
        "daily_plan": {**planning, "plan_note": t["note"]},
        "next_hour": {
            **day,
            "time": "09:00",
            "done": [["00:00", t["plan"][0]]],
            "places": t["places"],
            "memories": t["memories"],
        },
        "hourly_schedule": {**planning, "plan_note": "", "daily_plan": t["plan"]},
        "task_decomp": {
            "persona": p,
            "task": t["task"],
            "minutes": 720,
            "start": "08:00",
            "places": t["places"],
        },
        "action_sector": {
            **where,
            "options": list(t["places"]),
            "kinds": t["places"],
            "home": t["home"],
            "default": t["home"],
        },
        "action_arena": {
            **where,
            "sector": sector,
            "options": t["arenas"],
            "default": t["arenas"][0],
        },
        "action_details": {
            **where,
            "sector": sector,
            "arena": t["arenas"][0],
            "options": t["objects"],
            "default": t["objects"][0],
        },
        "decide_to_wait": {
            "persona": p,
            "action": t["action"],
            "object": t["objects"][0],
            "user": other,
            "user_action": t["other_doing"],
            "until": "08:45",
            "time": "08:30",
            "options": [WAIT[lang], *t["objects"][1:]],
            "default": WAIT[lang],
        },
        "decide_to_talk": {
            "persona": p,
            "other": {"names": list(t["other"])},
            "other_action": t["other_doing"],
            "own_action": t["action"],
            "hour_slot": 8,
            "memories": t["memories"][:2],
            "last_chat": {"time": "2月12日 18:00", "hours_ago": 14, "about": t["note"]},
            "view": t["view"],
            "time": "08:30",
        },
        "relationship": {"persona": p, "other": other, "statements": t["memories"]},
        "chat_turn": {
            "persona": p,
            "listener": t["other"][0],
            "own_action": t["action"],
            "listener_action": t["other_doing"],
            "relationship": t["view"],
            "history": t["history"],
            "style": None,
            "style_examples": [],
            "time": "08:30",
            "memories": t["memories"],
        },
        "conversation": {
            "persona": p,
            "partner": other,
            "sides": [
                {
                    "name": p["name"],
                    "persona": p,
                    "doing": t["action"],
                    "view": t["view"],
                    "memories": t["memories"][:2],
                    "style": None,
                    "style_examples": [],
                },
                {
                    "name": other,
                    "persona": {**p, "name": other, "learned": t["other_doing"]},
                    "doing": t["other_doing"],
                    "view": t["other"][1],
                    "memories": t["memories"][2:],
                    "style": "东北腔",
                    "style_examples": [],
                },
            ],
            "time": "08:30",
            "max_lines": 16,
        },
        "importance": {"persona": p, "memory_kind": "event", "description": t["memories"][0]},
        "importances": {
            "persona": p,
            "memories": [
                {"kind": k, "description": d}
                for k, d in zip(("event", "thought", "chat"), t["memories"])
            ],
        },
        "focal_points": {"persona": p, "statements": t["memories"]},
        "insights": {"persona": p, "question": t["question"], "statements": t["memories"]},
        "chat_summary": {"persona": p, "partner": other, "lines": t["lines"]},
        "after_chat": {
            "persona": p,
            "partner": other,
            "summary": t["memories"][1],
            "planning": t["lines"][0][1],
            "time": "08:40",
            "current_task": t["task"],
        },
        "revise_schedule": {
            "persona": p,
            "time": "09:00",
            "task": t["other_doing"],
            "task_minutes": 30,
            "window_start": "08:00",
            "window_end": "12:00",
            "window": [["08:00", t["task"], 240]],
            "planned_rest": [[t["task"], 150]],
            "minutes": 150,
        },
        "interview": {
            "persona": p,
            "question": t["interview"],
            "memories": t["memories"],
            "time": "21:00",
            "style": None,
            "style_examples": [],
        },
        "knows": {
            "persona": p,
            "question": t["knows"],
            "memories": t["memories"],
            "time": "21:00",
            "words": ["派对", "party"],  # for the offline policy; never shown
        },
        "judge": {"question": t["interview"], "first": t["answers"][0], "second": t["answers"][1]},
    }
    return {"name": p["name"], **contexts[kind], **extra, "lang": lang}


def kinds_in(lang: str) -> set[str]:
    """Kinds with a template in ``lang`` (files starting with '_' are shared includes)."""
    return {p.stem for p in (TEMPLATES / lang).glob("*.j2") if not p.name.startswith("_")}


def test_every_kind_has_a_template_in_each_language():
    assert kinds_in("zh") == kinds_in("en") == set(KINDS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_renders_with_name_and_schema(kind: str, lang: str):
    prompt = render_prompt(kind, lang, context(kind, lang))
    if kind != "judge":  # the judge sees the question and two answers, nobody's name
        assert PERSONA[lang]["name"] in prompt
    assert json.dumps(KINDS[kind].schema, ensure_ascii=False) in prompt
    assert "{{" not in prompt and "{%" not in prompt


@pytest.mark.parametrize("lang", LANGS)
def test_chat_turn_style(lang: str):
    styled = render_prompt("chat_turn", lang, context("chat_turn", lang, style="东北腔"))
    plain = render_prompt("chat_turn", lang, context("chat_turn", lang))
    assert "东北腔" in styled
    assert "东北腔" not in plain


@pytest.mark.parametrize("lang", LANGS)
def test_chat_turn_shows_history_or_opening(lang: str):
    ctx = context("chat_turn", lang)
    assert ctx["history"][0][1] in render_prompt("chat_turn", lang, ctx)
    opening = render_prompt("chat_turn", lang, context("chat_turn", lang, history=[]))
    assert ctx["history"][0][1] not in opening


@pytest.mark.parametrize("lang", LANGS)
def test_missing_optional_daily_requirement(lang: str):
    persona = {k: v for k, v in PERSONA[lang].items() if k != "daily_requirement"}
    prompt = render_prompt("wake_up_hour", lang, context("wake_up_hour", lang, persona=persona))
    assert persona["name"] in prompt


def test_weekday_in_date():
    assert "星期一" in render_prompt("wake_up_hour", "zh", context("wake_up_hour", "zh"))
    assert "Monday" in render_prompt("wake_up_hour", "en", context("wake_up_hour", "en"))


@pytest.mark.parametrize("lang", LANGS)
def test_knows_never_shows_the_words_that_count(lang: str):
    ctx = context("knows", lang, memories=["一条无关的记忆"], words=["秘密词"])
    prompt = render_prompt("knows", lang, ctx)
    assert ctx["question"] in prompt and "1. 一条无关的记忆" in prompt
    assert "秘密词" not in prompt


@pytest.mark.parametrize("lang", LANGS)
def test_the_judge_sees_the_question_and_both_answers_only(lang: str):
    ctx = context("judge", lang)
    prompt = render_prompt("judge", lang, ctx)
    assert ctx["question"] in prompt
    assert prompt.index(ctx["first"]) < prompt.index(ctx["second"])
    assert PERSONA[lang]["name"] not in prompt and PERSONA[lang]["innate"] not in prompt


@pytest.mark.parametrize("lang", LANGS)
def test_interview_has_the_question_and_every_memory(lang: str):
    ctx = context("interview", lang)
    prompt = render_prompt("interview", lang, ctx)
    assert ctx["question"] in prompt
    for memory in ctx["memories"]:
        assert memory in prompt
    assert ctx["question"] in render_prompt(
        "interview", lang, context("interview", lang, memories=[])
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("memory_kind", ["event", "thought", "chat"])
def test_importance_for_each_memory_kind(memory_kind: str, lang: str):
    ctx = context("importance", lang, memory_kind=memory_kind)
    assert ctx["description"] in render_prompt("importance", lang, ctx)


@pytest.mark.parametrize("lang", LANGS)
def test_chat_summary_and_after_chat_show_the_talk(lang: str):
    ctx = context("chat_summary", lang)
    prompt = render_prompt("chat_summary", lang, ctx)
    for _, line in ctx["lines"]:
        assert line in prompt
    ctx = context("after_chat", lang)
    prompt = render_prompt("after_chat", lang, ctx)
    assert ctx["summary"] in prompt and ctx["current_task"] in prompt and ctx["time"] in prompt
    bare = render_prompt(
        "after_chat", lang, context("after_chat", lang, summary="", current_task="")
    )
    assert ctx["summary"] not in bare and ctx["current_task"] not in bare


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_example_answer_passes_the_validator(kind: str, lang: str):
    """The prompt's example answer (the last line's JSON) is one the validator accepts."""
    ctx = context(kind, lang)
    example = render_prompt(kind, lang, ctx).splitlines()[-1]
    for start in [i for i, ch in enumerate(example) if ch == "{"]:
        try:
            answer = json.JSONDecoder().raw_decode(example[start:])[0]
        except ValueError:
            continue
        KINDS[kind].validate(answer, ctx)
        break
    else:
        raise AssertionError(f"no JSON example in {example!r}")
