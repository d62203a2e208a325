"""`factbot check` end to end: a fixture article and CSV through the real
CLI and a real SQLite file, and the bad inputs a user can throw at it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "check"


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "facts.db"
    assert main(["sources", "import", str(FIXTURES / "facts.csv"), "--db", str(path)]) == 0
    return path


def check_json(capsys, *args):
    code = main(["check", *args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def by_quote(report, quote, subject=None):
    found = [c for c in report["claims"] if c["quote"] == quote and (subject is None or c["subject"] == subject)]
    assert len(found) == 1, [c["quote"] for c in report["claims"]]
    return found[0]


def test_json_report_follows_the_contract(db, capsys):
    report = check_json(capsys, str(FIXTURES / "article.txt"), "--db", str(db))
    assert set(report) >= {"input", "title", "published", "claims", "summary"}
    assert report["published"] == "2025-05-06"  # read from the article's header line
    for claim in report["claims"]:
        assert {"sentence", "quote", "subject", "metric", "kind", "value", "unit", "qualifier", "period",
                "verdict", "confidence", "evidence"} <= set(claim)
        assert claim["quote"] in claim["sentence"]
        assert claim["kind"] in ("quantity", "change", "rank")
        assert 0 <= claim["confidence"] <= 1
    counts = {v: sum(c["verdict"] == v for c in report["claims"]) for v in report["summary"]}
    assert counts == report["summary"]


def test_verdicts_and_evidence(db, capsys):
    report = check_json(capsys, str(FIXTURES / "article.txt"), "--db", str(db))
    revenue = by_quote(report, "$3.1 billion")
    assert (revenue["subject"], revenue["value"], revenue["unit"], revenue["verdict"]) == (
        "Northwind", 3100000000, "USD", "supported")
    fall = by_quote(report, "4.2%")
    assert (fall["kind"], fall["value"], fall["verdict"]) == ("change", -4.2, "supported")
    online = by_quote(report, "12%")
    assert online["verdict"] == "contradicted"
    assert online["evidence"][0]["value"] == 9
    assert online["evidence"][0]["source"] == "Northwind Q1 2025 results"
    assert online["evidence"][0]["url"].startswith("https://")
    leader = by_quote(report, "first")
    assert (leader["subject"], leader["value"], leader["verdict"]) == ("Contoso", 1, "supported")
    fourth = by_quote(report, "followed by", "Tailspin")
    assert (fourth["value"], fourth["verdict"]) == (4, "contradicted")
    staff = by_quote(report, "more than 52,000 people")
    assert (staff["qualifier"], staff["verdict"]) == ("over", "disputed")
    assert by_quote(report, "nearly 7%")["verdict"] == "unverified"


def test_traps_are_not_reported(db, capsys):
    report = check_json(capsys, str(FIXTURES / "article.txt"), "--db", str(db))
    values = {c["value"] for c in report["claims"]}
    assert not values & {2019, 2025, 2026, 555, 2, 7} - {2}  # years, phone number, page, model number
    assert all("555" not in c["quote"] and "Model 7" not in c["quote"] for c in report["claims"])


def test_published_option_resolves_relative_periods(db, capsys):
    report = check_json(capsys, "-", "--db", str(db), "--published", "2026-03-01") if False else None
    path = db.parent / "short.txt"
    path.write_text("Northwind employed more than 52,000 people last year.\n", encoding="utf-8")
    report = check_json(capsys, str(path), "--db", str(db), "--published", "2025-03-01")
    assert report["claims"][0]["period"] == "2024"
    report = check_json(capsys, str(path), "--db", str(db), "--published", "2027-03-01")
    assert report["claims"][0]["period"] == "2026"
    assert report["claims"][0]["verdict"] == "unverified"


def test_terminal_report_shows_correct_value_and_source(db, capsys):
    assert main(["check", str(FIXTURES / "article.txt"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "contradicted" in out and "correct value: 9%" in out and "Northwind Q1 2025 results" in out
    assert "\033[" not in out  # no colour when not on a terminal


def test_standard_input(db):
    proc = subprocess.run([sys.executable, "-m", "bot", "check", "-", "--db", str(db), "--json"],
                          input="Northwind's online sales rose 12% in the first quarter of 2025.",
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["claims"][0]["verdict"] == "contradicted"


def test_html_file_is_read_for_its_article_text(db, capsys, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Northwind results</title>"
        '<meta property="article:published_time" content="2025-05-06"></head><body>'
        "<nav>Markets | Deals: 90% off everything</nav><article><h1>Northwind results</h1>"
        "<p>Northwind Traders said on Tuesday that its online sales rose 12% in the first quarter of 2025, "
        "a result its managers called solid given the market.</p></article>"
        "<footer>Copyright 2019. Call 555-0100.</footer></body></html>", encoding="utf-8")
    report = check_json(capsys, str(page), "--db", str(db))
    assert report["title"] == "Northwind results"
    assert [c["quote"] for c in report["claims"]] == ["12%"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary" * 1000, "binary"),
    (os.urandom(200_000), "binary"),
])
def test_unusable_files_exit_2_with_a_reason(tmp_path, capsys, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    assert main(["check", str(path), "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_missing_file_and_bad_date(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.db")]) == 2
    assert "no such file" in capsys.readouterr().err
    path = tmp_path / "a.txt"
    path.write_text("Sales rose 5%.", encoding="utf-8")
    assert main(["check", str(path), "--published", "14/02/2025", "--db", str(tmp_path / "x.db")]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_latin1_text_is_decoded(db, tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Northwind's online sales rose 12% in the first quarter of 2025, said the café owner José.".encode(
        "latin-1"))
    report = check_json(capsys, str(path), "--db", str(db))
    assert report["claims"][0]["verdict"] == "contradicted"
    assert "café" in report["claims"][0]["sentence"]


def test_ten_thousand_numbers_stay_bounded(tmp_path, capsys):
    path = tmp_path / "numbers.txt"
    path.write_text(" ".join(f"Item {i} sold {i * 3} units." for i in range(10_000)), encoding="utf-8")
    report = check_json(capsys, str(path), "--db", str(tmp_path / "x.db"))
    assert len(report["claims"]) == 200  # check.max_claims in bot.toml defaults
    assert report["more_claims"] == 10_000 - 200


def test_five_megabyte_text(tmp_path, capsys):
    path = tmp_path / "big.txt"
    para = "The committee met again and discussed the agenda at length without any conclusion. " * 12 + "\n\n"
    path.write_text(para * (5_000_000 // len(para)), encoding="utf-8")
    report = check_json(capsys, str(path), "--db", str(tmp_path / "x.db"))
    assert report["claims"] == []


@pytest.fixture()
def counting_server():
    """A real HTTP server on 127.0.0.1 in a thread, counting every request."""
    import asyncio
    import threading

    from aiohttp import web

    seen = []
    ready = threading.Event()
    state = {}

    async def page(request):
        seen.append(request.path)
        return web.Response(text="<html><body><p>Northwind sold 3 million units.</p></body></html>",
                            content_type="text/html")

    async def serve():
        app = web.Application()
        app.router.add_get("/{tail:.*}", page)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        state["port"] = site._server.sockets[0].getsockname()[1]
        state["stop"] = asyncio.Event()
        ready.set()
        await state["stop"].wait()
        await runner.cleanup()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    ready.wait(5)
    yield state["port"], seen
    loop.call_soon_threadsafe(state["stop"].set)
    thread.join(5)


def test_default_config_refuses_loopback_links_before_any_request(tmp_path, counting_server):
    port, seen = counting_server
    for url in (f"http://127.0.0.1:{port}/", f"http://2130706433:{port}/", f"http://localhost:{port}/"):
        proc = subprocess.run([sys.executable, "-m", "bot", "check", url, "--db", str(tmp_path / "x.db")],
                              capture_output=True, text=True, timeout=60, cwd=tmp_path)  # no bot.toml: defaults
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith("factbot: ") and "not allowed" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert seen == []


def test_other_schemes_are_refused(tmp_path, capsys):
    assert main(["check", "file:///etc/passwd", "--db", str(tmp_path / "x.db")]) == 2
    assert "only http and https" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_results_are_cached_until_the_facts_change(db, capsys, tmp_path):
    import sqlite3

    path = tmp_path / "article.txt"
    path.write_text("Contoso's share price closed at $12.40 on Monday, 2025-05-05.", encoding="utf-8")
    first = check_json(capsys, str(path), "--db", str(db), "--no-queue")
    assert first["claims"][0]["verdict"] == "unverified"
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM check_results").fetchone()[0]
    again = check_json(capsys, str(path), "--db", str(db), "--no-queue")
    assert again == first
    assert sqlite3.connect(db).execute("SELECT count(*) FROM check_results").fetchone()[0] == rows
    facts = tmp_path / "more.csv"
    facts.write_text("entity,metric,value,unit,period,source\nContoso,share price close,12.9,USD,2025-05-05,Exchange\n",
                     encoding="utf-8")
    assert main(["sources", "import", str(facts), "--db", str(db)]) == 0
    capsys.readouterr()
    after = check_json(capsys, str(path), "--db", str(db), "--no-queue")
    assert after["claims"][0]["verdict"] == "contradicted"
