"""The places of a town in proportion to its people, their names, and the jobs they offer."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from ..errors import RingWorldError
from .tables import pick, table

SLACK = 1.3  # jobs offered per working resident, so that everyone finds one close to home


@dataclass(eq=False)
class Place:
    key: str  # its entry in places.yaml (cafe, bookshop …)
    kind: str  # the map's sector kind
    plan: str  # the building drawn for it
    names: tuple[str, str]  # zh, en
    goods: list | None = None  # a shop's own shelf, [zh, en]
    unit: Any = None  # the towngen.layout.Unit it stands in
    staff: list = field(default_factory=list)  # the Persons working here

    def name(self, lang: str) -> str:
        return self.names[0] if lang == "zh" else self.names[1]


@dataclass(eq=False)
class Slot:
    """One job at one place (``place`` None: working from home)."""

    place: Place | None
    role: dict
    rank: int  # 0 the head of the place, then its staff by seniority
    person: Any = None


class Namer:
    """Place names from the patterns of places.yaml, none used twice."""

    def __init__(self, town: tuple[str, str], rng: random.Random):
        self.short = (town[0][:-1], town[1].rsplit(" ", 1)[0])
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, patterns: list) -> tuple[str, str]:
        words = table("places")["words"]
        for _ in range(500):
            zh, en = pick(self.rng, patterns)
            w = pick(self.rng, words)
            names = (zh.format(town=self.short[0], w=w[0]), en.format(town=self.short[1], w=w[1]))
            if not self.used & set(names):
                self.used.update(names)
                return names
        raise RingWorldError("new-town: the place name patterns are used up")


def roles_of(place: Place) -> list[dict]:
    jobs = table("jobs")
    return jobs.get(place.key) or jobs.get(place.plan) or []


def _slots(place: Place, residents: int, same_key: int) -> list[Slot]:
    out = []
    for r, role in enumerate(roles_of(place)):
        count = role["slots"]
        if "per" in role:
            count = max(count, round(residents / role["per"] / same_key))
        out += [Slot(place, role, 0 if r == 0 else 1 + j) for j in range(count)]
    return out


def plan_places(
    residents: int, workers: int, town: tuple[str, str], rng: random.Random
) -> tuple[list[Place], list[Slot]]:
    """The town's places and the jobs at them; offices are added until there is work enough."""
    spec = table("places")["places"]
    namer = Namer(town, rng)

    def new(key: str) -> Place:
        s = spec[key]
        return Place(key, s["kind"], s["plan"], namer(s["names"]), s.get("goods"))

    places = [
        new(key)
        for key, s in spec.items()
        for _ in range(max(s["min"], round(residents / s["per"])))
    ]
    counts = {key: sum(p.key == key for p in places) for key in spec}
    slots = [s for p in places for s in _slots(p, residents, counts[p.key])]
    while len(slots) < workers * SLACK:
        office = new("office")
        places.append(office)
        slots += _slots(office, residents, counts["office"])
    return places, slots
