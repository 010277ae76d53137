"""The scenario's ``eval:`` block and the small parts of ``rw-batch eval``: what it checks,
which steps it picks, what the offline policy answers, what a stranger's name in a memory
does to the hallucination check."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import morning_data, scenario_data, write_scenario

from runner.cli import main
from runner.config import run_key
from runner.errors import RingWorldError
from runner.eval.results import EvalResults
from runner.eval.town import day_ends, mind_mode
from runner.policy.offline import OfflinePolicy
from runner.scenario import load_scenario
from runner.world.clock import GameClock
from sitegen.build import build_site

ISABELLA = "伊莎贝拉·罗德里格斯"
FACT = {"id": "party", "question": "你知道情人节派对的事吗？", "words": ["派对"]}
EVENT = {
    "id": "party",
    "place": "环界小镇:霍布斯咖啡馆",
    "start": "2023-02-13 07:10",
    "end": "2023-02-13 07:20:00",
    "words": ["派对"],
}


def loaded(tmp_path, block) -> str:
    """The error line of loading the demo with ``block`` as its eval block ('' if none)."""
    path = write_scenario(tmp_path / "s.yaml", scenario_data(eval=block))
    try:
        load_scenario(path)
    except RingWorldError as exc:
        return str(exc).removeprefix(f"{path}: ")
    return ""


def test_the_eval_block_is_checked_key_by_key(tmp_path):
    assert loaded(tmp_path, {"facts": [FACT], "events": [EVENT]}) == ""
    assert loaded(tmp_path, {"fact": []}) == "unknown key 'eval.fact' (known keys: facts, events)"
    no_words = {"facts": [{**FACT, "words": []}]}
    assert (
        loaded(tmp_path, no_words) == "key 'eval.facts[0].words' must be a non-empty list of words"
    )
    nobody = {"facts": [{**FACT, "known_at_start": ["Bob"]}]}
    assert loaded(tmp_path, nobody) == "key 'eval.facts[0].known_at_start': no agent named 'Bob'"
    twice = {"facts": [FACT, FACT]}
    assert loaded(tmp_path, twice) == "key 'eval.facts[1].id': 'party' appears twice"
    backwards = {"events": [{**EVENT, "end": "2023-02-13 07:00"}]}
    assert loaded(tmp_path, backwards) == "key 'eval.events[0].end': must be after its start"
    bad_time = {"events": [{**EVENT, "start": "teatime"}]}
    assert loaded(tmp_path, bad_time) == (
        "key 'eval.events[0].start' must be a date-time like '2023-02-14 17:00:00'"
    )
    share = {"events": [{**EVENT, "min_share": 2}]}
    assert loaded(tmp_path, share) == "key 'eval.events[0].min_share' must be a number from 0 to 1"
    by_english = {"facts": [{**FACT, "known_at_start": ["Isabella Rodriguez"]}]}
    assert loaded(tmp_path, by_english) == ""


def test_an_eval_block_added_later_continues_the_run(tmp_path):
    plain = write_scenario(tmp_path / "m.yaml", morning_data())
    cli = CliRunner()
    assert cli.invoke(main, ["run", str(plain), "--steps", "30", "--quiet"]).exit_code == 0
    with_eval = write_scenario(tmp_path / "m.yaml", {**morning_data(), "eval": {"facts": [FACT]}})
    assert run_key(load_scenario(with_eval)) == run_key(load_scenario(plain))
    again = cli.invoke(main, ["run", str(with_eval), "--steps", "60", "--quiet"])
    assert again.exit_code == 0 and "60 of 60 steps" in again.output, again.output
    sim = tmp_path / "output" / "morning"
    # the sim's scenario.yaml is as the run began: the block comes from the file
    bare = cli.invoke(main, ["eval", str(sim), "--quiet", "--interviewees", "0"])
    assert bare.exit_code == 0 and "diffusion party" not in bare.output
    taken = cli.invoke(main, ["eval", str(sim), "--quiet", "--scenario", str(with_eval)])
    assert taken.exit_code == 0 and "diffusion party" in taken.output, taken.output
    assert EvalResults.read(sim / "eval.json").facts[0].id == "party"
    other = write_scenario(tmp_path / "o.yaml", {**morning_data(), "seed": 99})
    refused = cli.invoke(main, ["eval", str(sim), "--scenario", str(other)])
    assert refused.exit_code == 1 and "not the scenario of" in refused.output
    late = cli.invoke(main, ["eval", str(sim), "--at-step", "60"])
    assert late.output.strip().endswith("--at-step 60: the sim has steps 0 to 59 stored")


def test_an_event_must_be_a_place_on_the_map(tmp_path):
    nowhere = {**EVENT, "place": "环界小镇:月球基地"}
    path = write_scenario(tmp_path / "m.yaml", {**morning_data(), "eval": {"events": [nowhere]}})
    cli = CliRunner()
    assert cli.invoke(main, ["run", str(path), "--steps", "5", "--quiet"]).exit_code == 0
    result = cli.invoke(main, ["eval", str(tmp_path / "output" / "morning")])
    assert result.exit_code == 1
    assert (
        "key 'eval.events[0].place': '环界小镇:月球基地' is not a place on the map" in result.output
    )


def test_a_strangers_name_in_a_memory_is_flagged_where_an_answer_repeats_it(tmp_path):
    path = write_scenario(tmp_path / "m.yaml", morning_data())
    cli = CliRunner()
    assert cli.invoke(main, ["run", str(path), "--steps", "30", "--quiet"]).exit_code == 0
    sim = str(tmp_path / "output" / "morning")
    rumour = "约翰·史密斯说他认识伊莎贝拉·罗德里格斯"
    assert cli.invoke(main, ["whisper", sim, "克劳斯·穆勒", rumour]).exit_code == 0
    assert cli.invoke(main, ["resume", sim, "--steps", "31", "--quiet"]).exit_code == 0
    assert cli.invoke(main, ["eval", sim, "--at-step", "30", "--quiet"]).exit_code == 0
    found = EvalResults.read(tmp_path / "output" / "morning" / "eval.json").steps[-1]
    flags = found.hallucination.flagged
    assert flags and {f.agent for f in flags} == {"克劳斯·穆勒"}
    assert all(rumour in f.answer for f in flags)
    assert {(r.kind, r.detail) for f in flags for r in f.reasons} == {
        ("unknown_person", "约翰·史密斯")
    }
    assert ("克劳斯·穆勒", ISABELLA) in found.network.edges  # the memory names her


def test_a_site_without_an_evaluation_has_no_report_page(tmp_path):
    path = write_scenario(tmp_path / "m.yaml", morning_data())
    assert CliRunner().invoke(main, ["run", str(path), "--steps", "5", "--quiet"]).exit_code == 0
    site = build_site(tmp_path / "output" / "morning")
    assert (site / "index.html").is_file() and not (site / "report.html").exists()


def test_the_steps_evaluated_by_default_end_each_game_day():
    clock = GameClock("2023-02-13 07:00:00", 10)
    first = (24 - 7) * 360  # the steps up to midnight
    assert day_ends(clock, 100) == [99]
    assert day_ends(clock, first) == [first - 1]
    assert day_ends(clock, first + 1) == [first - 1, first]
    assert day_ends(clock, first + 8640) == [first - 1, first + 8640 - 1]
    assert clock.time_at(first).time() == dt.time(0, 0)


def test_the_mode_is_read_from_the_mind_keys():
    def mode(**mind) -> str:
        return mind_mode(SimpleNamespace(mind=SimpleNamespace(**mind)))

    assert mode() == "full"  # a Mind without the ablation keys
    assert mode(reflect=True, plan=True, observe=True) == "full"
    assert mode(reflect=False) == "no-reflect"
    assert mode(reflect=False, plan=False) == "no-reflect-plan"
    assert mode(reflect=False, plan=False, observe=False) == "no-observe-reflect-plan"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_offline_knows_when_a_memory_has_a_word_and_cites_it(lang):
    policy = OfflinePolicy(seed=1)
    memories = ["散步", "听说周五有派对", "买菜", "Party at the cafe"]
    context = {"lang": lang, "memories": memories, "words": ["派对", "PARTY"]}
    answer = policy._knows(context)
    assert answer["knows"] is True and answer["cited"] == [2, 4]
    assert "听说周五有派对" in answer["detail"]
    assert policy._knows({**context, "words": ["竞选"]}) == {
        "knows": False,
        "detail": "",
        "cited": [],
    }
    said = policy._interview(
        {
            "lang": lang,
            "memories": memories,
            "name": "A",
            "persona": {},
            "question": "?",
            "style": None,
        }
    )
    assert said["cited"] == [1, 2, 3] and all(m in said["answer"] for m in memories[:3])
    assert policy._judge({"lang": lang})["verdict"] == "draw"


def test_an_event_not_begun_says_so_and_one_begun_counts_from_the_frames(tmp_path):
    path = write_scenario(tmp_path / "m.yaml", {**morning_data(), "eval": {"events": [EVENT]}})
    cli = CliRunner()
    assert cli.invoke(main, ["run", str(path), "--steps", "90", "--quiet"]).exit_code == 0
    sim = str(tmp_path / "output" / "morning")
    early = cli.invoke(main, ["eval", sim, "--at-step", "30", "--interviewees", "0", "--quiet"])
    assert re.search(r"\nattendance party +not yet \(from step 60\)\n", early.output), early.output
    late = cli.invoke(main, ["eval", sim, "--at-step", "89", "--interviewees", "0", "--quiet"])
    seen = EvalResults.read(tmp_path / "output" / "morning" / "eval.json").steps[-1].attendance[0]
    assert seen.window == (60, 90)  # the window so far: 07:10 up to the step evaluated
    row = f"{len(seen.invited_present)} of {len(seen.invited)} invited came, {len(seen.present)}"
    assert row in late.output
