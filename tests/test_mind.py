"""The agent's mind over a whole game day: memories, reflection, conversations, news spreading,
fail-safes, re-planning and the user's levers (whisper, load-history, interview, fork)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import scenario_data, write_scenario
from engine_helpers import frames, query

from runner import batch
from runner.cli import main
from runner.llm import registry
from runner.llm.base import Response
from runner.policy.offline import OfflinePolicy

DAY = 8640
PARTY = "伊莎贝拉·罗德里格斯,我要在2月14日下午5点在霍布斯咖啡馆举办情人节派对，欢迎大家来"


@pytest.fixture(scope="module")
def day(tmp_path_factory) -> Path:
    """One game day of the demo, with only Isabella knowing of her party at the start."""
    base = tmp_path_factory.mktemp("day")
    history = base / "history.csv"
    history.write_text(f"Name,Whisper\n{PARTY}\n", encoding="utf-8")
    path = write_scenario(base / "day.yaml", scenario_data(name="day", history=str(history)))
    return batch.run_scenario(path, steps=DAY, out_root=base / "output").sim_dir


def test_a_day_stores_events_thoughts_with_evidence_and_chats(day):
    for agent in range(3):
        kinds = dict(
            query(day, "SELECT kind, count(*) FROM memories WHERE agent = ? GROUP BY kind", agent)
        )
        assert kinds.get("event", 0) > 20
        reflected = query(
            day,
            "SELECT evidence FROM memories WHERE agent = ? AND kind ="
            " 'thought' AND created_step > 0",
            agent,
        )
        assert reflected, f"agent {agent} never reflected"
        assert all(json.loads(e) for (e,) in reflected), "an insight without evidence"
    (a, b, start, lines), *_ = query(
        day, "SELECT agent_a, agent_b, step_start, lines FROM conversations"
    )
    for agent in (a, b):
        chats = query(
            day,
            "SELECT created_step FROM memories WHERE agent = ? AND kind = 'chat'"
            " AND created_step = ?",
            agent,
            start,
        )
        assert chats, f"agent {agent} did not remember the conversation"
    said = {row[7] for row in frames(day) if row[7]}
    assert {line for _, line in json.loads(lines)} <= said  # the frames show every line


def test_evidence_points_at_earlier_memories(day):
    for node, evidence in query(day, "SELECT node, evidence FROM memories WHERE kind = 'thought'"):
        assert all(0 <= e < node for e in json.loads(evidence))


def test_news_of_the_party_spreads(day):
    at_start = query(
        day,
        "SELECT DISTINCT agent FROM memories WHERE description LIKE '%派对%' AND created_step = 0",
    )
    assert at_start == [(0,)]
    later = query(
        day, "SELECT DISTINCT agent FROM memories WHERE description LIKE '%派对%' AND agent != 0"
    )
    assert later, "nobody else heard of the party"


class Chaos(OfflinePolicy):
    """Answers every question badly, in turn: empty, truncated, wrong type, oversized."""

    BAD = ("", '{"choice": "卧', "[1, 2, 3]", '{"line": 42, "end": "yes"}', "{" * 5000)

    def complete(self, request):
        good = super().complete(request).text
        bad = self.BAD[hash((request.kind, request.attempt, len(good))) % len(self.BAD)]
        if request.kind == "chat_turn" and request.attempt == 0:
            return Response(json.dumps({"line": "啊" * 10_000, "end": False}))
        return Response(bad)


def test_bad_answers_for_every_kind_never_stop_a_day(monkeypatch, tmp_path):
    monkeypatch.setitem(registry.BACKENDS, "chaos", ("test_mind:Chaos", None))
    path = write_scenario(tmp_path / "chaos.yaml", scenario_data(name="chaos"))
    result = batch.run_scenario(path, steps=DAY, out_root=Path("output"), llm="chaos")
    assert result.steps_done == DAY
    failsafes = dict(
        query(
            result.sim_dir,
            "SELECT kind, count(*) FROM llm_calls WHERE outcome = 'failsafe' GROUP BY kind",
        )
    )
    assert {"wake_up_hour", "hourly_schedule", "action_sector", "importance"} <= set(failsafes)
    longest = query(result.sim_dir, "SELECT max(length(action)), max(length(chat)) FROM frames")
    assert all(n is None or n <= 200 for n in longest[0])  # oversized text was cut
    status = CliRunner().invoke(main, ["status", "chaos"])
    assert f"fail-safes: {sum(failsafes.values())}" in " ".join(status.output.split())


def test_importance_is_one_question_per_agent_and_step(day):
    asked = query(
        day,
        "SELECT agent, step, count(*) FROM llm_calls WHERE kind IN ('importance', 'importances')"
        " GROUP BY agent, step",
    )
    assert asked and max(n for *_, n in asked) == 1
    many = query(day, "SELECT count(*) FROM llm_calls WHERE kind = 'importances'")[0][0]
    assert many > 0  # some steps noted several new memories, judged together
    events = query(day, "SELECT count(*) FROM memories WHERE kind = 'event'")[0][0]
    assert len(asked) < events / 2  # own actions come rated with their details


def test_an_action_placed_today_is_not_asked_again(day):
    rows = query(
        day, "SELECT count(*), sum(cache_hit) FROM llm_calls WHERE kind = 'action_details'"
    )
    asked, cached = rows[0]
    # the same prompt again would be a cache hit: reused instead, only a new day or new
    # places known make one (the demo repeats its routine: half its actions, before)
    assert asked > 20 and cached < asked / 4


class Replanner(OfflinePolicy):
    """Changes its plan after every conversation."""

    def _chat_summary(self, c):
        return {**super()._chat_summary(c), "reconsider": True}

    def _after_chat(self, c):
        return {"change": True, "task": "去霍布斯咖啡馆坐坐", "minutes": 30}


def test_a_conversation_can_change_the_plan(monkeypatch, tmp_path):
    monkeypatch.setitem(registry.BACKENDS, "replanner", ("test_mind:Replanner", None))
    data = scenario_data(name="replan", start="2023-02-13 07:00:00")
    path = write_scenario(tmp_path / "replan.yaml", data)
    sim = batch.run_scenario(path, steps=1800, out_root=Path("output"), llm="replanner").sim_dir
    ends = query(sim, "SELECT step_end, agent_a FROM conversations")
    assert ends, "no conversation to react to"
    end, agent = ends[0]
    after = query(
        sim, "SELECT action, address FROM frames WHERE agent = ? AND step = ?", agent, end
    )
    assert after == [("去霍布斯咖啡馆坐坐", after[0][1])]
    assert "霍布斯咖啡馆" in after[0][1]  # a place both know (one it did not know is not offered)


class Steady(Replanner):
    """Would change its plan, but its summaries never say the talk may change it."""

    def _chat_summary(self, c):
        return {**super()._chat_summary(c), "reconsider": False}


def test_after_chat_is_asked_only_when_the_summary_says_the_plan_may_change(monkeypatch, tmp_path):
    monkeypatch.setitem(registry.BACKENDS, "steady", ("test_mind:Steady", None))
    data = scenario_data(name="steady", start="2023-02-13 07:00:00")
    path = write_scenario(tmp_path / "steady.yaml", data)
    sim = batch.run_scenario(path, steps=1800, out_root=Path("output"), llm="steady").sim_dir
    assert query(sim, "SELECT count(*) FROM conversations")[0][0] > 0
    asked = dict(query(sim, "SELECT kind, count(*) FROM llm_calls GROUP BY kind"))
    assert asked["chat_summary"] >= 2 and "after_chat" not in asked
    assert not query(sim, "SELECT 1 FROM frames WHERE action = '去霍布斯咖啡馆坐坐'")


def test_whisper_interview_and_load_history_from_the_cli(tmp_path):
    cli = CliRunner()
    demo = write_scenario(tmp_path / "demo.yaml", scenario_data(history=None))
    assert cli.invoke(main, ["run", str(demo), "--steps", "100", "--quiet"]).exit_code == 0
    said = cli.invoke(main, ["whisper", "demo", "克劳斯·穆勒", "我想邀请玛丽亚去看电影"])
    assert said.exit_code == 0, said.output
    answer = cli.invoke(main, ["interview", "demo", "Klaus Mueller", "你打算邀请谁去看电影？"])
    assert answer.exit_code == 0, answer.output
    assert "我想邀请玛丽亚去看电影" in answer.output.split("memories used:")[1]
    before = query(Path("output/demo"), "SELECT count(*) FROM memories")
    cli.invoke(main, ["interview", "demo", "克劳斯·穆勒", "今天怎么样？"])
    assert query(Path("output/demo"), "SELECT count(*) FROM memories") == before
    csv = tmp_path / "more.csv"
    csv.write_text("Name,Whisper\n玛丽亚·洛佩兹,我在学吉他;我想养一只猫\n", encoding="utf-8")
    loaded = cli.invoke(main, ["load-history", "demo", str(csv)])
    assert "planted 2 memories" in loaded.output
    bad = cli.invoke(main, ["whisper", "demo", "Nobody", "hi"])
    assert bad.exit_code == 1 and "no agent named 'Nobody'" in bad.output
    resumed = cli.invoke(main, ["resume", "demo", "--steps", "200", "--quiet"])
    assert resumed.exit_code == 0, resumed.output
    thoughts = query(Path("output/demo"), "SELECT description FROM memories WHERE agent = 1")
    assert ("我想养一只猫",) in thoughts


def test_fork_then_run_repeats_the_original(tmp_path):
    cli = CliRunner()
    data = scenario_data(name="orig", start="2023-02-13 07:00:00")
    path = write_scenario(tmp_path / "orig.yaml", data)
    assert cli.invoke(main, ["run", str(path), "--steps", "1500", "--quiet"]).exit_code == 0
    forked = cli.invoke(main, ["fork", "orig", "branch", "--at-step", "600"])
    assert forked.exit_code == 0, forked.output
    assert len(frames(Path("output/branch"))) == 600 * 3
    assert cli.invoke(main, ["resume", "branch", "--quiet"]).exit_code == 0
    assert frames(Path("output/branch")) == frames(Path("output/orig"))
    too_far = cli.invoke(main, ["fork", "orig", "other", "--at-step", "9999"])
    assert too_far.exit_code == 1 and "between 1 and 1500" in too_far.output
