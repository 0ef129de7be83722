-- `warmonitor watch`: what each feed last told us, so a restart asks conditionally and re-reads nothing.

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT,                            -- the feed's own name; becomes the articles' source
    etag TEXT,                             -- validators from the last complete poll (If-None-Match,
    last_modified TEXT,                    -- If-Modified-Since)
    last_polled TEXT,                      -- UTC, ISO 8601
    last_status TEXT                       -- "200", "304" or the one-line problem
);

-- One row per feed entry ever met. An entry is done once ingested, skipped or given up on; a failed one
-- is tried again on later polls until it has failed `attempts` times.
CREATE TABLE feed_items (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id),
    item_key TEXT NOT NULL,                -- the entry's guid/id, else its link
    link TEXT,
    article_id TEXT,                       -- articles.article_id, when it was ingested
    status TEXT NOT NULL,                  -- ingested | skipped | failed | gave_up
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    first_seen TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (feed_id, item_key)
);
