"""Pick the map loader for a scenario's ``map`` value."""

from __future__ import annotations

from pathlib import Path

from ..errors import RingWorldError
from .townmap import TownMap


def load_map(path: str | Path, lang: str = "zh") -> TownMap:
    """Load a map in RingWorld's YAML format, or a folder in the original "matrix" layout."""
    path = Path(path)
    if path.is_dir():
        from .matrixmap import load_matrix_map

        return load_matrix_map(path, lang)
    if path.is_file():
        from .yamlmap import load_yaml_map

        return load_yaml_map(path, lang)
    raise RingWorldError(f"{path}: no such map file or folder")
