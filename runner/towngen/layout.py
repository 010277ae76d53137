"""Where everything stands: a grid of blocks between streets two tiles wide.

A block is 36 x 18 tiles: one big building (the school, the college, a park) or two rows of
buildings 9 tiles deep, the northern row facing the street above it, the southern row (drawn
upside down) the street below. The town's own places (school, college, park, square, clinic,
market) take the blocks in the middle; shops, cafés and offices are spread evenly among the
homes; so every home has a café, a shop and an office a short walk away.

Walks are measured along the streets (:func:`Town.walk`): between two doors on one street,
along it; else along the nearest cross street. Open ground left in a row only shortens a walk,
so the measure is an upper bound of the pathfinder's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .places import Place
from .tables import table

STREET = 2
BLOCK = (36, 18)
HALF = 9
FLATS_PER_BUILDING = 7
Point = tuple[int, int]


@dataclass(eq=False)
class Unit:
    """A building or open place on the map."""

    plan: str
    w: int
    h: int
    place: Place | None = None
    homes: list[Any] = field(default_factory=list)  # the Homes inside (a house, the flats)
    x: int = 0
    y: int = 0
    flip: bool = False  # drawn upside down: doors on the bottom wall
    street: int = 0  # the street its doors face
    names: tuple[str, str] = ("", "")

    def fy(self, y: int, h: int = 1) -> int:
        """A plan's row ``y`` (of a thing ``h`` high) on this unit, flipped if need be."""
        return self.h - y - h if self.flip else y

    def entries(self, doors: list) -> list[Point]:
        """The street tiles in front of the given plan doors that open onto a street."""
        out = []
        for dx, dy in doors:
            y = self.fy(dy)
            if y == 0 and (self.h == BLOCK[1] or not self.flip):
                out.append((self.x + dx, self.y - 1))
            elif y == self.h - 1 and (self.h == BLOCK[1] or self.flip):
                out.append((self.x + dx, self.y + self.h))
        return out

    def doors(self) -> list[Point]:
        """Where the unit is entered from the street (open places: the middle of the edge)."""
        plan = table("places")["plans"][self.plan]
        if plan.get("open"):
            return self.entries([[self.w // 2, 0], [self.w // 2, self.h - 1]])
        return self.entries(plan["doors"])


@dataclass(eq=False)
class Home:
    unit: Unit
    number: int  # the flat's number in its building (0 for a house)
    household: Any = None

    @property
    def flat(self) -> bool:
        return self.unit.plan == "flats"

    def door(self) -> Point:
        if self.flat:
            return self.unit.entries([[2 + 5 * self.number, 0]])[0]
        return self.unit.doors()[0]


@dataclass
class Town:
    width: int
    height: int
    units: list[Unit]
    cross: list[int]  # x of the cross (north-south) streets

    def walk(self, a: Point, b: Point) -> int:
        """Tiles walked between two street tiles of east-west streets (an upper bound)."""
        if a[1] == b[1]:
            return abs(a[0] - b[0])
        return abs(a[1] - b[1]) + min(abs(a[0] - v) + abs(b[0] - v) for v in self.cross)


def _packed(units: list[Unit]) -> list[list[Unit]]:
    """Half-block units in rows of the block's width, widest first (first fit)."""
    rows: list[list[Unit]] = []
    for unit in sorted(units, key=lambda u: -u.w):
        row = next((r for r in rows if sum(u.w for u in r) + unit.w <= BLOCK[0]), None)
        if row is None:
            rows.append([unit])
        else:
            row.append(unit)
    return rows


def _interleaved(homes: list[list[Unit]], shops: list[list[Unit]]) -> list[list[Unit]]:
    """The rows of homes with the rows of shops spread evenly among them."""
    total = len(homes) + len(shops)
    at = {math.floor((k + 0.5) * total / len(shops)) for k in range(len(shops))} if shops else set()
    homes_left, shops_left = iter(homes), iter(shops)
    return [next(shops_left) if i in at else next(homes_left) for i in range(total)]


def _cells(count: int) -> tuple[int, int, list[Point]]:
    """(columns, rows, the block cells nearest the middle first) for ``count`` blocks."""
    pitch_x, pitch_y = BLOCK[0] + STREET, BLOCK[1] + STREET
    cols = max(1, round(math.sqrt(count * pitch_y / pitch_x)))
    rows = math.ceil(count / cols)
    mid = (cols * pitch_x / 2, rows * pitch_y / 2)

    def far(cell: Point) -> tuple:
        cx, cy = (cell[0] + 0.5) * pitch_x, (cell[1] + 0.5) * pitch_y
        return (abs(cx - mid[0]) + abs(cy - mid[1]), cell[1], cell[0])

    cells = sorted(((c, r) for r in range(rows) for c in range(cols)), key=far)
    return cols, rows, cells


def lay_out(full: list[Unit], anchors: list[Unit], shops: list[Unit], homes: list[Unit]) -> Town:
    """Place the units: ``full`` blocks and ``anchors`` in the middle, then shops and homes."""
    rows = _packed(anchors) + _interleaved(_packed(homes), _packed(shops))
    cols, nrows, cells = _cells(len(full) + math.ceil(len(rows) / 2))
    pitch_x, pitch_y = BLOCK[0] + STREET, BLOCK[1] + STREET
    for unit, (c, r) in zip(full, cells):
        unit.x, unit.y, unit.street = STREET + c * pitch_x, STREET + r * pitch_y, r
    halves = [(cell, half) for cell in cells[len(full) :] for half in (0, 1)]
    for row, ((c, r), half) in zip(rows, halves):
        x = STREET + c * pitch_x + (BLOCK[0] - sum(u.w for u in row)) // 2
        for unit in row:
            unit.x, unit.y = x, STREET + r * pitch_y + half * HALF
            unit.flip, unit.street = bool(half), r + half
            x += unit.w
    return Town(
        width=STREET + cols * pitch_x,
        height=STREET + nrows * pitch_y,
        units=[*full, *(u for row in rows for u in row)],
        cross=[c * pitch_x for c in range(cols + 1)],
    )
