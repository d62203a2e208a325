-- 0013: the Discord side of moderator review (bot.discord_app.review_store).
-- Snowflake IDs are INTEGER (they fit SQLite's signed 64 bits); timestamps
-- are UTC ISO 8601 ("2025-01-30T12:00:00Z").

-- The articles behind each public verdict reply, as the reply showed them
-- (the `check --json` report per article). A reader's Dispute button names
-- a claim of this reply, and after a moderator's decision the reply is
-- rebuilt from these reports with the decisions applied; both can happen
-- days later and after a restart, so they cannot live in memory.
-- Rows older than review_store.REPLY_RETENTION_DAYS are pruned at start-up.
CREATE TABLE IF NOT EXISTS discord_replies (
    message_id INTEGER PRIMARY KEY,
    guild_id INTEGER,
    channel_id INTEGER NOT NULL,
    style TEXT NOT NULL,
    articles_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS discord_replies_created_at ON discord_replies(created_at);

-- The review card posted for a queue item: at most one per item, however
-- often its article is checked. The row is reserved (message_id NULL)
-- before the card is sent, so two checks of one article at once post one
-- card; a reservation whose send never finished can be taken over later.
CREATE TABLE IF NOT EXISTS discord_review_cards (
    review_id INTEGER PRIMARY KEY REFERENCES review_items(id),
    channel_id INTEGER NOT NULL,
    message_id INTEGER,
    posted_at TEXT NOT NULL
);
