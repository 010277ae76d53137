"""The bundled scenarios load and fit the bundled map; bad scenario files give one clear line."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import yaml

from runner.errors import RingWorldError
from runner.scenario import load_scenario, parse_scenario, resolved_yaml
from runner.world.loader import load_map
from runner.world.townmap import TownMap

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
MAP = SCENARIOS / "maps" / "ringtown.yaml"
BUNDLED = {
    "demo.yaml": ("zh", 3),
    "demo_en.yaml": ("en", 3),
    "town25.yaml": ("zh", 25),
    "town25_eval.yaml": ("zh", 25),
}

# The fixed phrasing the offline policy reads wake-up and bed times from (docs/scenario-format.md).
WAKE = {"zh": r"早上(\d{1,2})点起床", "en": r"wakes up around (\d{1,2})am"}
BED = {"zh": r"晚上(\d{1,2})点睡觉", "en": r"goes to bed around (\d{1,2})pm"}


@functools.cache
def town(lang: str) -> TownMap:
    return load_map(MAP, lang)


def bundled(name: str) -> dict:
    """A bundled scenario, loaded and validated, as plain data."""
    return load_scenario(SCENARIOS / name).model_dump()


def hours(agent: dict, lang: str) -> tuple[int, int]:
    """(wake hour, bed hour on the 24-hour clock) from the lifestyle; fails if either is absent."""
    wake = re.search(WAKE[lang], agent["lifestyle"])
    bed = re.search(BED[lang], agent["lifestyle"])
    assert wake and bed, f"{agent['name']}: lifestyle lacks the wake/bed pattern"
    return int(wake.group(1)), int(bed.group(1)) + 12


# --- the bundled scenarios ---------------------------------------------------------------------


def test_bundled_map_exists() -> None:
    assert MAP.is_file(), f"the scenarios need {MAP}"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_scenario_loads(name: str) -> None:
    sc = bundled(name)
    lang, count = BUNDLED[name]
    assert sc["name"] == Path(name).stem
    assert sc["language"] == lang
    assert len(sc["agents"]) == count
    assert Path(sc["map"]) == MAP
    assert sc["start"] == "2023-02-13 00:00:00"
    days = 2 if name == "town25_eval.yaml" else 1  # the evaluation needs the party's day
    assert (sc["sec_per_step"], sc["steps"]) == (10, days * 8640)
    assert sc["llm"]["backend"] == "offline"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_living_areas_are_bedrooms_on_the_map(name: str) -> None:
    sc = bundled(name)
    tile_map = town(sc["language"])
    sharing: dict[str, int] = {}
    for agent in sc["agents"]:
        area = agent["living_area"]
        assert area in tile_map.spawns, f"{agent['name']}: no spawn point for {area}"
        sharing[area] = sharing.get(area, 0) + 1
    assert max(sharing.values()) <= 2, "at most a couple shares a bedroom"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_personas_follow_the_offline_conventions(name: str) -> None:
    sc = bundled(name)
    lang = sc["language"]
    sectors = list(town(lang).tree)
    for agent in sc["agents"]:
        wake, bed = hours(agent, lang)
        assert 4 <= wake <= 10 and 20 <= bed <= 23, f"{agent['name']}: {wake}h to {bed}h"
        text = agent["learned"] + agent["currently"]
        assert any(s in text for s in sectors), f"{agent['name']} names no place of the map"
        if lang == "zh":
            assert agent["name_en"], f"{agent['name']} has no name_en"


def test_town25_is_diverse() -> None:
    agents = bundled("town25.yaml")["agents"]
    wakes = {hours(a, "zh")[0] for a in agents}
    beds = {hours(a, "zh")[1] for a in agents}
    homes = {a["living_area"].split(":")[0] for a in agents}
    assert len(wakes) >= 4 and len(beds) >= 3
    assert len(homes) == 7, "every home of the town is lived in"
    assert min(a["age"] for a in agents) < 20 and max(a["age"] for a in agents) > 60


def test_town25_keeps_the_demo_agents() -> None:
    town25 = {a["name"]: a for a in bundled("town25.yaml")["agents"]}
    for agent in bundled("demo.yaml")["agents"]:
        other = town25[agent["name"]]
        for key in ("name_en", "age", "innate", "currently", "lifestyle", "living_area"):
            assert other[key] == agent[key], f"{agent['name']}.{key} differs from demo.yaml"


def test_demo_en_translates_demo() -> None:
    zh, en = bundled("demo.yaml"), bundled("demo_en.yaml")
    assert (zh["seed"], zh["steps"]) == (en["seed"], en["steps"])
    labels = town("zh").labels
    for a, b in zip(zh["agents"], en["agents"], strict=True):
        assert a["name_en"] == b["name"]
        assert a["age"] == b["age"]
        assert hours(a, "zh") == hours(b, "en")
        sector, arena = a["living_area"].split(":")
        assert f"{labels[sector]}:{labels[arena]}" == b["living_area"]


# --- errors ------------------------------------------------------------------------------------


def minimal() -> dict:
    return {
        "map": "town.yaml",
        "agents": [
            {
                "name": "甲",
                "age": 30,
                "innate": "安静",
                "learned": "甲是霍布斯咖啡馆的常客。",
                "currently": "甲在读书。",
                "lifestyle": "甲通常早上7点起床，晚上11点睡觉。",
                "living_area": "伊莎贝拉的公寓:卧室",
            }
        ],
    }


def write(tmp_path: Path, data: dict | str, name: str = "bad.yaml") -> Path:
    (tmp_path / "town.yaml").write_text("world: stub\n", encoding="utf-8")
    path = tmp_path / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    """The message of the RingWorldError loading ``path`` raises; it is one line naming the file."""
    with pytest.raises(RingWorldError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def _set(key: str, value: object):
    return lambda d: d.__setitem__(key, value)


def _set_agent(key: str, value: object):
    return lambda d: d["agents"][0].__setitem__(key, value)


def _duplicate(d: dict) -> None:
    d["agents"].append(dict(d["agents"][0]))


BAD = {
    "unknown top-level key": (_set("colour", "red"), "'colour'"),
    "unknown agent key": (_set_agent("hobby", "chess"), "'agents[0].hobby'"),
    "unknown llm key": (_set("llm", {"backend": "openai", "modle": "x"}), "'llm.modle'"),
    "steps is a word": (_set("steps", "ten"), "'steps'"),
    "age is a string": (_set_agent("age", "34"), "'agents[0].age'"),
    "seed is a boolean": (_set("seed", True), "'seed'"),
    "price is a string": (_set("llm", {"price_per_1k": {"prompt": "free"}}), "'llm.price_per_1k"),
    "missing agent key": (lambda d: d["agents"][0].pop("living_area"), "'agents[0].living_area'"),
    "missing map file": (_set("map", "nowhere.yaml"), "'map'"),
    "missing history file": (_set("history", "nowhere.csv"), "'history'"),
    "zero agents": (_set("agents", []), "'agents'"),
    "duplicate agent names": (_duplicate, "'agents[1].name'"),
    "bad start date": (_set("start", "2023-02-30 00:00:00"), "'start'"),
    "bad language": (_set("language", "fr"), "'language'"),
    "zero steps": (_set("steps", 0), "'steps'"),
    "bad start tile": (_set_agent("start_tile", [1, 2, 3]), "'agents[0].start_tile'"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_scenario_names_file_and_key(tmp_path: Path, case: str) -> None:
    mutate, key = BAD[case]
    data = minimal()
    mutate(data)
    assert key in load_error(write(tmp_path, data))


def test_minimal_scenario_is_valid(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, minimal(), name="tiny.yaml"))
    assert sc.name == "tiny"
    assert sc.language == "zh" and sc.steps == 8640 and sc.sec_per_step == 10
    assert sc.llm.backend == "offline"
    assert (sc.llm.price_per_1k.prompt, sc.llm.price_per_1k.completion) == (0.0, 0.0)
    assert sc.agents[0].daily_requirement is None


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "map: town.yaml\nagents:\n  - name: 甲\n   age: 30\n")
    message = load_error(path)
    assert "YAML syntax error at line 4" in message


def test_yaml_syntax_error_on_a_later_line_is_reported_at_that_line(tmp_path: Path) -> None:
    """A key without ':' on line 19: the scanner finds out on line 20, the message says 19."""
    lines = ["map: town.yaml", "agents:", "  - name: 甲"] + [f"    # note {i}" for i in range(15)]
    text = "\n".join([*lines, "    innate 好奇", "    age: 30", ""])
    assert text.splitlines()[18] == "    innate 好奇"
    message = load_error(write(tmp_path, text))
    assert "YAML syntax error at line 19, column 5" in message
    assert "expected ':'" in message


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert "mapping" in load_error(write(tmp_path, "- just\n- a list\n"))


def test_paths_resolve_against_the_scenario_file(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "t.yaml").write_text("world: stub\n", encoding="utf-8")
    (tmp_path / "h.csv").write_text("Name,Whisper\n甲,一;二\n", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    data = minimal() | {"map": "../maps/t.yaml", "history": "../h.csv"}
    path = write(sub, data, name="s.yaml")
    monkeypatch.chdir(tmp_path.parent)
    sc = load_scenario(path.relative_to(tmp_path.parent))
    assert sc.map == str(tmp_path / "maps" / "t.yaml")
    assert sc.history == str(tmp_path / "h.csv")


# --- the resolved scenario ---------------------------------------------------------------------


def test_resolved_yaml_holds_the_variable_name_not_the_key(tmp_path: Path, monkeypatch) -> None:
    secret = "sk-test-9f8e7d6c5b4a-do-not-store"
    monkeypatch.setenv("RW_TEST_API_KEY", secret)
    data = minimal() | {"llm": {"backend": "openai", "api_key_env": "RW_TEST_API_KEY"}}
    sc = load_scenario(write(tmp_path, data))
    text = resolved_yaml(sc)
    assert secret not in text
    assert yaml.safe_load(text)["llm"]["api_key_env"] == "RW_TEST_API_KEY"


def test_a_key_written_into_the_scenario_is_refused_without_echoing_it(tmp_path: Path) -> None:
    secret = "sk-test-0a1b2c3d4e5f-never-echo"
    message = load_error(write(tmp_path, minimal() | {"llm": {"api_key": secret}}))
    assert "'llm.api_key'" in message and secret not in message


@pytest.mark.parametrize("name", BUNDLED)
def test_resolved_yaml_reloads_to_the_same_scenario(name: str, tmp_path: Path) -> None:
    """``resume`` re-reads the stored scenario.yaml: it must validate and mean the same run."""
    sc = load_scenario(SCENARIOS / name)
    again = parse_scenario(yaml.safe_load(resolved_yaml(sc)), "scenario.yaml", tmp_path)
    assert again == sc


# --- the run identity ----------------------------------------------------------------------------


def test_the_docs_list_the_run_neutral_fields_of_the_model():
    from runner.config import run_neutral_keys

    text = (SCENARIOS.parent / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    section = text.split("## Run identity", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"`([a-z_.]+)`", section.split("(a test checks this list")[1])
    assert listed == run_neutral_keys()
    assert run_neutral_keys()[:2] == ["steps", "llm.max_concurrency"]


def test_the_run_key_leaves_out_exactly_the_run_neutral_fields(tmp_path: Path) -> None:
    from runner.config import run_key

    sc = load_scenario(write(tmp_path, minimal()))
    same = sc.model_copy(deep=True)
    same.steps, same.llm.max_cost, same.llm.timeout = 5, 1.0, 30
    other = sc.model_copy(deep=True)
    other.llm.temperature = 0.1
    assert run_key(same) == run_key(sc) != run_key(other)
