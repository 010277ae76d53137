"""Checked reading of a YAML map file: each failure is one line naming the file and key path."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from ..errors import RingWorldError
from ..yamlfile import parse_yaml

Rect = tuple[int, int, int, int]  # x, y, width, height (tiles)
MAX_NAME = 60


def inside(inner: Rect, outer: Rect) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[0] + inner[2] <= outer[0] + outer[2]
        and inner[1] + inner[3] <= outer[1] + outer[3]
    )


def overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r:.40}"


class Reader:
    """Validates raw YAML values for one file."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> NoReturn:
        place = f"key '{where}'" if where else "the file"
        raise RingWorldError(f"{self.source}: {place} {problem}".replace("\n", " "))

    def load_yaml(self, path: Path) -> Any:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RingWorldError(f"{self.source}: no such map file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise RingWorldError(f"{self.source}: cannot read the map ({exc})") from None
        return parse_yaml(text, self.source, "not valid YAML")

    def fields(
        self, data: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict:
        """A mapping with exactly the allowed keys and all the required ones."""
        if not isinstance(data, dict):
            self.fail(where, f"must be a mapping of keys, got {_show(data)}")
        known = required + optional
        for key in data:
            if key not in known:
                path = f"{where}.{key}" if where else str(key)
                self.fail(path, f"is not a known key here (known: {', '.join(known)})")
        for key in required:
            if key not in data:
                path = f"{where}.{key}" if where else key
                self.fail(path, "is missing (it is required)")
        return data

    def items(self, value: Any, where: str) -> list:
        """A list; an absent or empty value is an empty list."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"must be a list, got {_show(value)}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            self.fail(where, f"must be a string, got {_show(value)}")
        return value

    def name(self, value: Any, where: str) -> str:
        """A place name: one line, no ':' (the address separator), at most MAX_NAME characters."""
        text = self.string(value, where).strip()
        if not text or len(text) > MAX_NAME or ":" in text or "\n" in text:
            self.fail(where, f"must be a one-line name of 1-{MAX_NAME} characters without ':'")
        return text

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            self.fail(where, f"must be true or false, got {_show(value)}")
        return value

    def integer(self, value: Any, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, f"must be an integer from {low} to {high}, got {_show(value)}")
        return value

    def ints(self, value: Any, where: str, count: int, form: str) -> tuple[int, ...]:
        """A list of ``count`` integers written as ``form`` (e.g. "[x, y]")."""
        if (
            not isinstance(value, list)
            or len(value) != count
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
        ):
            self.fail(where, f"must be {form} ({count} integers), got {_show(value)}")
        return tuple(value)

    def rect(self, value: Any, where: str) -> Rect:
        x, y, w, h = self.ints(value, where, 4, "[x, y, width, height]")
        if w < 1 or h < 1:
            self.fail(where, f"must have width and height of at least 1, got {value}")
        return (x, y, w, h)
