"""The command-line option ``rw-batch`` and ``rw-site`` share: ``--sims DIR``, the folder that
holds the sims. Its older spellings (``--out`` of rw-batch, ``--root`` and ``--out-root`` of
rw-site) still work and are not shown in ``--help``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

SIMS_HELP = "Folder that holds the sims."


class _Renamed(click.Option):
    """An option whose first name is shown; the others are old spellings, still accepted."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        names, self.opts = self.opts, self.opts[:1]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = names


def sims_option(*old_names: str, default: Path | None) -> Callable[[Any], Any]:
    """``--sims DIR`` (stored as the parameter ``sims``), also accepted as ``old_names``."""
    return click.option(
        "--sims",
        *old_names,
        "sims",
        cls=_Renamed,
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        metavar="DIR",
        help=SIMS_HELP,
    )
