"""The measures of one or more evaluations as a plain-text table, one column per sim."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .results import EvalResults

if TYPE_CHECKING:
    from .run import Comparison

OFFLINE_NOTE = (
    "offline is a rule-based policy, not an LLM: its measures are whatever its rules produce, "
    "not figures to compare with the paper's"
)


def summary(results: EvalResults) -> list[tuple[str, str]]:
    """(measure, value) rows of one evaluation; values over steps are joined with →."""
    steps = sorted(results.steps, key=lambda s: s.step)
    n = len(results.agents)
    rows = [
        ("backend", results.backend),
        ("steps", ", ".join(str(s.step) for s in steps)),
    ]
    for fact in results.facts:
        cells = [
            f"{len(d.knowers)}/{n} {d.share:.0%}"
            for s in steps
            for d in s.diffusion
            if d.fact == fact.id
        ]
        rows.append((f"diffusion {fact.id}", " → ".join(cells)))
    nets = [s.network for s in steps if s.network is not None]
    rows.append(("network density", " → ".join(f"{x.density:.3f}" for x in nets)))
    rows.append(("mutual density", " → ".join(f"{x.mutual_density:.3f}" for x in nets)))
    latest = {a.event: a for s in steps for a in s.attendance}
    for event in results.events:
        a = latest.get(event.id)
        if a is None:
            continue
        if a.window[0] == a.window[1]:
            value = f"not yet (from step {event.start_step})"
        else:
            value = f"{len(a.invited_present)} of {len(a.invited)} invited came"
            value += f", {len(a.present)} there"
        rows.append((f"attendance {event.id}", value))
    checked = sum(s.hallucination.checked for s in steps if s.hallucination)
    flagged = sum(len(s.hallucination.flagged) for s in steps if s.hallucination)
    share = f" ({flagged / checked:.1%})" if checked else ""
    rows.append(("hallucination", f"{flagged} of {checked} answers{share}"))
    rows.append(("interview answers", str(sum(len(s.interviews) for s in steps))))
    for r in results.ratings:
        if r.sim == results.sim:
            rows.append(("judge TrueSkill", f"μ {r.mu:.2f} ± σ {r.sigma:.2f} ({r.comparisons})"))
    return rows


def table(columns: Sequence[tuple[str, list[tuple[str, str]]]]) -> str:
    """``[(header, rows)]`` side by side, rows matched by measure name (in first-seen order)."""
    names: list[str] = []
    for _, rows in columns:
        names += [name for name, _ in rows if name not in names]
    grid = [["measure", *(header for header, _ in columns)]]
    for name in names:
        grid.append([name, *(dict(rows).get(name, "-") for _, rows in columns)])
    widths = [max(_width(row[i]) for row in grid) for i in range(len(grid[0]))]
    return "\n".join(
        "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip()
        for row in grid
    )


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def report(done: Comparison) -> str:
    """What ``rw-batch eval`` prints: the table, then what was asked and how long it took."""
    columns = [(f"{r.results.sim} ({r.mode})", summary(r.results)) for r in done.runs]
    lines = [table(columns)]
    for run in done.runs:
        lines.append(
            f"{run.sim_dir}: asked {run.questions} questions ({run.failsafes} fail-safes, "
            f"{run.tokens} tokens, cost {run.cost:.4f}) in {run.wall_s:.1f} s; "
            f"wrote {run.sim_dir / 'eval.json'}"
        )
    if done.judged is not None:
        j = done.judged
        lines.append(
            f"judge: {j.verdicts} of {j.matchups} comparisons gave a verdict (step {j.step}, "
            f"{j.skipped} questions left out), {done.judge_questions} questions in "
            f"{done.judge_wall_s:.1f} s"
        )
    if any(run.results.backend == "offline" for run in done.runs):
        lines.append(f"note: {OFFLINE_NOTE}")
    return "\n".join(lines)
