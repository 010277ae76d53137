"""The offline policy: a deterministic, rule-based town (NOT an LLM) that answers every
question an agent asks, so that demos, tests and benchmarks run anywhere without a model.

The registry (``runner.llm.registry``) names it ``offline``. Its modules, one per thing decided:

- :mod:`.offline`: the backend, ``OfflinePolicy``, which hands each question kind to a module
- :mod:`.days`: the day's routine (wake and bed hours, work, meals, evenings, events heard of)
- :mod:`.roles`: what a persona's words say about its day (the activities of ``data/roles.yaml``)
- :mod:`.subtasks`: how a long task divides into steps
- :mod:`.identity`: the revised identity at the start of a day
- :mod:`.places`: where an action goes (sector, arena)
- :mod:`.world`: which object an action uses, its state, its emoji; wait or use another
- :mod:`.talk`: whether to talk, a whole conversation, views of others, notes after
- :mod:`.lines`: each line of a conversation, by who the two are, the place and the hour
- :mod:`.scene`: what a speaker can tell of a talk (who the other is to it, where, its work)
- :mod:`.news`: the news a speaker passes on, in its own words
- :mod:`.voice`: how a line sounds: named speaking styles
- :mod:`.reflect`: importance, focal points, insights
- :mod:`.interview`: interview answers, "knows", the judge it is not
- :mod:`.text`: what they all read from text (news, thoughts, the option a text points to)
- :mod:`.tables`: the word tables of ``data/``, read once
"""
