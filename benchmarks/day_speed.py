"""A game day's wall time on an LLM server, against its critical path (issue 19).

    python benchmarks/day_speed.py [--span 07:00-10:00] [--latency 0.2] [--agents-copies 4]
        [--slots N --ms-per-token X] [--workers N] [--max-concurrency N] [--lockstep]
        [--compare] [--no-think-ahead] [--keep DIR]

Runs town25 (its history CSV left out, hashed embeddings) against runner/testing/loopback.py on
127.0.0.1 — a real HTTP server speaking the OpenAI API, answering as the offline policy would —
through the ``openai`` backend and all its wrappers, as a run on vLLM would. The server answers
each call after ``--latency`` seconds; or, with ``--slots``, it is a GPU server: at most N
calls at once (the others queue), each taking ``--ms-per-token`` per answer token.

Then it reads the stored run (benchmarks/critical_path.py): the critical path — the least wall
time any scheduler could reach, each call taking its latency, an agent's calls in a step in a
row, a talking pair's one chain, a step waiting only for its dependencies' previous step — under
issue 19's dependency (perception), under what the agent code reads (reads, in hindsight) and
under the run-ahead rule of docs/engine.md (engine rule);
and the lockstep model: every step waits for its slowest chain. With ``--slots`` the floor is
also the server's: all the calls' time over its slots.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from benchmarks.critical_path import Timeline, critical_paths, sure_steps
from runner.agent.converse import TALK_REST_MINUTES
from runner.agent.plan import is_asleep
from runner.batch import run_scenario
from runner.engine import spawn_tiles
from runner.scenario import load_scenario
from runner.store import SimFolder, SimStore
from runner.store.calltimes import sent_calls
from runner.testing.loopback import OpenAIServer
from runner.testing.promptbook import PromptBook
from runner.thinkahead import ThinkAhead
from runner.world.loader import load_map
from runner.world.placeindex import PlaceIndex
from runner.world.rooms import Rooms

ROOT = Path(__file__).resolve().parents[1]


class _Patch:
    def setattr(self, obj, name, value):
        setattr(obj, name, value)


def span_steps(span: str, sec_per_step: int) -> tuple[str, int]:
    """'07:00-10:00' -> ('07:00', steps of the span)."""
    start, end = span.split("-")
    minutes = [int(t.split(":")[0]) * 60 + int(t.split(":")[1]) for t in (start, end)]
    return start, (minutes[1] - minutes[0]) * 60 // sec_per_step


def scenario_file(base: Path, url: str, args) -> tuple[Path, int]:
    """town25 over the span, on the server, its agents ``--agents-copies`` times (copy k's
    names end in k, as benchmarks/calls_per_hour.py --copies)."""
    data = yaml.safe_load((ROOT / "scenarios/town25.yaml").read_text(encoding="utf-8"))
    data["map"] = str((ROOT / "scenarios" / data["map"]).resolve())
    data.pop("history", None)
    start, steps = span_steps(args.span, data.get("sec_per_step", 10))
    data["start"] = f"2023-02-13 {start}:00"
    data["steps"] = steps
    data["llm"] = {"backend": "openai", "model": "bench", "base_url": url}
    if args.max_concurrency:
        data["llm"]["max_concurrency"] = args.max_concurrency
    agents = list(data["agents"])
    for k in range(2, args.agents_copies + 1):
        for agent in data["agents"]:
            copy = {**agent, "name": f"{agent['name']}{k}"}
            if agent.get("name_en"):
                copy["name_en"] = f"{agent['name_en']} {k}"
            agents.append(copy)
    data["agents"] = agents
    path = base / "day.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path, steps


def timeline(store: SimStore, scenario_path: Path, seconds) -> tuple[Timeline, Rooms]:
    """The stored run as a Timeline, ``seconds(requests, completion_tokens)`` per chain."""
    scenario = load_scenario(scenario_path)
    tile_map = load_map(scenario.map, scenario.language)
    places = PlaceIndex.of(tile_map)
    steps, n = store.steps_done(), len(scenario.agents)
    tiles = np.zeros((steps + 1, n, 2), dtype=np.int64)
    tiles[0] = spawn_tiles(scenario, tile_map, str(scenario_path))
    frames = store.frames()
    for f in frames:
        tiles[f.step + 1, f.agent] = (f.x, f.y)
    chains = np.zeros((steps, n))
    for row in sent_calls(store):
        chains[row.step, row.agent] = seconds(row.requests, row.completion_tokens)
    pairs: dict[int, list[tuple[int, int]]] = {}
    for talk in store.conversations(steps):
        pairs.setdefault(talk.step_start, []).append((talk.agent_a, talk.agent_b))
    grid = places.arena_grid
    rooms = grid[tiles[..., 1], tiles[..., 0]]
    t = Timeline(
        chains,
        tiles,
        rooms,
        scenario.vision_radius,
        pairs,
        sure_steps(_free(frames, steps, n, scenario.sec_per_step)),
    )
    return t, Rooms.of(tile_map, places)


def _free(frames, steps: int, n: int, sec_per_step: int) -> np.ndarray:
    """(steps, agents), in hindsight from the frames: whether the agent could leave its path
    at the step — not busy (not asleep, talking or resting from a talk: a talk may begin), or
    its action or chat changed there (a new action, a chat begun or ended)."""
    rest = TALK_REST_MINUTES * 60 // sec_per_step
    free = np.ones((steps, n), dtype=bool)
    last: dict[int, tuple] = {}
    chat_end = np.full(n, -(1 << 30))
    for f in frames:
        chatting = f.emoji in ("💬", "🚶")
        key = ("chat", f.address) if chatting else (f.action, f.address)
        if not chatting and last.get(f.agent, ("",))[0] == "chat":
            chat_end[f.agent] = f.step
        busy = chatting or is_asleep(f.action) or f.step < chat_end[f.agent] + rest
        free[f.step, f.agent] = not busy or key != last.get(f.agent)
        last[f.agent] = key
    return free


def run(args) -> dict:
    book = PromptBook().install(_Patch())
    if args.no_think_ahead:  # no copy is ever given a step (runner/thinkahead.py)
        _Patch().setattr(ThinkAhead, "next", lambda self, i, done, until: None)
    if args.slots:
        server = OpenAIServer(
            book, seed=25, slots=args.slots, ms_per_token=args.ms_per_token, max_seconds=7200
        )
    else:
        server = OpenAIServer(book, seed=25, latency=args.latency, max_seconds=7200)
    with tempfile.TemporaryDirectory() as tmp, server as srv:
        base = Path(args.keep or tmp)
        path, steps = scenario_file(base, srv.base_url, args)
        began, cpu = time.perf_counter(), time.process_time()
        result = run_scenario(
            path, sim="day", steps=steps, out_root=base, workers=args.workers,
            lockstep=args.lockstep,
        )  # fmt: skip
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        store = SimFolder(result.sim_dir).open(readonly=True)
        if args.slots:
            seconds = lambda calls, tokens: tokens * args.ms_per_token / 1000  # noqa: E731
        else:
            seconds = lambda calls, tokens: calls * args.latency  # noqa: E731
        t, rooms = timeline(store, path, seconds)
        sent = store.spent().calls
        store.close()
    paths = critical_paths(t, rooms)
    floor = t.chains.sum() / args.slots if args.slots else 0.0
    return {"wall": wall, "cpu": cpu, "sent": sent, "steps": steps, "agents": t.chains.shape[1],
            "peak": srv.max_in_flight, "floor": floor, **paths}  # fmt: skip


def _scheduling(args) -> str:
    if args.lockstep:
        return "lockstep (--lockstep)"
    return "run-ahead" + (" without thinking ahead" if args.no_think_ahead else " (the default)")


def report(args, r: dict) -> None:
    server = (
        f"{args.slots} slots, {args.ms_per_token} ms per answer token"
        if args.slots
        else f"{args.latency * 1000:.0f} ms per call"
    )
    load = os.getloadavg()
    print(
        f"town25 x{args.agents_copies} ({r['agents']} agents), {args.span} ({r['steps']} steps),"
        f" {server}; workers {args.workers or 'default'};"
        f" max_concurrency {args.max_concurrency or 'default'}; scheduling:"
        f" {_scheduling(args)};"
        f" {os.cpu_count()} CPUs, load after the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"calls in flight at most: {r['peak']}; CPU time of the process (every thread, the"
          f" server's included) during the run: {r['cpu']:.1f} s")  # fmt: skip
    if args.slots:
        print(f"server floor (all calls' time / slots): {r['floor']:.1f} s")
    print("| wall | calls sent | critical path (perception) | (reads) | (engine rule) |"
          " (plan-aware) | lockstep model | wall / critical path |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    ratio = r["wall"] / max(r["perception"], r["floor"], 1e-9)
    print(
        f"| {r['wall']:.1f} s | {r['sent']:,} | {r['perception']:.1f} s | {r['reads']:.1f} s |"
        f" {r['engine']:.1f} s | {r.get('plan', 0):.1f} s |"
        f" {r['lockstep']:.1f} s | {ratio:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--span", default="07:00-10:00", help="game time HH:MM-HH:MM")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per call")
    parser.add_argument("--slots", type=int, help="a server of this many calls at once")
    parser.add_argument("--ms-per-token", type=float, default=20.0, help="with --slots")
    parser.add_argument("--agents-copies", type=int, default=1, help="town25's agents N times")
    parser.add_argument("--workers", type=int, help="the engine's workers (default: default)")
    parser.add_argument(
        "--max-concurrency", type=int, help="the scenario's llm.max_concurrency (default: 64)"
    )
    parser.add_argument(
        "--lockstep", action="store_true", help="keep today's lockstep scheduling (recorded)"
    )
    parser.add_argument(
        "--compare", action="store_true", help="run-ahead, then --lockstep, in the same run"
    )
    parser.add_argument(
        "--no-think-ahead", action="store_true", help="run ahead without copies thinking ahead"
    )
    parser.add_argument("--keep", help="run in this folder and keep it (day.yaml, day/)")
    args = parser.parse_args()
    os.environ.setdefault("RINGWORLD_RETRY_BASE_S", "0.05")
    for lockstep in (False, True) if args.compare else (args.lockstep,):
        args.lockstep = lockstep
        report(args, run(args))


if __name__ == "__main__":
    main()
