"""LLM questions and tokens per agent per game day, against the original architecture's count.

    python benchmarks/calls_per_hour.py [SCENARIO] [--steps 8640] [--copies N] [--chat whole]

Runs the scenario (default: the demo, 3 agents, one game day; ``--copies 4`` on town25 gives the
100-agent town, the 25 personas four times) with the offline policy standing in for the model,
behind the answer cache as a run on a real model has it, and counts what the engine asks:
questions per kind, how many the cache answered (identical prompts asked again), and the tokens
of every prompt and answer in the tokenizer of the packaged model (Gemma 3, through
llama-cpp-python; without it, an estimate of 1.5 characters a token). The offline policy answers
the same questions an LLM is asked, so the counts are the engine's.

Stable prefix: for every prompt sent (not answered by the cache), the longest prefix it shares
with a prompt the same agent sent before (a server's prefix cache per agent: vLLM's automatic
prefix caching, llama.cpp's slots, OpenAI's prompt caching keep such a prefix); its share of
all prompt tokens sent is what such a cache can reuse.

The original architecture's count (Park et al. 2023, reverie/backend_server/persona/) is made
from the same day's events, by the structure of its loop (``original_count``):

- per agent-day: wake-up hour 1 and the daily plan 1 (the plan thought's importance is fixed at
  5 in plan.py, no call); the hourly schedule one call per waking hour (24 - wake-up hour); on
  every day after the first, ``revise_identity``: 4 (plan note, thought note, currently, daily
  requirement);
- per task of an hour or more (not sleep): decomposition 1 (the same rule as ours);
- per action begun (counted as the agents begin them, asked or not): 8
  (sector, arena, object, emoji, event triple, object state, its emoji, its triple); ours asks 3
  (sector, arena, then the object, emoji, triple, object state and the action's importance in
  one answer), skips pick-one questions with a single option, and asks nothing for an action
  placed earlier that day with the same places known;
- per new event perceived: importance 1 (from the events our agents stored; the original
  perceives objects' events too, so this is a lower bound);
- decide to talk: 1 per agent-step that perceived a new event of another agent (the original
  asks when its retrieval focuses on another persona's event; its buffer after a talk is left
  out, so this is an upper bound);
- per conversation of L lines: 2 per line (relationship summary and utterance), the summary 1,
  a new schedule per agent 2, the chat's and its event's importance per agent 4, after it a
  planning thought and a memo per agent, each with its event triple and importance, 12: 2L + 19;
- per reflection: focal points 1, insights 3, and for each of the 15 insights its event triple
  and importance 30: 34.

Embedding requests and the original's internal retries are not counted on either side.
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from runner.agent.plan import Planner
from runner.engine import Engine
from runner.llm.base import Request, Response
from runner.llm.cache import Cache
from runner.policy.offline import OfflinePolicy
from runner.scenario import load_scenario
from runner.store import SimStore

ROOT = Path(__file__).resolve().parents[1]
STEPS = 8640

# the parts of the original's loop, and our kinds that do the same work
PARTS = {
    "day plan (wake-up hour, plan)": ("wake_up_hour", "daily_plan"),
    "identity revision (days after the first)": ("revise_identity",),
    "hourly schedule": ("hourly_schedule", "next_hour"),
    "task decomposition": ("task_decomp",),
    "actions (8 each in the original)": (
        "action_sector",
        "action_arena",
        "action_details",
        "decide_to_wait",
    ),
    "importance of new memories": ("importance", "importances"),
    "decide to talk": ("decide_to_talk",),
    "conversations (2L + 19)": (
        "chat_turn",
        "conversation",
        "relationship",
        "chat_summary",
        "after_chat",
        "revise_schedule",
    ),
    "reflections (34 each)": ("focal_points", "insights"),
}


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


def common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    low, high = 0, n  # binary search on a[:k] == b[:k]: long prompts, C-speed comparisons
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


class Counted:
    """The offline policy, answering with the token counts of prompt and answer; it keeps
    each agent's prompts sent so far (the last of each kind: a prefix cache per agent) to
    measure the stable prefix, and the wake-up hours asked."""

    name, model, is_llm, serial, embed_model = "counted", "rules", True, False, None

    def __init__(self, scenario, count):
        self.policy = OfflinePolicy(scenario)
        self.count = count
        self.last: dict[str, dict[str, str]] = defaultdict(dict)  # agent -> kind -> prompt
        self.prefix_tokens = 0
        self.prompt_tokens = 0
        self.wake_hours: list[int] = []

    def complete(self, request: Request) -> Response:
        answer = self.policy.complete(request)
        prompt = request.prompt
        answer.prompt_tokens = self.count(prompt)
        answer.completion_tokens = self.count(answer.text)
        seen = self.last[request.agent or ""]
        shared = max((common_prefix(prompt, p) for p in seen.values()), default=0)
        self.prefix_tokens += self.count(prompt[:shared]) if shared else 0
        self.prompt_tokens += answer.prompt_tokens
        seen[request.kind] = prompt
        if request.kind == "wake_up_hour":
            self.wake_hours.append(int(answer.text.split(":")[1].strip(" }")))
        return answer

    def embed(self, texts):
        return self.policy.embed(texts)

    def close(self) -> None:
        pass


def copied(scenario, copies: int):
    """The scenario with its agents ``copies`` times (copy k's names end in k + 1)."""
    if copies <= 1:
        return scenario
    agents = list(scenario.agents)
    for k in range(2, copies + 1):
        for agent in scenario.agents:
            update = {"name": f"{agent.name}{k}"}
            if agent.name_en:
                update["name_en"] = f"{agent.name_en} {k}"
            agents.append(agent.model_copy(update=update))
    return scenario.model_copy(update={"agents": agents})


def run(scenario, steps: int, backend: Counted, folder: Path) -> SimStore:
    store = SimStore(folder / "sim.sqlite")
    store.init_from_scenario(scenario.model_copy(update={"steps": steps}), "bench", "bench")
    book = store.answer_book()
    Engine.from_scenario(scenario, store, Cache(backend, book, {})).run(steps, progress=False)
    book.close()
    return store


class ActionCount:
    """Counts the actions the agents begin (``Planner.start_action``), asked or not: the
    original asks its 8 questions for every one."""

    def __init__(self):
        self.calls = itertools.count()
        self.original = Planner.start_action
        count = self

        def start_action(planner, *args):
            next(count.calls)  # atomic in CPython: agents think in threads
            return count.original(planner, *args)

        Planner.start_action = start_action

    def close(self) -> int:
        Planner.start_action = self.original
        return next(self.calls)


def original_count(
    store: SimStore, kinds: Counter, wake_hours: list[int], agents: int, actions: int
) -> dict:
    """The original's calls per part of its loop (see the module docstring)."""
    done = store.steps_done()
    names = [p["name"] for p in store.personas()]
    events, noticed = 0, set()
    for agent in range(agents):
        for row in store.memory_rows(agent, done):
            if row.kind == "event":
                events += 1
                if row.subject in names and row.subject != names[agent]:
                    noticed.add((agent, row.created_step))
    talks = store.conversations(done)
    lines = sum(len(json.loads(t.lines)) for t in talks)
    days = len(wake_hours)
    return {
        "day plan (wake-up hour, plan)": 2 * days,
        "identity revision (days after the first)": 4 * max(0, days - agents),
        "hourly schedule": sum(24 - h for h in wake_hours),
        "task decomposition": kinds["task_decomp"],
        "actions (8 each in the original)": 8 * actions,
        "importance of new memories": events,
        "decide to talk": len(noticed),
        "conversations (2L + 19)": 2 * lines + 19 * len(talks),
        "reflections (34 each)": 34 * kinds["focal_points"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/demo.yaml"))
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--copies", type=int, default=1, help="the agents this many times")
    parser.add_argument("--chat", choices=("turns", "whole"), help="mind.chat for this run")
    args = parser.parse_args()
    scenario = copied(load_scenario(args.scenario), args.copies)
    if args.chat:
        scenario.mind.chat = args.chat
    count, how = tokenizer()
    backend = Counted(scenario, count)
    agents = len(scenario.agents)
    with tempfile.TemporaryDirectory() as tmp:
        actions = ActionCount()
        store = run(scenario, args.steps, backend, Path(tmp))
        rows = [r for r in store.calls_by_kind() if r["kind"] != "embed"]
        kinds = Counter({r["kind"]: r["calls"] for r in rows})
        original = original_count(store, kinds, backend.wake_hours, agents, actions.close())
        store.close()
    per = agents * args.steps * scenario.sec_per_step / 86400  # agent-days
    print(
        f"{args.scenario} x{args.copies}, mind.chat {scenario.mind.chat}: {agents} agents,"
        f" {per / agents:.2f} game days; tokens: {how}"
    )
    print_kinds(sorted(rows, key=lambda r: -r["calls"]), per)
    share = backend.prefix_tokens / max(1, backend.prompt_tokens)
    print(
        f"stable prefix: {share:.1%} of the prompt tokens sent are a prefix the agent sent"
        f" before (a prefix cache per agent); {backend.prompt_tokens / per:.0f} prompt tokens"
        f" sent per agent-day, {(backend.prompt_tokens - backend.prefix_tokens) / per:.0f}"
        " of them new"
    )
    print(f"\n{'per agent-day':<44}{'original':>9}{'ours':>7}")
    for part, ours in PARTS.items():
        print(f"  {part:<42}{original[part] / per:>9.1f}{sum(kinds[k] for k in ours) / per:>7.1f}")
    total = sum(original.values())
    ours = sum(kinds[k] for part in PARTS.values() for k in part)
    print(f"  {'all':<42}{total / per:>9.1f}{ours / per:>7.1f}")


def print_kinds(rows: list[dict], per: float) -> None:
    print(f"{'kind':<18}{'asked':>7}{'cached':>8}{'sent':>7}{'prompt tok':>12}{'answer tok':>12}")
    total = Counter()
    for r in rows:
        asked, cached, sent = r["calls"], r["cache_hits"], r["sent"] or 0
        pt, ct = r["prompt_tokens"], r["completion_tokens"]
        print(f"{r['kind']:<18}{asked:>7}{cached:>8}{sent:>7}{pt:>12}{ct:>12}")
        total.update(asked=asked, cached=cached, sent=sent, pt=pt, ct=ct)
    print(
        f"{'all':<18}{total['asked']:>7}{total['cached']:>8}{total['sent']:>7}"
        f"{total['pt']:>12}{total['ct']:>12}"
    )
    print(
        f"per agent-day: {total['asked'] / per:.1f} questions, {total['sent'] / per:.1f} sent"
        f" (the rest from the cache), {total['pt'] / per:.0f} prompt + {total['ct'] / per:.0f}"
        " answer tokens"
    )


if __name__ == "__main__":
    main()
