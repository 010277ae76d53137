"""The store owns every table: schema version, migration of an old store, fork, no SQL elsewhere."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tokenize
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, SCENARIOS, morning_data, scenario_data, write_scenario
from engine_helpers import frames

from runner.batch import resume_sim, run_scenario, sim_status
from runner.config import Scenario, run_key
from runner.errors import RingWorldError
from runner.levers import fork
from runner.store import SCHEMA_VERSION, TABLES, SimFolder, SimStore
from sitegen.build import build_site
from sitegen.cli import main as rw_site
from sitegen.simread import read_sim

OLD = Path(__file__).parent / "fixtures" / "store-0.1.0"
FIVE = Path(__file__).parent / "fixtures" / "store-5"
SQL_WORDS = re.compile(
    r"\b(SELECT\s.*\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET"
    r"|CREATE\s+(TABLE|INDEX)|DROP\s+TABLE|PRAGMA\s+\w+|BEGIN(\s+IMMEDIATE)?\b)",
    re.S,
)
SQL_CODE = re.compile(r"\.execute(many|script)?\(|^\s*(import sqlite3|from sqlite3 )", re.M)


def sql_outside_the_store(roots: list[Path]) -> list[str]:
    """file:line of every SQL statement or database call outside ``runner/store/``."""
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if "store" in path.relative_to(root).parts[:1] and root.name == "runner":
                continue
            text = path.read_text(encoding="utf-8")
            for m in SQL_CODE.finditer(text):
                found.append(f"{path}:{text.count(chr(10), 0, m.start()) + 1}")
            with path.open("rb") as f:
                for tok in tokenize.tokenize(f.readline):
                    if tok.type == tokenize.STRING and SQL_WORDS.search(tok.string):
                        found.append(f"{path}:{tok.start[0]}")
    return found


def test_no_sql_outside_the_store():
    assert sql_outside_the_store([ROOT / "runner", ROOT / "sitegen"]) == []


def test_the_sql_check_finds_sql(tmp_path):
    (tmp_path / "runner").mkdir()
    (tmp_path / "runner" / "sneaky.py").write_text(
        'import sqlite3\n\ndef f(db):\n    return db.execute("SELECT x FROM frames")\n'
    )
    (tmp_path / "runner" / "words.py").write_text('Q = "DELETE FROM steps WHERE step > ?"\n')
    found = sql_outside_the_store([tmp_path / "runner"])
    assert len(found) == 4  # the import, the call, and the two statements


def test_a_new_store_has_the_schema_and_its_version(tmp_path):
    store = SimStore(tmp_path / "sim.sqlite")
    assert store.schema_version == SCHEMA_VERSION
    assert store.get_meta() == {"schema_version": str(SCHEMA_VERSION)}
    assert store.tables() == {t.name for t in TABLES}
    store.close()


def old_sim(tmp_path: Path, fixture: Path = OLD) -> Path:
    """A copy of the 0.1.0 sim (or another fixture), its paths pointed at this repository's
    scenarios."""
    sim = tmp_path / fixture.name
    shutil.copytree(fixture, sim, ignore=shutil.ignore_patterns("README.md"))
    data = yaml.safe_load((sim / "scenario.yaml").read_text(encoding="utf-8"))
    data["map"] = str(SCENARIOS / "maps" / "ringtown.yaml")
    data["history"] = str(SCENARIOS / "history" / "demo_history.csv")
    write_scenario(sim / "scenario.yaml", data)
    return sim


def test_an_old_store_is_read_as_it_is(tmp_path):
    sim = old_sim(tmp_path)
    store = SimFolder(sim).open(readonly=True)
    assert store.schema_version == 1 and store.steps_done() == 400
    assert store.faults_by_reason() == {} and len(store.frames()) == 1200
    store.close()
    status = sim_status(sim)
    assert (status["steps_done"], status["agents"], status["faults"]) == (400, 3, {})
    site = build_site(sim)
    assert (site / "index.html").is_file()
    assert "schema_version" not in SimFolder(sim).open(readonly=True).get_meta()  # unchanged
    assert "object_event" not in read_sim(sim).text  # the old frames have no object events


def test_an_old_store_is_migrated_when_resumed_and_runs_on_as_a_new_one(tmp_path):
    sim = old_sim(tmp_path)
    before = frames(sim)
    result = resume_sim(sim, steps=450)
    assert result.steps_done == 450
    store = SimFolder(sim).open(readonly=True)
    meta = store.get_meta()
    assert meta["schema_version"] == str(SCHEMA_VERSION) and "version" not in meta
    assert store.tables() == {t.name for t in TABLES} and store.has_object_events()
    store.close()
    after = frames(sim)
    assert after[: len(before)] == [(*row, None) for row in before]  # kept, no object event
    assert len(after) == 450 * 3
    for old, new in zip(after[len(before) - 3 :], after[len(before) :]):  # it goes on from there
        assert abs(new[2] - old[2]) + abs(new[3] - old[3]) <= 1


def test_a_fork_of_an_old_store_keeps_its_steps_before_and_runs_on(tmp_path):
    sim = old_sim(tmp_path)
    before = frames(sim)
    branch = fork(sim, tmp_path / "branch", 200)
    store = SimFolder(branch).open(readonly=True)
    assert store.schema_version == 1 and len(store.frames()) == 600  # as it was, trimmed
    store.close()
    assert resume_sim(branch, steps=400).steps_done == 400
    assert frames(branch)[:600] == [(*row, None) for row in before[:600]]
    assert len(frames(branch)) == 1200


def test_a_store_of_version_5_migrates_to_the_same_data_and_runs_on_as_a_new_run(tmp_path):
    """Frames, states, memories and accesses come through 5 -> 6 exactly: the site reads the
    same, and the run resumed from it is the one run from scratch now."""
    sim = old_sim(tmp_path, FIVE)
    whole = frames(sim)  # the table of schema 5
    assert len(whole) == 1200 and SimFolder(sim).open(readonly=True).schema_version == 5
    site = build_site(sim, tmp_path / "before")
    SimFolder(sim).open().close()  # opened for writing: migrated
    assert frames(sim) == whole  # now the view over the changes
    after = build_site(sim, tmp_path / "after")
    for page in sorted((site / "data").iterdir()):
        assert page.read_bytes() == (after / "data" / page.name).read_bytes(), page.name
    assert resume_sim(sim, steps=800).steps_done == 800
    path = write_scenario(tmp_path / "morning.yaml", morning_data())
    fresh = run_scenario(path, steps=800, out_root=tmp_path / "fresh").sim_dir
    assert frames(sim) == frames(fresh)
    texts = SimFolder(sim).open(readonly=True).memory_texts()
    assert texts == SimFolder(fresh).open(readonly=True).memory_texts()


def test_the_run_key_of_an_old_sim_is_unchanged(tmp_path):
    """The run identity 0.1.0 stored is the one computed now from the same resolved scenario
    (its paths as they were: the key hashes them)."""
    data = yaml.safe_load((OLD / "scenario.yaml").read_text(encoding="utf-8"))
    store = SimFolder(old_sim(tmp_path)).open(readonly=True)
    stored = store.run_key()
    store.close()
    assert run_key(Scenario.model_validate(data)) == stored


def test_a_store_of_a_newer_version_is_refused_in_one_line(tmp_path):
    sim = old_sim(tmp_path)
    db = sqlite3.connect(sim / "sim.sqlite")
    with db:
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION + 1),))
    db.close()
    for readonly in (True, False):
        with pytest.raises(RingWorldError) as info:
            SimFolder(sim).open(readonly=readonly)
        assert "\n" not in str(info.value) and "written by a newer RingWorld" in str(info.value)
    result = CliRunner().invoke(rw_site, ["build", str(sim)])
    assert result.exit_code == 1 and "newer RingWorld" in result.output


def test_a_file_that_is_no_store_is_refused(tmp_path):
    (tmp_path / "sim.sqlite").write_bytes(b"not a database at all" * 100)
    with pytest.raises(RingWorldError, match="not a readable sim store"):
        SimStore(tmp_path / "sim.sqlite")
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(RingWorldError, match="not a readable sim store"):
        SimStore(other)


def test_a_fork_trims_every_table_of_the_schema_that_has_a_step(tmp_path):
    path = write_scenario(tmp_path / "m.yaml", scenario_data(start="2023-02-13 07:00:00"))
    orig = run_scenario(path, sim="orig", steps=600, out_root=tmp_path).sim_dir
    new = fork(orig, tmp_path / "branch", 300)
    store = SimFolder(new).open(readonly=True)
    meta = store.get_meta()
    assert meta["steps_done"] == "300" and meta["forked_from"] == f"{orig}@300"
    db = store.db
    per_step = [t for t in TABLES if t.per_step]
    assert {t.name for t in per_step} >= {"steps", "frame_moves", "memories", "llm_calls"}
    for table in per_step:
        top = db.execute(f"SELECT max({table.per_step}) FROM {table.name}").fetchone()[0]
        assert top is None or top < 300, table.name
    kept = db.execute("SELECT count(*) FROM agents").fetchone()[0]
    assert kept == 3
    store.close()
