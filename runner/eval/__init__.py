"""The paper's evaluation of a town (``rw-batch eval``): pure functions over plain data.

- :mod:`.results`: the typed model of ``eval.json``;
- :mod:`.measures`: diffusion, the who-knows-whom network, attendance, hallucination;
- :mod:`.names`: names of people and places that are not in the town;
- :mod:`.rating`: blind pairwise matchups for a judge and TrueSkill ratings of its verdicts;
- :mod:`.battery`: the 25-question interview battery in zh and en.

Those are pure functions over plain data: they ask no agent and touch no store. The
orchestration (``rw-batch eval``) uses them:

- :mod:`.run`: a sim -> its results, on a thrown-away fork; ``eval.json`` and the store;
  ``--compare``;
- :mod:`.questions`: the questions of a step, asked of the agents' memories at that step;
- :mod:`.judge`: the judge's pairwise verdicts for ``--judge``;
- :mod:`.town`: what the evaluation takes from the scenario and the map;
- :mod:`.table`: the side-by-side table the command prints.

See ``docs/eval.md``.
"""
