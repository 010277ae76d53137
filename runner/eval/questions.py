"""The questions of an evaluation, and asking them of the agents as they were at a step.

Per evaluated step: each fact's question to every agent (``knows``), "do you know B?" to every
agent A about every other B (``knows``) unless A's memory stream already names B (then the
pair is certain and nothing is asked), and the interview battery (``interview``) where asked.
Each question is answered from the agent's memories after that step (retrieved as the agent
retrieves them, not marked accessed), and the memories an answer cites are stored node ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from ..agent.asker import Asker
from ..agent.recollection import Recollection, ask_from_memory
from ..agent.retrieve import RetrievalWeights
from ..prompts.styles import voice
from .battery import battery, local_name
from .measures import mentions, person_words
from .results import AgentRef, Category, Fact, InterviewAnswer, KnowsAnswer

EMBED_BATCH = 64  # question texts embedded in one request


@dataclass(frozen=True)
class Job:
    """One question to one agent at one step."""

    kind: Literal["interview", "knows"]
    step: int
    agent: int
    question: str
    subject: str = ""  # knows: a fact id or an agent's name
    words: tuple[str, ...] = ()  # knows: the words whose mention shows knowing
    category: Category | None = None  # interview: the battery slot
    question_id: str = ""


@dataclass
class StepPlan:
    """What one evaluated step asks, and the pairs it need not ask about."""

    step: int
    memories: list[Recollection]
    jobs: list[Job] = field(default_factory=list)
    certain: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Battery:
    """Which part of the interview battery to ask, and the town it names."""

    places: Sequence[str]
    lang: Literal["zh", "en"]
    seed: int | str
    categories: Sequence[Category]
    interviewees: int | None = None  # the first N agents; None: all


def plan_step(
    step: int,
    memories: list[Recollection],
    agents: list[AgentRef],
    facts: Sequence[Fact],
    lang: Literal["zh", "en"],
    battery_of: Battery | None,
) -> StepPlan:
    """The questions of one step (``battery_of`` None: no interviews)."""
    plan = StepPlan(step, memories)
    for memory in memories:
        for fact in facts:
            plan.jobs.append(
                Job("knows", step, memory.index, fact.question, fact.id, tuple(fact.words))
            )
    plan.jobs += _network_jobs(plan, agents, lang)
    if battery_of is not None:
        plan.jobs += _battery_jobs(step, memories, agents, battery_of)
    return plan


def _network_jobs(plan: StepPlan, agents: list[AgentRef], lang: str) -> list[Job]:
    jobs = []
    for memory in plan.memories:
        me = agents[memory.index]
        stream = "\n".join(memory.texts()).casefold()
        for other in agents:
            if other.name == me.name:
                continue
            whole = [n.casefold() for n in (other.name, other.name_en) if n]
            if any(n in stream for n in whole):
                plan.certain.append((me.name, other.name))
                continue
            name = local_name(other, lang)
            text = f"你认识{name}吗？" if lang == "zh" else f"Do you know {name}?"
            words = tuple(person_words(other, agents))
            jobs.append(Job("knows", plan.step, memory.index, text, other.name, words))
    return jobs


def _battery_jobs(
    step: int, memories: list[Recollection], agents: list[AgentRef], b: Battery
) -> list[Job]:
    names = [local_name(a, b.lang) for a in agents]
    jobs = []
    for memory in memories[: b.interviewees]:
        me = names[memory.index]
        for q in battery(me, names, b.places, b.lang, b.seed):
            if q.category in b.categories:
                job = Job("interview", step, memory.index, q.text, category=q.category)
                jobs.append(replace(job, question_id=q.id))
    return jobs


@dataclass(frozen=True)
class Retrieval:
    k: int
    steps_per_hour: int
    weights: RetrievalWeights
    time: Callable[[int], str]  # step -> "HH:MM"
    town_style: str | None = None  # the scenario's speaking style, the agents' default


Answer = InterviewAnswer | KnowsAnswer


def ask_jobs(
    jobs: list[tuple[Job, Recollection]],
    asker: Asker,
    retrieval: Retrieval,
    workers: int = 1,
    tick: Callable[[], None] = lambda: None,
) -> list[Answer]:
    """Every job's answer, in the order of ``jobs`` (``workers`` threads ask at once)."""
    texts = list(dict.fromkeys(job.question for job, _ in jobs))
    vectors = {}
    for start in range(0, len(texts), EMBED_BATCH):
        batch = texts[start : start + EMBED_BATCH]
        vectors.update(zip(batch, asker.embed(batch)))

    def one(item: tuple[Job, Recollection]) -> Answer:
        job, memory = item
        answer = _ask(job, memory, vectors[job.question], asker, retrieval)
        tick()
        return answer

    if workers <= 1:
        return [one(item) for item in jobs]
    with ThreadPoolExecutor(workers, thread_name_prefix="eval") as pool:
        return list(pool.map(one, jobs))


def _ask(job: Job, memory: Recollection, query: np.ndarray, asker: Asker, r: Retrieval) -> Answer:
    shown = memory.recall(query, r.steps_per_hour, r.k, r.weights)
    context = {"question": job.question, "time": r.time(job.step)}
    if job.kind == "knows":
        context["words"] = list(job.words)
    else:  # an interview answer is said aloud: in the agent's voice
        context.update(voice(memory.persona, r.town_style))
    value = ask_from_memory(asker, job.kind, memory, shown, context)
    common = {"agent": memory.name, "question": job.question, "cited": value["cited"]}
    if job.kind == "knows":
        text, knows = value["detail"], value["knows"]
        return KnowsAnswer(**common, text=text, subject=job.subject, knows=knows)
    return InterviewAnswer(
        **common,
        text=value["answer"],
        step=job.step,
        category=job.category,
        question_id=job.question_id,
    )


def about_others(answers: Sequence[Answer], agents: list[AgentRef], lang: str) -> list[Answer]:
    """The answers about other agents (checked for hallucination): every ``knows`` answer
    that says something (about a fact's news or a person), and each interview answer whose
    question names another agent."""
    out = []
    for answer in answers:
        if not answer.text.strip():
            continue  # "no" and nothing more: nothing that could be made up
        if isinstance(answer, KnowsAnswer):
            out.append(answer)
            continue
        others = [local_name(a, lang) for a in agents if a.name != answer.agent]
        if mentions(answer.question, others):
            out.append(answer)
    return out
