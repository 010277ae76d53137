"""TrueSkill ratings from pairwise verdicts, and the blind, seeded matchups a judge sees."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from runner.eval.rating import (
    Judgement,
    TrueSkill,
    plan_matchups,
    ranking,
    rate,
    to_ratings,
)

MODES = ["full", "no-reflect", "no-plan", "no-observe"]
STRENGTH = {"full": 1.5, "no-reflect": 0.5, "no-plan": -0.2, "no-observe": -1.5}


def synthetic(count: int, seed: int = 7) -> list[Judgement]:
    """Verdicts drawn from a Bradley-Terry model of known strengths, with some draws."""
    rng = random.Random(seed)
    pairs = list(itertools.combinations(MODES, 2))
    out = []
    for k in range(count):
        a, b = pairs[k % len(pairs)]
        if rng.random() < 0.5:
            a, b = b, a
        p = 1 / (1 + math.exp(STRENGTH[b] - STRENGTH[a]))
        r = rng.random()
        out.append(Judgement(a, b, "draw" if r < 0.05 else "first" if r < p else "second"))
    return out


def test_one_game_from_the_defaults_gives_the_reference_numbers():
    win = rate([Judgement("a", "b", "first")], ["a", "b"])
    assert (win["a"].mu, win["a"].sigma) == (
        pytest.approx(29.396, abs=1e-3),
        pytest.approx(7.171, abs=1e-3),
    )
    assert (win["b"].mu, win["b"].sigma) == (
        pytest.approx(20.604, abs=1e-3),
        pytest.approx(7.171, abs=1e-3),
    )
    draw = rate([Judgement("a", "b", "draw")], ["a", "b"])
    assert draw["a"].mu == pytest.approx(25.0) and draw["a"].sigma == pytest.approx(6.458, abs=1e-3)
    assert (win["a"].comparisons, win["b"].comparisons) == (1, 1)


def test_a_known_ordering_is_recovered():
    skills = rate(synthetic(600), MODES, seed=3)
    assert ranking(skills) == MODES
    assert all(s.comparisons == 300 for s in skills.values())


def test_ratings_for_eval_json_are_best_first():
    skills = rate(synthetic(120), MODES, seed=3)
    ratings = to_ratings(skills, {m: f"mode {m}" for m in MODES})
    assert [r.sim for r in ratings] == ranking(skills)
    assert ratings[0].mode == f"mode {ratings[0].sim}"
    assert ratings[0].mu == skills[ratings[0].sim].mu and ratings[0].comparisons == 60


def test_uncertainty_shrinks_with_more_comparisons():
    few = rate(synthetic(24), MODES, seed=3)
    many = rate(synthetic(600), MODES, seed=3)
    for mode in MODES:
        assert many[mode].sigma < few[mode].sigma < TrueSkill().sigma


def test_ratings_are_deterministic_given_the_seed():
    judgements = synthetic(120)
    assert rate(judgements, MODES, seed=5) == rate(list(judgements), MODES, seed=5)
    assert rate(judgements, MODES, seed=5) != rate(judgements, MODES, seed=6)


def test_an_upset_far_in_the_tail_stays_finite():
    env = TrueSkill()
    skills = rate([Judgement("a", "b", "first")] * 200 + [Judgement("a", "b", "second")], "ab")
    assert all(math.isfinite(s.mu) and 0 < s.sigma < env.sigma for s in skills.values())


def test_matchups_hide_the_sims_and_shuffle_the_order():
    answers = {mode: f"answer written by {mode}" for mode in MODES}
    plans = [plan_matchups(f"memory-{q}", "玛丽亚是谁？", answers, seed=11) for q in range(40)]
    for plan in plans:
        assert len(plan) == 6  # every pair of four answers once
        pairs = {frozenset((m.first_label, m.second_label)) for m in plan}
        assert pairs == {frozenset(p) for p in itertools.combinations(MODES, 2)}
        for m in plan:
            assert set(m.shown()) == {"question", "first", "second"}
            assert not any(mode in m.question for mode in MODES)
            assert (m.first, m.second) == (answers[m.first_label], answers[m.second_label])
            assert "label" not in repr(m)
    firsts = [m.first_label for plan in plans for m in plan]
    flipped = sum(m.first_label > m.second_label for plan in plans for m in plan)
    assert 80 < flipped < 160  # of 240: both orders are shown
    assert len({tuple(m.first for m in plan) for plan in plans}) > 20  # the pairs are shuffled
    again = [plan_matchups(f"memory-{q}", "玛丽亚是谁？", answers, seed=11) for q in range(40)]
    assert [m.first_label for plan in again for m in plan] == firsts
    other = [plan_matchups(f"memory-{q}", "玛丽亚是谁？", answers, seed=12) for q in range(40)]
    assert [m.first_label for plan in other for m in plan] != firsts


def test_a_verdict_maps_back_to_the_sims():
    (m,) = plan_matchups("plans-1", "q", {"full": "x", "no-plan": "y"}, seed=1)
    assert m.judgement("first") == Judgement(m.first_label, m.second_label, "first")
    skills = rate([m.judgement("second")], ["full", "no-plan"])
    assert skills[m.second_label].mu > skills[m.first_label].mu
    with pytest.raises(ValueError, match="first, second or draw"):
        m.judgement("A")
