"""Print a town map as text, to check a hand edit: ``python3 -m runner.world.mapview MAP``.

Legend: ``~`` water, ``#`` wall, ``.`` street, ``,`` sector ground or door, `` `` arena floor,
``*`` object, ``@`` spawn point.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import RingWorldError
from .loader import load_map
from .townmap import TownMap


def render_ascii(town: TownMap) -> str:
    """One character per tile, one line per row, with a column ruler every 10 tiles."""
    spawns = set(town.spawns.values())
    depth = [address.count(":") for address in town.addresses]
    marks = {0: ".", 1: ",", 2: " "}
    ruler = "".join(str(x // 10 % 10) if x % 10 == 0 else " " for x in range(town.width))
    lines = ["    " + ruler]
    for y in range(town.height):
        row = []
        for x in range(town.width):
            if town.water[y, x]:
                row.append("~")
            elif town.collision[y, x]:
                row.append("#")
            elif (x, y) in spawns:
                row.append("@")
            else:
                row.append(marks.get(depth[town.address_grid[y, x]], "*"))
        lines.append(f"{y:3d} " + "".join(row))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("map", help="a YAML map file or a matrix map folder")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    args = parser.parse_args(argv)
    try:
        town = load_map(args.map, args.lang)
    except RingWorldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(render_ascii(town))
    print(
        f"{town.world}: {town.width}x{town.height}, {len(town.addresses) - 1} addresses, "
        f"{len(town.spawns)} spawns, {len(town.kinds)} sectors"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
