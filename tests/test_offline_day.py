"""The offline town looks alive: its rule-based days differ by persona, as the personas say,
seeded and deterministic (the offline backend is a policy of rules, not a model)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from conftest import SCENARIOS, scenario_data, write_scenario

from runner import batch
from runner.policy.days import day_routine, working_hours
from runner.policy.offline import OfflinePolicy

HOUR = 360  # steps of 10 s


@pytest.fixture(scope="module")
def town25(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("town25")
    path = write_scenario(base / "town25.yaml", scenario_data("town25.yaml"))
    return batch.run_scenario(path, steps=24 * HOUR, out_root=base).sim_dir


def at(sim: Path, hour: float) -> dict[str, tuple[str, str]]:
    """Agent name -> (action, sector) at a game hour."""
    db = sqlite3.connect(f"file:{sim / 'sim.sqlite'}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT a.name, f.action, f.address FROM frames f JOIN agents a ON a.id = f.agent"
        " WHERE f.step = ?",
        (int(hour * HOUR),),
    ).fetchall()
    db.close()
    return {name: (action, (address.split(":") + [""])[1]) for name, action, address in rows}


def test_at_noon_no_action_is_done_by_more_than_a_third(town25):
    noon = at(town25, 12)
    assert len(noon) == 25
    (top, count), *_ = Counter(action for action, _ in noon.values()).most_common(1)
    assert count <= 25 // 3, (top, count)
    assert len({sector for _, sector in noon.values()}) >= 6  # lunch at home, out, at work…


def test_the_days_follow_the_personas(town25):
    assert at(town25, 15)["汤姆·莫雷诺"][1] == "好邻居超市"  # the grocer at his shop
    assert at(town25, 15)["索菲亚·莫雷诺"][1] == "好邻居超市"  # the cashier too
    assert at(town25, 10)["伊莎贝拉·罗德里格斯"][1] == "霍布斯咖啡馆"
    students = ("陈思远", "阿伊莎·汗", "林小雨")
    assert all(at(town25, 10)[s][1] == "环界学院" for s in students)  # at the college
    assert at(town25, 5.75)["陈秀兰"][1] == "柳荫公园"  # tai chi in the park at dawn
    assert any(at(town25, h)["林建国"][1] == "林家住宅" for h in (12, 12.5, 13))  # lunch at home
    assert any(at(town25, h)["李桂芳"][1] == "小镇广场" for h in (19, 19.5, 20))  # the dancers
    evening = {sector for _, sector in at(town25, 20).values()}
    assert len(evening) >= 6  # the bar, the park, the square, homes…


def context(persona: dict, places: dict, **changes) -> dict:
    return {
        "name": persona["name"],
        "lang": "zh",
        "persona": persona,
        "date": "2023-02-13",
        "wake_hour": 6,
        "places": places,
        "home": persona["living_area"].split(":")[0],
        "memories": [],
        **changes,
    }


@pytest.fixture(scope="module")
def isabella() -> tuple[dict, dict]:
    persona = batch.load_scenario(SCENARIOS / "town25.yaml").personas()[0]
    places = {"伊莎贝拉的公寓": "home", "霍布斯咖啡馆": "cafe", "柳荫公园": "park"}
    return persona, places


def test_a_day_covers_24_hours_and_keeps_the_working_hours(isabella):
    persona, places = isabella
    day = day_routine(context(persona, places), seed=1)
    assert sum(m for _, m in day) == 24 * 60
    assert day[0] == ("睡觉", 6 * 60) and day[-1][0] == "睡觉"
    minute, work = 0, []
    for task, minutes in day:
        if task == "在霍布斯咖啡馆工作":
            work.append((minute, minute + minutes))
        minute += minutes
    assert work[0][0] == 8 * 60 and work[-1][1] == 20 * 60  # 早上8点…晚上8点
    assert working_hours("每天从早上8点到下午4点在柜台") == (8 * 60, 16 * 60)
    assert working_hours("opens at 7am and closes at 9:30 pm") == (7 * 60, 21 * 60 + 30)
    assert working_hours("每天至少跑10公里") is None


def test_days_are_seeded_and_deterministic(isabella):
    persona, places = isabella
    c = context(persona, places)
    assert day_routine(c, seed=1) == day_routine(dict(c), seed=1)
    days = {
        tuple(day_routine(context(persona, places, date=f"2023-02-{d}"), 1)) for d in range(13, 20)
    }
    assert len(days) > 1  # another day, another lunch or errand


def test_the_offline_policy_still_says_it_is_rules():
    policy = OfflinePolicy(seed=1)
    assert (policy.name, policy.model, policy.is_llm) == ("offline", "rules", False)
