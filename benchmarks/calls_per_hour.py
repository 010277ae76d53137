"""LLM calls and tokens per agent per game hour on the demo, against the original architecture.

    python benchmarks/calls_per_hour.py [SCENARIO] [--steps 8640]

Runs the scenario (default: the demo, 3 agents, one game day) with the offline policy standing
in for the model, behind the answer cache as a run on a real model has it, and counts what the
engine asks: questions per kind, how many the cache answered (identical prompts asked again,
such as the importance of an event seen before), and the tokens of every prompt and answer in
the tokenizer of the packaged model (Gemma 3, through llama-cpp-python; without it, an
estimate of 1.5 characters a token). The offline policy answers the same questions an LLM is
asked, so the counts are the engine's; the tokens of the answers are those of the policy's
JSON, which is about as long as a model's.

The original architecture's count (Park et al. 2023, reverie/backend_server) is made from the
same day's events, by the structure of its loop:

- per agent-day: wake-up hour 1, daily plan 1, the plan's importance 1, and the hourly
  schedule one call per waking hour (24 - wake-up hour);
- per task of an hour or more (not sleep): decomposition 1 (the same rule as ours);
- per action: 8 (sector, arena, object, emoji, event triple, object state, its emoji, its
  triple), where ours asks 4 (sector, arena, object, emoji and triple in one answer) and skips
  pick-one questions with a single option;
- per new event perceived: importance 1 (counted from the events our agents stored; the
  original also perceives objects' events, so this is a lower bound);
- per decision to talk: 1;
- per conversation of L lines: 2 per line (relationship summary and utterance), the
  conversation summary 1, a new schedule per agent 2, the chat's importance per agent 2, after
  it a planning thought and a memo per agent 4, their importance 4: 2L + 13;
- per reflection: focal points 1, insights 3, importance of 5 insights each 15: 19.

Embedding requests and the original's internal retries are not counted on either side.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from runner.agent.state import AgentState
from runner.engine import Engine
from runner.llm.base import Request, Response
from runner.llm.cache import Cache
from runner.llm.offline import OfflinePolicy
from runner.scenario import load_scenario
from runner.store import SimStore

ROOT = Path(__file__).resolve().parents[1]


def tokenizer():
    """(count function, its name): Gemma 3's tokenizer, else a character estimate."""
    try:
        from runner.llm.local import packaged_model  # first: it sets up llama.cpp's threads

        from llama_cpp import Llama  # isort: skip

        vocab = Llama(model_path=str(packaged_model()), vocab_only=True, verbose=False)
        return (
            lambda text: len(vocab.tokenize(text.encode("utf-8"), add_bos=False, special=False)),
            "Gemma 3 tokenizer",
        )
    except Exception:  # no llama-cpp-python or no packaged model
        return (lambda text: max(1, round(len(text) / 1.5)), "estimate: 1.5 characters a token")


class Counted:
    """The offline policy, answering with the token counts of prompt and answer."""

    name, model, is_llm, serial, embed_model = "counted", "rules", True, False, None

    def __init__(self, scenario: dict, count):
        self.policy = OfflinePolicy(scenario)
        self.count = count

    def complete(self, request: Request) -> Response:
        answer = self.policy.complete(request)
        answer.prompt_tokens = self.count(request.prompt)
        answer.completion_tokens = self.count(answer.text)
        return answer

    def embed(self, texts):
        return self.policy.embed(texts)

    def close(self) -> None:
        pass


def run(scenario: dict, steps: int, count, folder: Path) -> SimStore:
    store = SimStore(folder / "sim.sqlite")
    store.init_from_scenario(scenario.model_copy(update={"steps": steps}), "bench", "bench")
    book = store.answer_book()
    backend = Cache(Counted(scenario, count), book, {})
    Engine.from_scenario(scenario, store, backend).run(steps, progress=False)
    book.close()
    return store


def original_count(store: SimStore, kinds: Counter) -> tuple[int, dict]:
    schedule = store.asked("wake_up_hour")
    wake_hours = []
    for agent, step in schedule:
        blob = store.state_from(agent, step)
        wake_hours.append(int(AgentState.from_bytes(blob).wake_hour or 7) if blob else 7)
    days = len(schedule)
    events = store.count("memories", kind="event")
    talks = store.conversations(store.steps_done())
    lines = sum(len(json.loads(t.lines)) for t in talks)
    parts = {
        "plan (wake, plan, its importance)": 3 * days,
        "hourly schedule (per waking hour)": sum(24 - h for h in wake_hours),
        "task decomposition": kinds["task_decomp"],
        "actions (8 each)": 8 * kinds["action_details"],
        "importance of events perceived": events,
        "decide to talk": kinds["decide_to_talk"],
        "conversations (2L + 13)": 2 * lines + 13 * len(talks),
        "reflections (19 each)": 19 * kinds["focal_points"],
    }
    return sum(parts.values()), parts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/demo.yaml"))
    parser.add_argument("--steps", type=int, default=8640)
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    count, how = tokenizer()
    with tempfile.TemporaryDirectory() as tmp:
        store = run(scenario, args.steps, count, Path(tmp))
        agents = len(scenario.agents)
        hours = args.steps * scenario.sec_per_step / 3600
        per = agents * hours
        by_kind = [r for r in store.calls_by_kind() if r["kind"] != "embed"]
        by_kind.sort(key=lambda r: -r["calls"])
        rows = [
            (r["kind"], r["calls"], r["cache_hits"], r["sent"], r["prompt_tokens"])
            + (r["completion_tokens"],)
            for r in by_kind
        ]
        kinds = Counter({kind: asked for kind, asked, *_ in rows})
        original, parts = original_count(store, kinds)
        store.close()
    print(f"{args.scenario}: {agents} agents x {hours:.0f} game hours; tokens: {how}")
    print(f"{'kind':<18}{'asked':>7}{'cached':>8}{'sent':>7}{'prompt tok':>12}{'answer tok':>12}")
    total = Counter()
    for kind, asked, cached, sent, pt, ct in rows:
        print(f"{kind:<18}{asked:>7}{cached:>8}{sent or 0:>7}{pt:>12}{ct:>12}")
        total.update(asked=asked, cached=cached, sent=sent or 0, pt=pt, ct=ct)
    print(
        f"{'all':<18}{total['asked']:>7}{total['cached']:>8}{total['sent']:>7}"
        f"{total['pt']:>12}{total['ct']:>12}"
    )
    print(
        f"per agent per game hour: {total['asked'] / per:.1f} questions, "
        f"{total['sent'] / per:.1f} calls sent (the rest from the cache), "
        f"{total['pt'] / per:.0f} prompt + {total['ct'] / per:.0f} answer tokens"
    )
    print(
        f"the original architecture, same day by its structure: {original / per:.1f} calls "
        f"per agent per game hour ({original} in all)"
    )
    for name, n in parts.items():
        print(f"  {name:<36}{n:>7}")


if __name__ == "__main__":
    main()
