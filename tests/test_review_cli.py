"""`factbot review ...` and `factbot export claimreview` as a moderator runs
them: the check -> list -> decide -> export -> re-check loop, messages and
exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "review"
ARTICLE = str(FIXTURES / "article.txt")
ROOT = Path(__file__).resolve().parents[1]
WRONG = "12.4 million passengers"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbpath(tmp_path, capsys) -> str:
    path = str(tmp_path / "factbot.db")
    assert run(capsys, "sources", "import", str(FIXTURES / "facts.csv"), "--db", path)[0] == 0
    return path


def queue(capsys, dbpath: str) -> list[dict]:
    code, out, err = run(capsys, "check", ARTICLE, "--db", dbpath, "--json")
    assert code == 0, err
    code, out, err = run(capsys, "review", "list", "--db", dbpath, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_wrong_figure_is_queued_once(capsys, dbpath):
    [item] = queue(capsys, dbpath)
    assert item["claim"]["quote"] == WRONG
    assert item["claim"]["verdict"] == "contradicted"
    assert item["reason"] == "contradicted" and "11.8 million passengers" in item["why"]
    assert item["article"]["title"] == "Harbour Line ferries carry more passengers than ever"
    assert item["article"]["published"] == "2025-04-14"
    assert [i["id"] for i in queue(capsys, dbpath)] == [item["id"]]  # re-check: still one


def test_no_queue_flag(capsys, dbpath):
    assert run(capsys, "check", ARTICLE, "--db", dbpath, "--no-queue")[0] == 0
    assert run(capsys, "review", "list", "--db", dbpath) == (0, "no open review items\n", "")
    assert run(capsys, "review", "list", "--db", dbpath, "--json")[:2] == (0, "[]\n")


def test_the_text_list_shows_claim_sentence_and_why(capsys, dbpath):
    [item] = queue(capsys, dbpath)
    code, out, _ = run(capsys, "review", "list", "--db", dbpath)
    assert code == 0
    assert out.startswith(f"#{item['id']}  open  contradicted")
    assert "'12.4 million passengers'  Harbour Line · 2024  — automatic: contradicted" in out
    assert "Harbour Line carried 12.4 million passengers in 2024" in out
    assert "why: contradicted: Harbour Line annual report 2024 gives 11.8 million passengers" in out


def test_decide_then_decide_again(capsys, dbpath):
    [item] = queue(capsys, dbpath)
    rid = str(item["id"])
    code, out, err = run(capsys, "review", "decide", rid, "--verdict", "supported", "--note", "restated",
                         "--by", "alice", "--db", dbpath)
    assert (code, err) == (0, "")
    assert out == f"review #{rid}: supported by alice (overrides the automatic verdict contradicted)\n"
    code, out, err = run(capsys, "review", "decide", rid, "--verdict", "contradicted", "--by", "bob", "--db", dbpath)
    assert (code, out) == (1, "")
    assert "already decided: supported by alice" in err and "nothing changed" in err
    code, out, _ = run(capsys, "review", "history", "--db", dbpath, "--json")
    [entry] = json.loads(out)
    assert (entry["who"], entry["after"]["verdict"], entry["note"]) == ("alice", "supported", "restated")
    assert run(capsys, "review", "list", "--db", dbpath)[1] == "no open review items\n"
    code, out, _ = run(capsys, "review", "list", "--db", dbpath, "--all", "--json")
    assert json.loads(out)[0]["decision"]["verdict"] == "supported"


@pytest.mark.parametrize("argv", [
    ["review", "decide", "404", "--verdict", "supported"],
    ["review", "decide", "1", "--verdict", "false"],
    ["review", "decide", "one", "--verdict", "supported"],
    ["review", "decide", "1"],
    ["review", "history", "404"],
    ["review", "add-source", "404", "--value", "1", "--unit", "passengers", "--source", "S"],
])
def test_bad_input_exits_2(capsys, dbpath, argv):
    queue(capsys, dbpath)
    try:
        code, out, err = run(capsys, *argv, "--db", dbpath)
    except SystemExit as exc:  # argparse usage errors
        code, (out, err) = exc.code, capsys.readouterr()
    assert code == 2
    assert err.strip() and out == ""
    code, out, _ = run(capsys, "review", "list", "--db", dbpath, "--json")
    assert len(json.loads(out)) == 1  # nothing decided


def test_rechecking_shows_the_reviewed_verdict(capsys, dbpath):
    [item] = queue(capsys, dbpath)
    run(capsys, "review", "decide", str(item["id"]), "--verdict", "disputed", "--by", "alice", "--note",
        "two reports disagree", "--db", dbpath)
    code, out, _ = run(capsys, "check", ARTICLE, "--db", dbpath, "--json")
    claim = next(c for c in json.loads(out)["claims"] if c["quote"] == WRONG)
    assert (claim["verdict"], claim["reviewed"], claim["reviewed_by"], claim["review_note"]) == \
        ("disputed", True, "alice", "two reports disagree")
    code, out, _ = run(capsys, "check", ARTICLE, "--db", dbpath)
    assert "⚠ disputed       '12.4 million passengers'" in out
    assert "note: reviewed by alice (automatic verdict: contradicted): two reports disagree" in out


def test_add_source_from_the_shell(capsys, dbpath):
    [item] = queue(capsys, dbpath)
    code, out, err = run(capsys, "review", "add-source", str(item["id"]), "--value", "12400000", "--unit",
                         "passengers", "--source", "Harbour Line restated report",
                         "--url", "https://harbourline.example/restated", "--by", "alice", "--db", dbpath)
    assert code == 0, err
    assert "source added as fact" in out
    code, out, _ = run(capsys, "review", "history", "--db", dbpath)
    assert "add_source by alice: fact" in out and "Harbour Line restated report" in out
    code, out, err = run(capsys, "review", "add-source", str(item["id"]), "--value", "12.4 million", "--unit",
                         "passengers", "--source", "S", "--db", dbpath)
    assert code == 2 and "not a plain number" in err


def test_export_prints_json_ld_and_reimports(capsys, dbpath, tmp_path):
    [item] = queue(capsys, dbpath)
    run(capsys, "review", "decide", str(item["id"]), "--verdict", "contradicted", "--by", "alice", "--db", dbpath)
    code, out, err = run(capsys, "export", "claimreview", "--db", dbpath)
    assert (code, err) == (0, "")
    [cr] = json.loads(out)
    assert cr["@type"] == "ClaimReview" and cr["@context"] == "https://schema.org"
    assert cr["reviewRating"]["alternateName"] == "contradicted"
    assert cr["claimReviewed"].startswith("Harbour Line carried 12.4 million passengers")
    assert cr["author"]["name"] == "factbot"
    out_file = tmp_path / "reviews.jsonld"
    code, out, err = run(capsys, "export", "claimreview", "--db", dbpath, "--out", str(out_file))
    assert (code, out) == (0, "") and "wrote 1 ClaimReview(s)" in err
    assert json.loads(out_file.read_text(encoding="utf-8")) == [cr]
    assert oct(out_file.stat().st_mode & 0o777) == oct(0o644)
    code, out, err = run(capsys, "sources", "import", str(out_file), "--db", dbpath)
    assert (code, out, err) == (0, "added 1, updated 0, unchanged 0, skipped 0\n", "")


def test_export_to_a_missing_directory_exits_2(capsys, dbpath, tmp_path):
    code, out, err = run(capsys, "export", "claimreview", "--db", dbpath, "--out", str(tmp_path / "no" / "x.json"))
    assert code == 2 and "does not exist" in err


def test_newsroom_name_comes_from_the_config(capsys, dbpath, tmp_path):
    [item] = queue(capsys, dbpath)
    run(capsys, "review", "decide", str(item["id"]), "--verdict", "contradicted", "--db", dbpath)
    config = tmp_path / "bot.toml"
    config.write_text('[review]\nnewsroom = "Harbour Herald"\nnewsroom_url = "https://herald.example/"\n',
                      encoding="utf-8")
    code, out, _ = run(capsys, "export", "claimreview", "--db", dbpath, "--config", str(config))
    assert json.loads(out)[0]["author"] == {"@type": "Organization", "name": "Harbour Herald",
                                            "url": "https://herald.example/"}


def test_queueing_can_be_turned_off_in_the_config(capsys, dbpath, tmp_path):
    config = tmp_path / "bot.toml"
    config.write_text("[review]\nqueue_on_check = false\n", encoding="utf-8")
    assert run(capsys, "check", ARTICLE, "--db", dbpath, "--config", str(config))[0] == 0
    assert run(capsys, "review", "list", "--db", dbpath, "--json")[1] == "[]\n"


def test_from_a_shell(tmp_path):
    """The issue's "done when", as separate processes the way a moderator types it."""
    db = str(tmp_path / "factbot.db")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def factbot(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", *argv, "--db", db], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=120)

    assert factbot("sources", "import", str(FIXTURES / "facts.csv")).returncode == 0
    assert factbot("check", ARTICLE).returncode == 0
    listed = factbot("review", "list", "--json")
    [item] = json.loads(listed.stdout)
    assert item["claim"]["quote"] == WRONG
    decided = factbot("review", "decide", str(item["id"]), "--verdict", "contradicted", "--by", "alice")
    assert decided.returncode == 0
    again = factbot("review", "decide", str(item["id"]), "--verdict", "supported", "--by", "bob")
    assert again.returncode == 1 and "already decided" in again.stderr
    exported = factbot("export", "claimreview")
    assert [cr["reviewRating"]["alternateName"] for cr in json.loads(exported.stdout)] == ["contradicted"]
    rechecked = json.loads(factbot("check", ARTICLE, "--json").stdout)
    claim = next(c for c in rechecked["claims"] if c["quote"] == WRONG)
    assert (claim["verdict"], claim["reviewed"], claim["reviewed_by"]) == ("contradicted", True, "alice")
