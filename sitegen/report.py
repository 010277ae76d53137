"""The report view of a replay site: ``eval.json`` -> ``data/report.js`` and ``report.html``.

The page (``web_template/report.html.j2``, ``js/report*.js``, ``report.css``) draws the
payload itself; its format is in ``docs/eval.md``. Every text is cut to a bound here and put
into the page with ``textContent`` there.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from runner.errors import RingWorldError
from runner.eval.results import FILE_NAME, EvalResults, Fact, StepResult

from .pack import clip, write_data_file
from .report_sim import SimContext, first_heard, read_context
from .templates import TEMPLATE_DIR, render_tree

FORMAT = "ringworld-report"
VERSION = 2
# The paper's figures (Park et al. 2023, arXiv:2304.03442v1, section 7.1.2, "Results"), shown
# beside a measure of the same kind: a fact or event with the paper's id, the network, the
# hallucination check. Counts of 25 agents, as the paper writes them.
PAPER = {
    "source": "Park et al. 2023, arXiv:2304.03442v1, §7.1.2",
    "facts": {"candidacy": [1, 8, 25], "party": [1, 12, 25]},  # knowers at start, after 2 days
    "density": [0.167, 0.74],  # mutual knowledge, start and end
    "attendance": {"party": [5, 12]},  # "five out of the twelve invited agents showed up"
    "hallucination": [6, 453],  # of the answers about other agents, 1.3%
}
# What report.html needs of web_template/, at its top level (render_tree skips the rest).
PAGE_ENTRIES = {"report.html.j2", "report.css", "js", "vendor"}
MAX_ANSWER = 500
MAX_QUESTION = 200
MAX_NAME = 100


def write_report(sim_dir: Path, out_dir: Path | None = None, lang: str | None = None) -> bool:
    """Write the report view of ``sim_dir`` into the site folder ``out_dir`` (default
    ``sim_dir / "site"``) when the sim has an ``eval.json``; returns whether it had one."""
    sim_dir = Path(sim_dir)
    path = sim_dir / FILE_NAME
    if not path.is_file():
        return False
    if lang not in (None, "zh", "en"):
        raise RingWorldError(f"--lang must be zh or en, got {lang!r}")
    results = EvalResults.read(path)
    out = Path(out_dir) if out_dir is not None else sim_dir / "site"
    ui_lang = lang or results.language
    context = read_context(sim_dir)
    (out / "data").mkdir(parents=True, exist_ok=True)
    write_data_file(out / "data" / "report.js", "report", pack_report(results, ui_lang, context))
    skip = tuple(p.name for p in TEMPLATE_DIR.iterdir() if p.name not in PAGE_ENTRIES)
    title = clip(context.title if context else results.sim, MAX_QUESTION)
    render_tree(TEMPLATE_DIR, out, skip=skip, title=title, lang=ui_lang)
    return True


def pack_report(results: EvalResults, ui_lang: str, context: SimContext | None = None) -> dict:
    """The page's payload: agents by index, one entry per evaluated step, bounded text; with
    the sim's ``context``, the scenario's title and the replay's moments behind the measures."""
    index = {a.name: i for i, a in enumerate(results.agents)}
    steps = sorted(results.steps, key=lambda s: s.step)
    time = functools.partial(_game_time, results.start_time, results.sec_per_step)
    moments = functools.partial(_moments, context, list(index))
    return {
        "format": FORMAT,
        "version": VERSION,
        "sim": clip(results.sim, MAX_NAME),
        "title": clip(context.title if context else results.sim, MAX_QUESTION),
        "scenario": clip(context.scenario if context else "", MAX_NAME),
        "groups": [clip(h, MAX_NAME) for h in context.households] if context else [],
        "replay": context is not None,
        "paper": PAPER,
        "backend": clip(results.backend, MAX_NAME),
        "language": results.language,
        "ui_lang": ui_lang,
        "start": clip(results.start_time, MAX_NAME),
        "sec_per_step": results.sec_per_step,
        "agents": [[clip(a.name, MAX_NAME), clip(a.name_en, MAX_NAME)] for a in results.agents],
        "steps": [[s.step, time(s.step)] for s in steps],
        "facts": [_fact(f, steps, index, moments(f.words)) for f in results.facts],
        "networks": [
            [
                s.step,
                _edges(index, s.network.edges),
                s.network.density,
                s.network.mutual_density,
            ]
            for s in steps
            if s.network is not None
        ],
        "attendance": _attendance(results, steps, time, index, moments),
        "hallucination": [_hallucination(s, index) for s in steps if s.hallucination],
        "interviews": _interviews(steps, index),
        "ratings": [
            [clip(r.sim, MAX_NAME), clip(r.mode, MAX_NAME), r.mu, r.sigma, r.comparisons]
            for r in sorted(results.ratings, key=lambda r: -r.mu)
        ],
    }


def _ids(index: dict[str, int], names: Iterable[str]) -> list[int]:
    return [index[n] for n in names if n in index]


def _edges(index: dict[str, int], edges: Iterable[tuple[str, str]]) -> list[int]:
    """Ordered pairs as one flat list ``[a, b, a, b, ...]`` of agent indices."""
    return [i for a, b in edges if a in index and b in index for i in (index[a], index[b])]


def _game_time(start: str, sec_per_step: int, step: int) -> str:
    try:
        origin = dt.datetime.fromisoformat(start)
    except ValueError:
        return ""
    return (origin + dt.timedelta(seconds=step * sec_per_step)).strftime("%Y-%m-%d %H:%M")


def _moments(
    context: SimContext | None, names: list[str], words: list[str], until: int | None = None
) -> list[list[int]]:
    """``[[agent, step, teller], ...]`` in step order: when each agent first heard news with
    one of ``words`` (see :func:`first_heard`); none without the sim."""
    if context is None:
        return []
    heard = first_heard(context, words, names, until)
    return sorted(([a, step, teller] for a, (step, teller) in heard.items()), key=lambda m: m[1])


def _fact(fact: Fact, steps: list[StepResult], index: dict[str, int], heard: list) -> dict:
    """Share and knowers of one fact at each evaluated step (None where it was not asked)."""
    shares, knowers = [], []
    for s in steps:
        found = next((d for d in s.diffusion if d.fact == fact.id), None)
        shares.append(found.share if found else None)
        knowers.append(_ids(index, found.knowers) if found else None)
    return {
        "id": clip(fact.id, MAX_NAME),
        "label": clip(fact.words[0], MAX_NAME),
        "question": clip(fact.question, MAX_QUESTION),
        "shares": shares,
        "knowers": knowers,
        "known_at_start": _ids(index, fact.known_at_start),
        "heard": heard,
    }


def _attendance(
    results: EvalResults,
    steps: list[StepResult],
    time: Callable[[int], str],
    index: dict[str, int],
    moments: Callable[..., list],
) -> list[dict]:
    """Each event as last evaluated (the latest step that looked at its window), with when
    each invited agent first heard of it."""
    events = {e.id: e for e in results.events}
    latest = {a.event: (s.step, a) for s in steps for a in s.attendance}
    out = []
    for event_id, (evaluated, seen) in latest.items():
        event = events.get(event_id)
        start, end = (event.start_step, event.end_step) if event else seen.window
        invited = _ids(index, seen.invited)
        heard = moments(event.words, evaluated + 1) if event else []
        out.append(
            {
                "event": clip(event_id, MAX_NAME),
                "label": clip(event.words[0] if event else event_id, MAX_NAME),
                "words": [clip(w, MAX_NAME) for w in event.words] if event else [],
                "place": clip(event.place if event else "", MAX_NAME),
                "from": time(start),
                "to": time(end),
                "steps": [start, end],
                "evaluated": [evaluated, time(evaluated)],
                "window": [time(seen.window[0]), time(seen.window[1])],
                "present": _ids(index, seen.present),
                "invited": invited,
                "came": _ids(index, seen.invited_present),
                "heard": [m for m in heard if m[0] in invited],
            }
        )
    return out


def _hallucination(step: StepResult, index: dict[str, int]) -> list:
    found = step.hallucination
    flagged = [
        [
            index.get(f.agent, -1),
            clip(f.question, MAX_QUESTION),
            clip(f.answer, MAX_ANSWER),
            [[r.kind, clip(r.detail, MAX_NAME)] for r in f.reasons],
        ]
        for f in found.flagged
    ]
    return [step.step, found.checked, flagged]


def _interviews(steps: list[StepResult], index: dict[str, int]) -> list[list]:
    """Per agent, ``[step, category, question, answer]`` for each interview answer."""
    out: list[list] = [[] for _ in index]
    for s in steps:
        for a in s.interviews:
            if a.agent in index:
                out[index[a.agent]].append(
                    [a.step, a.category, clip(a.question, MAX_QUESTION), clip(a.text, MAX_ANSWER)]
                )
    return out
