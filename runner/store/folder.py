"""The sim folder ``output/<sim>/``: its paths, and the lock a running process holds on it."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import RingWorldError
from ..simname import check_sim_name
from .sim import SimStore


@dataclass(frozen=True)
class SimFolder:
    """Where a sim keeps its files (see ``docs/sim-store.md``)."""

    path: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))

    @property
    def store_file(self) -> Path:
        return self.path / "sim.sqlite"

    @property
    def scenario(self) -> Path:
        return self.path / "scenario.yaml"

    @property
    def site(self) -> Path:
        return self.path / "site"

    @property
    def name(self) -> str:
        return self.path.name

    def has_store(self) -> bool:
        return self.store_file.is_file()

    def open(self, readonly: bool = False) -> SimStore:
        return SimStore(self.store_file, readonly=readonly)

    def lock(self) -> SimLock:
        return SimLock(self.path)

    def write_scenario(self, text: str) -> None:
        self.scenario.write_text(text, encoding="utf-8")

    def discard(self) -> None:
        """Remove what a start of a run writes (the store and its journals, ``scenario.yaml``,
        the lock), then the folder if that leaves it empty: for a sim with no step stored."""
        journals = [self.store_file.with_name(self.store_file.name + s) for s in ("-wal", "-shm")]
        for path in (self.store_file, *journals, self.scenario, self.path / "lock"):
            path.unlink(missing_ok=True)
        if self.path.is_dir() and not any(self.path.iterdir()):
            self.path.rmdir()


class SimLock:
    """An exclusive, non-blocking lock on a sim folder, released when the process ends."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / "lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise RingWorldError(
                f"{self.path.parent}: this sim is being run by another process (pid {holder}); "
                "wait for it to finish or stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def holder(self) -> str | None:
        """The pid that holds the lock, or None; does not take the lock."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.read(fd, 32).decode(errors="replace").strip() or "?"
        finally:
            os.close(fd)
        return None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SimLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def sim_folder_in(root: Path, name: str, named_by: str) -> SimFolder:
    """The folder of a new sim ``name`` inside ``root``. ``named_by`` (the flag or the scenario
    key that gave the name) starts the one-line error when the name is not a plain folder name
    (:mod:`runner.simname`) or the folder, a symbolic link say, would lie outside ``root``."""
    path = Path(root) / check_sim_name(name, named_by)
    if path.resolve().parent != Path(root).resolve():
        raise RingWorldError(f"{named_by}: {path} leads out of the sims folder {root}")
    return SimFolder(path)
