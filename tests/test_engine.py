"""The step engine: determinism, workers, kill-and-resume, locking, movement rules."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import morning_data, write_scenario
from engine_helpers import frames, rw_batch, steps_done

from runner.batch import default_workers, resume_sim, run_scenario
from runner.errors import RingWorldError
from runner.llm import registry
from runner.llm.stack import build_stack
from runner.policy.offline import OfflinePolicy
from runner.scenario import load_scenario
from runner.store import SimLock
from runner.world.loader import load_map

STEPS = 1800  # five game hours from 7:00: waking, walking, working, lunch and conversations


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[tuple]:
    """Frames of one uninterrupted run of the morning demo, to compare the others with."""
    base = tmp_path_factory.mktemp("ref")
    path = write_scenario(base / "morning.yaml", morning_data())
    result = run_scenario(path, steps=STEPS, out_root=base / "output")
    return frames(result.sim_dir)


def test_same_seed_gives_byte_identical_frames(morning_demo, reference):
    result = run_scenario(morning_demo, steps=STEPS, out_root=Path("output"))
    assert result.steps_done == STEPS
    assert frames(result.sim_dir) == reference
    assert len(reference) == STEPS * 3


def test_workers_do_not_change_the_run(morning_demo, reference):
    result = run_scenario(morning_demo, steps=STEPS, out_root=Path("output"), workers=4)
    assert frames(result.sim_dir) == reference


SIDES = threading.Barrier(2, timeout=30)  # the two sides of the first talk


class Meeting(OfflinePolicy):
    """The offline policy, but the first talk's two views of the other (one per side) are
    answered only once both are asked: a talk whose sides took turns would break the barrier."""

    views = 0
    lock = threading.Lock()

    def _relationship(self, c: dict) -> dict:
        with Meeting.lock:
            Meeting.views += 1
            first = Meeting.views <= 2
        if first:
            SIDES.wait()
        return super()._relationship(c)


def test_the_two_sides_of_a_talk_ask_at_once_and_the_run_stays_the_same(
    morning_demo, reference, monkeypatch
):
    monkeypatch.setitem(registry.BACKENDS, "meeting", ("test_engine:Meeting", None))
    result = run_scenario(
        morning_demo, steps=STEPS, out_root=Path("output"), llm="meeting", workers=2
    )
    assert Meeting.views >= 2 and not SIDES.broken
    assert frames(result.sim_dir) == reference


def test_frames_hold_conversations_and_movement(reference):
    chats = [row for row in reference if row[7]]
    assert chats, "no conversation happened in five game hours"
    assert len({(row[2], row[3]) for row in reference if row[1] == 0}) > 20


def test_resume_after_stop_continues_exactly(morning_demo, reference):
    first = run_scenario(morning_demo, steps=700, out_root=Path("output"))
    assert first.steps_done == 700
    second = resume_sim(first.sim_dir, steps=STEPS)
    assert second.steps_done == STEPS
    assert frames(second.sim_dir) == reference


KILL_SEED = int(os.environ.get("RINGWORLD_KILL_SEED", "20261201"))
KILLS = 5


def kill_steps(seed: int) -> list[int]:
    """``KILLS`` random steps, apart enough that every resumed run gets on before its kill."""
    rng = random.Random(seed)
    while True:
        steps = sorted(rng.sample(range(50, STEPS - 300), KILLS))
        if all(b - a >= 120 for a, b in zip(steps, steps[1:])):
            return steps


def test_sigkill_at_seeded_random_steps_then_resume(morning_demo, reference, tmp_path):
    """One run killed with SIGKILL at 5 random steps in turn (seeded: RINGWORLD_KILL_SEED),
    resumed after each kill, ends with the frames of the uninterrupted run."""
    targets = kill_steps(KILL_SEED)
    print(f"kill -9 at steps {targets} (RINGWORLD_KILL_SEED={KILL_SEED})")
    sim_dir = tmp_path / "output" / "morning"
    landed = []
    for number, kill_at in enumerate(targets):
        args = (
            ("run", str(morning_demo), "--steps", str(STEPS))
            if number == 0
            else ("resume", "morning")
        )
        proc = rw_batch(*args, "--quiet", cwd=tmp_path)
        deadline = time.monotonic() + 120
        while steps_done(sim_dir) < kill_at and proc.poll() is None:
            assert time.monotonic() < deadline, f"step {kill_at} not reached in 120 s"
            time.sleep(0.01)  # waiting for the subprocess to reach the step, not timing anything
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        landed.append(steps_done(sim_dir))
        assert kill_at <= landed[-1] < STEPS, f"kill {number} at {kill_at} landed at {landed}"
    print(f"steps stored when each kill landed: {landed}")
    resume = rw_batch("resume", "morning", "--quiet", cwd=tmp_path)
    _, err = resume.communicate(timeout=120)
    assert resume.returncode == 0, err
    got = frames(sim_dir)
    assert [r[0] for r in got[::3]] == list(range(STEPS)), f"a step is missing or doubled {landed}"
    assert got == reference, f"differs after kills at {landed}"


def test_ctrl_c_stops_after_a_stored_step(morning_demo, tmp_path):
    proc = rw_batch("run", str(morning_demo), "--steps", "8000", "--quiet", cwd=tmp_path)
    sim_dir = tmp_path / "output" / "morning"
    deadline = time.monotonic() + 60
    while steps_done(sim_dir) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "rw-batch resume" in err
    done = steps_done(sim_dir)
    assert 100 <= done < 8000
    assert len(frames(sim_dir)) == done * 3


def test_second_process_is_refused(morning_demo, tmp_path):
    first = run_scenario(morning_demo, steps=10, out_root=tmp_path / "output")
    lock = SimLock(first.sim_dir)
    lock.acquire()  # this test process plays the running sim
    try:
        proc = rw_batch("resume", "morning", "--steps", "20", cwd=tmp_path)
        _, err = proc.communicate(timeout=60)
    finally:
        lock.release()
    assert proc.returncode == 1
    assert err.count("\n") == 1 and "being run by another process" in err
    assert steps_done(first.sim_dir) == 10


def test_run_refuses_a_different_scenario_in_the_same_sim(morning_demo, tmp_path):
    run_scenario(morning_demo, steps=5, out_root=Path("output"))
    changed = morning_demo.read_text(encoding="utf-8").replace("seed: 7", "seed: 8")
    other = tmp_path / "other.yaml"
    other.write_text(changed, encoding="utf-8")
    with pytest.raises(RingWorldError, match="different scenario"):
        run_scenario(other, sim="morning", steps=5, out_root=Path("output"))


def test_agents_walk_one_tile_at_a_time_on_free_tiles_and_use_their_object(reference):
    tile_map = load_map(Path(__file__).parents[1] / "scenarios/maps/ringtown.yaml", "zh")
    by_agent: dict[int, list[tuple]] = {}
    for row in reference:
        by_agent.setdefault(row[1], []).append(row)
    at_object = 0
    for rows in by_agent.values():
        for prev, row, nxt in zip(rows, rows[1:], rows[2:]):
            x, y = row[2], row[3]
            assert tile_map.walkable((x, y)), f"agent {row[1]} on a wall at step {row[0]}"
            assert abs(x - prev[2]) + abs(y - prev[3]) <= 1, f"jump at step {row[0]}"
            still = (prev[2], prev[3]) == (x, y) == (nxt[2], nxt[3])
            if still and row[5] != "💬" and prev[4] == row[4]:
                assert tile_map.address_at((x, y)) == row[6], f"not at its object: {row}"
                at_object += 1
    assert at_object > STEPS  # most standing frames were checked


@pytest.mark.parametrize(
    ("llm", "workers"),
    [
        ({"backend": "offline"}, 1),  # the rules answer in no time: no threads
        ({"backend": "openai", "model": "m", "base_url": "http://127.0.0.1:9/v1"}, 3),
        ({"backend": "openai", "model": "m", "base_url": "http://127.0.0.1:9/v1",
          "max_concurrency": 1}, 2),
        ({"backend": "openai", "model": "m", "max_concurrency": 1,
          "base_url": ["http://127.0.0.1:9/v1", "http://127.0.0.1:10/v1"]}, 3),
    ],
)  # fmt: skip
def test_default_workers_every_agent_up_to_twice_the_calls_in_flight(tmp_path, llm, workers):
    scenario = load_scenario(write_scenario(tmp_path / "s.yaml", morning_data() | {"llm": llm}))
    stack = build_stack(scenario)
    try:
        assert default_workers(len(scenario.agents), stack) == workers
    finally:
        stack.close()
