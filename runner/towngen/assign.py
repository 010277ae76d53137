"""Who lives where and works where, so that nobody walks more than half an hour to work, and
who knows whom: colleagues, neighbours, old friends, classmates.

A game half hour is 180 steps of 10 s, one tile a step. A walk is counted from the home's door
to the workplace's along the streets (:meth:`Town.walk`, an upper bound); ``INSIDE`` tiles
are kept for the way from a bed to the home's door.
"""

from __future__ import annotations

import random

from .layout import Home, Town
from .people import Household, Person
from .places import Place, Slot
from .tables import table

LIMIT = 180
INSIDE = 20
REACH = LIMIT - INSIDE
MAX_IN_FLAT = 4  # a flat's bed sleeps four at most


class Walks:
    """Street walks between homes and places, each measured once."""

    def __init__(self, town: Town):
        self.town = town
        self.known: dict[tuple[int, int], int] = {}
        self.doors: dict[int, list] = {}

    def __call__(self, home: Home, place: Place) -> int:
        key = (id(home), id(place))
        if key not in self.known:
            if id(place) not in self.doors:
                self.doors[id(place)] = place.unit.doors()
            door = home.door()
            self.known[key] = min(self.town.walk(door, d) for d in self.doors[id(place)])
        return self.known[key]


def _needs(hh: Household, places: list[Place]) -> list[Place]:
    """The places some member goes to every day whatever the job: the school, the college."""
    roles = {p.role for p in hh.members}
    wanted = {"school"} if "pupil" in roles else set()
    wanted |= {"college"} if "student" in roles else set()
    return [p for p in places if p.key in wanted][:2]


def settle(
    households: list[Household], homes: list[Home], places: list[Place], walks: Walks,
    rng: random.Random,
) -> None:  # fmt: skip
    """A home for every household: those with pupils or students first, each in the farthest
    home from which their school or college is still in reach."""
    order = list(households)
    rng.shuffle(order)
    order.sort(key=lambda hh: not _needs(hh, places))
    pools = {True: [h for h in homes if not h.flat], False: [h for h in homes if h.flat]}
    for hh in order:
        mine, other = pools[hh.wants_house], pools[not hh.wants_house]
        need = _needs(hh, places)

        def worst(home: Home, need: list[Place] = need) -> int:
            return max((walks(home, p) for p in need), default=0)

        if need:  # the farthest home in reach: the nearer ones are kept for those after
            fits = other if len(hh.members) <= MAX_IN_FLAT else []
            near = [h for h in mine if worst(h) <= REACH] or [h for h in fits if worst(h) <= REACH]
            home = max(near, key=worst) if near else min(mine or other, key=worst)
        else:
            pool = mine or other
            home = pool[rng.randrange(len(pool))]
        pools[not home.flat].remove(home)
        home.household, hh.home = hh, home


def employ(people: list[Person], slots: list[Slot], walks: Walks, rng: random.Random) -> None:
    """A job for every working resident at a place within reach of home: the heads of places
    first, then their staff; with nothing in reach, work from home."""
    free: dict[Place, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: s.rank):
        free.setdefault(slot.place, []).append(slot)
    workers = [p for p in people if p.role == "worker"]
    rng.shuffle(workers)
    at_home = table("jobs")["home"][0]
    for person in workers:
        options = []
        for place, open_slots in free.items():
            slot = next((s for s in open_slots if s.role["min_age"] <= person.age), None)
            if slot is not None and walks(person.household.home, place) <= REACH:
                options.append(slot)
        if options:
            top = min(s.rank for s in options)
            best = [s for s in options if s.rank == top]
            slot = best[rng.randrange(len(best))]
            free[slot.place].remove(slot)
            slot.place.staff.append(person)
        else:
            slot = Slot(None, at_home, 0)
        slot.person, person.job = person, slot


def _pair(group: list[Person], kind: str) -> None:
    """Each member with the next of another household, as ``kind`` (both ways)."""
    i = 0
    while i + 1 < len(group):
        a, b = group[i], group[i + 1]
        if a.household is b.household:
            i += 1
            continue
        a.relations.append((kind, b))
        b.relations.append((kind, a))
        i += 2


def relate(households: list[Household], homes: list[Home], places: list[Place], rng) -> None:
    """Colleagues, neighbours (the next home in a row), friends of an age, and classmates."""
    for place in places:
        staff = list(place.staff)
        rng.shuffle(staff)
        _pair(staff, "colleague")
    taken = [h for h in homes if h.household is not None]
    for a, b in zip(taken, taken[1:]):
        same_row = a.unit.y == b.unit.y and abs(a.unit.x - b.unit.x) <= a.unit.w
        if same_row and rng.random() < 0.7:
            _pair([a.household.parents[0], b.household.parents[-1]], "neighbour")
    people = [p for hh in households for p in hh.members]
    adults = [p for p in people if p.role != "pupil" and rng.random() < 0.6]
    adults.sort(key=lambda p: (p.age // 8, rng.random()))
    _pair(adults, "friend")
    pupils = [p for p in people if p.role == "pupil"]
    pupils.sort(key=lambda p: (p.age, rng.random()))
    _pair(pupils, "classmate")
