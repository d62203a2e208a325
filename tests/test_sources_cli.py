"""`factbot sources ...` as a user runs it: output, messages and exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["sources", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbpath(tmp_path) -> str:
    return str(tmp_path / "facts.db")


def test_import_prints_a_summary_and_reimport_adds_nothing(capsys, dbpath):
    code, out, err = run(capsys, "import", str(FIXTURES / "facts.csv"), "--db", dbpath)
    assert (code, out, err) == (0, "added 8, updated 0, unchanged 0, skipped 0\n", "")
    code, out, _ = run(capsys, "import", str(FIXTURES / "facts.csv"), "--db", dbpath)
    assert (code, out) == (0, "added 0, updated 0, unchanged 8, skipped 0\n")


def test_bad_rows_are_listed_on_stderr_with_line_numbers(capsys, dbpath):
    code, out, err = run(capsys, "import", str(FIXTURES / "ten-rows-three-bad.csv"), "--db", dbpath)
    assert code == 0
    assert out == "added 7, updated 0, unchanged 0, skipped 3\n"
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines] == ["4", "7", "10"]
    assert "14.1 percent" in lines[0]


def test_strict_refuses_the_whole_file(capsys, dbpath):
    code, out, err = run(capsys, "import", str(FIXTURES / "ten-rows-three-bad.csv"), "--db", dbpath, "--strict")
    assert code == 1
    assert out == "added 0, updated 0, unchanged 0, skipped 3\n"
    assert "nothing was written" in err
    code, out, err = run(capsys, "search", "xiaomi share", "--db", dbpath, "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.csv", None, "no such file"),
    ("empty.csv", b"", "file is empty"),
    ("header.csv", b"entity,metric,source\nApple,net sales,8-K\n", "missing required column(s) value, unit"),
    ("article.jsonld", (FIXTURES / "not-claimreview.jsonld").read_bytes(), "no ClaimReview"),
    ("random.bin", bytes(range(256)) * 4096, "binary"),
])
def test_unreadable_files_exit_2_with_one_line(capsys, tmp_path, dbpath, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "import", str(path), "--db", dbpath)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("factbot sources import: ")


def test_search_table_and_json(capsys, tmp_path, dbpath):
    run(capsys, "import", str(FIXTURES / "facts.csv"), "--db", dbpath)
    code, out, _ = run(capsys, "search", "aple china revenue", "--db", dbpath)
    assert code == 0
    header, first = out.splitlines()[:2]
    assert header.split() == ["score", "id", "entity", "metric", "value", "unit", "period", "source"]
    assert "Apple" in first and "Greater China net sales" in first and "18,513,000,000" in first
    code, out, _ = run(capsys, "search", "aple", "china", "revenue", "--db", dbpath, "--json", "--limit", "2")
    hits = json.loads(out)
    assert len(hits) == 2
    assert (hits[0]["entity"], hits[0]["metric"], hits[0]["value"]) == ("Apple", "Greater China net sales", 18513000000)
    assert 0 < hits[0]["score"] <= 1 and isinstance(hits[0]["id"], int)


def test_search_without_results(capsys, dbpath):
    code, out, err = run(capsys, "search", "xyzzy", "--db", dbpath)
    assert (code, out) == (0, "") and "no facts match" in err


def test_show_and_remove_keep_an_audit_trail(capsys, dbpath):
    run(capsys, "import", str(FIXTURES / "facts.csv"), "--db", dbpath)
    fact_id = json.loads(run(capsys, "search", "hang seng close", "--db", dbpath, "--json")[1])[0]["id"]
    code, out, _ = run(capsys, "show", str(fact_id), "--db", dbpath)
    assert code == 0 and "Hang Seng Index — close" in out and "21,857 points" in out and "The Standard" in out
    code, out, _ = run(capsys, "remove", str(fact_id), "--db", dbpath, "--by", "moderator", "--note", "wrong day")
    assert code == 0 and f"removed fact {fact_id}" in out
    code, out, _ = run(capsys, "show", str(fact_id), "--db", dbpath, "--json")
    shown = json.loads(out)
    assert shown["fact"] is None
    (audit,) = shown["audit"]
    assert (audit["action"], audit["who"], audit["note"]) == ("remove", "moderator", "wrong day")
    assert audit["row"]["value"] == 21857 and audit["row"]["entity"] == "Hang Seng Index"
    code, out, _ = run(capsys, "show", str(fact_id), "--db", dbpath)
    assert "was removed" in out and "moderator" in out
    assert json.loads(run(capsys, "search", "hang seng close", "--db", dbpath, "--json")[1]) == [] or \
        all(h["id"] != fact_id for h in json.loads(run(capsys, "search", "hang seng close", "--db", dbpath, "--json")[1]))


def test_show_lists_history_after_an_update(capsys, tmp_path, dbpath):
    first = tmp_path / "a.csv"
    first.write_text("entity,metric,value,unit,source\nApple,Greater China net sales,18513000000,USD,Apple 8-K\n",
                     encoding="utf-8")
    second = tmp_path / "b.csv"
    second.write_text("entity,metric,value,unit,source\nApple,Greater China net sales,18510000000,USD,Apple 8-K\n",
                      encoding="utf-8")
    run(capsys, "import", str(first), "--db", dbpath)
    code, out, _ = run(capsys, "import", str(second), "--db", dbpath, "--by", "editor")
    assert out == "added 0, updated 1, unchanged 0, skipped 0\n"
    code, out, _ = run(capsys, "show", "1", "--db", dbpath)
    assert "18,510,000,000 USD" in out
    assert "history (1 older version(s))" in out and "value 18513000000 -> 18510000000" in out


@pytest.mark.parametrize("command", ["show", "remove"])
def test_unknown_id_exits_2(capsys, dbpath, command):
    code, out, err = run(capsys, command, "4242", "--db", dbpath)
    assert code == 2 and out == ""
    assert err == f"factbot sources {command}: no fact with id 4242\n"


def test_database_path_comes_from_the_config_file(capsys, tmp_path):
    config = tmp_path / "bot.toml"
    target = tmp_path / "from-config.db"
    config.write_text(f'[database]\npath = "{target}"\n', encoding="utf-8")
    code, out, _ = run(capsys, "import", str(FIXTURES / "facts.csv"), "--config", str(config))
    assert code == 0 and target.exists()


def test_a_database_that_is_not_sqlite_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "search", "apple", "--db", str(FIXTURES / "facts.csv"))
    assert code == 2 and "not a factbot database" in err


def test_python_m_bot_end_to_end_without_traceback(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    db = str(tmp_path / "facts.db")
    ok = subprocess.run([sys.executable, "-m", "bot", "sources", "import", str(FIXTURES / "facts.jsonl"), "--db", db],
                        capture_output=True, text=True, env=env, cwd=tmp_path)
    assert ok.returncode == 0
    assert ok.stdout == "added 3, updated 0, unchanged 0, skipped 2\n"
    # Piped stderr: problems only, no progress indicator or control characters.
    assert ok.stderr.splitlines()[0].startswith("5: not valid JSON") and "\r" not in ok.stderr
    bad = subprocess.run([sys.executable, "-m", "bot", "sources", "import", str(tmp_path / "nope.csv"), "--db", db],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1
