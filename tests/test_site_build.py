"""rw-site build and gallery without a browser: packing, partial and broken sims, the CLI."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

import msgpack
import pytest
from click.testing import CliRunner
from site_helpers import XSS, decode_moves, stored_frames, write_sim

from runner.errors import RingWorldError
from sitegen.build import build_site
from sitegen.cli import main
from sitegen.gallery import build_gallery
from sitegen.pack import StringTable, encode_changes, encode_moves, read_data_file
from sitegen.simread import MEMORIES_PER_HOUR


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    return write_sim(tmp_path_factory.mktemp("sims") / "syn")


@pytest.fixture(scope="module")
def site(sim) -> Path:
    return build_site(sim)


def _chunks(site: Path) -> tuple[dict, list[dict]]:
    _, meta = read_data_file(site / "data" / "meta.js")
    chunks = [read_data_file(site / "data" / f"{c['key']}.js")[1] for c in meta["chunks"]]
    return meta, chunks


def test_rendering_waits_for_the_scripts(site):
    """The page is not rendered while its parser waits for a script (on a throttled phone
    that was a whole style and layout pass more before the first frame): rendering is blocked
    until an element after the last script is parsed."""
    html = (site / "index.html").read_text()
    assert '<link rel="expect" href="#parsed" blocking="render">' in html.split("</head>")[0]
    assert html.rindex("<script ") < html.index('<i id="parsed" hidden></i>')


def test_site_files(site):
    for name in (
        "index.html",
        ".nojekyll",
        "style.css",
        "js/main.js",
        "js/replay.js",
        "ART-LICENSE.md",
        "data/meta.js",
        "data/sprites.js",
        "data/map.js",
        "data/talk.js",
        "vendor/msgpack/msgpack.min.js",
        "vendor/msgpack/LICENSE",
    ):
        assert (site / name).is_file(), name
    assert not (site / "gallery").exists()
    html = (site / "index.html").read_text()
    assert "<title>syn · RingWorld</title>" in html
    for path in site.rglob("*"):
        if path.suffix in (".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8")
            assert "http://" not in text and "https://" not in text, path
            assert "onerror=alert" not in text, path  # LLM text only inside base64 payloads


def test_positions_and_text_round_trip(sim, site):
    frames, names = stored_frames(sim)
    meta, chunks = _chunks(site)
    assert meta["steps"] == 300 and len(chunks) == 5  # 60 s a step: 60 steps an hour
    assert [a["name"] for a in meta["agents"]] == names
    for chunk in chunks:
        length = chunk["end"] - chunk["start"]
        for a in range(len(names)):
            tiles = decode_moves(chunk["x"][a], chunk["y"][a], chunk["moves"][a], length)
            want = [frames[s][a][:2] for s in range(chunk["start"], chunk["end"])]
            assert tiles == want
            changes = chunk["action"][a]
            step = chunk["start"]
            for k in range(0, len(changes), 2):
                step += changes[k]
                assert chunk["strings"][changes[k + 1]] == frames[step][a][2]


def test_moves_cost_little_for_walks_and_pauses():
    xs = [5] * 100 + list(range(5, 45)) + [44] * 200
    ys = [7] * 340
    data = encode_moves(xs, ys)
    assert decode_moves(5, 7, data, 340) == list(zip(xs, ys))
    assert len(data) <= 2 + 40 + 3  # a run of pauses, one byte a step walking, a run again
    jump = encode_moves([0, 300, 299], [0, -2, -2])
    assert decode_moves(0, 0, jump, 3) == [(0, 0), (300, -2), (299, -2)]


def test_changes_store_only_changes():
    table = StringTable()
    values = ["a"] * 5 + ["b"] * 3 + ["a"]
    assert encode_changes(values, table) == [0, 1, 5, 2, 3, 1]
    assert table.items == ["", "a", "b"]


def test_memories_are_bounded_per_agent_per_hour(site):
    _, chunks = _chunks(site)
    for chunk in chunks:
        flat = chunk["memories"][0]  # agent 0 has one memory every step: 60 an hour
        steps = flat[0::4]
        assert len(steps) == MEMORIES_PER_HOUR
        assert steps == list(range(chunk["end"] - MEMORIES_PER_HOUR, chunk["end"]))
        assert all(chunk["start"] <= s < chunk["end"] for s in chunk["memories"][1][0::4])


def test_talk_keeps_lines_as_text(site):
    _, talk = read_data_file(site / "data" / "talk.js")
    start, end, a, b, _place, flat = talk["conversations"][0]
    assert (start, end, a, b) == (10, 20, 0, 1)
    assert [talk["strings"][i] for i in flat[1::2]] == [XSS, "你好！", "</script>再见"]


def test_payload_is_gzip_msgpack(site):
    text = (site / "data" / "steps-0000.js").read_text()
    assert text.startswith('ringworldData("steps-0000","H4sI')  # base64 of the gzip magic
    key, chunk = read_data_file(site / "data" / "steps-0000.js")
    assert key == "steps-0000" and chunk["start"] == 0
    raw = msgpack.packb(chunk, use_bin_type=True)
    assert len(gzip.compress(raw)) < len(raw)


def test_running_sim_builds_committed_steps_only(tmp_path):
    sim = write_sim(tmp_path / "live", steps=120, memories=False)
    writer = sqlite3.connect(sim / "sim.sqlite")
    writer.execute("BEGIN IMMEDIATE")  # a step in progress, not committed
    writer.execute("INSERT INTO steps (step, game_time, wall_ms) VALUES (120, 't', 1.0)")
    writer.execute("UPDATE meta SET value='121' WHERE key='steps_done'")
    try:
        site = build_site(sim, tmp_path / "out", lang="en")
    finally:
        writer.rollback()
        writer.close()
    _, meta = read_data_file(site / "data" / "meta.js")
    assert meta["steps"] == 120 and meta["ui_lang"] == "en" and not meta["has_memories"]
    assert (site / "index.html").read_text().startswith('<!doctype html>\n<html lang="en">')


def test_partial_sim_and_rebuild_drop_stale_chunks(tmp_path):
    sim = write_sim(tmp_path / "part", steps=150, memories=False)
    build_site(sim)
    db = sqlite3.connect(sim / "sim.sqlite")
    with db:
        db.execute("UPDATE meta SET value='70' WHERE key='steps_done'")
    db.close()
    site = build_site(sim)
    _, meta = read_data_file(site / "data" / "meta.js")
    assert meta["steps"] == 70
    assert sorted(p.name for p in (site / "data").iterdir()) == [
        "map.js",
        "meta.js",
        "sprites.js",
        "steps-0000.js",
        "steps-0001.js",
        "talk.js",
    ]


def _cli(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("damage", ["missing", "no-scenario", "garbage", "no-steps", "gap"])
def test_broken_sims_give_one_clear_error(tmp_path, damage):
    sim = write_sim(tmp_path / "bad", steps=30, memories=False)
    if damage == "missing":
        sim = tmp_path / "nothing"
    elif damage == "no-scenario":
        (sim / "scenario.yaml").unlink()
    elif damage == "garbage":
        (sim / "sim.sqlite").write_bytes(b"not a database" * 100)
    else:
        db = sqlite3.connect(sim / "sim.sqlite")
        with db:
            if damage == "no-steps":
                db.execute("UPDATE meta SET value='0' WHERE key='steps_done'")
            else:
                db.execute("DELETE FROM frame_moves WHERE step = 0 AND agent = 2")
        db.close()
    result = _cli("build", str(sim))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    expected = {
        "missing": "no sim of that name",
        "no-scenario": "scenario.yaml",
        "garbage": "not a readable sim store",
        "no-steps": "no step is stored",
        "gap": "step 0 has no frame for agent 2",
    }[damage]
    assert expected in lines[0]
    assert "Traceback" not in result.output


def test_cli_build_by_name_under_root(tmp_path):
    write_sim(tmp_path / "runs" / "named", steps=20, memories=False)
    result = _cli(
        "--root", str(tmp_path / "runs"), "build", "named", "--out", str(tmp_path / "site")
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()


def test_gallery_links_each_replay(tmp_path, site):
    other = build_site(write_sim(tmp_path / "two", steps=20, memories=False))
    page = build_gallery([site.parent, other], tmp_path / "pages")
    html = page.read_text()
    assert 'href="syn/index.html"' in html and 'href="two/index.html"' in html
    assert (tmp_path / "pages" / "syn" / "data" / "meta.js").is_file()
    assert (tmp_path / "pages" / ".nojekyll").is_file()
    assert "not an LLM" in html and "2023-02-13 07:00 → 2023-02-13 07:19" in html
    result = _cli("gallery", str(tmp_path), "--out", str(tmp_path / "x"))
    assert result.exit_code == 1 and "no built replay here" in result.stderr


def test_cli_import_calls_the_importer(tmp_path, monkeypatch):
    import sitegen.importer

    calls = []

    def fake_import(path, out_root, sim, map_dir):
        calls.append((path, out_root, sim, map_dir))
        if sim == "bad":
            raise RingWorldError(f"{path}: not a run in the original layout")
        return out_root / sim

    monkeypatch.setattr(sitegen.importer, "import_run", fake_import)
    ok = _cli("--root", str(tmp_path), "import", "run1", "--sim", "good", "--map", "m")
    assert ok.exit_code == 0 and calls[0] == (Path("run1"), tmp_path, "good", Path("m"))
    bad = _cli("import", "run2", "--sim", "bad", "--out-root", "elsewhere")
    assert calls[1] == (Path("run2"), Path("elsewhere"), "bad", None)
    assert bad.exit_code == 1 and bad.stderr == "error: run2: not a run in the original layout\n"
