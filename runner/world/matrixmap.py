"""Maps in the original Generative Agents "matrix" layout (joonspk-research/generative_agents).

A matrix folder holds ``maze_meta_info.json`` (``world_name``, ``maze_width``, ``maze_height``,
``sq_tile_size``, ``special_constraint``), ``maze/<layer>_maze.csv`` (one comma-separated row of
width×height cell ids, row by row) and ``special_blocks/<layer>_blocks.csv`` (``id, world, …,
name`` per line). A tile's address is ``world:sector:arena:game_object`` as in the original;
collision is every non-zero cell of ``collision_maze.csv``. Ids that no blocks file names are
ignored, as the original does. See ``docs/interop.md``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np

from ..errors import RingWorldError
from .townmap import Tile, TownMap

META_FIELDS = {
    "world_name": str,
    "maze_width": int,
    "maze_height": int,
    "sq_tile_size": int,
    "special_constraint": str,
}
# The address levels below the world, outermost first.
LEVELS = ("sector", "arena", "game_object")

# Kinds are those the agents' policies look for. First match wins: "Dorm for Oak Hill College"
# is a home, not a college, and "The Willows Market and Pharmacy" sells groceries.
_KIND_RULES = (
    (r"apartment|house|dorm|co-living|home", "home"),
    (r"cafe|café|coffee", "cafe"),
    (r"college|school|university", "college"),
    (r"park", "park"),
    (r"bar|pub|tavern", "bar"),
    (r"grocery|supermarket|market|supply store|shop|store", "grocery"),
    (r"pharmacy", "pharmacy"),
    (r"square|plaza", "square"),
)
_KINDS = tuple(
    (re.compile(rf"\b({pattern})\b", re.IGNORECASE), kind) for pattern, kind in _KIND_RULES
)
_CELL_SPLIT = re.compile(r"[\s,]+")


def load_matrix_map(folder: Path, lang: str = "en") -> TownMap:
    """Load a matrix folder into a :class:`TownMap`.

    The original names are English and kept as they are in any ``lang``; ``labels`` stays
    empty since the layout has no second language.
    """
    folder = Path(folder)
    meta = _read_meta(folder / "maze_meta_info.json")
    shape = (meta["maze_height"], meta["maze_width"])
    world_rows = _read_blocks(folder / "special_blocks" / "world_blocks.csv", 2)
    if not world_rows:
        raise RingWorldError(f"{folder / 'special_blocks/world_blocks.csv'}: no world name in it")
    world = world_rows[0][-1]
    names: dict[str, list[str]] = {}
    levels = []
    for level in LEVELS:
        rows = _read_blocks(folder / "special_blocks" / f"{level}_blocks.csv", 2)
        grid = _read_grid(folder / "maze" / f"{level}_maze.csv", shape)
        index, names[level] = _name_index(grid, rows)
        levels.append(index)
    _check_nesting(folder, levels)
    addresses, address_grid = _addresses(world, levels, [names[level] for level in LEVELS])
    collision = _read_grid(folder / "maze" / "collision_maze.csv", shape) != 0
    spawn_path = folder / "special_blocks" / "spawning_location_blocks.csv"
    spawns = _spawns(
        _read_grid(folder / "maze" / "spawning_location_maze.csv", shape),
        _read_blocks(spawn_path, 5),
    )
    return TownMap(
        world=world,
        width=meta["maze_width"],
        height=meta["maze_height"],
        collision=collision,
        address_grid=address_grid,
        addresses=addresses,
        spawns=spawns,
        kinds={sector: guess_kind(sector) for sector in names["sector"][1:]},
        tile_size=meta["sq_tile_size"],
    )


def guess_kind(sector: str) -> str:
    """A sector's kind from words in its name (``home``, ``cafe``, …), else ``other``."""
    for pattern, kind in _KINDS:
        if pattern.search(sector):
            return kind
    return "other"


def _read_meta(path: Path) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read the map meta ({exc.strerror})") from None
    except ValueError as exc:
        raise RingWorldError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise RingWorldError(f"{path}: must be a JSON object")
    for name, kind in META_FIELDS.items():
        if name not in meta:
            raise RingWorldError(f"{path}: missing field '{name}'")
        value = meta[name]
        if isinstance(value, bool) or not isinstance(value, kind):
            want = "an integer" if kind is int else "a string"
            raise RingWorldError(f"{path}: field '{name}' must be {want}, got {value!r:.40}")
        if kind is int and value <= 0:
            raise RingWorldError(f"{path}: field '{name}' must be positive, got {value}")
    return meta


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read the {what} ({exc.strerror})") from None


def _read_grid(path: Path, shape: tuple[int, int]) -> np.ndarray:
    """One layer's cell ids as a (height, width) int array."""
    cells = _CELL_SPLIT.split(_read_text(path, "maze layer").strip())
    if len(cells) != shape[0] * shape[1]:
        raise RingWorldError(
            f"{path}: {len(cells)} cells, expected maze_width × maze_height ="
            f" {shape[1]} × {shape[0]} = {shape[0] * shape[1]}"
        )
    try:
        return np.array(cells, dtype=np.int64).reshape(shape)
    except ValueError:
        bad = next(i for i, cell in enumerate(cells) if not cell.lstrip("-").isdigit())
        y, x = divmod(bad, shape[1])
        raise RingWorldError(
            f"{path}: cell {bad} (x={x}, y={y}) is {cells[bad]!r:.20}, expected an integer id"
        ) from None


def _read_blocks(path: Path, columns: int) -> list[list[str]]:
    """Rows ``[id, world, …, name]`` with cells stripped; ``columns`` is the least allowed."""
    rows = []
    lines = _read_text(path, "blocks file").splitlines()
    for number, row in enumerate(csv.reader(lines), start=1):
        row = [cell.strip() for cell in row]
        if not any(row):
            continue
        if len(row) < columns or not row[0].isdigit():
            raise RingWorldError(
                f"{path}: line {number} must be 'id, world, …, name' with {columns} or more"
                f" fields and an integer id, got {','.join(row)!r:.60}"
            )
        if ":" in row[-1] or not row[-1]:
            raise RingWorldError(
                f"{path}: line {number}: name {row[-1]!r} must be non-empty and have no ':'"
            )
        rows.append(row)
    return rows


def _name_index(grid: np.ndarray, rows: list[list[str]]) -> tuple[np.ndarray, list[str]]:
    """Per-cell index into a list of distinct names ('' first, for unnamed cells).

    Several ids may share a name (every home has a "bathroom"); they become one name, as the
    original addresses are strings.
    """
    names = [""]
    id_to_name: dict[int, int] = {}
    for row in rows:
        if row[-1] not in names:
            names.append(row[-1])
        id_to_name[int(row[0])] = names.index(row[-1])
    ids, inverse = np.unique(grid, return_inverse=True)
    lookup = np.array([id_to_name.get(i, 0) for i in ids.tolist()], dtype=np.int64)
    return lookup[inverse].reshape(grid.shape), names


def _check_nesting(folder: Path, levels: list[np.ndarray]) -> None:
    """An arena lies in a sector and an object in an arena, or its address has a gap."""
    for depth in (1, 2):
        loose = np.argwhere((levels[depth] > 0) & (levels[depth - 1] == 0))
        if loose.size:
            inner, outer = LEVELS[depth], LEVELS[depth - 1]
            y, x = loose[0].tolist()
            raise RingWorldError(
                f"{folder / 'maze' / f'{inner}_maze.csv'}: tile (x={x}, y={y}) has a named"
                f" {inner} outside any {outer} of {outer}_maze.csv ({len(loose)} such tiles)"
            )


def _addresses(
    world: str, levels: list[np.ndarray], names: list[list[str]]
) -> tuple[list[str], np.ndarray]:
    """Distinct addresses (the bare world first) and each tile's index into them."""
    key = np.zeros_like(levels[0])
    for index, level_names in zip(levels, names, strict=True):
        key = key * len(level_names) + index
    keys, inverse = np.unique(key, return_inverse=True)
    if keys[0] != 0:
        keys = np.concatenate([[0], keys])
        inverse = inverse + 1
    addresses = []
    for k in keys.tolist():
        parts = []
        for level_names in reversed(names):
            k, i = divmod(k, len(level_names))
            parts.append(level_names[i])
        addresses.append(":".join([world, *[p for p in reversed(parts) if p]]))
    return addresses, inverse.reshape(levels[0].shape)


def _spawns(grid: np.ndarray, rows: list[list[str]]) -> dict[str, Tile]:
    """``sector:arena`` → the first tile of its first spawning location in the blocks file."""
    spawns: dict[str, Tile] = {}
    width = grid.shape[1]
    for row in rows:
        key = f"{row[2]}:{row[3]}"
        cells = np.flatnonzero(grid == int(row[0]))
        if key not in spawns and cells.size:
            y, x = divmod(int(cells[0]), width)
            spawns[key] = (x, y)
    return spawns
