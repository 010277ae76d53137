"""Ranking answers from a judge's pairwise verdicts, as the paper ranked its ablations.

The judge sees a question and two answers in a seeded random order, never which sim wrote
them (:func:`plan_matchups`); its verdicts update TrueSkill ratings (Herbrich, Minka and
Graepel 2006; two players, draws allowed) in a seeded random order (:func:`rate`). The
rating's ``sigma`` is its uncertainty: it shrinks with every comparison.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Literal

from .results import Rating

Verdict = Literal["first", "second", "draw"]
_NORMAL = NormalDist()


@dataclass(frozen=True)
class TrueSkill:
    """The environment of the TrueSkill paper's defaults (mu 25, sigma 25/3)."""

    mu: float = 25.0
    sigma: float = 25.0 / 3
    beta: float = 25.0 / 6  # skill gap that gives the better one ~76% wins
    tau: float = 25.0 / 300  # skill drift added before each comparison
    draw_probability: float = 0.10

    @property
    def draw_margin(self) -> float:
        return _NORMAL.inv_cdf((self.draw_probability + 1) / 2) * math.sqrt(2) * self.beta


@dataclass(frozen=True)
class Skill:
    mu: float
    sigma: float
    comparisons: int = 0


@dataclass(frozen=True)
class Judgement:
    """One verdict: ``first`` and ``second`` are the labels (sims) of the two answers."""

    first: str
    second: str
    verdict: Verdict


@dataclass(frozen=True)
class Matchup:
    """What the judge is shown for one comparison, and (kept apart) whose answers they are."""

    question_id: str
    question: str
    first: str
    second: str
    first_label: str = field(repr=False)
    second_label: str = field(repr=False)

    def shown(self) -> dict[str, str]:
        """The only fields a judge prompt may include."""
        return {"question": self.question, "first": self.first, "second": self.second}

    def judgement(self, verdict: Verdict) -> Judgement:
        if verdict not in ("first", "second", "draw"):
            raise ValueError(f"verdict must be first, second or draw, got {verdict!r}")
        return Judgement(self.first_label, self.second_label, verdict)


def plan_matchups(
    question_id: str, question: str, answers: Mapping[str, str], seed: int | str
) -> list[Matchup]:
    """Every pair of the answers to one question (``label -> text``), each in a random order,
    the pairs shuffled; the same seed and question give the same plan."""
    rng = random.Random(f"{seed}:{question_id}")
    plan = []
    for a, b in itertools.combinations(sorted(answers), 2):
        if rng.random() < 0.5:
            a, b = b, a
        plan.append(Matchup(question_id, question, answers[a], answers[b], a, b))
    rng.shuffle(plan)
    return plan


def rate(
    judgements: Iterable[Judgement],
    labels: Sequence[str],
    seed: int | str = 0,
    env: TrueSkill = TrueSkill(),
) -> dict[str, Skill]:
    """TrueSkill ratings of ``labels`` after ``judgements``, applied in an order shuffled with
    ``seed`` (TrueSkill depends on order; the shuffle keeps it from following the plan's)."""
    skills = {label: Skill(env.mu, env.sigma) for label in labels}
    order = list(judgements)
    random.Random(f"rate:{seed}").shuffle(order)
    for j in order:
        if j.verdict == "second":
            winner, loser, draw = j.second, j.first, False
        else:
            winner, loser, draw = j.first, j.second, j.verdict == "draw"
        skills[winner], skills[loser] = _update(skills[winner], skills[loser], draw, env)
    return skills


def ranking(skills: Mapping[str, Skill]) -> list[str]:
    """Labels best first (by mu, then the smaller sigma, then the label)."""
    return sorted(skills, key=lambda k: (-skills[k].mu, skills[k].sigma, k))


def to_ratings(skills: Mapping[str, Skill], modes: Mapping[str, str]) -> list[Rating]:
    """The ``eval.json`` entries of ``skills`` (sim -> skill), best first; ``modes`` gives
    each sim's mind mode."""
    return [
        Rating(
            sim=sim,
            mode=modes.get(sim, ""),
            mu=skills[sim].mu,
            sigma=skills[sim].sigma,
            comparisons=skills[sim].comparisons,
        )
        for sim in ranking(skills)
    ]


def _update(winner: Skill, loser: Skill, draw: bool, env: TrueSkill) -> tuple[Skill, Skill]:
    var_w = winner.sigma**2 + env.tau**2
    var_l = loser.sigma**2 + env.tau**2
    c = math.sqrt(2 * env.beta**2 + var_w + var_l)
    t, e = (winner.mu - loser.mu) / c, env.draw_margin / c
    v, w = _draw(t, e) if draw else _win(t, e)
    return (
        Skill(
            winner.mu + var_w / c * v,
            math.sqrt(var_w * max(1 - var_w / c**2 * w, 1e-9)),
            winner.comparisons + 1,
        ),
        Skill(
            loser.mu - var_l / c * v,
            math.sqrt(var_l * max(1 - var_l / c**2 * w, 1e-9)),
            loser.comparisons + 1,
        ),
    )


def _win(t: float, e: float) -> tuple[float, float]:
    x = t - e
    cdf = _NORMAL.cdf(x)
    if cdf < 1e-12:  # a far upset: the limits of v and w in the tail
        return -x, 1.0
    v = _NORMAL.pdf(x) / cdf
    return v, v * (v + x)


def _draw(t: float, e: float) -> tuple[float, float]:
    hi, lo = e - t, -e - t
    mass = _NORMAL.cdf(hi) - _NORMAL.cdf(lo)
    if mass < 1e-12:  # far outside the draw band: as if the gap were the band's edge
        return (hi if t > 0 else lo), 1.0
    v = (_NORMAL.pdf(lo) - _NORMAL.pdf(hi)) / mass
    return v, v * v + (hi * _NORMAL.pdf(hi) - lo * _NORMAL.pdf(lo)) / mass
