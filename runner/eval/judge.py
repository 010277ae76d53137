"""The judge of ``rw-batch eval --compare --judge``: a model ranks the sims' interview answers.

For each interview question (an agent and a battery slot) that every compared sim answered at
their last common evaluated step, with the same question text, every pair of answers is put
to the ``judge`` question kind in a seeded order (:func:`runner.eval.rating.plan_matchups`):
the judge sees the question and the two answers, nothing else. The verdicts become TrueSkill
ratings (:func:`runner.eval.rating.rate`); a fail-safe (no verdict) is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..agent.asker import Asker
from ..errors import RingWorldError
from .rating import Judgement, Matchup, plan_matchups, rate, to_ratings
from .results import EvalResults, Rating


@dataclass
class Plan:
    step: int  # the last evaluated step with interviews that the sims have in common
    matchups: list[Matchup]
    skipped: int  # questions left out: not answered by every sim, or asked differently


@dataclass
class Judged:
    ratings: list[Rating]
    step: int
    matchups: int  # comparisons asked
    verdicts: int  # comparisons that gave a verdict
    skipped: int


def plan(results: Mapping[str, EvalResults], seed: int | str) -> Plan:
    """The matchups over the sims' interview answers (``results`` by sim label)."""
    common = set.intersection(
        *({s.step for s in r.steps if s.interviews} for r in results.values())
    )
    if not common:
        raise RingWorldError(
            "--judge: the compared sims have no evaluated step with interviews in common; "
            "evaluate them at the same --at-step"
        )
    step = max(common)
    by_question: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
    for label, r in results.items():
        found = next(s for s in r.steps if s.step == step)
        for a in found.interviews:
            by_question.setdefault((a.agent, a.question_id), {})[label] = (a.question, a.text)
    matchups, skipped = [], 0
    for (agent, question_id), answers in by_question.items():
        questions = {question for question, _ in answers.values()}
        if len(answers) < len(results) or len(questions) > 1:
            skipped += 1
            continue
        texts = {label: text for label, (_, text) in answers.items()}
        matchups += plan_matchups(f"{agent}:{question_id}", questions.pop(), texts, seed)
    return Plan(step, matchups, skipped)


def judge(
    planned: Plan,
    modes: Mapping[str, str],
    asker: Asker,
    seed: int | str,
    workers: int = 1,
    tick: Callable[[], None] = lambda: None,
) -> Judged:
    """Ask the judge about every planned matchup; the ratings of the sims (``modes``: label
    -> mind mode), best first."""

    def one(m: Matchup) -> Judgement | None:
        verdict = asker.ask("judge", m.shown(), planned.step, None)
        tick()
        return m.judgement(verdict) if verdict is not None else None

    if workers <= 1:
        verdicts = [one(m) for m in planned.matchups]
    else:
        with ThreadPoolExecutor(workers, thread_name_prefix="judge") as pool:
            verdicts = list(pool.map(one, planned.matchups))
    judgements = [v for v in verdicts if v is not None]
    skills = rate(judgements, sorted(modes), seed)
    ratings = to_ratings(skills, modes)
    return Judged(ratings, planned.step, len(planned.matchups), len(judgements), planned.skipped)
