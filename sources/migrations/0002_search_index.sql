-- 0002: what search needs. External-content FTS5 tables, named and
-- triggered the way sqlite-utils' enable_fts(create_triggers=True) does it
-- (so `datasette` and `sqlite-utils search` find them), holding no second
-- copy of the text.
--
-- Names: aliases_fts over every alias (the canonical name is one too).
-- Metrics: a table of distinct metrics (kept by triggers on facts, with how
-- many facts use each) and metrics_fts over it. People search by metric
-- words; there are far fewer distinct metrics than facts, so ranking them
-- stays fast at millions of facts, where ranking an FTS index over facts
-- themselves did not.

CREATE VIRTUAL TABLE aliases_fts USING FTS5 (alias, content=[aliases]);
CREATE TRIGGER aliases_ai AFTER INSERT ON aliases BEGIN
  INSERT INTO aliases_fts (rowid, alias) VALUES (new.rowid, new.alias);
END;
CREATE TRIGGER aliases_ad AFTER DELETE ON aliases BEGIN
  INSERT INTO aliases_fts (aliases_fts, rowid, alias) VALUES ('delete', old.rowid, old.alias);
END;
CREATE TRIGGER aliases_au AFTER UPDATE ON aliases BEGIN
  INSERT INTO aliases_fts (aliases_fts, rowid, alias) VALUES ('delete', old.rowid, old.alias);
  INSERT INTO aliases_fts (rowid, alias) VALUES (new.rowid, new.alias);
END;

CREATE TABLE metrics (
    id INTEGER PRIMARY KEY,
    metric_norm TEXT NOT NULL UNIQUE,
    metric TEXT NOT NULL,            -- as first written
    facts INTEGER NOT NULL DEFAULT 0 -- facts using it; the row goes when this reaches 0
);

CREATE VIRTUAL TABLE metrics_fts USING FTS5 (metric, content=[metrics]);
CREATE TRIGGER metrics_ai AFTER INSERT ON metrics BEGIN
  INSERT INTO metrics_fts (rowid, metric) VALUES (new.rowid, new.metric);
END;
CREATE TRIGGER metrics_ad AFTER DELETE ON metrics BEGIN
  INSERT INTO metrics_fts (metrics_fts, rowid, metric) VALUES ('delete', old.rowid, old.metric);
END;
CREATE TRIGGER metrics_au AFTER UPDATE OF metric ON metrics BEGIN
  INSERT INTO metrics_fts (metrics_fts, rowid, metric) VALUES ('delete', old.rowid, old.metric);
  INSERT INTO metrics_fts (rowid, metric) VALUES (new.rowid, new.metric);
END;

CREATE TRIGGER facts_metrics_ai AFTER INSERT ON facts BEGIN
  INSERT INTO metrics (metric_norm, metric, facts) VALUES (new.metric_norm, new.metric, 1)
    ON CONFLICT (metric_norm) DO UPDATE SET facts = facts + 1;
END;
CREATE TRIGGER facts_metrics_ad AFTER DELETE ON facts BEGIN
  UPDATE metrics SET facts = facts - 1 WHERE metric_norm = old.metric_norm;
  DELETE FROM metrics WHERE metric_norm = old.metric_norm AND facts <= 0;
END;
CREATE TRIGGER facts_metrics_au AFTER UPDATE OF metric_norm ON facts
  WHEN old.metric_norm <> new.metric_norm BEGIN
  UPDATE metrics SET facts = facts - 1 WHERE metric_norm = old.metric_norm;
  DELETE FROM metrics WHERE metric_norm = old.metric_norm AND facts <= 0;
  INSERT INTO metrics (metric_norm, metric, facts) VALUES (new.metric_norm, new.metric, 1)
    ON CONFLICT (metric_norm) DO UPDATE SET facts = facts + 1;
END;

-- Index whatever a version-1 database already holds.
INSERT INTO aliases_fts (aliases_fts) VALUES ('rebuild');
INSERT INTO metrics (metric_norm, metric, facts)
  SELECT metric_norm, min(metric), count(*) FROM facts GROUP BY metric_norm;
