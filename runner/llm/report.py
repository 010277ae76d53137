"""Tables of what a sim asked its model, per kind of question (``rw-batch status --by-kind``)."""

from __future__ import annotations

from ..config import Prices
from .meter import cost_of


def format_kinds(rows: list[dict], prices: Prices) -> str:
    """The table of ``SimStore.calls_by_kind`` rows, with the cost of each kind. ``reasoning``:
    the completion tokens spent thinking (counted in ``compl tok`` and in the cost)."""
    head = (
        f"{'kind':<18}{'calls':>7}{'sent':>7}{'cached':>7}{'prompt tok':>11}"
        f"{'compl tok':>10}{'reasoning':>10}{'mean ms':>9}{'fail-safe':>10}{'cost':>9}"
    )
    lines = [head]
    for r in rows:
        cost = cost_of(r["prompt_tokens"], r["completion_tokens"], prices)
        lines.append(
            f"{r['kind']:<18}{r['calls']:>7}{r['sent']:>7}{r['cache_hits']:>7}"
            f"{r['prompt_tokens']:>11}{r['completion_tokens']:>10}{r['reasoning_tokens']:>10}"
            f"{r['latency_ms']:>9.0f}"
            f"{r['failsafes']:>10}{cost:>9.4f}"
        )
    return "\n".join(lines)
