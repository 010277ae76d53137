"""The map pre-rendered at build time (sitegen/mapimages.py): the PNG writer, decoded back by
hand (chunks, CRCs, zlib, palette); the composition rule tile by tile; the map payload; and in
headless Chromium, that the page draws its map from those images, pixel for pixel."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from site_helpers import CHROMIUM, DESKTOP, Page, browser_fixture, write_sim

from sitegen.art.pixels import COLOURS, png, png_indexed
from sitegen.build import build_site
from sitegen.mapimages import CHUNK, SHEET, compose
from sitegen.pack import read_data_file

chromium = browser_fixture()
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")


def decode_png(data: bytes) -> np.ndarray:
    """An 8-bit RGBA or palette PNG with unfiltered rows as (h, w, 4) RGBA, every chunk's CRC
    checked."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(
            kind + body
        )
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    assert list(chunks)[0] == b"IHDR" and list(chunks)[-1] == b"IEND"
    w, h, depth, colour, _, _, _ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    channels = {6: 4, 3: 1}[colour]
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8)
    rows = raw.reshape(h, 1 + w * channels)
    assert depth == 8 and (rows[:, 0] == 0).all()  # no filters
    pixels = rows[:, 1:]
    if colour == 6:
        return pixels.reshape(h, w, 4)
    palette = np.frombuffer(chunks[b"PLTE"], dtype=np.uint8).reshape(-1, 3)
    alpha = np.frombuffer(chunks.get(b"tRNS", b""), dtype=np.uint8)
    alpha = np.concatenate([alpha, np.full(len(palette) - len(alpha), 255, dtype=np.uint8)])
    return np.concatenate([palette, alpha[:, None]], axis=1)[pixels]


def test_the_png_writers_decode_back_to_their_pixels():
    rng = np.random.default_rng(0)
    palette = [(0, 0, 0, 0), (255, 0, 0, 255), (1, 2, 3, 60), (9, 200, 7, 255)]
    indices = rng.integers(0, len(palette), size=(5, 7), dtype=np.uint8)
    got = decode_png(png_indexed(7, 5, indices.tobytes(), palette))
    assert (got == np.array(palette, dtype=np.uint8)[indices]).all()
    opaque = [(10, 20, 30, 255), (40, 50, 60, 255)]
    data = png_indexed(3, 2, bytes([0, 1, 1, 0, 0, 1]), opaque)
    assert b"tRNS" not in data and decode_png(data)[0, 1].tolist() == [40, 50, 60, 255]
    rgba = rng.integers(0, 256, size=(4, 3, 4), dtype=np.uint8)
    assert (decode_png(png(3, 4, rgba.tobytes())) == rgba).all()
    with pytest.raises(ValueError, match="1 to 256 colours"):
        png_indexed(1, 1, b"\x00", [(0, 0, 0, 0)] * 257)


def _over_reference(under: list[int], over: tuple[int, ...]) -> list[int]:
    """One pixel drawn over another, as the page composited tiles before the map came
    pre-rendered (Art.copyTile): opaque replaces, translucent blends (Math.round), clear
    leaves."""
    a = over[3]
    if a == 255:
        return list(over)
    if a == 0:
        return under
    k = a / 255
    return [int(np.floor(u + (o - u) * k + 0.5)) for u, o in zip(under[:3], over[:3])] + [255]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(write_sim(tmp_path_factory.mktemp("mapimages") / "m", steps=60))


def test_each_tile_is_its_ground_with_its_overlay_on_top(site):
    town = read_data_file(site / "data" / "meta.js")[1]["town"]
    sprites = read_data_file(site / "data" / "sprites.js")[1]
    image = compose(town, sprites)
    t, w = sprites["tile"], town["width"]
    assert image.shape == (town["height"] * t, w * t, 4)
    atlas = sprites["atlas"]
    palette = np.frombuffer(sprites["palette"], dtype=np.uint8).reshape(-1, 4)
    pixels = np.frombuffer(atlas["pixels"], dtype=np.uint8).reshape(atlas["height"], -1)

    def sprite_px(i: int, x: int, y: int) -> tuple[int, ...]:
        row, col = divmod(i, atlas["columns"])
        return tuple(int(c) for c in palette[pixels[row * t + y, col * t + x]])

    translucent = {c for c in COLOURS.values() if 0 < c[3] < 255}
    pairs = {}  # one tile of each (ground, overlay) pair, those with translucent pixels first
    for i, (g, o) in enumerate(zip(town["ground"], town["overlay"])):
        pairs.setdefault((g, o), i)
    assert len(pairs) > 20
    seen_translucent = 0
    for (g, o), i in pairs.items():
        ty, tx = divmod(i, w)
        for y in range(t):
            for x in range(t):
                want = [0, 0, 0, 0]
                for layer in (g, o):
                    if layer:
                        px = sprite_px(layer, x, y)
                        seen_translucent += px in translucent
                        want = _over_reference(want, px)
                assert image[ty * t + y, tx * t + x].tolist() == want, (g, o, x, y)
    assert seen_translucent > 0  # the blend was exercised


def test_the_map_payload_holds_the_whole_map_in_sheets(site):
    town = read_data_file(site / "data" / "meta.js")[1]["town"]
    sprites = read_data_file(site / "data" / "sprites.js")[1]
    key, payload = read_data_file(site / "data" / "map.js")
    assert key == "map" and payload["chunk"] == CHUNK and payload["sheet"] == SHEET
    image = compose(town, sprites)
    step = SHEET * payload["tile"]
    assert len(payload["images"]) == payload["columns"] * payload["rows"]
    for n, data in enumerate(payload["images"]):
        assert b"PLTE" in data  # the map's few colours: a palette PNG
        r, c = divmod(n, payload["columns"])
        sheet = decode_png(data)
        assert sheet.shape[0] % (CHUNK * payload["tile"]) == 0  # whole chunks
        part = image[r * step : (r + 1) * step, c * step : (c + 1) * step]
        assert (sheet[: part.shape[0], : part.shape[1]] == part).all()
        assert (sheet[part.shape[0] :, :, 3] == 0).all()  # clear past the map
        assert (sheet[:, part.shape[1] :, 3] == 0).all()


@NEEDS_CHROMIUM
def test_the_page_draws_its_map_from_the_pre_rendered_images(chromium, site):
    town = read_data_file(site / "data" / "meta.js")[1]["town"]
    image = compose(town, read_data_file(site / "data" / "sprites.js")[1])
    page = Page(chromium, site, "#step=30", **DESKTOP)
    sheets = page.js("ringworld.mapSheets()")
    assert sheets["decoded"] and set(sheets["decoded"]) == {"ImageBitmap"}
    assert page.js("typeof RW.Town.prototype.renderChunk") == "undefined"  # no tile compositing
    # at 16 CSS pixels a tile (DPR 1) the map layer is the image copied 1:1: read a block of
    # tiles with no place name near it
    names = [(x, y) for _n, _l, x, y in town["places"]]
    free = [
        (x, y)
        for y in range(4, town["height"] - 8)
        for x in range(4, town["width"] - 8)
        if all(abs(px - x - 2) > 12 or abs(py - y - 2) > 5 for px, py in names)
    ]
    assert free, "no part of the map is clear of place names"
    x, y = free[len(free) // 2]
    page.zoom(16, x + 3, y + 3)
    left, top = page.js("([x, y]) => ringworld.toScreen(x, y)", [x, y])
    got = np.array(
        page.js(f"ringworld.pixels('map', {round(left)}, {round(top)}, 64, 64)"), dtype=np.uint8
    ).reshape(64, 64, 4)
    want = image[y * 16 : y * 16 + 64, x * 16 : x * 16 + 64]
    assert (got[..., :3] == want[..., :3]).all()
    assert page.js(f"ringworld.mapPixel({x}, {y})") == want[8, 8, :3].tolist()
    assert page.errors == []
    page.close()


@NEEDS_CHROMIUM
def test_a_sheet_missing_from_a_draw_asks_for_a_redraw_when_decoded(chromium, site):
    _, payload = read_data_file(site / "data" / "map.js")
    page = Page(chromium, site, "#step=30", **DESKTOP)
    got = page.js(
        """async ([payload, b64]) => {
          const sheets = new RW.MapSheets(Object.assign(payload,
            { images: b64.map((s) => Uint8Array.fromBase64(s)) }));
          let redraws = 0;
          sheets.onDecoded = () => redraws++;
          sheets.newDraw();
          const first = sheets.want(0, 0); // not decoded yet: missed, asked for
          const side = sheets.ahead(1, 0); // next to the view: asked for, no redraw when in
          await Promise.all([sheets.decode(0, 0), sheets.decode(1, 0)]);
          const after = sheets.want(0, 0);
          return [first, redraws, after.constructor.name, after.width];
        }""",
        [
            {k: v for k, v in payload.items() if k != "images"},
            [base64.b64encode(i).decode("ascii") for i in payload["images"]],
        ],
    )
    assert got == [None, 1, "ImageBitmap", SHEET * payload["tile"]]
    assert page.errors == []
    page.close()
