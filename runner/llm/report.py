"""Tables of what a sim asked its model, per kind of question (``rw-batch status --by-kind``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

from .limits import cost_of


def kind_rows(db: sqlite3.Connection, prices: dict) -> list[dict]:
    """Per kind: questions, requests sent, cache hits, tokens, mean latency, fail-safes, cost."""
    rows = db.execute(
        "SELECT kind, count(*), coalesce(sum(CASE WHEN cache_hit = 0 THEN attempts END), 0),"
        " sum(cache_hit), sum(prompt_tokens), sum(completion_tokens),"
        " avg(CASE WHEN cache_hit = 0 THEN latency_ms END), sum(outcome != 'ok')"
        " FROM llm_calls GROUP BY kind ORDER BY kind"
    ).fetchall()
    out = []
    for kind, calls, sent, hits, pt, ct, latency, failsafes in rows:
        out.append(
            {
                "kind": kind,
                "calls": calls,
                "sent": sent,
                "cache_hits": hits,
                "prompt_tokens": pt,
                "completion_tokens": ct,
                "latency_ms": latency or 0.0,
                "failsafes": failsafes,
                "cost": cost_of(pt, ct, prices),
            }
        )
    return out


def format_kinds(sim_dir: Path) -> str:
    try:
        data = yaml.safe_load((sim_dir / "scenario.yaml").read_text(encoding="utf-8"))
        prices = dict(data["llm"].get("price_per_1k") or {})
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        prices = {}
    db = sqlite3.connect(f"file:{sim_dir / 'sim.sqlite'}?mode=ro", uri=True)
    try:
        rows = kind_rows(db, prices)
    finally:
        db.close()
    head = (
        f"{'kind':<18}{'calls':>7}{'sent':>7}{'cached':>7}{'prompt tok':>11}"
        f"{'compl tok':>10}{'mean ms':>9}{'fail-safe':>10}{'cost':>9}"
    )
    lines = [head]
    for r in rows:
        lines.append(
            f"{r['kind']:<18}{r['calls']:>7}{r['sent']:>7}{r['cache_hits']:>7}"
            f"{r['prompt_tokens']:>11}{r['completion_tokens']:>10}{r['latency_ms']:>9.0f}"
            f"{r['failsafes']:>10}{r['cost']:>9.4f}"
        )
    return "\n".join(lines)
