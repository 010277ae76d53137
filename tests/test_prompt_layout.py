"""How the prompts are laid out: what does not change for an agent first (its persona, then the
kind's instructions to answer in JSON and the schema), the question after; the kinds that show
several memories or both sides of a talk show every one of them, in order."""

from __future__ import annotations

import json

import pytest
from test_prompts import LANGS, PERSONA, TOWN, context

from runner.prompts.kinds import KINDS
from runner.prompts.render import render_prompt


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"judge"}))
def test_the_persona_and_the_schema_come_before_the_question(kind: str, lang: str):
    """Two questions of one kind from one agent share their prompt up to the schema: the
    prefix a server's cache keeps."""
    ctx = context(kind, lang)
    prompt = render_prompt(kind, lang, ctx)
    schema = json.dumps(KINDS[kind].schema, ensure_ascii=False)
    end = prompt.index(schema) + len(schema)
    assert (
        prompt.startswith("【人物】" if lang == "zh" else "[Persona]")
        or prompt.index(PERSONA[lang]["innate"]) < end
    )
    assert PERSONA[lang]["innate"] in prompt[:end]
    other = render_prompt(kind, lang, {**ctx, "time": "23:59", "action": "x", "question": "y"})
    assert other[:end] == prompt[:end]


@pytest.mark.parametrize("lang", LANGS)
def test_persona_block_comes_first(lang: str):
    prompt = render_prompt("daily_plan", lang, context("daily_plan", lang))
    p = PERSONA[lang]
    for key in ("innate", "learned", "currently", "lifestyle"):
        assert p[key] in prompt
    assert prompt.index(p["innate"]) < prompt.index(TOWN[lang]["home"])
    if p["daily_requirement"]:
        assert p["daily_requirement"] in prompt


@pytest.mark.parametrize("lang", LANGS)
def test_conversation_shows_both_sides(lang: str):
    ctx = context("conversation", lang)
    prompt = render_prompt("conversation", lang, ctx)
    first, second = ctx["sides"]
    assert prompt.index(PERSONA[lang]["innate"]) < prompt.index(second["persona"]["learned"])
    for side in ctx["sides"]:
        assert side["view"] in prompt and side["doing"] in prompt
        assert all(memory in prompt for memory in side["memories"])
    assert "东北腔" in prompt  # the second side's voice, and only in its part
    assert prompt.index("东北腔") > prompt.index(second["view"])


@pytest.mark.parametrize("lang", LANGS)
def test_importances_lists_every_memory_in_order(lang: str):
    ctx = context("importances", lang)
    prompt = render_prompt("importances", lang, ctx)
    places = [prompt.index(m["description"]) for m in ctx["memories"]]
    assert len(places) == 3 and places == sorted(places)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["action_sector", "action_arena", "action_details"])
def test_choice_prompts_list_every_option(kind: str, lang: str):
    ctx = context(kind, lang)
    prompt = render_prompt(kind, lang, ctx)
    lines = prompt.splitlines()
    for option in ctx["options"]:
        assert any(line.startswith(f"- {option}") for line in lines), option


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "kind", ["daily_plan", "hourly_schedule", "decide_to_talk", "chat_turn", "interview", "knows"]
)
def test_memories_are_shown(kind: str, lang: str):
    ctx = context(kind, lang)
    prompt = render_prompt(kind, lang, ctx)
    for memory in ctx["memories"]:
        assert memory in prompt
    if kind not in ("interview", "knows"):  # with no memories, nothing about them is said
        empty = render_prompt(kind, lang, context(kind, lang, memories=[]))
        assert all(memory not in empty for memory in ctx["memories"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "key"), [("insights", "statements"), ("interview", "memories")])
def test_cited_items_are_numbered_from_1(kind: str, key: str, lang: str):
    ctx = context(kind, lang)
    lines = render_prompt(kind, lang, ctx).splitlines()
    for n, statement in enumerate(ctx[key], start=1):
        assert f"{n}. {statement}" in lines
    assert f"0. {ctx[key][0]}" not in lines
