"""The replay art and what the build decides about it, without a browser: sprites for every
object of the towns we ship, map art the same in zh and en, bridges, trees off the paths,
looks per agent, facings, the optional object events, the preview PNG and the script bundle."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from site_helpers import RINGTOWN, ROOT, facing_at, stored_frames, write_sim

from runner.world.loader import load_map
from sitegen.art.figures import FRAMES, SLOTS, looks
from sitegen.art.objects import OBJECTS, object_kind
from sitegen.build import build_site
from sitegen.mapart import ground_and_overlay, object_groups
from sitegen.pack import encode_payload, facings, read_data_file
from sitegen.simread import read_sim
from sitegen.sprites import ATLAS, pack_sprites, preview

THE_VILLE = ROOT.parent / "shared" / "external" / "the_ville" / "matrix"
TOWNS = [(RINGTOWN, "zh"), (RINGTOWN, "en")]
TOWNS += [(THE_VILLE, "en")] if THE_VILLE.is_dir() else []


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    return write_sim(tmp_path_factory.mktemp("art") / "art", steps=200)


@pytest.mark.parametrize("path, lang", TOWNS)
def test_every_object_of_our_towns_has_a_sprite_of_its_kind(path, lang):
    town = load_map(path, lang)
    groups = object_groups(town)
    assert len(groups) > 100
    kinds = {g["kind"] for g in groups}
    assert "thing" not in kinds  # the fallback is for towns we do not ship
    assert all(f"obj_{k}" in ATLAS for k in kinds)
    art = ground_and_overlay(town, groups)
    overlay = np.frombuffer(art["overlay"], np.uint8).reshape(town.height, town.width)
    for g in groups:
        for x, y in g["tiles"]:
            assert overlay[y, x] in (ATLAS[f"obj_{g['kind']}"], ATLAS["obj_bed_head"]), g


def test_kinds_from_names_in_either_language():
    assert object_kind("咖啡机", "coffee machine") == "coffee"
    assert object_kind("", "flower bed") == "flowers"  # not a bed
    assert object_kind("computer desk") == "computer"
    assert object_kind("bathroom sink") == "sink"  # not a shower
    assert object_kind("时光机") == "thing"
    assert "obj_thing" in ATLAS and set(OBJECTS) >= {"bed", "piano", "easel", "toilet", "sofa"}


def test_map_art_is_the_same_in_a_zh_and_an_en_build():
    arts = []
    for lang in ("zh", "en"):
        town = load_map(RINGTOWN, lang)
        arts.append(ground_and_overlay(town, object_groups(town)))
    assert arts[0] == arts[1]


def test_water_bridges_walls_windows_and_trees():
    town = load_map(RINGTOWN, "zh")
    visited = np.zeros((town.height, town.width), dtype=bool)
    visited[60:, 40:] = True  # somebody walked all over the south-east
    art = ground_and_overlay(town, object_groups(town), visited)
    ground = np.frombuffer(art["ground"], np.uint8).reshape(town.height, town.width)
    overlay = np.frombuffer(art["overlay"], np.uint8).reshape(town.height, town.width)
    names = {i: n for n, i in ATLAS.items()}
    assert {names[v] for v in ground[town.water]} == {"water", "water_edge"}
    bridge = {names[v] for v in ground[37:41, 19:21].ravel()}  # the bridge at [19, 37, 2, 4]
    assert bridge <= {"bridge", "bridge_w", "bridge_e"} and "bridge_w" in bridge
    walls = town.collision & ~town.water
    assert {names[v] for v in ground[walls]} >= {"wall_top", "wall_face", "wall_window"}
    trees = overlay == ATLAS["tree"]
    assert trees.sum() > 20 and not (trees & visited).any()  # nobody walks through a tree
    assert not (trees & ~town.collision & (np.asarray(town.address_grid) > 0)).any()
    windows = np.array(art["windows"]).reshape(-1, 2)
    assert len(windows) > 20 and all(ground[y, x] == ATLAS["wall_window"] for x, y in windows)


def test_looks_are_distinct_and_fit_the_age():
    names = [f"居民{i}" for i in range(25)]
    ages = [20 + 3 * i for i in range(25)]
    chosen = looks(names, ages)
    assert len({(c["style"], bytes(c["colours"][4]), bytes(c["colours"][6])) for c in chosen}) == 25
    grey = [(128, 126, 132, 255), (232, 230, 222, 255)]
    hair = SLOTS.index("hair")
    for look, age in zip(chosen, ages):
        assert (tuple(look["colours"][hair]) in grey) == (age >= 60), age
    assert looks(names, ages) == chosen  # from the names: the same in every build


def test_facings_follow_the_latest_move(sim, tmp_path):
    frames, _ = stored_frames(sim)
    data = read_sim(sim)
    face = facings(data.x, data.y)
    names = ["down", "up", "left", "right"]
    for step in range(0, 200, 7):
        for a in range(4):
            assert names[face[step, a]] == facing_at(frames, step, a)
    site = build_site(sim, tmp_path / "site")
    _, meta = read_data_file(site / "data" / "meta.js")
    for c in meta["chunks"]:
        _, chunk = read_data_file(site / "data" / f"{c['key']}.js")
        assert chunk["face"] == face[chunk["start"]].tolist()
        # packed exactly when the sim records objects' events
        assert ("object_event" in chunk) == ("object_event" in data.text)


def test_sprites_are_small_and_whole():
    sprites = pack_sprites()
    atlas = sprites["atlas"]
    assert len(atlas["names"]) < 256  # one byte a tile in the grids
    assert atlas["width"] * atlas["height"] == len(atlas["pixels"])
    assert max(atlas["pixels"]) < len(sprites["palette"]) // 4
    fig = sprites["figures"]
    assert fig["width_px"] == fig["width"] * len(FRAMES)
    assert len(fig["pixels"]) == fig["width_px"] * fig["height"] * len(fig["styles"])
    assert max(fig["pixels"]) < len(SLOTS)
    assert len(encode_payload(sprites)) < 8000


def test_preview_is_a_png(tmp_path):
    out = tmp_path / "art.png"
    preview(out, scale=2)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 16 * 16 * 2 and height > 100
    idat = data[data.index(b"IDAT") + 4 : data.index(b"IEND") - 8]
    assert len(zlib.decompress(idat)) == height * (1 + 4 * width)


def test_page_code_ships_as_one_bundle(sim, tmp_path):
    site = build_site(sim, tmp_path / "site")
    html = (site / "index.html").read_text()
    replay = lambda p: not p.name.startswith("report")  # noqa: E731 (the report page's own)
    parts = [p.name for p in sorted((ROOT / "web_template" / "js").glob("*.js")) if replay(p)]
    bundle = (site / "js" / "replay.js").read_text()
    assert sorted(p.name for p in (site / "js").iterdir() if replay(p)) == ["main.js", "replay.js"]
    for name in parts:
        if name != "main.js":
            assert f"// ---- js/{name} ----" in bundle and f"js/{name}" not in html
    assert html.index("js/replay.js") < html.index("data/meta.js") < html.index("js/main.js")
