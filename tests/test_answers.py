"""The answer models (runner/prompts/answers.py): what each kind accepts, how it cleans and
bounds what a model wrote, and what it refuses (a refusal means the question is asked again)."""

from __future__ import annotations

import math

import pytest
from test_prompts import context

from runner.prompts.answer_types import MAX_EMOJI, MAX_TEXT
from runner.prompts.kinds import KINDS
from runner.prompts.render import render_prompt
from runner.testing.schema_answers import schema_answer


def read(kind: str, answer, lang: str = "en", **ctx):
    return KINDS[kind].validate(answer, context(kind, lang, **ctx))


def refused(kind: str, answer, **ctx) -> bool:
    try:
        read(kind, answer, **ctx)
    except (ValueError, KeyError, TypeError):
        return True
    return False


def test_numbers_are_clamped_and_must_be_numbers():
    assert read("wake_up_hour", {"hour": 1}) == 3
    assert read("wake_up_hour", {"hour": 30}) == 12
    assert read("wake_up_hour", {"hour": 6.7}) == 6
    assert read("importance", {"score": 0}) == 1 and read("importance", {"score": 99}) == 10
    for bad in (True, "7", None, [7], math.inf, math.nan):
        assert refused("wake_up_hour", {"hour": bad}), bad
    assert refused("importance", {}) and refused("importance", [5]) and refused("importance", 5)


def test_importances_need_a_score_per_memory():
    memories = [{"kind": "event", "description": d} for d in ("a", "b")]
    assert read("importances", {"scores": [0, 99, 4]}, memories=memories) == [1, 10]
    assert refused("importances", {"scores": [5]}, memories=memories)  # one score short
    assert refused("importances", {"scores": [5, "7"]}, memories=memories)
    assert refused("importances", {"score": 5}, memories=memories)


def test_a_summary_rates_its_notes_or_leaves_them_to_be_asked():
    rated = read("chat_summary", {"summary": "t", "importance": 7, "memo_importance": "x"})
    scores = (rated["importance"], rated["planning_importance"], rated["memo_importance"])
    assert scores == (7, 0, 0)  # 0: not given, asked in one question after


def test_a_summary_reconsiders_only_when_it_says_true():
    assert read("chat_summary", {"summary": "talked"})["reconsider"] is False
    assert read("chat_summary", {"summary": "talked", "reconsider": True})["reconsider"] is True
    assert read("chat_summary", {"summary": "talked", "reconsider": "yes"})["reconsider"] is False


def test_a_whole_conversation_takes_turns_from_the_first_speaker():
    sides = [{"name": "A"}, {"name": "B"}]
    talk = read("conversation", {"lines": ["hi", " hello\n", "bye"]}, sides=sides, max_lines=16)
    assert talk == [["A", "hi"], ["B", "hello"], ["A", "bye"]]
    assert refused("conversation", {"lines": ["hi"]}, sides=sides, max_lines=16)  # one side
    many = {"lines": [f"line {i}" for i in range(30)]}
    assert len(read("conversation", many, sides=sides, max_lines=4)) == 4


def test_text_is_one_line_bounded_and_not_empty():
    notes = read("chat_summary", {"summary": "  a\n b\tc  ", "planning": " p\nq ", "memo": 3})
    assert notes["summary"] == "a b c" and notes["planning"] == "p q" and notes["memo"] == ""
    assert read("chat_summary", {"summary": "x" * 500})["summary"] == "x" * MAX_TEXT
    assert read("interview", {"answer": "y" * 900})["answer"] == "y" * 600
    for bad in ("", "  \n ", 5, None, ["a"]):
        assert refused("chat_summary", {"summary": bad}), bad


def test_unknown_keys_are_ignored():
    assert read("importance", {"score": 4, "why": "because"}) == 4
    assert read("chat_turn", {"line": "Hi", "end": False, "mood": 1}) == {
        "line": "Hi",
        "end": False,
    }


def test_booleans_must_be_booleans():
    assert read("decide_to_talk", {"talk": True, "reason": "old friends"}) is True
    assert read("decide_to_talk", {"talk": False}) is False  # the reason is not used
    assert read("decide_to_talk", {"talk": False, "reason": 3}) is False
    for bad in ("true", 1, None):
        assert refused("decide_to_talk", {"talk": bad, "reason": "r"}), bad
        assert refused("chat_turn", {"line": "Hi", "end": bad}), bad


def test_lists_keep_their_first_items_and_must_not_be_empty():
    plan = [f"step {i}" for i in range(20)]
    assert read("daily_plan", {"plan": plan}) == plan[:12]
    assert read("daily_plan", {"plan": ["ok"] * 12 + [5]}) == ["ok"] * 12  # past 12: unread
    assert refused("daily_plan", {"plan": []}) and refused("daily_plan", {"plan": "wake up"})
    assert refused("daily_plan", {"plan": ["ok", ""]})
    assert read("focal_points", {"questions": [f"q{i}?" for i in range(9)]}) == [
        f"q{i}?" for i in range(5)
    ]


def test_schedule_minutes_are_made_to_fill_the_day():
    day = read("hourly_schedule", {"schedule": [{"task": "sleep", "minutes": 420}]})
    assert day == [["sleep", 1440]]
    long = [{"task": f"t{i}", "minutes": 600} for i in range(5)]
    assert read("hourly_schedule", {"schedule": long}) == [["t0", 600], ["t1", 600], ["t2", 240]]
    clamped = [{"task": "a", "minutes": -5}, {"task": "b", "minutes": 10}]
    assert read("hourly_schedule", {"schedule": clamped}) == [["a", 1], ["b", 1439]]
    assert refused("hourly_schedule", {"schedule": [{"task": "a"}]})
    assert refused("hourly_schedule", {"schedule": [{"task": "a", "minutes": "60"}]})


def test_subtasks_fill_the_task_minutes_from_the_context():
    steps = [{"action": "brew", "minutes": 30}, {"action": "serve", "minutes": 60}]
    assert read("task_decomp", {"subtasks": steps}, minutes=60) == [["brew", 30], ["serve", 30]]
    assert read("task_decomp", {"subtasks": steps}, minutes=120) == [["brew", 30], ["serve", 90]]
    assert refused("task_decomp", {"subtasks": [{"minutes": 5}]}, minutes=60)


DETAILS = {"emoji": "☕" * 20, "predicate": "brews", "object": "coffee " * 30}


@pytest.mark.parametrize("kind", ["action_sector", "action_arena", "action_details"])
def test_a_choice_must_be_one_of_the_options(kind: str):
    ctx = context(kind, "zh")
    option = ctx["options"][-1]
    rest = DETAILS if kind == "action_details" else {}
    value = KINDS[kind].validate({"choice": f" {option} ", **rest}, ctx)
    assert value == option or value["object"] == option
    assert refused(kind, {"choice": "somewhere else", **rest})
    with pytest.raises(ValueError, match="options"):  # no options in the context: no check
        KINDS[kind].answer.read({"choice": option, **rest}, {})


def test_action_details_make_the_event_triple():
    answer = {"choice": context("action_details", "en")["options"][0], **DETAILS}
    value = read("action_details", answer)
    assert value["emoji"] == "☕" * MAX_EMOJI
    assert value["event"][:2] == [context("action_details", "en")["name"], "brews"]
    assert len(value["event"][2]) == 60
    assert value["object_state"] == "in use"  # left out: the object is just in use
    assert value["importance"] is None  # left out: asked with the step's other memories
    assert read("action_details", {**answer, "importance": 11})["importance"] == 10
    assert read("action_details", {**answer, "importance": "high"})["importance"] is None
    answer["object_state"] = "  brewing   coffee " * 5
    assert read("action_details", answer)["object_state"] == ("brewing coffee " * 3)[:40]


def test_insight_evidence_keeps_only_numbers_of_statements():
    count = len(context("insights", "en")["statements"])
    items = [{"insight": "busy", "evidence": [count, 0, count + 1, 1, 1, "2", 2.0]}]
    thinks = ["Isabella Rodriguez", "thinks", ""]  # no triple given: the agent thinks it
    assert read("insights", {"insights": items}) == [
        {"insight": "busy", "evidence": [1, count], "triple": thinks, "importance": None}
    ]  # no importance given: it is asked with the others
    assert (
        read("insights", {"insights": [{"insight": "x", "evidence": []}] * 7})
        == [{"insight": "x", "evidence": [], "triple": thinks, "importance": None}] * 5
    )
    rated = {"insight": "x", "evidence": [1], "importance": 12}
    assert read("insights", {"insights": [rated]})[0]["importance"] == 10
    own = {"insight": "x", "evidence": [1], "subject": "Klaus", "predicate": "likes"}
    assert read("insights", {"insights": [own]})[0]["triple"] == ["Klaus", "likes", ""]
    assert refused("insights", {"insights": [{"insight": "x", "evidence": 1}]})
    assert refused("insights", {"insights": [{"insight": "x"}]})


def test_after_chat_optional_task_and_minutes():
    nulls = {"change": False, "task": None, "minutes": None}
    assert read("after_chat", nulls) == {"change": False}
    assert read("after_chat", {"change": False}) == {"change": False}
    assert read("after_chat", {"change": False, "task": "", "minutes": "soon"}) == {"change": False}
    changed = {"change": True, "task": " go to the  party ", "minutes": 500}
    assert read("after_chat", changed) == {
        "change": True,
        "task": "go to the party",
        "minutes": 180,
    }
    assert read("after_chat", {**changed, "minutes": 1})["minutes"] == 5
    assert refused("after_chat", {"change": True, "task": None, "minutes": 30})
    assert refused("after_chat", {"change": True, "task": "walk", "minutes": None})
    assert refused("after_chat", {"change": True, "task": "walk"})
    assert refused("after_chat", {"change": "yes"})


def shape(value):
    """The type structure of a value: its type, and its items' shapes for lists and dicts (an
    empty list, as a cited list of a fail-safe, is a list of anything)."""
    if isinstance(value, list):
        return [list, sorted({repr(shape(v)) for v in value})] if value else list
    if isinstance(value, dict):
        return [dict, {k: shape(v) for k, v in value.items()}]
    return type(value)


def same(a, b) -> bool:
    """Equal shapes, an empty list (``list``) matching any list."""
    if a is list or b is list:
        return all(x is list or (isinstance(x, list) and x[0] is list) for x in (a, b))
    if isinstance(a, list) and isinstance(b, list) and a[0] is b[0] is dict:
        return a[1].keys() == b[1].keys() and all(same(a[1][k], b[1][k]) for k in a[1])
    return a == b


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"insights", "after_chat", "judge"}))
def test_every_fail_safe_has_the_shape_of_an_answer(kind: str, lang: str):
    """A fail-safe stands in for a validated answer, so it must look like one."""
    ctx = context(kind, lang)
    answer = schema_answer(KINDS[kind].schema, render_prompt(kind, lang, ctx))
    assert same(shape(KINDS[kind].failsafe(ctx)), shape(KINDS[kind].validate(answer, ctx)))
    if KINDS[kind].picks_option:
        assert KINDS[kind].failsafe(ctx) in ctx["options"]


def test_the_fail_safes_of_insights_after_chat_and_judge():
    assert KINDS["insights"].failsafe(context("insights", "en")) == []
    assert KINDS["judge"].failsafe(context("judge", "en")) is None  # no verdict, not a draw
    assert KINDS["after_chat"].failsafe(context("after_chat", "en")) == {"change": False}


def test_interview_and_knows_cite_only_memories_they_were_shown():
    count = len(context("knows", "en")["memories"])
    answer = {"answer": "I heard of it.", "cited": [count + 1, 1, 0, True, 1]}
    assert read("interview", answer) == {"answer": "I heard of it.", "cited": [1]}
    assert read("interview", {"answer": "No idea."}) == {"answer": "No idea.", "cited": []}
    assert read("knows", {"knows": False, "detail": "", "cited": []}) == {
        "knows": False,
        "detail": "",
        "cited": [],
    }
    long = read("knows", {"knows": True, "detail": "x\n" * 400, "cited": [count]})
    assert long["cited"] == [count] and len(long["detail"]) == 300
    assert refused("knows", {"knows": "yes", "detail": "", "cited": []})
    assert refused("knows", {"knows": True, "detail": "x", "cited": 1})


def test_a_judge_verdict_is_first_second_or_draw():
    for verdict in ("first", "second", "draw"):
        assert read("judge", {"verdict": verdict, "reason": "r"}) == verdict
    assert read("judge", {"verdict": "draw"}) == "draw"  # the reason is not used
    for bad in ("First", "both", "", 1, None):
        assert refused("judge", {"verdict": bad, "reason": "r"}), bad
