"""The paper's evaluation of a town (``rw-batch eval``): pure functions over plain data.

- :mod:`.results`: the typed model of ``eval.json``;
- :mod:`.measures`: diffusion, the who-knows-whom network, attendance, hallucination;
- :mod:`.names`: names of people and places that are not in the town;
- :mod:`.rating`: blind pairwise matchups for a judge and TrueSkill ratings of its verdicts;
- :mod:`.battery`: the 25-question interview battery in zh and en.

Nothing here asks an agent or touches a store; see ``docs/eval.md``.
"""
