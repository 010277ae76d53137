"""The report view's data file and page, written from an ``eval.json``."""

from __future__ import annotations

import pytest
from eval_helpers import CHEN, ISA, KLAUS, MARIA, sample_results
from site_helpers import write_sim

from runner.errors import RingWorldError
from sitegen.build import build_site
from sitegen.pack import read_data_file
from sitegen.report import MAX_ANSWER, write_report


@pytest.fixture
def sim(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    sample_results().write(folder)
    return folder


def test_a_replay_without_an_evaluation_has_no_report_link(tmp_path):
    site = build_site(write_sim(tmp_path / "plain", steps=60))
    assert "report.html" not in (site / "index.html").read_text(encoding="utf-8")


def test_no_eval_json_no_report(tmp_path):
    assert write_report(tmp_path, tmp_path / "site") is False
    assert not (tmp_path / "site").exists()


def test_the_payload_holds_every_measure_by_agent_index(sim):
    assert write_report(sim) is True
    key, data = read_data_file(sim / "site" / "data" / "report.js")
    assert key == "report"
    assert (data["format"], data["version"], data["sim"], data["backend"]) == (
        "ringworld-report",
        2,
        "tiny",
        "offline",
    )
    assert data["agents"][0] == [ISA, "Isabella Rodriguez"]
    assert data["steps"] == [[0, "2023-02-13 07:00"], [360, "2023-02-13 08:00"]]
    (fact,) = data["facts"]
    assert (fact["id"], fact["shares"], fact["knowers"]) == (
        "party",
        [0.25, 0.75],
        [[0], [0, 1, 2]],
    )
    start, end = data["networks"]
    assert start[:2] == [0, [0, 1]]
    assert end[1] == [0, 1, 1, 0, 0, 2, 3, 0, 2, 3]  # I→M, M→I, I→K, C→I, K→C
    assert end[2:] == [pytest.approx(5 / 12), pytest.approx(1 / 6)]
    (party,) = data["attendance"]
    assert (party["present"], party["invited"], party["came"]) == ([0, 1, 3], [0, 1, 2], [0, 1])
    assert (party["from"], party["to"]) == ("2023-02-13 07:00", "2023-02-13 07:01")
    (hall,) = data["hallucination"]
    assert hall[:2] == [360, 4]
    assert hall[2][0][0] == 2 and hall[2][0][3] == [["unknown_person", "约翰·史密斯"]]
    answers = data["interviews"]
    assert [len(a) for a in answers] == [1, 1, 1, 1]
    assert len(answers[0][0][3]) == MAX_ANSWER and answers[0][0][3].endswith("…")
    assert answers[3][0][:2] == [360, "self_knowledge"]
    assert [r[:2] for r in data["ratings"]] == [["tiny", "full"], ["tiny-noreflect", "no-reflect"]]
    assert {MARIA, KLAUS, CHEN} <= {a[0] for a in data["agents"]}


def test_the_page_is_rendered_with_its_scripts_and_no_sim_text(sim, tmp_path):
    out = tmp_path / "out"
    assert write_report(sim, out, lang="en")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and 'data-lang="en"' in page
    assert "<title>tiny · RingWorld</title>" in page
    assert "connect-src 'none'" in page
    for script in ("vendor/msgpack/msgpack.min.js", "js/inflate.js", "js/report.js"):
        assert f'<script src="{script}">' in page
        assert (out / script).is_file()
    assert (out / "report.css").is_file() and not (out / "index.html").exists()
    data_file = (out / "data" / "report.js").read_text(encoding="ascii")
    assert "<script>" not in data_file and "alert" not in data_file  # base64 only


def test_a_broken_eval_json_is_one_clear_error(sim):
    (sim / "eval.json").write_text('{"format": "ringworld-eval", "version": 1}', encoding="utf-8")
    with pytest.raises(RingWorldError, match=r"eval\.json: key 'sim': Field required"):
        write_report(sim)
    with pytest.raises(RingWorldError, match="--lang must be zh or en"):
        write_report(sim, lang="fr")


def test_the_report_sits_beside_a_built_replay(tmp_path):
    replay = write_sim(tmp_path / "syn", steps=120)
    sample_results().write(replay)
    site = build_site(replay)
    assert (site / "report.html").is_file()  # the replay build renders the page's template
    assert write_report(replay)
    assert (site / "index.html").is_file() and (site / "data" / "meta.js").is_file()
    assert 'href="report.html"' in (site / "index.html").read_text(encoding="utf-8")
    assert read_data_file(site / "data" / "report.js")[0] == "report"
