"""Messages printed while a run goes on: above the progress bar, never torn apart by it."""

from __future__ import annotations

import sys

from tqdm import tqdm


def say(text: str) -> None:
    """One line on stderr, written through tqdm so a progress bar is redrawn below it."""
    tqdm.write(text, file=sys.stderr)
