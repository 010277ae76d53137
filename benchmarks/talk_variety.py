"""How varied the offline town's talk is: distinct lines, openings, and lines that slip.

    python benchmarks/talk_variety.py [SCENARIO] [--steps N] [--seed N] [--show N]

Runs the scenario (default: town25, 25 agents) with the offline backend (a rule-based policy,
not an LLM) into a temporary folder for ``--steps`` steps (default one game day) and prints:

- lines: spoken lines in all, how many distinct, and the share of distinct ones;
- openings: the opening of each conversation (its first line's first sentence, every
  resident's name in it as «…») and the share of conversations the most common one opens;
- repeats: lines one speaker says twice or more in the run, greetings aside;
- slips: lines where a speaker names itself (third person of itself), and lines where a
  speaker says the other's action as its own («我» + what the other is doing).

``--show N`` prints the first N conversations too.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from runner.batch import run_scenario
from runner.scenario import load_scenario, resolved_yaml
from runner.store import SimFolder

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = re.compile(r"^.*?(?:[。！？!?]|\.(?:\s|$)|$)")
# a greeting may be said again: hello, see you, thanks
GREETINGS = ("你好", "回头见", "再见", "谢谢", "早", "晚安", "hello", "hi ", "see you", "bye")


def opening(line: str, names: list[str]) -> str:
    """The first sentence of ``line``, each name in it as «…»."""
    first = SENTENCE.match(line.strip()).group(0)
    for name in sorted(names, key=len, reverse=True):
        first = first.replace(name, "…")
    return first


def is_greeting(line: str) -> bool:
    low = line.lower()
    return len(line) <= 24 and any(g in low for g in GREETINGS)


def talks(store, steps: int) -> tuple[list[dict], list[list[tuple[str, str]]]]:
    """The personas and every conversation begun before ``steps`` as [(speaker, line)]."""
    personas = store.personas()
    convs = []
    for c in store.conversations(steps):
        lines = json.loads(c.lines)
        convs.append([(_name(personas, who), said) for who, said in lines])
    return personas, convs


def _name(personas: list[dict], who: str | int) -> str:
    """A speaker as stored: its name, or its index (older stores)."""
    return who if isinstance(who, str) else personas[who]["name"]


def self_named(speaker: str, line: str, zh: bool) -> bool:
    """Whether ``speaker`` names itself in its own line (a greeting «我是X» aside)."""
    rest = re.sub(rf"(我是|我叫|I.m |I am ){re.escape(speaker)}", "", line)
    return speaker in rest if zh else re.search(rf"\b{re.escape(speaker)}\b", rest) is not None


def figures(personas: list[dict], convs: list[list[tuple[str, str]]], zh: bool) -> dict:
    """The figures the module docstring lists, from the conversations."""
    names = [p["name"] for p in personas] + [p.get("name_en") or "" for p in personas]
    names = [n for n in names if n]
    spoken = [line for conv in convs for _, line in conv]
    opens = Counter(opening(conv[0][1], names) for conv in convs if conv)
    said = Counter((who, line) for conv in convs for who, line in conv if not is_greeting(line))
    slips = [(who, line) for conv in convs for who, line in conv if self_named(who, line, zh)]
    top = opens.most_common(1)[0] if opens else ("", 0)
    return {
        "lines": len(spoken),
        "distinct": len(set(spoken)),
        "conversations": len(convs),
        "top_opening": top[0],
        "top_opening_count": top[1],
        "openings": len(opens),
        "repeats": sorted(((w, x, n) for (w, x), n in said.items() if n > 1), key=lambda r: -r[2]),
        "self_named": slips,
    }


def run_talk(scenario_path: str, steps: int | None = None, seed: int | None = None) -> tuple:
    """Run the scenario offline; (personas, conversations, zh)."""
    scenario = load_scenario(scenario_path)
    steps = steps or 24 * 3600 // scenario.sec_per_step
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(scenario_path)
        if seed is not None:
            scenario.seed = seed
            path = Path(tmp) / "scenario.yaml"
            path.write_text(resolved_yaml(scenario), encoding="utf-8")
        result = run_scenario(path, steps=steps, out_root=Path(tmp), llm="offline")
        store = SimFolder(result.sim_dir).open(readonly=True)
        personas, convs = talks(store, steps)
        store.close()
    return personas, convs, scenario.language == "zh"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/town25.yaml"))
    parser.add_argument("--steps", type=int, help="steps to run (default: one game day)")
    parser.add_argument("--seed", type=int, help="another seed than the scenario's")
    parser.add_argument("--show", type=int, default=0, help="print this many conversations")
    args = parser.parse_args()
    personas, convs, zh = run_talk(args.scenario, args.steps, args.seed)
    f = figures(personas, convs, zh)
    n, c = max(f["lines"], 1), max(f["conversations"], 1)
    print(f"scenario  {args.scenario}, {len(personas)} agents, {f['conversations']} conversations")
    print(f"lines     {f['distinct']} distinct of {f['lines']} ({f['distinct'] / n:.0%})")
    print(
        f"openings  {f['openings']} distinct; most common «{f['top_opening']}» opens"
        f" {f['top_opening_count']} of {f['conversations']} ({f['top_opening_count'] / c:.0%})"
    )
    print(f"repeats   {len(f['repeats'])} lines said twice or more by one speaker (not greetings)")
    for who, line, count in f["repeats"][:5]:
        print(f"          {count}× {who}: {line}")
    print(f"slips     {len(f['self_named'])} lines where the speaker names itself")
    for who, line in f["self_named"][:5]:
        print(f"          {who}: {line}")
    for conv in convs[: args.show]:
        print("---")
        for who, line in conv:
            print(f"{who}: {line}")


if __name__ == "__main__":
    main()
