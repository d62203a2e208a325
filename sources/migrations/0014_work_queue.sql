-- 0014: the auto-scan work queue of the Discord bot
-- (bot.discord_app.work_queue). Snowflake IDs are INTEGER (they fit
-- SQLite's signed 64 bits); timestamps are UTC ISO 8601.
--
-- One row per posted message the bot took on (a message with links in an
-- auto-scan channel), written when it arrives, before anything is sent:
-- a killed bot finds its unfinished work here at the next start, and a
-- message whose row exists is never taken on again, so a replayed gateway
-- event or a message read back after a restart is not answered twice.
--
-- state:   pending  -- waiting for a worker (in memory, or deferred: only here)
--          running  -- a worker is reading and checking it
--          sending  -- the reply is being sent: after a crash, whether it
--                      went out is unknown, and the channel is looked at first
--          done     -- finished; `outcome` says how
-- outcome: replied | silent (quiet mode, nothing wrong) | cooldown (skipped,
--          ⏳ reaction) | failed | expired (too old to answer after a restart)
-- deferred: 1 when the ⏳ "busy, will check shortly" reaction was added,
--          so it is taken off again when the answer is sent.
-- attempts: how many times a worker started on it; a message that keeps
--          killing the bot is given up after a few.
CREATE TABLE IF NOT EXISTS discord_autoscan_work (
    message_id INTEGER PRIMARY KEY,
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    author_id INTEGER NOT NULL,
    links_json TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('on', 'quiet')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'sending', 'done')),
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('replied', 'silent', 'cooldown', 'failed', 'expired')),
    deferred INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    reply_id INTEGER,
    received_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Unfinished work, oldest message first: what a worker takes next.
CREATE INDEX IF NOT EXISTS discord_autoscan_work_unfinished
    ON discord_autoscan_work(message_id) WHERE state != 'done';
-- The newest message taken on per channel: where reading back starts after a restart.
CREATE INDEX IF NOT EXISTS discord_autoscan_work_channel ON discord_autoscan_work(channel_id, message_id);
-- Finished rows are pruned after a while (work_queue.KEEP_DONE_DAYS).
CREATE INDEX IF NOT EXISTS discord_autoscan_work_updated ON discord_autoscan_work(updated_at);
