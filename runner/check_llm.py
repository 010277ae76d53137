"""``rw-batch check-llm``: ask the configured backend every kind of question once.

The questions are real ones: the scenario is first simulated with the offline policy (rule-based,
not an LLM, a few seconds for a game day) in a temporary folder until every kind has been asked
(into the second game day, whose start asks ``revise_identity``; with ``mind.plan: false`` for
``next_hour``, ``mind.chat: whole`` for ``conversation``),
and the first question of each kind is kept with its full context. Each is then put to the
configured backend through the same asker (parse, validate, retry) and wrappers (retry with
backoff, per-endpoint concurrency) as a run, without the cache. Per kind the report gives: parsed
at the first try, after retries, or not at all (fail-safe); latency; prompt and completion tokens;
the answer. A kind the offline day never reached is reported as such.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .agent.asker import Asker
from .engine import Engine
from .llm.base import Backend, Embeddings, Request, Response
from .llm.stack import build_stack
from .policy.offline import OfflinePolicy
from .prompts.kinds import KINDS
from .prompts.styles import voice
from .scenario import Scenario
from .store import SimStore

DAY_STEPS = 8640
GIVE_UP_S = 60.0  # a check does not wait out an outage as a run does (llm.timeout if shorter)


class Recorder:
    """The offline policy, keeping the first request of every kind."""

    name = "offline"
    model = "rules"
    is_llm = False
    serial = False
    embed_model = None

    def __init__(self, scenario: Scenario):
        self.policy = OfflinePolicy(scenario)
        self.first: dict[str, Request] = {}

    def complete(self, request: Request) -> Response:
        self.first.setdefault(request.kind, request)
        return self.policy.complete(request)

    def embed(self, texts: list[str]) -> Embeddings:
        return self.policy.embed(texts)

    def close(self) -> None:
        pass


def sample_requests(scenario: Scenario, max_steps: int = 2 * DAY_STEPS, chunk: int = 360) -> dict:
    """kind -> the first Request of that kind in an offline run of ``scenario`` (into its
    second day, for the questions of a new day; an ablation's own kinds in a run of it)."""
    scenario = scenario.model_copy(deep=True)
    scenario.llm.backend = "offline"
    recorder = Recorder(scenario)
    wanted = set(KINDS) - set(ASKED_OUTSIDE_STEPS) - set(ABLATION_KINDS)
    _simulate(scenario, recorder, wanted, max_steps, chunk, interview=True)
    for kind, mind in ABLATION_KINDS.items():
        if kind in KINDS:
            ablated = scenario.model_copy(update={"mind": scenario.mind.model_copy(update=mind)})
            _simulate(ablated, recorder, {kind}, max_steps, chunk)
    return recorder.first


def _simulate(
    scenario: Scenario,
    recorder: Recorder,
    wanted: set,
    max_steps: int,
    chunk: int,
    interview: bool = False,
) -> None:
    """Run ``scenario`` offline until every kind in ``wanted`` was asked (then sample an
    interview question from its memories, if asked to)."""
    with tempfile.TemporaryDirectory(prefix="rw-check-") as tmp:
        store = SimStore(Path(tmp) / "sim.sqlite")
        store.init_from_scenario(
            scenario.model_copy(update={"steps": max_steps}), "check", "check-llm"
        )
        engine = Engine.from_scenario(scenario, store, recorder)
        done = 0
        while done < max_steps and not wanted <= set(recorder.first):
            done, stopped = engine.run(min(done + chunk, max_steps), progress=False)
            if stopped:
                break
        if interview:
            recorder.first.update(_asked_outside_steps(scenario, store, done))
        store.close()


# kind -> the mind settings under which the engine asks it (never with the defaults: an
# ablation or a mode)
ABLATION_KINDS = {"next_hour": {"plan": False}, "conversation": {"chat": "whole"}}
# asked by 'rw-batch interview' and 'rw-batch eval', never by the engine
ASKED_OUTSIDE_STEPS = ("interview", "knows", "judge")


def _asked_outside_steps(scenario: Scenario, store, done: int) -> dict[str, Request]:
    """An interview, a ``knows`` question (about the first fact of the scenario's ``eval``
    block, else about another agent) to the first agent with its latest memories, and a
    judge's comparison of two answers."""
    lang, zh = scenario.language, scenario.language == "zh"
    persona = scenario.personas()[0]
    memories = [row.description for row in store.memory_rows(0, done + 1)[-8:]]
    asked = {"name": persona["name"], "persona": persona, "memories": memories, "time": "12:00"}
    if scenario.eval.facts:
        fact = scenario.eval.facts[0]
        question, words = fact.question, fact.words
    else:
        other = scenario.agents[-1]
        question = f"你认识{other.name}吗？" if zh else f"Do you know {other.name}?"
        words = [other.name]
    day = "你今天过得怎么样？" if zh else "How was your day?"
    contexts = {
        "interview": {**asked, "question": day, **voice(persona, scenario.style)},
        "knows": {**asked, "question": question, "words": words},
        "judge": {
            "question": day,
            "first": memories[-1] if memories else day,
            "second": "我不太记得了。" if zh else "I don't really remember.",
        },
    }
    return {
        kind: Request(kind, lang, {**ctx, "lang": lang}, KINDS[kind].schema, persona["name"])
        for kind, ctx in contexts.items()
    }


@dataclass
class KindCheck:
    kind: str
    outcome: str  # "parsed", "parsed after N tries", "FAILED (fail-safe used)", "no sample …"
    ok: bool
    attempts: int = 0
    latency_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    answer: str = ""
    reasoning_tokens: int = 0


def check_llm(
    scenario: Scenario,
    endpoints: list[Backend] | None = None,
    kinds: Iterable[str] | None = None,
) -> Iterator[KindCheck]:
    """One :class:`KindCheck` per kind (``kinds``, default every kind; as each is answered),
    then one for embeddings."""
    samples = sample_requests(scenario)
    give_up = min(GIVE_UP_S, scenario.llm.timeout)
    stack = build_stack(scenario, endpoints=endpoints, give_up_s=give_up)
    asker = Asker(stack.backend, scenario.language)
    try:
        for kind in kinds or KINDS:
            request = samples.get(kind)
            if request is None:
                yield KindCheck(kind, "no sample (not reached in a simulated day)", True)
                continue
            context = {k: v for k, v in request.context.items() if k != "lang"}
            agent = _agent_index(scenario, context.get("name"))
            value = asker.ask(kind, context, 0, agent)
            record = asker.take_records()[-1]
            ok = record.outcome == "ok"
            attempts = record.attempts
            if not ok:
                outcome = "FAILED (fail-safe used)"
            elif attempts == 1:
                outcome = "parsed"
            else:
                outcome = f"parsed after {attempts} tries"
            yield KindCheck(
                kind,
                outcome,
                ok,
                attempts,
                record.latency_ms,
                record.prompt_tokens,
                record.completion_tokens,
                _short(value),
                record.reasoning_tokens,
            )
        began = time.perf_counter()
        vectors = stack.backend.embed(["检查 check", "embedding"]).vectors
        yield KindCheck(
            "embed",
            f"{vectors.shape[0]} vectors of {vectors.shape[1]}",
            vectors.shape[0] == 2,
            1,
            (time.perf_counter() - began) * 1000,
            answer=stack.backend.embed_model or "hashed n-grams (no model)",
        )
    finally:
        stack.close()


def settled_lines(endpoints: list[Backend]) -> list[str]:
    """What each endpoint settled on (structured output, thinking, parameters; the local
    backend's GPU layers), each line once."""
    lines: list[str] = []
    for backend in endpoints:
        said = getattr(backend, "settled", list)()
        where = getattr(backend, "endpoint", "") if len(endpoints) > 1 else ""
        lines += [f"{where}: {line}" if where else line for line in said]
    return list(dict.fromkeys(lines))


def _agent_index(scenario: Scenario, name: str | None) -> int | None:
    names = [a.name for a in scenario.agents]
    return names.index(name) if name in names else None


def _short(value, limit: int = 70) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


HEADER = f"{'kind':<18} {'result':<26}{'latency':>9}{'prompt':>8}{'compl':>7}{'think':>7}  answer"


def format_check(c: KindCheck) -> str:
    latency = f"{c.latency_ms:.0f} ms" if c.attempts else "-"
    return (
        f"{c.kind:<18} {c.outcome:<26}{latency:>9}{c.prompt_tokens:>8}{c.completion_tokens:>7}"
        f"{c.reasoning_tokens:>7}  {c.answer}"
    )
