"""Sim names: a sim is a folder of the sims folder, so its name is one plain folder name.

Letters and digits of any script, ``_``, ``-`` and ``.``, starting with a letter, a digit or
``_`` (so neither ``..``, a hidden folder nor something read as a flag), at most 100
characters. A scenario's ``name`` and ``--sim`` come from files and people to be trusted no
further than that.
"""

from __future__ import annotations

import re

from .errors import RingWorldError

_PLAIN = re.compile(r"[^\W][\w.-]{0,99}")
NAME_RULE = "letters, digits, '_', '-' and '.', starting with a letter, digit or '_', up to 100"


def check_sim_name(name: str, named_by: str) -> str:
    """``name`` when it is a plain folder name; else a one-line error that starts with
    ``named_by`` (the flag or the file and key that gave the name)."""
    if not _PLAIN.fullmatch(name):
        shown = repr(name) if len(name) <= 60 else repr(name[:60]) + "…"
        raise RingWorldError(f"{named_by}: {shown} is not a plain folder name ({NAME_RULE})")
    return name
