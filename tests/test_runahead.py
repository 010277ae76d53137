"""Running ahead (issue 19): agents step out of order, yet the stored run is the lockstep one —
whatever the workers, the server's timing, kills and forks."""

from __future__ import annotations

import random
import signal
import threading
import time
from pathlib import Path

import pytest
from conftest import morning_data, write_scenario
from engine_helpers import query, rw_batch, steps_done

from runner.agent.move import Position
from runner.agent.town import Seen, View
from runner.batch import resume_sim, run_scenario
from runner.levers import fork
from runner.llm import priority, registry
from runner.llm.base import Request, Response
from runner.llm.spread import Spread
from runner.policy.offline import OfflinePolicy
from runner.runahead import RunAhead
from runner.testing.loopback import OpenAIServer, PromptBook

STEPS = 1200  # 7:00-10:20: waking, walking, working; snapshots after 0, 359, 719, 1079, 1199
TABLES = {  # what a run stores, each in a fixed order
    "frames": "SELECT * FROM frames ORDER BY step, agent",
    "memories": "SELECT agent, node, created_step, kind, description, importance, evidence"
    " FROM memories ORDER BY agent, node",
    "accesses": "SELECT * FROM memory_access ORDER BY agent, node, step",
    "conversations": "SELECT * FROM conversations ORDER BY id",
    "days": "SELECT * FROM days ORDER BY agent, date",
    "states": "SELECT * FROM agent_state ORDER BY step, agent",
    "snapshots": "SELECT step FROM steps WHERE snapshot = 1 ORDER BY step",
}


def stored(sim: Path) -> dict[str, list]:
    return {name: query(sim, sql) for name, sql in TABLES.items()}


def until(tables: dict[str, list], end: int) -> dict[str, list]:
    """The rows of steps before ``end`` (the states and snapshots left out: a resume stores a
    snapshot at the step it goes on from)."""
    first = {"frames": 0, "memories": 2, "accesses": 2, "conversations": 1, "days": 2}
    return {k: [r for r in tables[k] if r[i] < end] for k, i in first.items()}


@pytest.fixture(scope="module")
def lockstep(tmp_path_factory) -> dict[str, list]:
    """The morning demo offline with one worker: the sequential reference."""
    base = tmp_path_factory.mktemp("lockstep")
    path = write_scenario(base / "morning.yaml", morning_data())
    return stored(run_scenario(path, steps=STEPS, out_root=base, workers=1).sim_dir)


ASKED: dict[str, int] = {}  # the requests the server got for each sim of ``served``


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The same run through the loopback server (the offline policy behind HTTP), each call
    delayed by a seeded random 0-4 ms: run ahead with 4 workers, with the default workers, and
    in lockstep with 4 workers (``--lockstep``); the server stays up for a fork."""
    base = tmp_path_factory.mktemp("served")
    patch = pytest.MonkeyPatch()
    book = PromptBook().install(patch)
    with OpenAIServer(book, seed=7, jitter=(19, 0.004)) as server:
        data = morning_data()
        data["llm"] = {"backend": "openai", "model": "m", "base_url": server.base_url}
        path = write_scenario(base / "morning.yaml", data)
        sims = {}
        for name, w in (("four", 4), ("default", None), ("lock", 4)):
            before = server.chat_requests
            sims[name] = run_scenario(
                path, sim=name, steps=STEPS, out_root=base, workers=w, lockstep=name == "lock"
            ).sim_dir
            ASKED[name] = server.chat_requests - before
        yield server, sims
    patch.undo()


def test_the_stored_run_is_the_lockstep_one_whatever_the_workers_and_timing(lockstep, served):
    _, sims = served
    assert lockstep["conversations"] and len(lockstep["frames"]) == STEPS * 3
    for name, sim in sims.items():
        got = stored(sim)
        for table in TABLES:
            assert got[table] == lockstep[table], f"{name}: {table} differs"


def test_every_request_a_run_sent_is_in_its_store(served):
    """What reached the server, the copies' requests sent ahead included, is what the store
    says the sim spent (its ``llm_calls`` rows that are no cache hit)."""
    _, sims = served
    for name, sim in sims.items():
        rows = query(sim, "SELECT sum(attempts) FROM llm_calls WHERE cache_hit = 0")
        assert rows[0][0] == ASKED[name] > 0, name


def test_an_agent_moves_at_most_one_tile_a_step(served):
    _, sims = served
    rows = query(sims["four"], "SELECT agent, step, x, y FROM frames ORDER BY agent, step")
    for (a, s, x, y), (b, t, u, v) in zip(rows, rows[1:]):
        if a == b:
            assert t == s + 1 and abs(u - x) + abs(v - y) <= 1, f"agent {a} jumps at step {t}"


def test_a_fork_between_snapshots_asks_nothing_new(served, tmp_path):
    """The agents ask nothing new; what reaches the server is only what their copies sent
    thinking ahead on a wrong guess, each kept as an ``ahead`` row."""
    server, sims = served
    asked = server.chat_requests
    branch = fork(sims["four"], tmp_path / "branch", at_step=900)  # 720..899 run again
    assert resume_sim(branch, steps=STEPS, workers=4).steps_done == STEPS
    hits = query(
        branch,
        "SELECT count(*), sum(cache_hit) FROM llm_calls WHERE step >= 900 AND outcome != 'ahead'",
    )
    assert hits[0][0] > 0 and hits[0][0] == hits[0][1]  # every question answered by the cache
    ahead = query(branch, "SELECT count(*) FROM llm_calls WHERE step >= 900 AND outcome = 'ahead'")
    assert server.chat_requests - asked == ahead[0][0]
    assert stored(branch)["frames"] == stored(sims["four"])["frames"]


KILL_RUN = 540


def test_kill_9_at_five_seeded_points_of_a_run_ahead_then_resume(lockstep, tmp_path):
    """``rw-batch run --workers 4`` (running ahead) killed with SIGKILL at 5 seeded steps in
    turn, resumed after each kill: the store is the lockstep run's."""
    rng = random.Random(20261219)
    kills = sorted(rng.sample(range(40, KILL_RUN - 60), 5))
    path = write_scenario(tmp_path / "morning.yaml", morning_data())
    sim = tmp_path / "output" / "morning"
    landed = []
    for number, kill_at in enumerate(kills):
        args = (
            ("run", str(path), "--steps", str(KILL_RUN)) if number == 0 else ("resume", "morning")
        )
        proc = rw_batch(*args, "--workers", "4", "--quiet", cwd=tmp_path)
        deadline = time.monotonic() + 60
        while steps_done(sim) < kill_at and proc.poll() is None:
            assert time.monotonic() < deadline, f"step {kill_at} not reached in 60 s"
            time.sleep(0.01)  # polling the subprocess's progress, not timing anything
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        landed.append(steps_done(sim))
        assert landed[-1] < KILL_RUN, f"kill {number} came too late: {landed}"
    resume = rw_batch("resume", "morning", "--workers", "4", "--quiet", cwd=tmp_path)
    _, err = resume.communicate(timeout=120)
    assert resume.returncode == 0, err
    got, want = until(stored(sim), KILL_RUN), until(lockstep, KILL_RUN)
    for table, rows in want.items():
        assert got[table] == rows, f"{table} differs after kills at {landed}"


def test_ctrl_c_stops_a_run_ahead_at_a_stored_step_and_resume_goes_on(lockstep, tmp_path):
    path = write_scenario(tmp_path / "morning.yaml", morning_data())
    sim = tmp_path / "output" / "morning"
    proc = rw_batch(
        "run", str(path), "--steps", str(STEPS), "--workers", "4", "--quiet", cwd=tmp_path
    )
    deadline = time.monotonic() + 60
    while steps_done(sim) < 100 and proc.poll() is None:
        assert time.monotonic() < deadline, "step 100 not reached in 60 s"
        time.sleep(0.01)  # polling the subprocess's progress, not timing anything
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    done = steps_done(sim)
    assert proc.returncode == 0 and "rw-batch resume" in err and 100 <= done < STEPS
    assert len(stored(sim)["frames"]) == done * 3  # whole steps only
    assert resume_sim(sim, workers=4).steps_done == STEPS
    assert until(stored(sim), STEPS) == until(lockstep, STEPS)


def test_lockstep_flag_keeps_the_lockstep_order_with_workers(lockstep, tmp_path):
    path = write_scenario(tmp_path / "morning.yaml", morning_data())
    args = ("run", str(path), "--steps", "300", "--workers", "3", "--lockstep", "--quiet")
    proc = rw_batch(*args, cwd=tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert until(stored(tmp_path / "output" / "morning"), 300) == until(lockstep, 300)


class Slowed(OfflinePolicy):
    """The offline policy, but the third agent's first plan of the day (at step 0; its history
    is planted before) waits (up to 30 s) until the other two have finished step ``AHEAD``:
    they must have run ahead of it."""

    gate = threading.Event()

    def complete(self, request):
        if request.agent == "玛丽亚·洛佩兹" and request.kind == "wake_up_hour":
            Slowed.gate.wait(30)
        return super().complete(request)


AHEAD = 12


def test_a_pair_that_ran_ahead_talks_as_in_lockstep(tmp_path, monkeypatch):
    """Isabella and Klaus start side by side in the classroom and talk at once; Maria wakes in
    her room and walks in later (and talks with Klaus): the run ahead is the lockstep one."""
    data = morning_data() | {"seed": 15}
    data["agents"][0]["start_tile"] = [39, 47]
    data["agents"][2]["start_tile"] = [39, 50]
    path = write_scenario(tmp_path / "meet.yaml", data)
    reference = stored(run_scenario(path, sim="ref", steps=STEPS, out_root=tmp_path).sim_dir)
    finished, finish = [], RunAhead.finish

    def recording(self, i: int, step: int, *how) -> None:
        finished.append((i, step))
        if i != 1 and step >= AHEAD:
            Slowed.gate.set()
        finish(self, i, step, *how)

    monkeypatch.setattr(RunAhead, "finish", recording)
    monkeypatch.setitem(registry.BACKENDS, "slowed", ("test_runahead:Slowed", None))
    sim = run_scenario(path, sim="ahead", steps=STEPS, out_root=tmp_path, llm="slowed", workers=4)
    assert Slowed.gate.is_set()
    first_of_maria = finished.index((1, 0))
    assert {(0, AHEAD), (2, AHEAD)} <= set(finished[:first_of_maria])  # they ran ahead
    talks = [(a, b) for _, s, _, a, b, *_ in reference["conversations"] if s < STEPS]
    assert (0, 2) in talks and (2, 1) in talks  # the pair's talk, and Maria's with Klaus
    got = stored(sim.sim_dir)
    for table in TABLES:
        assert got[table] == reference[table], f"{table} differs"


def _seen(index: int, tile: tuple[int, int]) -> Seen:
    return Seen(index, Position(tile), None, None, tile, False, "看书", ("", ()))


def test_a_narrowed_view_raises_on_a_read_outside_its_room():
    view = View.of(7, [_seen(0, (3, 4)), _seen(2, (5, 4))], {})
    assert view.in_room == {7: [0, 2]} and view.tiles[2] == (5, 4)
    for field in (view.tiles, view.busy, view.doing, view.events, view.rooms):
        with pytest.raises(KeyError):
            field[1]  # agent 1 stands in another room


class Queue(OfflinePolicy):
    """The offline policy as one slow server: its first call is answered once ``opened``,
    and it notes the agents of the calls in the order they come."""

    def __init__(self) -> None:
        super().__init__()
        self.opened = threading.Event()
        self.order: list[int] = []

    def complete(self, request: Request) -> Response:
        self.order.append(request.context["who"])
        if len(self.order) == 1:
            assert self.opened.wait(30)
        return Response('{"rating": 5}')


def test_the_call_furthest_behind_takes_the_next_free_slot():
    server = Queue()
    spread = Spread([server], max_concurrency=1)

    def ask(step: int, agent: int) -> None:
        with priority.asking(step, agent):
            spread.complete(Request("importance", "zh", {"who": agent}, {}))

    first = threading.Thread(target=ask, args=(9, 9))
    first.start()
    waiting = [threading.Thread(target=ask, args=a) for a in ((7, 0), (3, 2), (3, 1), (5, 0))]
    deadline = time.monotonic() + 30
    for thread in waiting:
        thread.start()
    while spread.waiting < 4:  # all four queued behind the first call
        assert time.monotonic() < deadline
        time.sleep(0.001)  # polling the threads' progress, not timing anything
    server.opened.set()
    for thread in [first, *waiting]:
        thread.join(30)
    assert server.order == [9, 1, 2, 0, 0] and [t.is_alive() for t in waiting] == [False] * 4
