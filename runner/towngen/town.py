"""A whole town for N residents: households, places, the map, homes and jobs, personas."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .addresses import name_homes
from .assign import Walks, employ, relate, settle
from .layout import FLATS_PER_BUILDING, Home, Town, Unit, lay_out
from .names import NameBook
from .people import Household, Person, make_households, name_households
from .persona import Writer
from .places import Place, plan_places
from .rooms import building, flat_name, flats, pond
from .tables import pick, table

START = "2023-02-13 06:00:00"
FULL_BLOCK = ("school", "college", "park")


@dataclass
class Generated:
    world: tuple[str, str]
    town: Town
    households: list[Household]
    places: list[Place]
    homes: list[Home]
    agents: list[dict]
    map: dict


def _units(households: list[Household], places: list[Place]) -> tuple[list[Unit], ...]:
    plans = table("places")["plans"]
    anchor = table("places")["anchor"]
    full, anchors, shops = [], [], []
    for place in places:
        w, h = plans[place.plan]["size"]
        unit = Unit(place.plan, w, h, place, names=place.names)
        place.unit = unit
        (full if place.plan in FULL_BLOCK else anchors if place.key in anchor else shops).append(
            unit
        )
    houses = [Unit("house", 12, 9) for hh in households if hh.wants_house]
    flat_count = sum(not hh.wants_house for hh in households)
    blocks = [Unit("flats", 36, 9) for _ in range(math.ceil(flat_count / FLATS_PER_BUILDING))]
    return full, anchors, shops, houses + blocks


def _homes(units: list[Unit]) -> list[Home]:
    homes = []
    for unit in units:
        if unit.plan == "house":
            unit.homes = [Home(unit, 0)]
        elif unit.plan == "flats":
            unit.homes = [Home(unit, k) for k in range(FLATS_PER_BUILDING)]
        homes += unit.homes
    return homes


def _living_areas(households: list[Household], lang: str) -> None:
    for hh in households:
        home = hh.home
        building = home.unit.names[0 if lang == "zh" else 1]
        for p in hh.members:
            if home.flat:
                room = flat_name(home.number)[0 if lang == "zh" else 1]
            else:
                rooms = (("小卧室", "small bedroom") if p in hh.elders
                         else ("次卧", "second bedroom") if p in hh.kids
                         else ("主卧", "master bedroom"))  # fmt: skip
                room = rooms[0 if lang == "zh" else 1]
            p.living_area = f"{building}:{room}"


def _sector(unit: Unit) -> dict:
    if unit.plan == "flats":
        return flats(unit)
    sleepers = {}
    if unit.plan == "house" and unit.homes[0].household is not None:
        hh = unit.homes[0].household
        sleepers = {"主卧": len(hh.parents), "次卧": len(hh.kids), "小卧室": len(hh.elders)}
    return building(unit, sleepers)


def generate(residents: int, seed: int = 0, lang: str = "zh") -> Generated:
    """The town of ``residents`` people for ``seed``, its texts in ``lang``."""

    def rng(stage: str) -> random.Random:
        return random.Random(f"{seed}:{stage}")

    households = make_households(residents, rng("people"))
    name_households(households, NameBook(lang, rng("names")))
    world = tuple(pick(rng("town"), table("places")["towns"]))
    workers = sum(p.role == "worker" for hh in households for p in hh.members)
    places, slots = plan_places(residents, workers, world, rng("places"))
    full, anchors, shops, homes_units = _units(households, places)
    town = lay_out(full, anchors, shops, homes_units)
    name_homes(town.units)
    homes = _homes(town.units)
    walks = Walks(town)
    settle(households, homes, places, walks, rng("homes"))
    people = [p for hh in households for p in hh.members]
    employ(people, slots, walks, rng("jobs"))
    relate(households, homes, places, rng("relations"))
    _living_areas(households, lang)

    def near(person: Person, key: str) -> Place:
        choices = [p for p in places if p.key == key]
        return min(choices, key=lambda p: walks(person.household.home, p))

    writer = Writer(lang, rng("words"), near, places)
    agents = [writer.persona(p) for p in people]
    water = [w for w in (pond(u) for u in town.units if u.place) if w]
    town_map = {
        "world": world[0],
        "world_en": world[1],
        "size": [town.width, town.height],
        "water": water,
        "sectors": [_sector(u) for u in town.units],
    }
    return Generated(world, town, households, places, homes, agents, town_map)
