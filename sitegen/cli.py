"""``rw-site``: build replay sites, gallery pages, and import runs of other formats."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from runner.errors import RingWorldError


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


@click.group(cls=_Group)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder that holds sims by name.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(ctx: click.Context, root: Path, debug: bool) -> None:
    """环界 RingWorld: static replay sites of sims."""
    ctx.obj = {"root": root}


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
@click.pass_obj
def build(obj: dict, sim: str, out: Path | None, lang: str | None) -> None:
    """Build the replay site of SIM (what is stored so far, if it still runs)."""
    from .build import build_site

    site = build_site(resolve_sim(obj["root"], sim), out, lang, progress=True)
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
@click.option("--out-root", type=click.Path(file_okay=False, path_type=Path))
@click.option("--map", "map_dir", type=click.Path(path_type=Path), help="The run's map folder.")
@click.pass_obj
def import_(
    obj: dict, path: Path, sim: str | None, out_root: Path | None, map_dir: Path | None
) -> None:
    """Bring in a run stored in the original Stanford layout."""
    from .importer import import_run

    folder = import_run(path, out_root or obj["root"], sim, map_dir)
    click.echo(f"imported into {folder}")
