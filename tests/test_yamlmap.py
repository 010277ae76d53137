"""The YAML map loader and the bundled town, 环界小镇 / Ringworld Town."""

from __future__ import annotations

import copy
from collections import deque
from pathlib import Path

import numpy as np
import pytest
import yaml

from runner.errors import RingWorldError
from runner.world.loader import load_map
from runner.world.mapview import render_ascii
from runner.world.townmap import TownMap
from runner.world.yamlmap import load_yaml_map

MAP = Path(__file__).resolve().parents[1] / "scenarios" / "maps" / "ringtown.yaml"

KITCHEN = [("冰箱", "refrigerator"), ("灶台", "stove"), ("餐桌", "dining table")]
BATH = [("淋浴间", "shower"), ("洗手池", "sink")]
BED, DESK = ("床", "bed"), ("书桌", "desk")
ART_ROOMS = [(f"房间{c}", f"room {c}", [BED, DESK, ("画架", "easel")]) for c in "ABCDEF"]
DORM_ROOMS = [(f"宿舍{n}", f"dorm room {n}", [BED, DESK]) for n in range(101, 107)]

# (sector zh, sector en, kind, [(arena zh, arena en, [(object zh, object en)])]), from the brief.
PLACES = [
    ("伊莎贝拉的公寓", "Isabella Rodriguez's apartment", "home", [
        ("卧室", "bedroom", [BED, DESK, ("衣柜", "closet")]),
        ("厨房", "kitchen", KITCHEN),
        ("浴室", "bathroom", BATH),
    ]),
    ("环界学院宿舍", "Ringworld College dorm", "home", [
        ("克劳斯的房间", "Klaus Mueller's room", [BED, DESK]),
        ("玛丽亚的房间", "Maria Lopez's room", [BED, DESK, ("游戏电脑", "gaming computer")]),
        *DORM_ROOMS,
        ("公共厨房", "common kitchen", KITCHEN),
        ("公共浴室", "common bathroom", BATH),
    ]),
    ("艺术家合住公寓", "artists' co-living space", "home", [
        *ART_ROOMS,
        ("客厅", "common room", [("沙发", "sofa"), ("钢琴", "piano")]),
        ("厨房", "kitchen", KITCHEN),
        ("浴室", "bathroom", BATH),
    ]),
    ("林家住宅", "Lin family's house", "home", [
        ("主卧", "master bedroom", [BED, ("衣柜", "closet")]),
        ("儿童房", "kid's room", [BED, DESK]),
        ("客房", "guest room", [BED]),
        ("客厅", "living room", [("沙发", "sofa"), ("电视", "TV")]),
        ("厨房", "kitchen", KITCHEN),
        ("浴室", "bathroom", BATH),
    ]),
    ("莫雷诺家", "Moreno family's house", "home", [
        ("主卧", "master bedroom", [BED]),
        ("次卧", "second bedroom", [BED, DESK]),
        ("厨房", "kitchen", KITCHEN),
        ("浴室", "bathroom", BATH),
    ]),
    ("摩尔家", "Moore family's house", "home", [
        ("主卧", "master bedroom", [BED]),
        ("书房", "study", [DESK, ("书架", "bookshelf")]),
        ("厨房", "kitchen", KITCHEN),
        ("浴室", "bathroom", BATH),
    ]),
    ("王家小院", "Wang family courtyard", "home", [
        ("主卧", "master bedroom", [BED]),
        ("次卧", "second bedroom", [BED, DESK]),
        ("厨房", "kitchen", KITCHEN),
        ("浴室", "bathroom", BATH),
        ("院子", "yard", [("石桌", "stone table")]),
    ]),
    ("霍布斯咖啡馆", "Hobbs Cafe", "cafe", [
        ("柜台", "counter", [("咖啡机", "coffee machine"), ("收银台", "cash register")]),
        ("用餐区", "dining area", [("餐桌", "table"), ("沙发", "sofa")]),
        ("后厨", "back kitchen", [("冰箱", "refrigerator"), ("烤箱", "oven")]),
        ("洗手间", "restroom", [("洗手池", "sink")]),
    ]),
    ("环界学院", "Ringworld College", "college", [
        ("教室", "classroom",
         [("讲台", "lectern"), ("课桌", "student desk"), ("黑板", "blackboard")]),
        ("图书馆", "library",
         [("书架", "bookshelf"), ("阅览桌", "reading table"), ("电脑", "computer")]),
        ("休息室", "lounge", [("沙发", "sofa"), ("咖啡机", "coffee machine")]),
    ]),
    ("柳荫公园", "Willow Park", "park", [
        ("花园", "garden", [("长椅", "bench"), ("花坛", "flower bed")]),
        ("湖畔", "lakeside", [("钓鱼台", "fishing spot"), ("长椅", "bench")]),
        ("草坪", "lawn", [("野餐桌", "picnic table")]),
    ]),
    ("好邻居超市", "Good Neighbour Grocery", "grocery", [
        ("商店", "store", [("货架", "shelf"), ("收银台", "cash register"), ("冷柜", "freezer")]),
        ("仓库", "storeroom", [("货箱", "crates")]),
    ]),
    ("老钟酒吧", "Old Bell Bar", "bar", [
        ("酒吧", "bar room", [("吧台", "bar counter"), ("酒桌", "table"), ("点唱机", "jukebox")]),
        ("后厨", "back kitchen", [("冰箱", "refrigerator"), ("灶台", "stove")]),
    ]),
    ("仁心药房", "Renxin Pharmacy", "pharmacy", [
        ("药房", "pharmacy", [("药柜", "medicine cabinet"), ("柜台", "counter")]),
        ("诊室", "consultation room", [("书桌", "desk"), ("椅子", "chair")]),
    ]),
    ("小镇广场", "Town Square", "square", [
        ("广场", "plaza", [("喷泉", "fountain"), ("长椅", "bench")]),
    ]),
]  # fmt: skip
OPEN_KINDS = {"park", "square"}


@pytest.fixture(scope="module")
def towns() -> dict[str, TownMap]:
    return {lang: load_yaml_map(MAP, lang) for lang in ("zh", "en")}


def _pick(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _reach(town: TownMap, start: tuple[int, int], blocked: set | None = None) -> set:
    """Tiles reachable from ``start`` by 4-connected walking."""
    blocked = blocked or set()
    seen, queue = {start}, deque([start])
    while queue:
        x, y = queue.popleft()
        for near in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if near not in seen and near not in blocked and town.walkable(near):
                seen.add(near)
                queue.append(near)
    return seen


def _bbox(tiles: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    xs, ys = [t[0] for t in tiles], [t[1] for t in tiles]
    return min(xs), min(ys), max(xs), max(ys)


def test_size_world_and_same_grids_in_both_languages(towns):
    zh, en = towns["zh"], towns["en"]
    assert (zh.width, zh.height) == (en.width, en.height) == (100, 70)
    assert (zh.world, en.world) == ("环界小镇", "Ringworld Town")
    assert np.array_equal(zh.collision, en.collision)
    assert np.array_equal(zh.address_grid, en.address_grid)
    assert [zh.labels[a] for a in zh.addresses[1:]] == en.addresses[1:]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_place_of_the_brief_is_on_the_map(towns, lang):
    town = towns[lang]
    assert len(town.kinds) == len(PLACES)
    for s_zh, s_en, kind, arenas in PLACES:
        sector = _pick(lang, s_zh, s_en)
        assert town.kinds[sector] == kind
        for a_zh, a_en, objects in arenas:
            arena = f"{sector}:{_pick(lang, a_zh, a_en)}"
            assert town.has(arena), arena
            for o_zh, o_en in objects:
                assert town.has(f"{arena}:{_pick(lang, o_zh, o_en)}"), (arena, o_zh)
    assert towns["zh"].has("霍布斯咖啡馆:柜台:咖啡机")


def test_labels_translate_names_and_full_addresses(towns):
    zh, en = towns["zh"], towns["en"]
    for s_zh, s_en, _, arenas in PLACES:
        assert zh.label(s_zh) == s_en and en.label(s_en) == s_zh
        for a_zh, a_en, _ in arenas:
            assert zh.labels[f"环界小镇:{s_zh}:{a_zh}"] == f"Ringworld Town:{s_en}:{a_en}"
    assert zh.label("环河") == "Ring River"
    assert zh.labels["环界小镇:霍布斯咖啡馆:用餐区:餐桌"].endswith("dining area:table")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_spawn_in_every_bedroom(towns, lang):
    town = towns[lang]
    bedrooms = {
        f"{_pick(lang, s_zh, s_en)}:{_pick(lang, a_zh, a_en)}"
        for s_zh, s_en, _, arenas in PLACES
        for a_zh, a_en, objects in arenas
        if BED in objects
    }
    assert set(town.spawns) == bedrooms
    assert town.spawns[_pick(lang, "伊莎贝拉的公寓:卧室", "Isabella Rodriguez's apartment:bedroom")]
    for key, tile in town.spawns.items():
        assert town.walkable(tile)
        assert town.address_at(tile).startswith(f"{town.world}:{key}"), key


def test_objects_and_spawns_walkable_and_reachable_from_every_spawn(towns):
    town = towns["zh"]
    object_tiles = [t for a in town.addresses if a.count(":") == 3 for t in town.tiles_of(a)]
    assert len(object_tiles) > 150
    assert all(town.walkable(t) for t in object_tiles)
    spawns = list(town.spawns.values())
    reached = _reach(town, spawns[0])
    # Walking is symmetric, so one region holding every spawn means each reaches all the others.
    assert set(spawns) <= reached
    assert set(object_tiles) <= reached


def test_blocked_tiles_have_no_place_and_water_blocks(towns):
    town = towns["zh"]
    assert town.water.sum() > 300
    assert town.collision[town.water].all()
    assert (town.address_grid[town.collision] == 0).all()
    assert town.address_at((0, 0)) == "环界小镇" and town.walkable((0, 0))


def test_buildings_have_walls_and_doors_open_places_do_not(towns):
    town = towns["zh"]
    for s_zh, _, kind, arenas in PLACES:
        rooms = [t for a_zh, _, _ in arenas for t in town.tiles_of(f"{s_zh}:{a_zh}")]
        x0, y0, x1, y1 = _bbox(rooms)
        ring = [(x, y) for x in range(x0 - 1, x1 + 2) for y in (y0 - 1, y1 + 1)]
        ring += [(x, y) for y in range(y0, y1 + 1) for x in (x0 - 1, x1 + 1)]
        doors = [t for t in ring if town.walkable(t)]
        if kind in OPEN_KINDS:
            assert len(doors) > len(ring) // 2, s_zh
            continue
        assert doors, s_zh
        assert all(town.address_at(t) == f"环界小镇:{s_zh}" for t in doors), s_zh
        outside = [
            (x + dx, y + dy)
            for x, y in doors
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))
            if town.walkable((x + dx, y + dy)) and town.address_at((x + dx, y + dy)) == "环界小镇"
        ]
        assert outside, f"{s_zh} has no door to the street"


def test_rooms_are_at_least_3x3(towns):
    town = towns["zh"]
    for s_zh, _, _, arenas in PLACES:
        for a_zh, _, _ in arenas:
            x0, y0, x1, y1 = _bbox(town.tiles_of(f"{s_zh}:{a_zh}"))
            assert min(x1 - x0, y1 - y0) >= 2, (s_zh, a_zh)


def test_park_has_a_pond(towns):
    town = towns["zh"]
    x0, y0, x1, y1 = _bbox(town.tiles_of("柳荫公园"))
    assert town.water[y0 : y1 + 1, x0 : x1 + 1].sum() >= 9
    lakeside = town.tiles_of("柳荫公园:湖畔:钓鱼台")
    assert any(town.water[y + 1, x] or town.water[y - 1, x] for x, y in lakeside)


def test_the_river_needs_its_bridges_and_each_one_crosses(towns):
    town = towns["zh"]
    raw = yaml.safe_load(MAP.read_text(encoding="utf-8"))
    river = next(w for w in raw["water"] if w["name"] == "环河")
    bridges = [
        {(x, y) for x in range(bx, bx + w) for y in range(by, by + h)}
        for bx, by, w, h in river["bridges"]
    ]
    assert len(bridges) >= 2
    north, south = town.spawns["伊莎贝拉的公寓:卧室"], town.spawns["环界学院宿舍:克劳斯的房间"]
    every = set().union(*bridges)
    assert all(town.walkable(t) and not town.water[t[1], t[0]] for t in every)
    assert south not in _reach(town, north, blocked=every)
    for bridge in bridges:
        assert south in _reach(town, north, blocked=every - bridge)


def test_load_map_dispatches_files_to_the_yaml_loader():
    assert load_map(MAP, "en").world == "Ringworld Town"


# ---------------------------------------------------------------- small maps


def _tiny() -> dict:
    """A 12x9 map: a walled hut with one room, a brook with a bridge along the bottom."""
    return {
        "world": "小村",
        "world_en": "Hamlet",
        "size": [12, 9],
        "water": [
            {
                "name": "小河",
                "name_en": "Brook",
                "rects": [[0, 7, 12, 2]],
                "bridges": [[5, 7, 1, 2]],
            }
        ],
        "sectors": [
            {
                "name": "小屋",
                "name_en": "Hut",
                "kind": "home",
                "rect": [1, 1, 6, 5],
                "walls": True,
                "doors": [[2, 4]],
                "arenas": [
                    {
                        "name": "卧室",
                        "name_en": "bedroom",
                        "rect": [1, 1, 4, 3],
                        "spawn": [1, 1],
                        "objects": [{"name": "床", "name_en": "bed", "at": [3, 2]}],
                    }
                ],
            }
        ],
    }


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_tiny_map_rasterises_walls_doors_rooms_objects_and_water(tmp_path):
    town = load_yaml_map(_write(tmp_path, _tiny()), "en")
    rows = [line[4:] for line in render_ascii(town).splitlines()[1:]]
    assert rows == [
        "............",
        ".######.....",
        ".#@   #.....",
        ".#  * #.....",
        ".#    #.....",
        ".##,###.....",
        "............",
        "~~~~~.~~~~~~",
        "~~~~~.~~~~~~",
    ]
    assert town.address_at((4, 3)) == "Hamlet:Hut:bedroom:bed"
    assert town.address_at((3, 5)) == "Hamlet:Hut"
    assert town.address_at((2, 2)) == "Hamlet:Hut:bedroom"
    assert town.spawns == {"Hut:bedroom": (2, 2)}
    assert town.kinds == {"Hut": "home"} and town.labels["bed"] == "床"


def _set(*path_and_value):
    """A mutation that sets data[path...] = value."""
    *path, value = path_and_value

    def apply(data: dict) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return apply


def _arena(data: dict) -> dict:
    return data["sectors"][0]["arenas"][0]


def _add_sector(rect, doors, arenas):
    def apply(data: dict) -> None:
        data["sectors"].append(
            {"name": "棚", "name_en": "Shed", "kind": "other", "rect": rect, "doors": doors,
             "arenas": arenas}
        )  # fmt: skip

    return apply


def _cell(name: str, x: int) -> dict:
    return {"name": name, "name_en": name, "rect": [x, 1, 1, 3]}


BAD_MAPS = [
    ("missing key", lambda d: d["sectors"][0].pop("kind"), "sectors[0].kind", "missing"),
    ("wrong type", _set("size", "big"), "size", "[width, height]"),
    ("bool is no int", _set("size", [True, 9]), "size", "integers"),
    ("rect off the map", _set("sectors", 0, "rect", [8, 1, 6, 5]), "sectors[0].rect", "map"),
    (
        "object outside its arena",
        lambda d: _arena(d)["objects"][0].update(at=[5, 2]),
        "sectors[0].arenas[0].objects[0].at",
        "inside its arena",
    ),
    ("unknown kind", _set("sectors", 0, "kind", "castle"), "sectors[0].kind", "one of"),
    (
        "duplicate name",
        lambda d: _arena(d)["objects"].append({"name": "床", "name_en": "cot", "at": [1, 1]}),
        "sectors[0].arenas[0].objects[1].name",
        "used twice",
    ),
    ("spawn on a wall", lambda d: _arena(d).update(spawn=[0, 2]), "sectors[0].arenas[0].spawn",
     "wall"),
    ("door inside a room", _set("sectors", 0, "doors", [[2, 2]]), "sectors[0].doors[0]", "arena"),
    ("no door", _set("sectors", 0, "doors", []), "sectors[0].doors", "door"),
    ("unknown key", _set("sectors", 0, "wals", False), "sectors[0].wals", "known"),
    ("colon in a name", _set("sectors", 0, "name", "小:屋"), "sectors[0].name", "without ':'"),
    (
        "object in water",
        lambda d: d["water"][0]["rects"].append([4, 3, 1, 1]),
        "sectors[0].arenas[0].objects[0]",
        "water",
    ),
    ("overlapping sectors", _add_sector([5, 1, 4, 5], [[1, 4]], [_cell("甲", 1)]), "sectors[1]",
     "overlaps"),
    (
        "room without a way in",
        _add_sector([7, 1, 5, 5], [[1, 4]], [_cell("甲", 1), _cell("乙", 3)]),
        "sectors[1].arenas[1]",
        "reached",
    ),
    ("bridge over dry land", _set("water", 0, "bridges", [[0, 0, 2, 1]]), "water[0].bridges[0]",
     "crosses"),
]  # fmt: skip


@pytest.mark.parametrize(
    "mutate, key, words", [c[1:] for c in BAD_MAPS], ids=[c[0] for c in BAD_MAPS]
)
def test_bad_maps_name_the_file_and_key(tmp_path, mutate, key, words):
    data = copy.deepcopy(_tiny())
    mutate(data)
    path = _write(tmp_path, data)
    with pytest.raises(RingWorldError) as caught:
        load_yaml_map(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert f"key '{key}'" in message and words in message


def test_unreadable_inputs(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("world: [unclosed\n", encoding="utf-8")
    with pytest.raises(RingWorldError, match=r"broken\.yaml: not valid YAML at line"):
        load_yaml_map(broken)
    with pytest.raises(RingWorldError, match="no such map file"):
        load_yaml_map(tmp_path / "absent.yaml")
    with pytest.raises(RingWorldError, match="'zh' or 'en'"):
        load_yaml_map(_write(tmp_path, _tiny()), "fr")
    (tmp_path / "list.yaml").write_text("- 1\n", encoding="utf-8")
    with pytest.raises(RingWorldError, match="the file must be a mapping"):
        load_yaml_map(tmp_path / "list.yaml")
