"""``rw-batch new-town``: a town laid out for N residents, written as a scenario and its map.

Deterministic for a seed: the same arguments give byte-identical files. The word tables are
the YAML files of ``data/`` (see its README). No model is asked; the personas are templates
filled with each resident's own household, work, places and acquaintances.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RingWorldError
from .town import START, Generated, generate
from .write import map_text, save, scenario_text

__all__ = ["Generated", "generate", "new_town"]


def _headers(name: str, g: Generated, seed: int, lang: str) -> tuple[str, str]:
    n, town = len(g.agents), g.world[0] if lang == "zh" else g.world[1]
    made = f"rw-batch new-town {name} --residents {n} --seed {seed} --lang {lang}"
    map_header = (
        f"{g.world[0]} / {g.world[1]}: a town for {n} residents, made by `{made}`.\n"
        "The format is described in docs/map-format.md; check an edit with:\n"
        f"  python3 -m runner.world.mapview maps/{name}.yaml"
    )
    scenario_header = (
        f"{town}: {n} residents in {len(g.households)} households, made by `{made}`.\n"
        "Run it (offline is a rule-based policy, not a language model):\n"
        f"  rw-batch run {name}.yaml\n"
        f"  rw-site build {name}\n"
        "The format is described in docs/scenario-format.md."
    )
    return map_header, scenario_header


def new_town(
    name: str, residents: int, seed: int = 0, lang: str = "zh", out: Path | str = "."
) -> tuple[Path, Path]:
    """Write ``out/NAME.yaml`` (the scenario) and ``out/maps/NAME.yaml`` (its map); returns
    their paths."""
    if lang not in ("zh", "en"):
        raise RingWorldError(f"new-town: --lang must be zh or en, got {lang!r:.20}")
    if residents < 1:
        raise RingWorldError("new-town: --residents must be at least 1")
    if not name or any(c in name for c in "/\\:") or name.startswith("."):
        raise RingWorldError(f"new-town: {name!r:.60} is not a plain file name")
    g = generate(residents, seed, lang)
    map_header, scenario_header = _headers(name, g, seed, lang)
    town = g.world[0] if lang == "zh" else g.world[1]
    what = f"{town}，{residents}位居民" if lang == "zh" else f"{town}, {residents} residents"
    scenario = {
        "name": name,
        "description": what,
        "map": f"maps/{name}.yaml",
        "language": lang,
        "start": START,
        "sec_per_step": 10,
        "steps": 8640,
        "seed": seed,
        "llm": {"backend": "offline"},
        "agents": g.agents,
    }
    out = Path(out)
    map_path = save(out / "maps" / f"{name}.yaml", map_text(g.map, map_header))
    scenario_path = save(out / f"{name}.yaml", scenario_text(scenario, scenario_header))
    return scenario_path, map_path
