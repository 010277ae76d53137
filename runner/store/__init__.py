"""The one owner of a sim's folder and of its ``sim.sqlite``: every table and every SQL
statement of the runner and the site builder is in this package."""

from .answers import AnswerBook
from .folder import SimFolder, SimLock, sim_folder_in
from .fork import fork_store
from .schema import SCHEMA_VERSION, TABLES
from .sim import SimStore

__all__ = [
    "AnswerBook",
    "SCHEMA_VERSION",
    "SimFolder",
    "SimLock",
    "SimStore",
    "TABLES",
    "fork_store",
    "sim_folder_in",
]
