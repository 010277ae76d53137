"""Backend set-up: clear one-line errors for missing packages, keys, models and files."""

from __future__ import annotations

import sys

import pytest
from conftest import scenario_data

from runner.config import Scenario
from runner.errors import RingWorldError
from runner.llm.registry import make_backend
from runner.llm.stack import endpoint_scenarios


def scenario(**llm) -> Scenario:
    data = scenario_data()
    data["llm"] = {
        "model": None,
        "base_url": None,
        "api_key_env": None,
        "temperature": 0.7,
        "structured": "json_schema",
        "timeout": 5,
        "allow_download": False,
        **llm,
    }
    data["embedding"] = {}
    return Scenario.model_validate(data)


@pytest.mark.parametrize(
    ("backend", "module", "extra"),
    [
        ("openai", "openai", "openai"),
        ("local", "llama_cpp", "local"),
        ("gpt4all", "gpt4all", "gpt4all"),
    ],
)
def test_a_missing_package_names_the_extra_to_install(monkeypatch, backend, module, extra):
    monkeypatch.setitem(sys.modules, module, None)  # makes 'import module' fail
    for name in [m for m in sys.modules if m.startswith("runner.llm.") and "backend" in m]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delitem(sys.modules, "runner.llm.local", raising=False)
    with pytest.raises(RingWorldError, match=rf"pip install 'ringworld\[{extra}\]'"):
        make_backend(scenario(backend=backend, model="m"))


def test_openai_needs_a_model_and_a_set_key_variable(monkeypatch):
    pytest.importorskip("openai")
    with pytest.raises(RingWorldError, match="llm.model"):
        make_backend(scenario(backend="openai"))
    monkeypatch.delenv("RW_NO_SUCH_KEY", raising=False)
    with pytest.raises(RingWorldError, match="RW_NO_SUCH_KEY is not set"):
        make_backend(scenario(backend="openai", model="m", api_key_env="RW_NO_SUCH_KEY"))
    with pytest.raises(RingWorldError, match="llm.api_key_env"):
        make_backend(scenario(backend="openai", model="m"))  # OpenAI itself needs a key
    local = make_backend(scenario(backend="openai", model="m", base_url="http://127.0.0.1:9/v1"))
    assert local.endpoint == "http://127.0.0.1:9/v1" and local.is_llm


def test_several_base_urls_make_one_backend_each():
    urls = ["http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"]
    parts = endpoint_scenarios(scenario(backend="openai", model="m", base_url=urls))
    assert [p.llm.base_url for p in parts] == urls


def test_local_with_a_missing_gguf_file_says_so(tmp_path):
    pytest.importorskip("llama_cpp", reason="llama-cpp-python is not installed")
    with pytest.raises(RingWorldError, match="no such GGUF file"):
        make_backend(scenario(backend="local", model=str(tmp_path / "none.gguf")))


def test_gpt4all_never_downloads_unless_allowed(tmp_path):
    pytest.importorskip(
        "gpt4all", reason="gpt4all is not installed (pip install 'ringworld[gpt4all]')"
    )
    missing = tmp_path / "absent.gguf"
    with pytest.raises(RingWorldError, match="allow_download: true"):
        make_backend(scenario(backend="gpt4all", model=str(missing)))
    assert not missing.exists()
    garbage = tmp_path / "garbage.gguf"
    garbage.write_bytes(b"not a model")
    with pytest.raises(RingWorldError, match="gpt4all cannot load"):
        make_backend(scenario(backend="gpt4all", model=str(garbage)))
