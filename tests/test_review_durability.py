"""The queue and its decisions survive `kill -9` at any moment, and
processes racing on the same items record one decision each.

Workers are real processes on a real database file: SQLite's locking and
WAL recovery are what is under test, and threads in one process would
share too much to show it.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sources import review
from sources.db import open_db

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_PER_ARTICLE = 3

WORKER = textwrap.dedent('''
    """Enqueue, dispute, add sources and decide in a loop until killed."""
    import sys
    from sources import review
    from sources.db import open_db

    path, tag = sys.argv[1], sys.argv[2]
    db = open_db(path)
    verdicts = ("supported", "contradicted", "unverified", "disputed")

    def claim(i, k):
        return {"sentence": f"Harbour Line carried {i}.{k} million passengers in 2024 ({tag}).",
                "quote": f"{i}.{k} million passengers", "subject": "Harbour Line", "metric": "passengers",
                "kind": "quantity", "value": i * 1e6 + k * 1e5, "unit": "passengers", "qualifier": "exact",
                "period": "2024", "verdict": "contradicted", "confidence": 0.9, "evidence": []}

    i = 0
    while True:
        url = f"https://news.example/{tag}/{i}"
        claims = [claim(i, k) for k in range(%(per_article)d)]
        ids = review.enqueue_from_result(db, {"input": url, "title": "t", "published": "2025-04-14",
                                              "claims": claims})
        for k, rid in enumerate(ids):
            if k == 0:
                review.add_source(db, rid, 1000 + i, "passengers", "2024", f"report {tag} {i}", None, "mod")
            if k == 1:
                review.dispute(db, claims[k], f"wrong {i}", f"reader{i %% 5}", input_name=url, limit=None)
            if (i + k) %% 4 != 3:  # leave some open
                try:
                    review.decide(db, rid, verdicts[(i + k) %% 4], f"mod-{tag}", f"note {i}")
                except review.AlreadyDecided:
                    pass
        print(i, flush=True)
        i += 1
''') % {"per_article": CLAIMS_PER_ARTICLE}

RACER = textwrap.dedent('''
    """Try to decide every item; report which ones this process won."""
    import json, sys, time
    from sources import review
    from sources.db import open_db

    path, name, start_at, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    db = open_db(path)
    while time.time() < start_at:
        time.sleep(0.001)
    won, told = [], []
    for rid in range(1, n + 1):
        try:
            review.decide(db, rid, "contradicted", name)
            won.append(rid)
        except review.AlreadyDecided:
            told.append(rid)
    print(json.dumps({"won": won, "told": told}))
''')


def _spawn(script: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(script), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=ROOT)


def assert_consistent(path: Path, claims_per_article: int = CLAIMS_PER_ARTICLE) -> dict[str, int]:
    """Every invariant a crash could break; returns counts for the caller's checks."""
    db = open_db(path)  # recovers the WAL like any later user would
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        items = {r[0]: r[1:] for r in db.execute(
            "SELECT id, status, verdict, decided_by, decided_at, claim_json, input_name FROM review_items")}
        decisions: dict[int, list[tuple]] = {}
        for rid, who, at, after in db.execute(
                "SELECT review_id, who, at, after FROM review_audit WHERE action = 'decide'"):
            decisions.setdefault(rid, []).append((who, at, json.loads(after)["verdict"]))
        for rid, (status, verdict, by, at, claim_json, _) in items.items():
            json.loads(claim_json)
            if status == "decided":
                assert decisions.get(rid) == [(by, at, verdict)], rid  # exactly one audit row, and it agrees
            else:
                assert status == "open" and verdict is None and rid not in decisions, rid
        assert set(decisions) <= set(items)
        # every dispute has its audit row and vice versa
        disputes = dict(db.execute("SELECT review_id, count(*) FROM review_disputes GROUP BY review_id").fetchall())
        audited = dict(db.execute("SELECT review_id, count(*) FROM review_audit WHERE action = 'dispute'"
                                  " GROUP BY review_id").fetchall())
        assert disputes == audited
        # every added source is a fact, and every fact added in review is audited
        sources = [json.loads(a)["fact_id"] for (a,) in db.execute(
            "SELECT after FROM review_audit WHERE action = 'add_source'")]
        facts = {r[0] for r in db.execute("SELECT id FROM facts WHERE note LIKE 'added in moderator review%'")}
        assert set(sources) == facts
        # an article's claims are queued together or not at all
        per_article: dict[str, int] = {}
        for _, _, _, _, _, name in items.values():
            per_article[name] = per_article.get(name, 0) + 1
        assert set(per_article.values()) <= {claims_per_article}, per_article
        return {"items": len(items), "decided": len(decisions), "open": len(items) - len(decisions)}
    finally:
        db.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_at_any_moment_leaves_a_consistent_queue(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "review.db"
    open_db(path).close()
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    killed = 0
    for round_ in range(4):
        workers = [_spawn(script, str(path), f"r{round_}w{w}") for w in range(2)]
        try:
            for proc in workers:
                target = rng.randint(2, 8)
                for _ in range(target):  # let it get going
                    line = proc.stdout.readline()
                    assert line, proc.stderr.read()
            time.sleep(rng.uniform(0, 0.03))  # then kill wherever it happens to be
            for proc in workers:
                proc.send_signal(signal.SIGKILL)
        finally:
            for proc in workers:
                if proc.poll() is None:
                    proc.kill()
                proc.wait(timeout=30)
                proc.stdout.close()
                proc.stderr.close()
        killed += sum(proc.returncode == -signal.SIGKILL for proc in workers)
        counts = assert_consistent(path)
        assert counts["decided"] > 0 and counts["open"] > 0
    assert killed == 8  # every worker was still running, mid-loop, when killed
    db = open_db(path)  # and the queue is still usable afterwards
    rid = review.list_items(db, limit=1)[0]["id"]
    review.decide(db, rid, "supported", "after-the-crash")
    with pytest.raises(review.AlreadyDecided):
        review.decide(db, rid, "supported", "after-the-crash")
    db.close()
    assert_consistent(path)


def test_processes_racing_on_every_item_record_one_decision_each(tmp_path):
    path = tmp_path / "race.db"
    db = open_db(path)
    n = 40
    for i in range(n):
        review.enqueue_from_result(db, {"input": f"https://news.example/{i}", "claims": [{
            "sentence": f"Harbour Line carried {i} million passengers.", "quote": f"{i} million", "kind": "quantity",
            "subject": "Harbour Line", "value": i * 1e6, "unit": "passengers", "verdict": "contradicted",
            "confidence": 0.9, "evidence": []}]})
    db.close()
    script = tmp_path / "racer.py"
    script.write_text(RACER, encoding="utf-8")
    start_at = time.time() + 1.5  # all processes up and waiting before the first decision
    racers = [_spawn(script, str(path), f"mod{r}", str(start_at), str(n)) for r in range(4)]
    results = []
    for proc in racers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    winners: dict[int, int] = {}
    for r in results:
        assert sorted(r["won"] + r["told"]) == list(range(1, n + 1))
        for rid in r["won"]:
            winners[rid] = winners.get(rid, 0) + 1
    assert winners == {rid: 1 for rid in range(1, n + 1)}
    counts = assert_consistent(path, claims_per_article=1)
    assert counts == {"items": n, "decided": n, "open": 0}
