"""The frames hash of a scenario run offline: proof that a change left behaviour alone.

    python benchmarks/frames_hash.py [SCENARIO ...] [--steps N]

Runs each scenario with the offline backend (a rule-based policy, not an LLM) into a temporary
folder for ``--steps`` steps (default one game day) and prints the SHA-256 of its frames (every
agent's tile, action, emoji, address and chat line at every step, in step and agent order) and
of its memory stream (text and importance of every node). Two versions of the code that print the
same hashes produced the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path

from runner.batch import run_scenario
from runner.store import SimFolder

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [str(ROOT / "scenarios/demo.yaml"), str(ROOT / "scenarios/town25.yaml")]


def _digest(rows) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps(list(row), ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def run_hashes(scenario: str, steps: int) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        result = run_scenario(scenario, steps=steps, out_root=Path(tmp), llm="offline")
        store = SimFolder(result.sim_dir).open(readonly=True)
        out = {"frames": _digest(store.frames()), "memories": _digest(store.memory_texts())}
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=DEFAULT)
    parser.add_argument("--steps", type=int, default=8640)
    args = parser.parse_args()
    for scenario in args.scenarios:
        began = time.perf_counter()
        hashes = run_hashes(scenario, args.steps)
        took = time.perf_counter() - began
        print(f"{Path(scenario).name:<16} steps {args.steps}  ({took:.1f} s)")
        for key, value in hashes.items():
            print(f"  {key:<9} {value}")


if __name__ == "__main__":
    main()
