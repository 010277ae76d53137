"""A voice of its own: in the 东北话 demo the styled agent's lines carry the style, the others'
do not, the prompt a model would get carries the style's example lines, and plans never do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import SCENARIOS
from engine_helpers import query
from mind_helpers import recorded_run

from runner.cli import main
from runner.policy.voice import flavour, style_marks
from runner.prompts.render import render_prompt
from runner.prompts.styles import STYLES, named_style, voice

ISABELLA = "伊莎贝拉·罗德里格斯"


@pytest.fixture(scope="module")
def dongbei(tmp_path_factory):
    return recorded_run(SCENARIOS / "dongbei.yaml", 8640, tmp_path_factory.mktemp("dongbei"))


def lines_by_speaker(sim: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for (lines,) in query(sim, "SELECT lines FROM conversations"):
        for speaker, line in json.loads(lines):
            out.setdefault(speaker, []).append(line)
    return out


def test_the_styled_agent_speaks_dongbei_and_the_others_do_not(dongbei):
    sim, _ = dongbei
    marks = style_marks("东北话")
    said = lines_by_speaker(sim)
    assert said.get(ISABELLA), "Isabella never talked"
    assert all(any(m in line for m in marks) for line in said[ISABELLA])
    others = [line for who, lines in said.items() if who != ISABELLA for line in lines]
    assert others and not any(m in line for line in others for m in marks)


def test_the_prompt_carries_the_example_lines_for_the_styled_agent_only(dongbei):
    _, requests = dongbei
    examples = named_style("东北话").examples
    turns = [r for r in requests if r.kind == "chat_turn"]
    mine = [r for r in turns if r.agent == ISABELLA]
    theirs = [r for r in turns if r.agent != ISABELLA]
    assert mine and theirs
    prompt = render_prompt("chat_turn", "zh", mine[0].context)
    assert "说话风格" in prompt and all(example in prompt for example in examples)
    plain = render_prompt("chat_turn", "zh", theirs[0].context)
    assert not any(example in plain for example in examples) and "说话风格" not in plain


def test_plans_never_carry_the_style(dongbei):
    _, requests = dongbei
    examples = named_style("东北话").examples
    spoken = {r.kind for r in requests if r.agent == ISABELLA and r.context.get("style")}
    assert spoken == {"chat_turn"}
    for r in requests:
        if r.agent == ISABELLA and r.kind in ("daily_plan", "hourly_schedule", "task_decomp"):
            prompt = render_prompt(r.kind, "zh", r.context)
            assert "说话风格" not in prompt and not any(e in prompt for e in examples)


def test_an_interview_answer_is_in_the_agents_voice(tmp_path):
    data = yaml.safe_load((SCENARIOS / "dongbei.yaml").read_text(encoding="utf-8"))
    for key in ("map", "history"):
        data[key] = str((SCENARIOS / data[key]).resolve())
    path = tmp_path / "dongbei.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cli = CliRunner()
    assert cli.invoke(main, ["run", str(path), "--steps", "50", "--quiet"]).exit_code == 0
    marks = style_marks("东北话")
    styled = cli.invoke(main, ["interview", "dongbei", ISABELLA, "你在忙什么？"])
    plain = cli.invoke(main, ["interview", "dongbei", "克劳斯·穆勒", "你在忙什么？"])
    assert styled.exit_code == 0 and plain.exit_code == 0, styled.output
    answer = styled.output.split("memories used:")[0]
    assert any(m in answer for m in marks)
    assert not any(m in plain.output.split("memories used:")[0] for m in marks)


def test_the_style_table():
    required = {"东北话", "四川话", "京片子", "台湾腔", "Southern US"}
    assert required <= {s.key for s in STYLES}
    for style in STYLES:
        assert 3 <= len(style.examples) <= 5
        assert style_marks(style.key), style.key  # the offline policy has its word table
        assert named_style(style.names[-1]) is style
        line = flavour(
            "你好，今天怎么样？" if style.key != "Southern US" else "Hi there", style.key, 1
        )
        assert any(m in line for m in style_marks(style.key))
    assert (
        named_style("东北腔").key == "东北话" and named_style("  SOUTHERN us ").key == "Southern US"
    )
    assert named_style("上海话") is None and flavour("你好", "上海话") == "你好"
    assert voice({"style": None}, "四川话")["style_examples"] == list(
        named_style("四川话").examples
    )
    assert voice({"style": "京片子"}, "四川话")["style"] == "京片子"  # the agent's own wins
    assert voice({"style": "上海话"}, None) == {"style": "上海话", "style_examples": []}
    assert voice({}, None) == {"style": None, "style_examples": []}
