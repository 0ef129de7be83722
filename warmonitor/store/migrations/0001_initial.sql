-- warmonitor's record: articles, the events read from each (mentions), the merged events they make,
-- and what was said about them. Applied once, in order, by warmonitor.store.db (PRAGMA user_version).

CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE              -- outlet or wire agency, as the article names it
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,                -- arrival order
    article_id TEXT NOT NULL,              -- the id the reader gave (file name, JSONL id, feed item)
    content_hash TEXT NOT NULL UNIQUE,     -- sha256 of the normalised text: the same article twice is one row
    source_id INTEGER REFERENCES sources(id),
    title TEXT,
    published TEXT,                        -- YYYY-MM-DD
    url TEXT,
    origin TEXT,
    dateline TEXT,
    text TEXT NOT NULL,
    skipped TEXT,                          -- why no event was read, when none was
    ingested_at TEXT NOT NULL              -- UTC, ISO 8601
);
CREATE INDEX articles_article_id ON articles(article_id);

-- The monitor's record: one row per real-world event, however many reports tell it.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE,         -- "WM000042": stable, from the row id
    event_date TEXT,
    event_date_start TEXT,
    event_date_end TEXT,
    -- the columns filters read; NOCASE so "syria" finds "Syria" and the indexes still serve
    event_type TEXT COLLATE NOCASE,
    sub_event_type TEXT COLLATE NOCASE,
    actor1 TEXT COLLATE NOCASE,
    assoc_actor_1 TEXT COLLATE NOCASE,
    actor2 TEXT COLLATE NOCASE,
    assoc_actor_2 TEXT COLLATE NOCASE,
    country TEXT COLLATE NOCASE,
    admin1 TEXT COLLATE NOCASE,
    admin2 TEXT COLLATE NOCASE,
    location TEXT COLLATE NOCASE,
    latitude REAL,
    longitude REAL,
    fatalities INTEGER NOT NULL DEFAULT 0,
    notes TEXT,
    record TEXT NOT NULL,                  -- the whole merged Event as JSON (Event.to_dict())
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX events_date ON events(event_date);
CREATE INDEX events_country_date ON events(country, event_date);
CREATE INDEX events_sub_type ON events(sub_event_type);
CREATE INDEX events_actor1 ON events(actor1);
CREATE INDEX events_actor2 ON events(actor2);

-- Map queries by bounding box; the id is events.id. Events without coordinates have no row.
CREATE VIRTUAL TABLE events_bbox USING rtree(id, min_lon, max_lon, min_lat, max_lat);

-- One row per article per event: the event as that article alone told it.
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(id),
    ordinal INTEGER NOT NULL,              -- the event's place among the article's events
    event_rowid INTEGER NOT NULL REFERENCES events(id),
    record TEXT NOT NULL,                  -- the per-article Event as JSON, as `extract` writes it
    match TEXT,                            -- why it joined its event (JSON); null when it started one
    UNIQUE (article_rowid, ordinal)
);
CREATE INDEX mentions_event ON mentions(event_rowid);

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    mention_id INTEGER NOT NULL REFERENCES mentions(id),
    claimant TEXT NOT NULL,
    actor TEXT,
    verb TEXT,
    evidence TEXT                          -- JSON Evidence or null
);
CREATE INDEX claims_mention ON claims(mention_id);

-- "It now controls only the small pocket in Qadam", "the rebel-held town of X".
CREATE TABLE control_statements (
    id INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(id),
    actor TEXT,
    status TEXT NOT NULL,
    as_of TEXT,
    country TEXT,
    place_name TEXT,
    place TEXT,                            -- JSON Place
    evidence TEXT NOT NULL                 -- JSON list of Evidence
);
CREATE INDEX control_country ON control_statements(country);

-- What each later report changed in a merged event, and on what evidence.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    event_rowid INTEGER NOT NULL REFERENCES events(id),
    mention_id INTEGER REFERENCES mentions(id),
    field TEXT NOT NULL,
    old TEXT,                              -- JSON
    new TEXT,                              -- JSON
    article_id TEXT,
    source TEXT,
    published TEXT,
    reason TEXT,
    evidence TEXT,                         -- JSON list of Evidence
    recorded_at TEXT NOT NULL
);
CREATE INDEX revisions_event ON revisions(event_rowid);
