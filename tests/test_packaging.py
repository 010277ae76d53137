"""The distribution: a wheel built from the project installs into a fresh venv, where its
``rw-batch`` runs a sim and its ``rw-site`` builds the replay (the template shipped as package
data); every package of the source tree is listed in pyproject.toml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, morning_data, write_scenario

SOURCES = ("runner", "sitegen", "web_template", "pyproject.toml", "README.md")


def test_pyproject_lists_every_package():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for root in ("runner", "sitegen")
        for p in (ROOT / root).rglob("__init__.py")
    }
    assert listed == found | {"sitegen.web_template"}


def _run(*args, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def _venv_seeing_our_packages(venv: Path, cwd: Path) -> Path:
    """A new venv that sees the packages of the interpreter running the tests (the deps of the
    wheel), whether that is a venv or the system's Python: a ``.pth`` file lists its
    site-packages folders. ``--system-site-packages`` would show the base Python's instead, not
    those of the venv the tests run in. The folders' own ``.pth`` files (this checkout's
    editable install among them) are not read. Returns the venv's python."""
    _run(sys.executable, "-m", "venv", venv, cwd=cwd)
    python = venv / "bin" / "python"
    ours = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=cwd)
    theirs = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    Path(ours.strip(), "outer_packages.pth").write_text("\n".join(theirs) + "\n")
    return python


@pytest.mark.packaging
def test_a_built_wheel_installs_and_builds_a_replay_site(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile
        copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", wheels, source, cwd=tmp_path)  # fmt: skip
    (wheel,) = wheels.glob("ringworld-*.whl")
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    python = _venv_seeing_our_packages(venv, tmp_path)
    _run(python, "-m", "pip", "install", "--no-deps", "--no-index", "-q", wheel, cwd=tmp_path)
    where = _run(python, "-c", "import sitegen; print(sitegen.__file__)", cwd=tmp_path, env=env)
    assert Path(where.strip()).is_relative_to(venv), where  # the wheel's, not this checkout's
    scenario = write_scenario(tmp_path / "morning.yaml", morning_data())
    _run(venv / "bin" / "rw-batch", "run", scenario, "--steps", "30", "--quiet", cwd=tmp_path,
         env=env)  # fmt: skip
    sim = tmp_path / "output" / "morning"
    out = _run(venv / "bin" / "rw-site", "build", sim, cwd=tmp_path, env=env)
    assert "index.html" in out
    page = (sim / "site" / "index.html").read_text(encoding="utf-8")
    assert "<canvas" in page and (sim / "site" / "js" / "main.js").is_file()
    assert (sim / "site" / "vendor" / "msgpack" / "LICENSE").is_file()
