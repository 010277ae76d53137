"""Names of residents: a surname (weighted by how common it is) and a given name of the sex and
generation, never the same full name twice in a town."""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..errors import RingWorldError
from .tables import pick, table


@dataclass(frozen=True)
class Name:
    full: str  # in the town's language
    en: str  # in English (pinyin for a Chinese name)
    surname: tuple[str, str]  # (in the town's language, in English)


def generation(age: int) -> str:
    return "old" if age >= 55 else "mid" if age >= 30 else "young"


class NameBook:
    """Draws distinct names for one town in ``lang`` ("zh" or "en")."""

    def __init__(self, lang: str, rng: random.Random):
        self.lang = lang
        self.rng = rng
        self.data = table(f"names_{lang}")
        self.used: set[str] = set()

    def surname(self) -> tuple[str, str]:
        rows = self.data["surnames"]
        row = pick(self.rng, rows, [r[-1] for r in rows])
        return (row[0], row[1]) if self.lang == "zh" else (row[0], row[0])

    def draw(self, sex: str, age: int, surname: tuple[str, str] | None = None) -> Name:
        """A name not used before in this town; with ``surname``, of that family."""
        given = self.data["given"][sex][generation(age)]
        for attempt in range(200):
            family = surname or self.surname()
            if attempt > 100:  # a crowded family name: any generation's given names
                given = [g for gen in self.data["given"][sex].values() for g in gen]
            first = pick(self.rng, given)
            if self.lang == "zh":
                name = Name(family[0] + first[0], f"{family[1]} {first[1]}", family)
            else:
                name = Name(f"{first} {family[0]}", f"{first} {family[0]}", family)
            if name.full not in self.used and name.en not in self.used:
                self.used.update((name.full, name.en))
                return name
        raise RingWorldError(f"new-town: no free name left for a {sex} resident aged {age}")
