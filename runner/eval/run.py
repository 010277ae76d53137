"""``rw-batch eval``: a stored sim -> its measures, in ``eval.json`` and the store.

The agents are asked on a **fork** of the sim, made in a temporary folder at the last step
evaluated and thrown away after: the sim's frames, memories and states are never changed (its
answer cache may gain the evaluation's answers, a memo keyed by content; and the store gains
the ``evaluations`` row). What "at step N" means: after step N was stored (memories created
up to N, frames up to N). Step 0, the start, is always evaluated for the diffusion of the
facts and the network; the interview battery is asked at the steps asked for (by default the
end of each game day).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..agent.asker import Asker
from ..agent.recollection import Recollection, persona_of_the_day
from ..agent.town import MindSettings
from ..errors import RingWorldError
from ..llm.stack import LLMStack, build_stack, make_endpoints
from ..scenario import Scenario
from ..store import AnswerBook, SimFolder, SimStore, fork_store
from ..world.clock import GameClock
from ..world.loader import load_map
from . import judge, measures
from .judge import Judged
from .questions import Battery, Retrieval, StepPlan, about_others, ask_jobs, plan_step
from .results import CATEGORIES, AgentRef, Category, EvalResults, KnowsAnswer, StepResult
from .town import (
    agent_refs,
    chosen_steps,
    events_of,
    facts_of,
    known_names,
    mind_mode,
    public_places,
    sim_scenario,
)

GIVE_UP_S = 600.0  # an endpoint down this long ends the evaluation (a run never gives up)
RECALLED = 50  # memories retrieved per question, as the original's interviews (converse.py)


@dataclass
class EvalOptions:
    steps: Sequence[int] = ()  # () -> the end of each game day stored
    categories: Sequence[Category] = CATEGORIES
    interviewees: int | None = None  # the first N agents are interviewed; None: all
    seed: int = 0  # picks the battery's names and places, and the judge's orders
    llm: str | None = None  # override llm.backend
    scenario: Path | None = None  # take the eval block from this file (the same run)
    use_cache: bool = True
    progress: bool = False


@dataclass
class EvalRun:
    sim_dir: Path
    scenario: Scenario
    results: EvalResults
    questions: int = 0  # asked of the backend (one each, however many attempts)
    failsafes: int = 0
    tokens: int = 0  # prompt and completion tokens sent, embeddings included
    cost: float = 0.0  # at the scenario's llm.price_per_1k
    wall_s: float = 0.0
    mode: str = field(init=False)

    def __post_init__(self) -> None:
        self.mode = mind_mode(self.scenario)


def open_stack(sim_dir: Path, scenario: Scenario, use_cache: bool) -> LLMStack:
    """The scenario's backend in its wrappers, with the sim's answer cache for an LLM."""
    endpoints = make_endpoints(scenario)
    cached = use_cache and endpoints[0].is_llm
    book = AnswerBook(SimFolder(sim_dir).store_file) if cached else None
    return build_stack(scenario, book=book, endpoints=endpoints, give_up_s=GIVE_UP_S)


def evaluate(sim_dir: Path, options: EvalOptions) -> EvalRun:
    """Measure ``sim_dir`` at the chosen steps; nothing is written (see :func:`save`)."""
    began = time.perf_counter()
    sim_dir = Path(sim_dir)
    scenario = sim_scenario(sim_dir, options.scenario)
    if options.llm is not None:
        scenario.llm.backend = options.llm
    clock = GameClock(scenario.start, scenario.sec_per_step)
    store = SimFolder(sim_dir).open(readonly=True)
    with tempfile.TemporaryDirectory(prefix="rw-eval-") as tmp:
        try:
            done, personas = store.steps_done(), store.agents()
            asked = chosen_steps(options.steps, clock, done, sim_dir)
            fork_store(store, Path(tmp) / "sim.sqlite", asked[-1] + 1, f"{sim_dir}@eval")
        finally:
            store.close()
        fork = SimStore(Path(tmp) / "sim.sqlite", readonly=True)
        stack = open_stack(sim_dir, scenario, options.use_cache)
        try:
            run = _measure(sim_dir, scenario, fork, stack, personas, asked, options)
        finally:
            stack.close()
            fork.close()
    run.wall_s = time.perf_counter() - began
    return run


def _retrieval(scenario: Scenario) -> Retrieval:
    """What an interview recalls, weighted as the run's agents recall."""
    clock = GameClock(scenario.start, scenario.sec_per_step)
    return Retrieval(
        RECALLED,
        clock.steps_per_hour(),
        MindSettings.from_scenario(scenario.mind).weights,
        lambda step: clock.time_at(step).strftime("%H:%M"),
        scenario.style,
    )


def _measure(
    sim_dir: Path,
    scenario: Scenario,
    fork: SimStore,
    stack: LLMStack,
    personas: list[dict],
    asked: list[int],
    options: EvalOptions,
) -> EvalRun:
    lang = scenario.language
    town = load_map(scenario.map, lang)
    agents = agent_refs(personas)
    facts, events = facts_of(scenario), events_of(scenario, town)
    battery = Battery(
        public_places(town), lang, options.seed, options.categories, options.interviewees
    )
    plans = []
    for step in sorted({0, *asked}):
        memories = _memories(fork, personas, step)
        interviews = battery if step in asked else None
        plans.append(plan_step(step, memories, agents, facts, lang, interviews))
    jobs = [(job, plan.memories[job.agent]) for plan in plans for job in plan.jobs]
    asker = Asker(stack.backend, lang)
    retrieval = _retrieval(scenario)
    parallel = stack.backend.is_llm and not stack.backend.serial
    workers = min(scenario.llm.max_concurrency, 64) if parallel else 1
    with tqdm(total=len(jobs), desc="eval", unit="q", disable=not options.progress) as bar:
        answers = ask_jobs(jobs, asker, retrieval, workers, _ticker(bar, stack))
    records = asker.take_records()
    known = known_names(scenario, town, agents, facts, events)
    steps, start = [], 0
    for plan in plans:
        mine = answers[start : start + len(plan.jobs)]
        start += len(plan.jobs)
        steps.append(_step_result(plan, mine, fork, agents, facts, events, known, lang))
    results = EvalResults(
        sim=sim_dir.name,
        backend=scenario.llm.backend,
        language=lang,
        start_time=scenario.start,
        sec_per_step=scenario.sec_per_step,
        agents=agents,
        facts=facts,
        events=events,
        steps=steps,
    )
    return EvalRun(
        sim_dir,
        scenario,
        results,
        questions=len(records),
        failsafes=sum(r.outcome != "ok" for r in records),
        tokens=stack.meter.tokens,
        cost=stack.meter.cost,
    )


def _ticker(bar: tqdm, stack: LLMStack) -> Callable[[], None]:
    """One question answered: the bar moves; now and then it shows calls, tokens, cost."""

    def tick() -> None:
        bar.update()
        if bar.n % 25 == 0:
            bar.set_postfix_str(stack.progress(), refresh=False)

    return tick


def _memories(fork: SimStore, personas: list[dict], step: int) -> list[Recollection]:
    """Every agent's memories after ``step``."""
    out, days = [], fork.days(step + 1)
    for i, persona in enumerate(personas):
        persona = persona_of_the_day(persona, i, days)
        rows = fork.memory_rows(i, step + 1)
        dim = len(rows[0].embedding) if rows else 0
        accesses = fork.last_accesses(i, step + 1)
        out.append(Recollection.from_rows(i, persona, rows, accesses, step, dim))
    return out


def _step_result(
    plan: StepPlan,
    answers: list,
    fork: SimStore,
    agents: list[AgentRef],
    facts,
    events,
    known,
    lang: str,
) -> StepResult:
    names = [a.name for a in agents]
    memory_ids = {m.name: set(m.nodes) for m in plan.memories}
    knows = [a for a in answers if isinstance(a, KnowsAnswer)]
    by_fact = {f.id: f for f in facts}
    result = StepResult(
        step=plan.step,
        diffusion=[
            measures.diffusion(f, [a for a in knows if a.subject == f.id], memory_ids, names)
            for f in facts
        ],
        network=measures.network_from_answers(
            agents, [a for a in knows if a.subject not in by_fact], memory_ids, plan.certain
        ),
        hallucination=measures.hallucination(
            about_others(answers, agents, lang), known, memory_ids
        ),
        interviews=[a for a in answers if not isinstance(a, KnowsAnswer)],
    )
    texts = {m.name: m.texts() for m in plan.memories}
    for event in events:
        end = min(event.end_step, plan.step + 1)
        addresses = _addresses(fork, event.start_step, end, len(agents))
        invited = measures.invited_from_memories(texts, event.words)
        result.attendance.append(
            measures.attendance(event, addresses, names, invited, event.start_step)
        )
    return result


def _addresses(fork: SimStore, start: int, end: int, agents: int) -> list[list[str | None]]:
    """``[step][agent]`` addresses of steps ``start`` … ``end - 1`` from the frames."""
    rows: list[list[str | None]] = [[None] * agents for _ in range(max(0, end - start))]
    for frame in fork.frames(start, end) if end > start else ():
        rows[frame.step - start][frame.agent] = frame.address
    return rows


def save(run: EvalRun) -> Path:
    """Write ``eval.json`` into the sim folder and the same JSON into its store."""
    path = run.results.write(run.sim_dir)
    store = SimFolder(run.sim_dir).open()
    try:
        last = max((s.step for s in run.results.steps), default=0)
        store.save_evaluation(last, run.results.model_dump_json())
    finally:
        store.close()
    return path


JUDGE_REFUSED = (
    "--judge: the {backend} backend is a rule-based policy, not an LLM: it cannot judge which "
    "answer is the more believable; give an LLM backend (--llm, or llm.backend in the scenario)"
)


@dataclass
class Comparison:
    runs: list[EvalRun]
    judged: Judged | None = None
    judge_questions: int = 0
    judge_wall_s: float = 0.0


def compare_sims(sim_dirs: Sequence[Path], options: EvalOptions, with_judge: bool) -> Comparison:
    """Evaluate each sim with the same options; with ``with_judge``, a judge model ranks their
    interview answers and every sim's results get the ratings (nothing is written)."""
    names = [Path(d).name for d in sim_dirs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RingWorldError(f"--compare: sims must have different names ({', '.join(twice)})")
    stack = None
    if with_judge:  # refuse before the long part
        scenario = sim_scenario(Path(sim_dirs[0]), options.scenario)
        if options.llm is not None:
            scenario.llm.backend = options.llm
        stack = open_stack(Path(sim_dirs[0]), scenario, options.use_cache)
        if not stack.backend.is_llm:
            stack.close()
            raise RingWorldError(JUDGE_REFUSED.format(backend=scenario.llm.backend))
    try:
        out = Comparison([evaluate(Path(d), options) for d in sim_dirs])
        if stack is not None:
            _judge(out, stack, options)
    finally:
        if stack is not None:
            stack.close()
    return out


def _judge(out: Comparison, stack: LLMStack, options: EvalOptions) -> None:
    began = time.perf_counter()
    results = {run.results.sim: run.results for run in out.runs}
    planned = judge.plan(results, options.seed)
    modes = {run.results.sim: run.mode for run in out.runs}
    asker = Asker(stack.backend, out.runs[0].scenario.language)
    workers = 1 if stack.backend.serial else min(out.runs[0].scenario.llm.max_concurrency, 64)
    total = len(planned.matchups)
    with tqdm(total=total, desc="judge", unit="q", disable=not options.progress) as bar:
        tick = _ticker(bar, stack)
        out.judged = judge.judge(planned, modes, asker, options.seed, workers, tick)
    for run in out.runs:
        run.results.ratings = out.judged.ratings
    out.judge_questions = len(asker.take_records())
    out.judge_wall_s = time.perf_counter() - began
