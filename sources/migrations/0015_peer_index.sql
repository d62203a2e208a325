-- Where a market share stands among its peers (a rank derived from shares)
-- is one aggregate over the facts of one metric and period; this covering
-- index answers it without touching the table, however many players the
-- market has.
CREATE INDEX IF NOT EXISTS facts_peer_values
    ON facts (metric_norm, period_start, period_end, unit, region, entity_id, value);
