"""How varied the offline town is: distinct actions and places of its agents at given hours.

    python benchmarks/town_variety.py [SCENARIO] [--hours 12 15 20] [--seed N]

Runs the scenario (default: town25, 25 agents) for one game day with the offline backend (a
rule-based policy, not an LLM) into a temporary folder and prints, for each hour, how many
distinct actions and places (sectors) the agents have at that step, and the most common action
with its count.
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from runner.batch import run_scenario
from runner.scenario import load_scenario, resolved_yaml
from runner.store import SimFolder

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/town25.yaml"))
    parser.add_argument("--hours", type=float, nargs="+", default=[12, 15, 20])
    parser.add_argument("--seed", type=int, help="another seed than the scenario's")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.scenario)
        if args.seed is not None:
            scenario.seed = args.seed
            path = Path(tmp) / "scenario.yaml"
            path.write_text(resolved_yaml(scenario), encoding="utf-8")
        steps_per_hour = 3600 // scenario.sec_per_step
        result = run_scenario(path, steps=24 * steps_per_hour, out_root=Path(tmp), llm="offline")
        store = SimFolder(result.sim_dir).open(readonly=True)
        print(f"scenario  {args.scenario} (seed {scenario.seed}), {len(scenario.agents)} agents")
        for hour in args.hours:
            step = int(hour * steps_per_hour)
            frames = store.frames(step, step + 1)
            actions = Counter(f.action for f in frames)
            places = {f.address.split(":")[1] if ":" in f.address else "(outdoors)" for f in frames}
            top, count = actions.most_common(1)[0]
            print(
                f"{int(hour):02d}:{int(hour % 1 * 60):02d}  {len(actions):2d} actions, "
                f"{len(places):2d} places; most common: {top} ({count})"
            )
        store.close()


if __name__ == "__main__":
    main()
