"""``rw-site import``: runs in the original storage and compressed demo layouts become sims
whose every step matches the hand-written fixture."""

from __future__ import annotations

import json

import interop_helpers as ih
import pytest

from runner.errors import RingWorldError
from runner.scenario import load_scenario
from runner.store import SimStore
from sitegen.build import build_site
from sitegen.importer import encode_chat, import_run, join_description, split_description


@pytest.fixture
def repo(tmp_path):
    """(storage run, compressed demo, matrix map) in the original repository's folders."""
    return ih.write_original_repo(tmp_path / "generative_agents")


def _frames(sim_dir) -> dict[tuple[int, int], tuple]:
    store = SimStore(sim_dir / "sim.sqlite", readonly=True)
    try:
        return {(f[0], f[1]): f for f in store.frames()}
    finally:
        store.close()


def _assert_matches(sim_dir, moves):
    frames = _frames(sim_dir)
    assert len(frames) == len(moves) * len(ih.PERSONAS)
    for step, personas in enumerate(moves):
        for agent, name in enumerate(ih.PERSONAS):
            want = personas[name]
            _, _, x, y, action, emoji, address, chat, _ = frames[step, agent]
            assert [x, y] == want["movement"], (step, name)
            assert emoji == want["pronunciatio"], (step, name)
            assert join_description(action, address) == want["description"], (step, name)
            assert (None if chat is None else json.loads(chat)) == want["chat"], (step, name)


def test_storage_import_keeps_every_step(repo, tmp_path):
    storage, _, _ = repo
    sim = import_run(storage, tmp_path / "out")  # the map is found next to the run
    assert sim == tmp_path / "out" / storage.name
    _assert_matches(sim, ih.run_moves())
    store = SimStore(sim / "sim.sqlite", readonly=True)
    times = [t for (t,) in store.db.execute("SELECT game_time FROM steps ORDER BY step")]
    meta = store.get_meta()
    store.close()
    assert times == [ih.step_time(s).strftime("%Y-%m-%d %H:%M:%S") for s in range(ih.STEPS)]
    assert meta["start_time"] == "2023-02-13 00:00:00"
    assert meta["game_time"] == times[-1]
    assert (meta["sec_per_step"], meta["steps_done"], meta["target_steps"]) == ("10", "40", "40")
    assert (meta["language"], meta["backend"], meta["name"]) == ("en", "imported", storage.name)


def test_demo_import_expands_the_compressed_steps(repo, tmp_path):
    _, demo, matrix = repo
    master = json.loads((demo / "master_movement.json").read_text())
    assert master["3"] == {} and "Klaus Mueller" not in master["20"]  # really compressed
    sim = import_run(demo, tmp_path / "out", sim="demo", map_dir=matrix)
    assert sim.name == "demo"
    _assert_matches(sim, ih.run_moves())


def test_both_layouts_give_the_same_frames(repo, tmp_path):
    storage, demo, _ = repo
    a = import_run(storage, tmp_path / "out", sim="a")
    b = import_run(demo, tmp_path / "out", sim="b")
    assert _frames(a) == _frames(b)


def test_scenario_and_agents_come_from_scratch(repo, tmp_path):
    storage, _, matrix = repo
    sim = import_run(storage, tmp_path / "out")
    scenario = load_scenario(sim / "scenario.yaml").model_dump()
    assert scenario["map"] == str(matrix.resolve())
    assert (scenario["language"], scenario["start"], scenario["steps"]) == (
        "en",
        "2023-02-13 00:00:00",
        ih.STEPS,
    )
    store = SimStore(sim / "sim.sqlite", readonly=True)
    stored = store.agents()
    store.close()
    assert [a["name"] for a in scenario["agents"]] == ih.PERSONAS
    assert stored == scenario["agents"]
    first = ih.run_moves()[0]
    for agent in scenario["agents"]:
        scratch = ih.scratch(agent["name"])
        for field in ("age", "innate", "learned", "currently", "lifestyle"):
            assert agent[field] == scratch[field]
        assert agent["daily_requirement"] == scratch["daily_plan_req"]
        assert "the Ville:" + agent["living_area"] == scratch["living_area"]
        assert agent["start_tile"] == first[agent["name"]]["movement"]
        assert "vision_r" not in agent and "f_daily_schedule" not in agent


def test_a_demo_without_personas_still_imports(tmp_path):
    matrix = ih.write_matrix_map(tmp_path / "matrix")
    demo = ih.write_demo_run(tmp_path / "demo", personas=False)
    sim = import_run(demo, tmp_path / "out", map_dir=matrix)
    agents = load_scenario(sim / "scenario.yaml").personas()
    assert [a["name"] for a in agents] == ih.PERSONAS
    assert all(a["innate"] == "" and a["age"] == 0 for a in agents)
    _assert_matches(sim, ih.run_moves())


def test_each_chat_becomes_one_conversation(repo, tmp_path):
    storage, _, _ = repo
    sim = import_run(storage, tmp_path / "out")
    store = SimStore(sim / "sim.sqlite", readonly=True)
    rows = store.db.execute(
        "SELECT step_start, step_end, agent_a, agent_b, place, lines FROM conversations"
    ).fetchall()
    store.close()
    assert len(rows) == 1
    start, end, a, b, place, lines = rows[0]
    assert (start, end, a, b) == (min(ih.CHAT_STEPS), max(ih.CHAT_STEPS) + 1, 0, 1)
    assert place == ih.expected_address(
        tuple(ih.run_moves()[start]["Isabella Rodriguez"]["movement"])
    )
    assert json.loads(lines) == ih.CHAT


@pytest.mark.parametrize(
    "description",
    ["sleeping @ the Ville:a:b", "idle", "getting ready @ ", "a @ b @ c", " @ x", ""],
)
def test_descriptions_split_and_join_exactly(description):
    assert join_description(*split_description(description)) == description


def test_chat_encoding_is_json_of_the_pairs():
    assert encode_chat(None) is None
    assert json.loads(encode_chat(ih.CHAT)) == ih.CHAT
    assert "🎉" in encode_chat(ih.CHAT)  # kept as text, not \\u escapes


def test_the_map_must_be_found_or_given(tmp_path):
    storage = ih.write_storage_run(tmp_path / "elsewhere" / "run")
    with pytest.raises(RingWorldError, match="cannot find the map 'the_ville'.*pass --map"):
        import_run(storage, tmp_path / "out")
    with pytest.raises(RingWorldError, match="not a matrix map folder"):
        import_run(storage, tmp_path / "out", map_dir=tmp_path)
    assert not (tmp_path / "out" / "run").exists()


def test_an_existing_sim_is_not_overwritten(repo, tmp_path):
    storage, _, _ = repo
    import_run(storage, tmp_path / "out", sim="x")
    with pytest.raises(RingWorldError, match="already exists"):
        import_run(storage, tmp_path / "out", sim="x")
    with pytest.raises(RingWorldError, match="is not a plain folder name"):
        import_run(storage, tmp_path / "out", sim="../x")


def _json_edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _storage_persona(step, name, key, value):
    return lambda run: _json_edit(
        run / "movement" / f"{step}.json",
        lambda d: d["persona"][name].__setitem__(key, value),
    )


BROKEN_STORAGE = [
    (lambda run: (run / "movement" / "5.json").unlink(), "movement/5.json: missing"),
    (
        lambda run: (run / "personas/Maria Lopez/bootstrap_memory/scratch.json").unlink(),
        "Maria Lopez/bootstrap_memory/scratch.json: cannot read it",
    ),
    (
        lambda run: _json_edit(
            run / "personas/Klaus Mueller/bootstrap_memory/scratch.json",
            lambda d: d.__setitem__("age", "twenty"),
        ),
        "scratch.json: key 'age' must be an integer",
    ),
    (
        lambda run: _json_edit(
            run / "reverie/meta.json", lambda d: d.__setitem__("sec_per_step", "10")
        ),
        "reverie/meta.json: key 'sec_per_step' must be an integer",
    ),
    (
        lambda run: _json_edit(run / "reverie/meta.json", lambda d: d.pop("maze_name")),
        "reverie/meta.json: key 'maze_name' is missing",
    ),
    (
        lambda run: _json_edit(
            run / "reverie/meta.json", lambda d: d.__setitem__("start_date", "2023-02-13")
        ),
        "reverie/meta.json: key 'start_date' must be a time like 'February 13, 2023'",
    ),
    (
        _storage_persona(7, "Maria Lopez", "movement", "3,4"),
        "movement/7.json: key 'persona.Maria Lopez.movement' must be a list",
    ),
    (
        _storage_persona(7, "Maria Lopez", "movement", [3, 4.5]),
        "key 'persona.Maria Lopez.movement' must be [x, y], two integers",
    ),
    (
        _storage_persona(8, "Klaus Mueller", "chat", [["Klaus Mueller"]]),
        "movement/8.json: key 'persona.Klaus Mueller.chat' must be null or a list of [speaker",
    ),
    (
        _storage_persona(9, "Klaus Mueller", "pronunciatio", None),
        "movement/9.json: key 'persona.Klaus Mueller.pronunciatio' must be a string",
    ),
    (
        lambda run: _json_edit(
            run / "movement" / "4.json",
            lambda d: d["persona"].__setitem__("Eddy Lin", d["persona"]["Klaus Mueller"]),
        ),
        "movement/4.json: key 'persona.Eddy Lin': persona 'Eddy Lin' is not in meta.json",
    ),
    (
        lambda run: _json_edit(
            run / "movement" / "4.json", lambda d: d["persona"].pop("Maria Lopez")
        ),
        "movement/4.json: key 'persona' lacks persona 'Maria Lopez'",
    ),
    (
        lambda run: _json_edit(
            run / "movement" / "6.json", lambda d: d["meta"].__setitem__("curr_time", 6)
        ),
        "movement/6.json: key 'meta.curr_time' must be a string",
    ),
    (
        _storage_persona(3, "Maria Lopez", "movement", [16, 2]),
        "step 3: key 'movement' of persona 'Maria Lopez' is (16, 2), outside the 16×10 map",
    ),
    (lambda run: (run / "reverie" / "meta.json").unlink(), "not a run in the original layout"),
]


@pytest.mark.parametrize(("breakage", "message"), BROKEN_STORAGE)
def test_broken_storage_runs_give_one_clear_error(repo, tmp_path, breakage, message):
    storage, _, _ = repo
    breakage(storage)
    with pytest.raises(RingWorldError) as err:
        import_run(storage, tmp_path / "out")
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def _master_edit(change):
    return lambda demo: _json_edit(demo / "master_movement.json", change)


BROKEN_DEMO = [
    (
        _master_edit(lambda d: d["3"].__setitem__("Eddy Lin", d["0"]["Klaus Mueller"])),
        "master_movement.json: key '3.Eddy Lin': persona 'Eddy Lin' is not in meta.json",
    ),
    (
        _master_edit(lambda d: d["0"]["Klaus Mueller"].__setitem__("pronunciatio", 5)),
        "master_movement.json: key '0.Klaus Mueller.pronunciatio' must be a string, got 5",
    ),
    (
        _master_edit(lambda d: d["0"].pop("Klaus Mueller")),
        "master_movement.json: key '0' lacks persona 'Klaus Mueller'",
    ),
    (_master_edit(lambda d: d.pop("12")), "master_movement.json: key '39' is not a step"),
    (
        _master_edit(lambda d: d.__setitem__("7", [])),
        "master_movement.json: key '7' must be a JSON object",
    ),
    (
        lambda demo: (demo / "master_movement.json").write_text('{"0": {'),
        "master_movement.json: not valid JSON",
    ),
    (lambda demo: (demo / "meta.json").unlink(), "meta.json: cannot read it"),
]


@pytest.mark.parametrize(("breakage", "message"), BROKEN_DEMO)
def test_broken_demos_give_one_clear_error(repo, tmp_path, breakage, message):
    _, demo, _ = repo
    breakage(demo)
    with pytest.raises(RingWorldError) as err:
        import_run(demo, tmp_path / "out")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("layout", [0, 1], ids=["storage", "demo"])
def test_the_built_site_shows_the_fixture(repo, tmp_path, layout):
    """Import, build the replay site, and read positions, emoji, descriptions and chats at
    chosen steps back from its data files."""
    sim = import_run(repo[layout], tmp_path / "out")
    site = build_site(sim)
    assert (site / "index.html").is_file()
    moves = ih.run_moves()
    for step in (0, 9, 10, 15, 20, 25, 26, 33, ih.STEPS - 1):
        for agent, state in enumerate(ih.site_state(site, step)):
            want = moves[step][ih.PERSONAS[agent]]
            assert [state["x"], state["y"]] == want["movement"], (step, agent)
            assert state["emoji"] == want["pronunciatio"], (step, agent)
            assert join_description(state["action"], state["address"]) == want["description"]
            assert state["chat"] == (encode_chat(want["chat"]) or ""), (step, agent)
