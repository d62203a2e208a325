-- 0012: state of the Discord bot (bot.discord_app). Snowflake IDs are
-- stored as INTEGER (they fit SQLite's signed 64 bits); timestamps are UTC
-- ISO 8601 ("2025-01-30T12:00:00Z").

-- Auto-scan mode per channel (a thread without a row follows its parent
-- channel; a channel without a row follows autoscan.default_mode).
CREATE TABLE IF NOT EXISTS discord_channel_settings (
    guild_id INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    autoscan TEXT NOT NULL CHECK (autoscan IN ('off', 'on', 'quiet')),
    updated_by INTEGER,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, channel_id)
);

-- The bot's reply to a link, so the same link posted again in the server
-- within autoscan.repeat_window_seconds gets a pointer instead of a second
-- check. `url` is normalised (bot.intake.cache.normalise_url).
CREATE TABLE IF NOT EXISTS discord_link_replies (
    guild_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    channel_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    replied_at TEXT NOT NULL,
    PRIMARY KEY (guild_id, url)
);
CREATE INDEX IF NOT EXISTS discord_link_replies_replied_at ON discord_link_replies(replied_at);
