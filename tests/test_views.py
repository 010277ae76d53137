"""A room's view finds who is near whom from its cells: the same agents as looking at everyone."""

from __future__ import annotations

import random

from runner.agent.move import Position
from runner.agent.town import CELL, Seen, View


def seen_at(index: int, tile) -> Seen:
    return Seen(index, Position(tile), None, None, tile, False, "", ("", ()))


def test_around_finds_exactly_those_within_the_square():
    rnd = random.Random(3)
    for radius in (0, 1, 4, CELL, 2 * CELL + 3):
        seen = [seen_at(i, (rnd.randrange(60), rnd.randrange(40))) for i in range(300)]
        view = View.of(5, seen, {})
        for a in seen:
            x, y = a.tile
            want = [
                b.index
                for b in seen
                if b.index != a.index
                and abs(b.tile[0] - x) <= radius
                and abs(b.tile[1] - y) <= radius
            ]
            assert sorted(view.around(a.index, radius)) == want
