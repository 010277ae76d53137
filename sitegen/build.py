"""``rw-site build``: a sim folder -> a static replay site that opens from ``file://``."""

from __future__ import annotations

import shutil
from pathlib import Path

from tqdm import tqdm

from runner.errors import RingWorldError
from runner.eval.results import FILE_NAME as EVAL_FILE

from .bundle import bundle_scripts
from .mapimages import pack_map
from .pack import facings, pack_chunk, pack_meta, pack_talk, write_data_file
from .report import write_report
from .simread import SimData, chunk_steps_for, read_sim
from .sprites import pack_sprites
from .templates import GALLERY_DIR, REPORT_PAGE, TEMPLATE_DIR, render_tree


def build_site(
    sim_dir: Path,
    out_dir: Path | None = None,
    lang: str | None = None,
    *,
    progress: bool = False,
) -> Path:
    """Build the replay site of ``sim_dir`` into ``out_dir`` (default ``sim_dir / "site"``)."""
    sim_dir = Path(sim_dir)
    if lang not in (None, "zh", "en"):
        raise RingWorldError(f"--lang must be zh or en, got {lang!r}")
    sim = read_sim(sim_dir)
    out = Path(out_dir) if out_dir is not None else sim_dir / "site"
    return write_site(sim, out, lang or sim.language, progress=progress)


def write_site(sim: SimData, out: Path, ui_lang: str, *, progress: bool = False) -> Path:
    """Write the replay site of what was read of a sim into ``out``."""
    _prepare(out)
    chunks = write_chunks(sim, out / "data", progress)
    write_data_file(out / "data" / "talk.js", "talk", pack_talk(sim))
    sprites = pack_sprites()
    write_data_file(out / "data" / "sprites.js", "sprites", sprites)
    meta = pack_meta(sim, chunks, ui_lang)
    write_data_file(out / "data" / "meta.js", "meta", meta)
    write_data_file(out / "data" / "map.js", "map", pack_map(meta["town"], sprites))
    render_tree(
        TEMPLATE_DIR,
        out,
        skip=(GALLERY_DIR, REPORT_PAGE),
        title=sim.name,
        lang=ui_lang,
        chunk_steps=chunk_steps_for(sim.sec_per_step),
        chunks=len(chunks),
        opening=meta["opening"],
        has_report=(sim.folder / EVAL_FILE).is_file(),
    )
    bundle_scripts(out)
    write_report(sim.folder, out, ui_lang)  # the report view, when the sim has an eval.json
    (out / ".nojekyll").write_text("")
    return out


def _prepare(out: Path) -> None:
    """Make ``out`` ready, dropping data files of an earlier build (they may be stale)."""
    if out.exists() and not out.is_dir():
        raise RingWorldError(f"{out}: exists and is not a folder")
    shutil.rmtree(out / "data", ignore_errors=True)
    (out / "data").mkdir(parents=True)


def write_chunks(sim: SimData, data_dir: Path, progress: bool = False) -> list[dict]:
    """One data file per hour of game time; returns their index for the meta payload."""
    size = chunk_steps_for(sim.sec_per_step)
    by_chunk: dict[int, list[tuple]] = {}
    for row in sim.memories or ():
        by_chunk.setdefault(row[1] // size, []).append(row)
    index = []
    face = facings(sim.x, sim.y)
    starts = range(0, sim.steps, size)
    for number, start in enumerate(tqdm(starts, desc="packing", unit="h", disable=not progress)):
        end = min(start + size, sim.steps)
        key = f"steps-{number:04d}"
        packed = pack_chunk(sim, start, end, by_chunk.get(number, []), face)
        nbytes = write_data_file(data_dir / f"{key}.js", key, packed)
        index.append({"key": key, "start": start, "end": end, "bytes": nbytes})
    return index
