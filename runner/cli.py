"""``rw-batch``: run generative-agent towns as headless, resumable batch jobs."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__
from .batch import (
    DEFAULT_ROOT,
    RunResult,
    kinds_table,
    list_sims,
    resolve_sim,
    resume_sim,
    run_scenario,
    status_line,
    status_rows,
)
from .clioptions import sims_option
from .errors import RingWorldError
from .prompts.kinds import KINDS as KIND_NAMES
from .store import sim_folder_in
from .towngen import new_town

NO_CACHE_HELP = "Ask the model every question, even those whose answers the sim has stored."
BACKEND_HELP = (
    "Override the scenario's llm.backend. 'offline' is a deterministic rule-based policy, "
    "NOT an LLM: it runs without a model, for previews, tests and benchmarks."
)


# Options several commands share.
SIMS = sims_option("--out", default=DEFAULT_ROOT)
WORKERS = click.option(
    "--workers",
    type=click.IntRange(1),
    help=(
        "Agents thinking at once (threads; default: every agent on an LLM, up to twice the"
        " calls in flight its endpoints allow; 1 offline). The result is the same whatever K."
    ),
)
LOCKSTEP = click.option(
    "--lockstep",
    is_flag=True,
    help="With --workers > 1: every step waits for its slowest agent (no running ahead).",
)
QUIET = click.option("--quiet", is_flag=True, help="No progress bar.")
NO_CACHE = click.option("--no-cache", is_flag=True, help=NO_CACHE_HELP)


def _friendly(func):
    """Turn RingWorldError into one line on stderr and exit status 1 (traceback with --debug)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except RingWorldError as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rw-batch")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
def main(debug: bool) -> None:
    """环界 RingWorld batch runner.

    Simulates a town of generative agents step by step (10 s of game time per step by default,
    8,640 steps a game day) and stores every step in output/<sim>/sim.sqlite, one transaction
    per step: kill it at any moment and 'rw-batch resume' goes on with nothing lost.
    Then 'rw-site build <sim>' makes a replay site.
    """


def _report(result: RunResult) -> None:
    sim = result.sim_dir
    if result.at_target:
        done = result.steps_done
        click.echo(
            f"{sim}: nothing to run, {done} of {result.target} steps stored already;"
            f" to go on, raise the target: rw-batch resume {sim} --steps N (N > {done})"
        )
    elif result.stopped and result.reason:
        key = next((k for k in ("max_cost", "max_calls", "max_tokens") if k in result.reason), "")
        option = "--" + key.replace("_", "-") if key else "--max-cost"
        click.echo(
            f"{result.reason}; stopped after step {result.steps_done} of {result.target}; "
            f"resume with a higher budget: rw-batch resume {sim} {option} N",
            err=True,
        )
    elif result.stopped:
        click.echo(
            f"stopped after step {result.steps_done} of {result.target}; "
            f"resume with: rw-batch resume {sim}",
            err=True,
        )
    else:
        click.echo(f"{sim}: {result.steps_done} of {result.target} steps stored")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sim", help="Name of the sim folder under --sims (default: the scenario's name).")
@click.option("--steps", type=click.IntRange(1), help="Total steps the sim should reach.")
@click.option("--llm", help=BACKEND_HELP)
@WORKERS
@LOCKSTEP
@SIMS
@QUIET
@NO_CACHE
@_friendly
def run(scenario, sim, steps, llm, workers, lockstep, sims, quiet, no_cache) -> None:
    """Run SCENARIO (a YAML file) as a new sim, or continue the same run if it exists.

    Ctrl-C stops cleanly after the current step; continue with 'rw-batch resume SIM'.
    """
    result = run_scenario(
        scenario,
        sim,
        steps,
        sims,
        llm,
        workers,
        progress=not quiet,
        use_cache=not no_cache,
        lockstep=lockstep,
    )
    _report(result)


@main.command()
@click.argument("sim")
@click.option("--steps", type=click.IntRange(1), help="Total steps to reach (default: the run's).")
@WORKERS
@LOCKSTEP
@SIMS
@QUIET
@NO_CACHE
@click.option("--max-cost", type=click.FloatRange(0), help="New llm.max_cost for this sim.")
@click.option("--max-calls", type=click.IntRange(0), help="New llm.max_calls for this sim.")
@click.option("--max-tokens", type=click.IntRange(0), help="New llm.max_tokens for this sim.")
@_friendly
def resume(
    sim, steps, workers, lockstep, sims, quiet, no_cache, max_cost, max_calls, max_tokens
) -> None:
    """Continue SIM (a name under --sims, or a path) after a crash, Ctrl-C or stop.

    After a budget stop, raise the budget with --max-cost, --max-calls or --max-tokens.
    """
    sim_dir = resolve_sim(sim, sims)
    budget = {"max_cost": max_cost, "max_calls": max_calls, "max_tokens": max_tokens}
    result = resume_sim(
        sim_dir,
        steps,
        workers,
        progress=not quiet,
        use_cache=not no_cache,
        budget=budget,
        lockstep=lockstep,
    )
    _report(result)


@main.command()
@click.argument("sim", required=False)
@SIMS
@click.option("--by-kind", is_flag=True, help="Also a table of calls, tokens, latency per kind.")
@_friendly
def status(sim, sims, by_kind) -> None:
    """Steps done, game time, calls, fail-safes and conversations of SIM (or of every sim)."""
    if sim is None:
        found = list_sims(sims)
        if not found:
            click.echo(f"no sims under {sims}")
        for sim_dir in found:
            click.echo(status_line(sim_dir))
        return
    sim_dir = resolve_sim(sim, sims)
    for key, value in status_rows(sim_dir):
        click.echo(f"{key:>14}: {value}")
    if by_kind:
        click.echo(kinds_table(sim_dir))


@main.command("check-llm")
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--llm", help=BACKEND_HELP)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(KIND_NAMES)),
    help="Ask only this kind of question (repeat for more); default every kind.",
)
@_friendly
def check_llm_command(scenario, llm, kinds) -> None:
    """Ask SCENARIO's LLM every kind of question once; report parsing, latency and tokens.

    The questions come from a short offline simulation of the scenario; exit status 1 when
    some kind could not be parsed.
    """
    from .check_llm import HEADER, check_llm, format_check, settled_lines
    from .llm.registry import describe_backend
    from .llm.stack import make_endpoints
    from .scenario import load_scenario

    sc = load_scenario(scenario)
    if llm is not None:
        sc.llm.backend = llm
    urls = sc.llm.base_url
    where = ", ".join(urls) if isinstance(urls, list) else urls or "default endpoint"
    click.echo(
        f"backend {describe_backend(sc.llm.backend)}, model {sc.llm.model or '-'}, "
        f"{where}, structured {sc.llm.structured}"
    )
    click.echo(HEADER)
    failed = 0
    endpoints = make_endpoints(sc, str(scenario))
    for check in check_llm(sc, endpoints, kinds or None):
        click.echo(format_check(check))
        failed += not check.ok
    for line in settled_lines(endpoints):
        click.echo(line)
    total = len(kinds or KIND_NAMES) + 1
    click.echo(f"{total - failed} of {total} checks passed")
    if failed:
        sys.exit(1)


@main.command()
@click.argument("sim")
@click.argument("agent")
@click.argument("thought")
@SIMS
@_friendly
def whisper(sim, agent, thought, sims) -> None:
    """Plant THOUGHT in AGENT's memory before the next steps of SIM."""
    from .levers import whisper as plant

    plant(_existing(sim, sims), agent, thought)
    click.echo(f"{agent} will remember: {thought}")


@main.command("load-history")
@click.argument("sim")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@SIMS
@_friendly
def load_history(sim, csv_file, sims) -> None:
    """Seed memories from CSV_FILE (header 'Name,Whisper'; memories separated by ';')."""
    from .levers import load_history as load

    planted, skipped = load(_existing(sim, sims), csv_file)
    known = f", skipped {skipped} already remembered" if skipped else ""
    click.echo(f"planted {_count(planted, 'memory', 'memories')}{known}, from {csv_file}")


@main.command()
@click.argument("sim")
@click.argument("agent")
@click.argument("question")
@SIMS
@_friendly
def interview(sim, agent, question, sims) -> None:
    """Ask AGENT a QUESTION; it answers from its memories. The run is not changed."""
    from .levers import interview as ask

    answer, memories = ask(_existing(sim, sims), agent, question)
    click.echo(answer)
    click.echo("\nmemories used:")
    for i, text in enumerate(memories, start=1):
        click.echo(f"  {i}. {text}")


@main.command()
@click.argument("sim")
@click.argument("new")
@click.option(
    "--at-step",
    type=click.IntRange(1),
    required=True,
    help="Steps 0..N-1 are kept; the fork goes on from step N.",
)
@SIMS
@_friendly
def fork(sim, new, at_step, sims) -> None:
    """Branch SIM into NEW as it was after --at-step N steps; then 'rw-batch resume NEW'."""
    from .levers import fork as branch

    new_dir = sim_folder_in(sims, new, "NEW").path
    branch(_existing(sim, sims), new_dir, at_step)
    click.echo(f"{new_dir}: forked at step {at_step}; continue with: rw-batch resume {new_dir}")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _existing(sim: str, sims: Path) -> Path:
    sim_dir = resolve_sim(sim, sims)
    if not (sim_dir / "sim.sqlite").is_file():
        raise RingWorldError(f"{sim_dir}: no sim here (no sim.sqlite)")
    return sim_dir


@main.command("eval")
@click.argument("names", metavar="SIM [SIM...]", nargs=-1, required=True)
@click.option(
    "--at-step",
    "steps",
    type=click.IntRange(0),
    multiple=True,
    help="Evaluate after step N (repeat for several; default: the end of each game day).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON (eval.json).")
@click.option("--compare", is_flag=True, help="Evaluate every SIM and show them side by side.")
@click.option("--judge", is_flag=True, help="With --compare: a judge LLM ranks the answers.")
@click.option(
    "--category",
    "categories",
    type=click.Choice(["self_knowledge", "memory", "plans", "reactions", "reflections"]),
    multiple=True,
    help="Ask only these interview categories (repeat; default: all five).",
)
@click.option("--interviewees", type=click.IntRange(0), help="Interview the first N agents only.")
@click.option("--seed", type=int, default=0, show_default=True, help="Picks names, places, order.")
@click.option(
    "--scenario",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Take the eval block from this scenario file (the same run as SIM).",
)
@click.option("--llm", help=BACKEND_HELP)
@SIMS
@QUIET
@NO_CACHE
@_friendly
def eval_command(names, as_json, compare, judge, sims, quiet, no_cache, **options) -> None:
    """Measure SIM as the paper measured its town: interviews, the spread of the facts in its
    scenario's eval block, who knows whom, attendance of its events, hallucinated names.

    The agents are asked on a thrown-away fork of SIM (the run is not changed); the results go
    to SIM/eval.json and its store, and 'rw-site build SIM' adds the report page. With
    --compare, each SIM is evaluated (sims of one scenario in different mind: modes) and the
    measures are printed side by side; with --judge too, an LLM ranks their interview answers
    (TrueSkill). The offline backend is a rule-based policy: its measures are what its rules
    produce, and it cannot judge.
    """
    from .eval.run import EvalOptions, compare_sims, save
    from .eval.table import report

    if len(names) > 1 and not compare:
        raise RingWorldError("several sims: add --compare to evaluate them side by side")
    if judge and (not compare or len(names) < 2):
        raise RingWorldError("--judge ranks sims against each other: give --compare SIM SIM...")
    options["categories"] = options["categories"] or EvalOptions.categories
    settings = EvalOptions(**options, use_cache=not no_cache, progress=not quiet)
    done = compare_sims([_existing(name, sims) for name in names], settings, judge)
    for run in done.runs:
        save(run)
    if as_json:
        texts = [run.results.model_dump_json(indent=1) for run in done.runs]
        click.echo(texts[0] if len(texts) == 1 else "[\n" + ",\n".join(texts) + "\n]")
    else:
        click.echo(report(done))


@main.command("new-town")
@click.argument("name")
@click.option("--residents", type=click.IntRange(1, 5000), required=True, help="People in it.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same town.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for NAME.yaml; the map goes to its maps/ folder.",
)
@_friendly
def new_town_command(name, residents, seed, lang, out) -> None:
    """Make a town for RESIDENTS people: OUT/NAME.yaml (a scenario with their personas) and
    OUT/maps/NAME.yaml (its map: homes, shops, school, college, clinic, park, streets).

    Deterministic for a seed. The personas come from word tables filled for each resident (no
    model is asked); edit the files as you like.
    """
    scenario, town_map = new_town(name, residents, seed, lang, out)
    click.echo(f"{scenario}\n{town_map}\nrun it with: rw-batch run {scenario}")
