"""Step wall time of the 25-agent town on an LLM server with 200 ms per call: default
concurrency against ``--workers 1``.

    python benchmarks/llm_concurrency.py [--steps 12] [--latency 0.2] [--embed-latency 0.02]

The server is runner/testing/loopback.py on 127.0.0.1 (a real HTTP server speaking the OpenAI API,
answering as the offline policy would, after ``--latency`` seconds per call); the sim talks to
it through the ``openai`` backend and all its wrappers, as a run on vLLM would. The first step
is the heavy one: all 25 agents plan their day (wake-up hour, plan, schedule, first action and
its place, memories' importance), about ten calls each, one after the other per agent.
The scenario's history CSV is left out unless ``--history``: planting it is a one-off before
the first step, done agent after agent.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import yaml

from runner.batch import run_scenario
from runner.store import SimFolder
from runner.testing.loopback import OpenAIServer
from runner.testing.promptbook import PromptBook

ROOT = Path(__file__).resolve().parents[1]


class _Patch:
    def setattr(self, obj, name, value):
        setattr(obj, name, value)


def run_once(base: Path, url: str, args, workers: int | None) -> dict:
    data = yaml.safe_load((ROOT / "scenarios/town25.yaml").read_text(encoding="utf-8"))
    for key in ("map", "history"):
        if data.get(key):
            data[key] = str((ROOT / "scenarios" / data[key]).resolve())
    data["start"] = f"2023-02-13 {args.start}:00"
    if not args.history:
        data.pop("history", None)
    data["llm"] = {"backend": "openai", "model": "bench", "base_url": url}
    if args.max_concurrency:
        data["llm"]["max_concurrency"] = args.max_concurrency
    data["embedding"] = {"model": "bench-embed"}
    name = f"w{workers or 'default'}"
    path = base / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    began = time.perf_counter()
    result = run_scenario(path, sim=name, steps=args.steps, out_root=base, workers=workers)
    wall = time.perf_counter() - began
    store = SimFolder(result.sim_dir).open(readonly=True)
    steps = [ms / 1000 for ms in store.step_wall_ms()]
    calls = store.count("llm_calls") - store.count("llm_calls", kind="embed")
    store.close()
    return {"steps": steps, "wall": wall, "calls": calls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument(
        "--embed-latency",
        type=float,
        default=0.02,
        help="seconds per embedding request (one forward pass: much less than a chat answer)",
    )
    parser.add_argument("--start", default="07:00", help="game time of step 0 (HH:MM)")
    parser.add_argument(
        "--max-concurrency", type=int, help="llm.max_concurrency (default: default)"
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help="keep the scenario's history CSV (planted before step 0, one agent after another)",
    )
    args = parser.parse_args()
    os.environ.setdefault("RINGWORLD_RETRY_BASE_S", "0.05")
    book = PromptBook().install(_Patch())
    server = OpenAIServer(book, seed=25, latency=args.latency, embed_latency=args.embed_latency)
    with tempfile.TemporaryDirectory() as tmp, server as srv:
        fast = run_once(Path(tmp), srv.base_url, args, None)
        peak = srv.max_in_flight
        slow = run_once(Path(tmp), srv.base_url, args, 1)
    print(
        f"25 agents, {args.steps} steps from {args.start}, {args.latency * 1000:.0f} ms per "
        f"chat call, {args.embed_latency * 1000:.0f} ms per embedding request"
    )
    print(f"questions asked per run: {fast['calls']} (default) / {slow['calls']} (--workers 1)")
    for label, r in (("default concurrency", fast), ("--workers 1", slow)):
        per_step = ", ".join(f"{s:.2f}" for s in r["steps"])
        print(f"{label:<20} steps: {per_step} s; whole run {r['wall']:.1f} s")
    print(f"calls in flight at most (default): {peak}")
    print(
        f"speed-up, heavy first step: {slow['steps'][0] / fast['steps'][0]:.1f}x; "
        f"all steps: {sum(slow['steps']) / sum(fast['steps']):.1f}x"
    )


if __name__ == "__main__":
    main()
