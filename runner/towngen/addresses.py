"""Names of homes: a house by its street and number (梧桐路12号 / 12 Wutong Road), a block
of flats by its estate and number (枫林苑3号楼 / Fenglin Court Block 3)."""

from __future__ import annotations

from .layout import Unit
from .tables import table

PHASES = ("", "二期", "三期", "四期", "五期")
PHASES_EN = ("", " Phase 2", " Phase 3", " Phase 4", " Phase 5")
BUILDINGS_PER_ESTATE = 4


def _street(index: int) -> tuple[str, str]:
    streets = table("places")["streets"]
    zh, en = streets[index % len(streets)]
    lap = index // len(streets)
    return (zh + PHASES[lap].replace("期", "段"), en + (f" {lap + 1}" if lap else ""))


def name_homes(units: list[Unit]) -> None:
    """Give every house and block of flats its address, in the order along each street."""
    houses = sorted((u for u in units if u.plan == "house"), key=lambda u: (u.street, u.flip, u.x))
    counts: dict[tuple[int, bool], int] = {}
    for unit in houses:
        side = (unit.street, unit.flip)
        counts[side] = counts.get(side, 0) + 1
        number = 2 * counts[side] - (0 if unit.flip else 1)  # odd on one side, even the other
        zh, en = _street(unit.street)
        unit.names = (f"{zh}{number}号", f"{number} {en}")
    estates = table("places")["estates"]
    blocks = sorted((u for u in units if u.plan == "flats"), key=lambda u: (u.y, u.x))
    for i, unit in enumerate(blocks):
        estate, number = divmod(i, BUILDINGS_PER_ESTATE)
        lap = min(estate // len(estates), len(PHASES) - 1)
        zh, en = estates[estate % len(estates)]
        unit.names = (
            f"{zh}{PHASES[lap]}{number + 1}号楼",
            f"{en}{PHASES_EN[lap]} Block {number + 1}",
        )
