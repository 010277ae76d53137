"""Residents in households: people living alone, couples, families with children, flatmates,
and three generations under one roof; each with an age, a sex and what fills their days."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .names import Name, NameBook

HOUSEHOLDS = (("alone", 26), ("couple", 22), ("family", 34), ("mates", 10), ("three", 8))
SEXES = ("male", "female")


@dataclass(eq=False)
class Person:
    sex: str
    age: int
    role: str  # worker, retired, student (college) or pupil (school)
    household: Household
    name: Name | None = None
    job: Any = None  # a towngen.jobs.Slot, or None
    living_area: str = ""  # "sector:arena"
    relations: list[tuple[str, Person]] = field(default_factory=list)  # (kind, other)

    @property
    def adult(self) -> bool:
        return self.role in ("worker", "retired")


@dataclass(eq=False)
class Household:
    kind: str
    parents: list[Person] = field(default_factory=list)  # or the flatmates, the one alone
    kids: list[Person] = field(default_factory=list)
    elders: list[Person] = field(default_factory=list)  # the parents' parents
    home: Any = None  # a towngen.layout.Home

    @property
    def members(self) -> list[Person]:
        return [*self.elders, *self.parents, *self.kids]

    @property
    def wants_house(self) -> bool:
        return self.kind == "three" or (self.kind == "family" and len(self.members) > 3)


def _role(age: int, rng: random.Random, study: float = 0.7) -> str:
    if age >= 65 or (age >= 60 and rng.random() < 0.4):
        return "retired"
    if age <= 22 and rng.random() < study:
        return "student"
    return "worker"


def _person(hh: Household, sex: str, age: int, rng: random.Random) -> Person:
    return Person(sex, age, _role(age, rng), hh)


def _couple(hh: Household, age: int, rng: random.Random) -> list[Person]:
    other = max(22, age + rng.randint(-4, 4))
    first = rng.randrange(2)
    return [_person(hh, SEXES[first], age, rng), _person(hh, SEXES[1 - first], other, rng)]


def _kids(hh: Household, parent_age: int, count: int, oldest: int, rng: random.Random) -> None:
    top = max(6, min(oldest, parent_age - 23))
    for _ in range(count):
        age = rng.randint(6, top)
        kid = Person(pick_sex(rng), age, "student" if age >= 18 else "pupil", hh)
        hh.kids.append(kid)
    hh.kids.sort(key=lambda k: -k.age)


def pick_sex(rng: random.Random) -> str:
    return SEXES[rng.randrange(2)]


def household(kind: str, rng: random.Random) -> Household:
    """One household of ``kind``, its people without names."""
    hh = Household(kind)
    if kind == "alone":
        hh.parents = [_person(hh, pick_sex(rng), rng.randint(20, 84), rng)]
    elif kind == "couple":
        hh.parents = _couple(hh, rng.randint(24, 80), rng)
    elif kind == "mates":
        hh.parents = [
            Person(pick_sex(rng), a, _role(a, rng, 0.75), hh)
            for a in (rng.randint(19, 32) for _ in range(rng.choice((2, 2, 3))))
        ]
    else:
        age = rng.randint(30, 50)
        single = kind == "family" and rng.random() < 0.08
        hh.parents = _couple(hh, age, rng)[: 1 if single else 2]
        for p in hh.parents:
            p.role = "worker"
        count = rng.choices((1, 2, 3), (45, 45, 10))[0] if kind == "family" else rng.randint(1, 2)
        _kids(hh, min(p.age for p in hh.parents), count, 22 if kind == "family" else 17, rng)
        if kind == "three":
            old = min(88, age + rng.randint(24, 32))
            hh.elders = _couple(hh, old, rng)[: rng.randint(1, 2)]
            for p in hh.elders:
                p.role = "retired"
    return hh


def make_households(residents: int, rng: random.Random) -> list[Household]:
    """Households of exactly ``residents`` people in all."""
    kinds, weights = zip(*HOUSEHOLDS)
    out: list[Household] = []
    left = residents
    while left > 0:
        kind = {1: "alone", 2: "couple"}.get(left) or rng.choices(kinds, weights)[0]
        hh = household(kind, rng)
        if len(hh.members) <= left:
            out.append(hh)
            left -= len(hh.members)
    return out


def name_households(households: list[Household], book: NameBook) -> None:
    """Names for everyone: children take the father's surname (the mother's where she brings
    them up alone); in English a couple shares one surname; in Chinese a wife keeps her own."""
    for hh in households:
        family = None
        if hh.kind in ("family", "three"):
            father = next((p for p in hh.parents if p.sex == "male"), hh.parents[0])
            father.name = book.draw(father.sex, father.age)
            family = father.name.surname
        english = book.lang == "en" and hh.kind != "mates"
        shared = family if english else None
        for p in hh.parents:
            if p.name is None:
                p.name = book.draw(p.sex, p.age, shared)
                shared = shared or (p.name.surname if english else None)
        for p in hh.kids:
            p.name = book.draw(p.sex, p.age, family)
        for i, p in enumerate(hh.elders):
            own = book.lang == "en" or (i == 0 and p.sex == "male")
            p.name = book.draw(p.sex, p.age, family if own else None)
