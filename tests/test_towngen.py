"""``rw-batch new-town``: a town for N residents that loads, where every home is reachable and
nobody walks more than a game half hour to work, with households and distinct names."""

from __future__ import annotations

from collections import Counter

import pytest
from click.testing import CliRunner

from runner.cli import main
from runner.engine import spawn_tiles
from runner.scenario import load_scenario
from runner.towngen import generate, new_town
from runner.towngen.assign import LIMIT
from runner.towngen.write import map_text
from runner.world.paths import PathFinder
from runner.world.yamlmap import load_yaml_map


def _daily_place(g, person):
    key = {"pupil": "school", "student": "college"}.get(person.role)
    if key:
        return next(p for p in g.places if p.key == key)
    return person.job.place if person.job else None


@pytest.fixture(scope="module")
def town200(tmp_path_factory):
    folder = tmp_path_factory.mktemp("town")
    g = generate(200, seed=5, lang="zh")
    path = folder / "town.yaml"
    path.write_text(map_text(g.map, "test"), encoding="utf-8")
    return g, load_yaml_map(path, "zh")


def test_same_seed_same_files_other_seed_other_town(tmp_path):
    first = new_town("a", 40, seed=3, out=tmp_path / "one")
    again = new_town("a", 40, seed=3, out=tmp_path / "two")
    other = new_town("a", 40, seed=4, out=tmp_path / "three")
    for x, y in zip(first, again):
        assert x.read_bytes() == y.read_bytes()
    assert first[0].read_bytes() != other[0].read_bytes()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_scenario_and_its_map_load_and_every_agent_has_a_home(tmp_path, lang):
    scenario_path, map_path = new_town("small", 25, seed=1, lang=lang, out=tmp_path)
    scenario = load_scenario(scenario_path)
    tile_map = load_yaml_map(map_path, lang)  # the loader's checks, reachability included
    assert len(scenario.agents) == 25 and scenario.language == lang
    assert scenario.start.endswith("06:00:00")
    assert len(spawn_tiles(scenario, tile_map, "small")) == 25
    kinds = set(tile_map.kinds.values())
    assert {"school", "college", "hospital", "pharmacy", "cafe", "park", "square"} <= kinds


def test_every_home_and_workplace_is_reachable_and_work_is_within_half_an_hour(town200):
    g, tile_map = town200
    finder = PathFinder(tile_map, max_fields=10_000)
    walks = []
    for hh in g.households:
        for person in hh.members:
            spawn = tile_map.spawns[person.living_area]
            place = _daily_place(g, person)
            if place is None:
                continue
            steps = [int(finder.distance_field(d)[spawn[1], spawn[0]]) for d in place.unit.doors()]
            assert min(steps) >= 0, f"{person.name.full} cannot reach {place.names[0]}"
            walks.append(min(steps) + 1)  # + the door
    assert len(walks) > 150 and max(walks) <= LIMIT


def test_households_each_resident_in_one_home_and_families_share_a_surname(town200):
    g, _ = town200
    people = [p for hh in g.households for p in hh.members]
    assert len(people) == len({id(p) for p in people}) == 200
    homes = Counter(id(hh.home) for hh in g.households)
    assert max(homes.values()) == 1  # one household a home
    assert {hh.kind for hh in g.households} == {"alone", "couple", "family", "mates", "three"}
    for hh in g.households:
        area = {p.living_area.split(":")[0] for p in hh.members}
        assert len(area) == 1  # all under one roof
        if hh.kids:
            father = next((p for p in hh.parents if p.sex == "male"), hh.parents[0])
            assert all(k.name.surname == father.name.surname for k in hh.kids)
            assert all(p.age >= k.age + 20 for p in hh.parents for k in hh.kids)


def test_names_are_distinct_and_backgrounds_name_real_places(town200):
    g, tile_map = town200
    names = [a["name"] for a in g.agents]
    assert len(set(names)) == len(names)
    assert len({a["name_en"] for a in g.agents}) == len(names)
    masked = {a["learned"].replace(a["name"], "") for a in g.agents}
    assert len(masked) >= 0.95 * len(g.agents)
    for hh in g.households:
        for person in hh.members:
            if person.job and person.job.place:
                assert person.job.place.names[0] in tile_map.kinds  # a sector of the map
    agent = next(
        a for a in g.agents if "daily_requirement" in a and "上班" in a["daily_requirement"]
    )
    assert "点到" in agent["daily_requirement"]


def test_a_thousand_residents_have_a_hundred_homes_and_distinct_names():
    g = generate(1000, seed=2, lang="en")
    assert len({a["name"] for a in g.agents}) == 1000
    assert len({a["learned"] for a in g.agents}) >= 950
    assert sum(1 for h in g.homes if h.household is not None) >= 100


def test_the_command_writes_both_files(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "new-town",
            "village",
            "--residents",
            "12",
            "--seed",
            "9",
            "--lang",
            "en",
            "--out",
            str(tmp_path),
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "village.yaml").is_file() and (tmp_path / "maps" / "village.yaml").is_file()
    assert load_scenario(tmp_path / "village.yaml").agents[0].name_en is None
    bad = CliRunner().invoke(main, ["new-town", "../x", "--residents", "3", "--out", str(tmp_path)])
    assert bad.exit_code == 1 and "plain file name" in bad.output
