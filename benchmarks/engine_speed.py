"""Engine time per agent-step and peak memory for a whole run (default: 25 agents, one day).

    python benchmarks/engine_speed.py [SCENARIO] [--steps N] [--workers K] [--agents N]
                                      [--start HH:MM]

Runs the scenario with the offline backend (a rule-based policy, not an LLM, so the figure is
the engine's own cost) into a temporary folder and prints the figures. ``--agents 1000`` makes
a crowded town of the scenario's personas over and over (copies named "name 2", "name 3" …,
living where the first one does); ``--start 12:00`` starts the run at that game time of the
scenario's day (at noon everyone is awake: planning, walking, perceiving, talking). Without
``--agents`` the scenario's own residents run as they are (a generated town of 1,000:
``rw-batch new-town NAME --residents 1000``).

Engine time is wall time, so it grows with the machine's load; the CPU time of the whole run
(the process's, map loading and commits included) much less: quote both, with ``uptime``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import yaml

from runner.batch import run_scenario
from runner.store import SimFolder

ROOT = Path(__file__).resolve().parents[1]


def crowded(source: Path, agents: int | None, start: str | None, folder: Path) -> Path:
    """The scenario with ``agents`` agents (its own, repeated) and start time, in ``folder``."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for key in ("map", "history"):
        if data.get(key):
            data[key] = str((source.parent / data[key]).resolve())
    if start:
        data["start"] = f"{str(data['start']).split()[0]} {start}:00"
    people = data["agents"]
    copies = []
    for n in range(agents or len(people)):
        person, round_ = dict(people[n % len(people)]), n // len(people)
        if round_:
            for key in ("name", "name_en"):
                if person.get(key):
                    person[key] = f"{person[key]} {round_ + 1}"
        copies.append(person)
    data["agents"] = copies
    path = folder / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/town25.yaml"))
    parser.add_argument("--steps", type=int, default=8640)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--agents", type=int, help="repeat the scenario's agents to this many")
    parser.add_argument("--start", help="game time of step 0 (HH:MM) on the scenario's day")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scenario = crowded(Path(args.scenario), args.agents, args.start, Path(tmp))
        began, cpu = time.perf_counter(), time.process_time()
        result = run_scenario(
            scenario,
            steps=args.steps,
            out_root=Path(tmp),
            llm="offline",
            workers=args.workers,
        )
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        store = SimFolder(result.sim_dir).open(readonly=True)
        engine_ms = sum(store.step_wall_ms())
        agents = store.count("agents")
        calls = store.count("llm_calls")
        talks = store.count("conversations")
        store.close()
        size = (result.sim_dir / "sim.sqlite").stat().st_size
    agent_steps = result.steps_done * agents
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scenario            {args.scenario} from {args.start or 'its start'}")
    print(f"agents x steps      {agents} x {result.steps_done} = {agent_steps} agent-steps")
    print(
        f"engine time         {engine_ms / agent_steps:.4f} ms per agent-step "
        f"({engine_ms / 1000:.1f} s; thinking, moving, framing)"
    )
    print(
        f"wall time           {wall * 1000 / agent_steps:.4f} ms per agent-step "
        f"({wall:.1f} s; with map loading and SQLite commits)"
    )
    print(
        f"CPU time            {cpu * 1000 / agent_steps:.4f} ms per agent-step "
        f"({cpu:.1f} s; the whole run, as wall time)"
    )
    print(f"peak memory         {peak_mib:.0f} MiB (max RSS of this process)")
    print(f"questions asked     {calls} ({calls / agents:.0f} per agent)")
    print(f"conversations       {talks}")
    print(f"sim.sqlite          {size / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
