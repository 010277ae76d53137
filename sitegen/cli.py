"""``rw-site``: build replay sites, gallery pages, and import runs of other formats."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from runner.clioptions import sims_option
from runner.errors import RingWorldError

DEFAULT_SIMS = Path("output")


class _Group(click.Group):
    """Turns a :class:`RingWorldError` into one line on stderr (a traceback with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RingWorldError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@sims_option("--root", default=DEFAULT_SIMS)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(ctx: click.Context, sims: Path, debug: bool) -> None:
    """环界 RingWorld: static replay sites of sims.

    'rw-site build SIM' builds SIM's replay site (a SIM is a name under --sims, or a path);
    --sims may come before or after the command, as for rw-batch.
    """
    ctx.obj = {"sims": sims}


def _sims(obj: dict, sims: Path | None) -> Path:
    """The sims folder: the command's --sims, else the group's."""
    return sims if sims is not None else obj["sims"]


def resolve_sim(root: Path, sim: str) -> Path:
    """A sim name under ``root``, or a path to a sim folder."""
    by_name = root / sim
    if by_name.is_dir():
        return by_name
    path = Path(sim)
    if path.is_dir():
        return path
    raise RingWorldError(f"{sim}: no sim of that name under {root}/ and no such folder")


@main.command()
@click.argument("sim")
@click.option("--out", type=click.Path(path_type=Path), help="Site folder (default SIM/site).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Default interface language.")
@sims_option(default=None)
@click.pass_obj
def build(obj: dict, sim: str, out: Path | None, lang: str | None, sims: Path | None) -> None:
    """Build the replay site of SIM (what is stored so far, if it still runs)."""
    from .build import build_site

    site = build_site(resolve_sim(_sims(obj, sims), sim), out, lang, progress=True)
    click.echo(f"wrote {site / 'index.html'}")


@main.command()
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=Path("gallery"), show_default=True)
def gallery(dirs: tuple[Path, ...], out: Path) -> None:
    """One index page over several built replays (site folders or sim folders)."""
    from .gallery import build_gallery

    page = build_gallery(list(dirs), out)
    click.echo(f"wrote {page}")


@main.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--sim", help="Name of the new sim (default: from PATH).")
@sims_option("--out-root", default=None)
@click.option("--map", "map_dir", type=click.Path(path_type=Path), help="The run's map folder.")
@click.pass_obj
def import_(
    obj: dict, path: Path, sim: str | None, sims: Path | None, map_dir: Path | None
) -> None:
    """Bring in a run stored in the original Stanford layout."""
    from .importer import import_run

    folder = import_run(path, _sims(obj, sims), sim, map_dir)
    click.echo(f"imported into {folder}")
