"""Hand-written fixtures in the original Generative Agents layouts: a small matrix map and a
short run of three personas, written as a storage folder or as a compressed demo folder.

Everything is built from the field lists of the original format (``docs/interop.md``), not
from the code under test, so the tests can compare what the loaders produce with this.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

THE_VILLE = Path(__file__).resolve().parents[2] / "shared/external/the_ville"
WORLD = "the Ville"
WIDTH, HEIGHT = 16, 10
WALL = 32125

# name: (id, (x0, y0, x1, y1) inclusive)
SECTORS = {
    "Hobbs Cafe": (32136, (1, 1, 6, 4)),
    "Isabella Rodriguez's apartment": (32165, (9, 1, 14, 4)),
    "Dorm for Oak Hill College": (32177, (1, 6, 14, 8)),
}
# (sector, arena): (id, rect)
ARENAS = {
    ("Hobbs Cafe", "cafe"): (32200, (1, 1, 6, 4)),
    ("Isabella Rodriguez's apartment", "main room"): (32201, (9, 1, 11, 4)),
    ("Isabella Rodriguez's apartment", "bathroom"): (32202, (12, 1, 14, 4)),
    ("Dorm for Oak Hill College", "Maria Lopez's room"): (32203, (1, 6, 4, 8)),
    ("Dorm for Oak Hill College", "Klaus Mueller's room"): (32204, (5, 6, 8, 8)),
    ("Dorm for Oak Hill College", "common room"): (32205, (9, 6, 14, 8)),
}
# object: (id, tiles); one id per name, as in the original <all> blocks
OBJECTS = {
    "cafe customer seating": (32259, [(2, 2), (3, 2)]),
    "behind the cafe counter": (32249, [(5, 3)]),
    "bed": (32227, [(10, 2), (2, 7), (6, 7)]),
    "shower": (32208, [(13, 2)]),
}
# (sector, arena, label): (id, tile), in blocks-file order
SPAWNS = {
    ("Isabella Rodriguez's apartment", "main room", "sp-A"): (32285, (9, 3)),
    ("Dorm for Oak Hill College", "Maria Lopez's room", "sp-A"): (32286, (1, 8)),
    ("Dorm for Oak Hill College", "Maria Lopez's room", "sp-B"): (32287, (3, 8)),
    ("Dorm for Oak Hill College", "Klaus Mueller's room", "sp-A"): (32288, (7, 8)),
}
STRAY_ID = 99999  # a sector id no blocks file names: ignored, as the original does
STRAY_TILE = (7, 5)


def walls() -> np.ndarray:
    """The collision grid of the small map: its border, a wall between cafe and apartment,
    and one wall tile inside the cafe (the original has walls inside arenas too)."""
    grid = np.zeros((HEIGHT, WIDTH), dtype=bool)
    grid[[0, -1], :] = True
    grid[:, [0, -1]] = True
    grid[1:5, 8] = True
    grid[1, 6] = True
    return grid


def expected_address(tile: tuple[int, int]) -> str:
    """The address a tile of the small map must get, from the tables above."""
    x, y = tile
    parts = [WORLD]
    for name, (_, rect) in SECTORS.items():
        if _inside(x, y, rect):
            parts.append(name)
    for (sector, arena), (_, rect) in ARENAS.items():
        if parts[1:] == [sector] and _inside(x, y, rect):
            parts.append(arena)
    for name, (_, tiles) in OBJECTS.items():
        if (x, y) in tiles:
            parts.append(name)
    return ":".join(parts)


def _inside(x: int, y: int, rect: tuple[int, int, int, int]) -> bool:
    return rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3]


def _fill(rects) -> np.ndarray:
    grid = np.zeros((HEIGHT, WIDTH), dtype=np.int64)
    for ident, (x0, y0, x1, y1) in rects:
        grid[y0 : y1 + 1, x0 : x1 + 1] = ident
    return grid


def _write_grid(path: Path, grid: np.ndarray) -> None:
    path.write_text(", ".join(str(v) for v in grid.ravel().tolist()), encoding="utf-8")


def write_matrix_map(folder: Path) -> Path:
    """Write the small map in the original matrix layout; returns ``folder``."""
    (folder / "maze").mkdir(parents=True)
    (folder / "special_blocks").mkdir()
    meta = {
        "world_name": "the ville",
        "maze_width": WIDTH,
        "maze_height": HEIGHT,
        "sq_tile_size": 32,
        "special_constraint": "",
    }
    (folder / "maze_meta_info.json").write_text(json.dumps(meta), encoding="utf-8")
    sector = _fill(SECTORS.values())
    sector[STRAY_TILE[1], STRAY_TILE[0]] = STRAY_ID
    objects = np.zeros((HEIGHT, WIDTH), dtype=np.int64)
    for ident, tiles in OBJECTS.values():
        for x, y in tiles:
            objects[y, x] = ident
    spawn = np.zeros((HEIGHT, WIDTH), dtype=np.int64)
    for ident, (x, y) in SPAWNS.values():
        spawn[y, x] = ident
    _write_grid(folder / "maze/collision_maze.csv", np.where(walls(), WALL, 0))
    _write_grid(folder / "maze/sector_maze.csv", sector)
    _write_grid(folder / "maze/arena_maze.csv", _fill(ARENAS.values()))
    _write_grid(folder / "maze/game_object_maze.csv", objects)
    _write_grid(folder / "maze/spawning_location_maze.csv", spawn)
    blocks = {
        "world": [f"32134, {WORLD}"],
        "sector": [f"{i}, {WORLD}, {name}" for name, (i, _) in SECTORS.items()],
        "arena": [f"{i}, {WORLD}, {s}, {a}" for (s, a), (i, _) in ARENAS.items()],
        "game_object": [f"{i}, {WORLD}, <all>, {name}" for name, (i, _) in OBJECTS.items()],
        "spawning_location": [
            f"{i}, {WORLD}, {s}, {a}, {label}" for (s, a, label), (i, _) in SPAWNS.items()
        ],
    }
    for name, lines in blocks.items():
        (folder / f"special_blocks/{name}_blocks.csv").write_text("\n".join(lines) + "\n")
    return folder


# ---- a run of three personas ------------------------------------------------------------------

PERSONAS = ["Isabella Rodriguez", "Maria Lopez", "Klaus Mueller"]
STEPS = 40
START = dt.datetime(2023, 2, 13, 0, 0, 0)
SEC_PER_STEP = 10
CHAT = [
    ["Isabella Rodriguez", "Maria! Are you free tomorrow evening?"],
    ["Maria Lopez", "I think so. What's happening?"],
    ["Isabella Rodriguez", "A Valentine's Day party at Hobbs Cafe, 5pm — bring Klaus 🎉"],
]
CHAT_STEPS = range(20, 26)
CAFE = "the Ville:Hobbs Cafe:cafe:cafe customer seating"


def _isabella(step: int) -> dict:
    if step < 10:
        return _move(
            (10, 2), "😴", "sleeping @ the Ville:Isabella Rodriguez's apartment:main room:bed"
        )
    if step < 20:  # walks out of the apartment and along the street to the cafe
        x = max(3, 10 - (step - 10))
        return _move((x, 5), "🚶", f"walking to the cafe @ {CAFE}")
    if step in CHAT_STEPS:
        return _move((3, 3), "💬", f"conversing about the party @ {CAFE}", CHAT)
    if step < 30:
        return _move(
            (5, 3), "☕", "serving coffee @ the Ville:Hobbs Cafe:cafe:behind the cafe counter"
        )
    return _move((5, 3), "🤔", "idle")  # a description without an address


def _maria(step: int) -> dict:
    if step < 12:
        return _move(
            (2, 7), "😴", "sleeping @ the Ville:Dorm for Oak Hill College:Maria Lopez's room:bed"
        )
    if step < 20:
        return _move((2, 7 - min(step - 12, 2)), "🚿", "getting ready @ ")  # ends with " @ "
    if step in CHAT_STEPS:
        return _move((2, 3), "💬", f"conversing about the party @ {CAFE}", CHAT)
    return _move((2, 2), "📚", "studying @ reading @ " + CAFE)  # " @ " twice


def _klaus(step: int) -> dict:
    emoji = "💤" if step < 30 else "📝"
    return _move(
        (6, 7), emoji, "sleeping @ the Ville:Dorm for Oak Hill College:Klaus Mueller's room:bed"
    )


def _move(tile, emoji, description, chat=None) -> dict:
    return {"movement": list(tile), "pronunciatio": emoji, "description": description, "chat": chat}


def run_moves() -> list[dict[str, dict]]:
    """Every persona's state at every step: what an import must reproduce."""
    return [
        {"Isabella Rodriguez": _isabella(s), "Maria Lopez": _maria(s), "Klaus Mueller": _klaus(s)}
        for s in range(STEPS)
    ]


def step_time(step: int) -> dt.datetime:
    return START + dt.timedelta(seconds=step * SEC_PER_STEP)


def scratch(name: str) -> dict:
    """Identity fields of a persona (written here for the tests), plus fields the import drops."""
    first, last = name.split(" ")
    home = {
        "Isabella Rodriguez": "the Ville:Isabella Rodriguez's apartment:main room",
        "Maria Lopez": "the Ville:Dorm for Oak Hill College:Maria Lopez's room",
        "Klaus Mueller": "the Ville:Dorm for Oak Hill College:Klaus Mueller's room",
    }[name]
    return {
        "vision_r": 8,
        "name": name,
        "first_name": first,
        "last_name": last,
        "age": 20 + len(name),
        "innate": f"{first} is curious and kind",
        "learned": f"{first} {last} is a test persona of the import fixture.",
        "currently": f"{first} is getting ready for the party.",
        "lifestyle": f"{first} goes to bed around 11pm.",
        "living_area": home,
        "daily_plan_req": f"{first} keeps a steady routine." if first != "Klaus" else None,
        "recency_w": 1,
        "f_daily_schedule": [["sleeping", 360]],
    }


def _meta(steps: int) -> dict:
    return {
        "fork_sim_code": "base_the_ville_isabella_maria_klaus",
        "start_date": START.strftime("%B %d, %Y"),
        "curr_time": step_time(steps).strftime("%B %d, %Y, %H:%M:%S"),
        "sec_per_step": SEC_PER_STEP,
        "maze_name": "the_ville",
        "persona_names": list(PERSONAS),
        "step": steps,
    }


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _write_personas(folder: Path) -> None:
    for name in PERSONAS:
        _write_json(folder / "personas" / name / "bootstrap_memory" / "scratch.json", scratch(name))


def write_storage_run(folder: Path, moves: list[dict] | None = None) -> Path:
    """A storage folder (``reverie/meta.json``, ``movement/<step>.json``, ``personas/``)."""
    moves = run_moves() if moves is None else moves
    _write_json(folder / "reverie" / "meta.json", _meta(len(moves)))
    for step, persona in enumerate(moves):
        clock = {"curr_time": step_time(step).strftime("%B %d, %Y, %H:%M:%S")}
        _write_json(folder / "movement" / f"{step}.json", {"persona": persona, "meta": clock})
    _write_personas(folder)
    return folder


def write_demo_run(folder: Path, moves: list[dict] | None = None, personas: bool = True) -> Path:
    """A compressed demo folder: a persona is listed at a step only when something changed."""
    moves = run_moves() if moves is None else moves
    _write_json(folder / "meta.json", _meta(len(moves)))
    master, last = {}, {}
    for step, persona in enumerate(moves):
        master[str(step)] = {n: m for n, m in persona.items() if last.get(n) != m}
        last.update(persona)
    _write_json(folder / "master_movement.json", master)
    if personas:
        _write_personas(folder)
    return folder


def write_original_repo(root: Path) -> tuple[Path, Path, Path]:
    """The original repository's folders: (storage run, compressed demo, matrix map)."""
    server = root / "environment" / "frontend_server"
    matrix = write_matrix_map(server / "static_dirs" / "assets" / "the_ville" / "matrix")
    storage = write_storage_run(server / "storage" / "July1_test_sim")
    demo = write_demo_run(server / "compressed_storage" / "July1_test_sim")
    return storage, demo, matrix


# ---- reading a built replay site back ----------------------------------------------------------


def site_state(site: Path, step: int) -> list[dict]:
    """Every agent's tile and texts at ``step``, decoded from a built site's data files."""
    from site_helpers import decode_moves

    from sitegen.pack import read_data_file

    _, meta = read_data_file(site / "data" / "meta.js")
    entry = next(c for c in meta["chunks"] if c["start"] <= step < c["end"])
    _, chunk = read_data_file(site / "data" / f"{entry['key']}.js")
    offset = step - chunk["start"]
    states = []
    for agent in range(len(meta["agents"])):
        length = entry["end"] - entry["start"]
        tiles = decode_moves(chunk["x"][agent], chunk["y"][agent], chunk["moves"][agent], length)
        x, y = tiles[offset]
        state = {"x": x, "y": y}
        for name in ("action", "emoji", "address", "chat"):
            state[name] = chunk["strings"][_value_at(chunk[name][agent], offset)]
        states.append(state)
    return states


def _value_at(changes: list[int], offset: int) -> int:
    """The string id in force at ``offset`` of a ``[offset, sid, …]`` change list."""
    at, sid = 0, 0
    for k in range(0, len(changes), 2):
        at += changes[k]
        if at > offset:
            break
        sid = changes[k + 1]
    return sid
