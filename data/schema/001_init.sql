-- cxm-console schema, version 1. Applied by src/store/store.c inside one
-- BEGIN IMMEDIATE transaction, which then sets PRAGMA user_version = 1 and the
-- application_id that marks the file as ours.
--
-- Codes stored as integers (small records keep inserts fast); the lookup
-- tables below name them for anyone querying with the sqlite3 shell.

CREATE TABLE event_types (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO event_types VALUES (0, 'arrival'), (1, 'rating'), (2, 'silent'),
  (3, 'red_button'), (4, 'force_majeure'), (5, 'emotion'), (6, 'clip'),
  (7, 'served'), (8, 'heartbeat');

CREATE TABLE emo_labels (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO emo_labels VALUES (0, 'unknown'), (1, 'positive'), (2, 'negative'),
  (3, 'mixed'), (4, 'poker');

CREATE TABLE polarities (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO polarities VALUES (0, 'none'), (1, 'positive'), (2, 'neutral'), (3, 'negative');

-- Every event but heartbeats, as received (names live in the name tables).
-- *_label is NULL when the emotion block was absent; shares/bursts NULL when
-- absent from the block; *_classified = 1 when the label was computed from them.
-- flags (derived at insert): 1 contact (rating|silent), 2 positive rating,
-- 4 negative rating, 8 loyal (positive rating, customer emotion positive).
CREATE TABLE events (
  id            TEXT PRIMARY KEY,
  ts            INTEGER NOT NULL,          -- UTC microseconds
  tz_offset     INTEGER NOT NULL,          -- seconds east of UTC, as the source wrote
  type          INTEGER NOT NULL,          -- event_types.code
  location_id   TEXT NOT NULL,
  desk          TEXT,
  employee_id   TEXT,
  visit         TEXT,
  rating        TEXT,
  polarity      INTEGER NOT NULL DEFAULT 0,
  flags         INTEGER NOT NULL DEFAULT 0,
  emp_label     INTEGER,
  emp_classified INTEGER,
  emp_positive  REAL,
  emp_negative  REAL,
  emp_neutral   REAL,
  emp_bursts    INTEGER,
  cust_label    INTEGER,
  cust_classified INTEGER,
  cust_positive REAL,
  cust_negative REAL,
  cust_neutral  REAL,
  cust_bursts   INTEGER,
  camera        TEXT,
  ref           TEXT,
  clip_kind     TEXT,
  clip_url      TEXT,
  count         INTEGER,
  period_s      INTEGER
);
CREATE INDEX events_ts ON events(ts);
CREATE INDEX events_employee_ts ON events(employee_id, ts) WHERE employee_id IS NOT NULL;
CREATE INDEX events_location_ts ON events(location_id, ts);
CREATE INDEX events_visit ON events(visit) WHERE visit IS NOT NULL;

-- Latest names seen (updated only when they change).
CREATE TABLE locations (
  id    TEXT PRIMARY KEY,
  name  TEXT
) WITHOUT ROWID;
CREATE TABLE employees (
  id          TEXT PRIMARY KEY,
  name        TEXT,
  location_id TEXT,                        -- where last seen
  desk        TEXT
) WITHOUT ROWID;

-- The dashboard's live mirror, one row per employee, never moved backwards in
-- time by late events. rating_emo_label: the employee's label at that rating
-- (from the rating itself, else the live label at that moment).
CREATE TABLE live (
  employee_id      TEXT PRIMARY KEY,
  location_id      TEXT,
  desk             TEXT,
  emo_label        INTEGER,
  emo_ts           INTEGER,
  rating           TEXT,
  rating_polarity  INTEGER,
  rating_ts        INTEGER,
  rating_emo_label INTEGER,
  rating_event_id  TEXT
) WITHOUT ROWID;

-- Clip links: from `clip` events (event_id = their ref) and from events that
-- carry a clip block (event_id = their own id). kind '' when not given.
CREATE TABLE clips (
  event_id TEXT NOT NULL,
  kind     TEXT NOT NULL,
  url      TEXT,
  PRIMARY KEY (event_id, kind)
) WITHOUT ROWID;

-- Feed positions: SSE Last-Event-ID per source, and log-tail file identity.
CREATE TABLE feed_cursors (
  source     TEXT PRIMARY KEY,
  last_id    TEXT NOT NULL,
  updated_us INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE tail_positions (
  path       TEXT PRIMARY KEY,
  dev        INTEGER NOT NULL,
  ino        INTEGER NOT NULL,
  offset     INTEGER NOT NULL,
  updated_us INTEGER NOT NULL
) WITHOUT ROWID;

-- KPI rollups, kept in the insert's transaction. rollup_q: 15-minute UTC
-- buckets, so any local day (+05:30, +05:45 too) and any 15-minute aligned
-- range is exact; rollup_d: whole UTC days, used when a day lies wholly
-- inside a query range (keeps a 30-day query to a few thousand rows).
-- bucket = start of the interval in seconds since the epoch (UTC).
-- desk/employee_id are '' when the event had none.
-- emo_*: employee emotion label over contacts (rating|silent).
CREATE TABLE rollup_q (
  bucket        INTEGER NOT NULL,
  location_id   TEXT NOT NULL,
  desk          TEXT NOT NULL,
  employee_id   TEXT NOT NULL,
  arrivals      INTEGER NOT NULL DEFAULT 0,
  served        INTEGER NOT NULL DEFAULT 0,
  silent        INTEGER NOT NULL DEFAULT 0,
  red_buttons   INTEGER NOT NULL DEFAULT 0,
  force_majeure INTEGER NOT NULL DEFAULT 0,
  ratings_total INTEGER NOT NULL DEFAULT 0,
  positive      INTEGER NOT NULL DEFAULT 0,
  negative      INTEGER NOT NULL DEFAULT 0,
  loyal         INTEGER NOT NULL DEFAULT 0,
  emo_unknown   INTEGER NOT NULL DEFAULT 0,
  emo_positive  INTEGER NOT NULL DEFAULT 0,
  emo_negative  INTEGER NOT NULL DEFAULT 0,
  emo_mixed     INTEGER NOT NULL DEFAULT 0,
  emo_poker     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, location_id, desk, employee_id)
) WITHOUT ROWID;
CREATE TABLE rollup_d (
  bucket        INTEGER NOT NULL,
  location_id   TEXT NOT NULL,
  desk          TEXT NOT NULL,
  employee_id   TEXT NOT NULL,
  arrivals      INTEGER NOT NULL DEFAULT 0,
  served        INTEGER NOT NULL DEFAULT 0,
  silent        INTEGER NOT NULL DEFAULT 0,
  red_buttons   INTEGER NOT NULL DEFAULT 0,
  force_majeure INTEGER NOT NULL DEFAULT 0,
  ratings_total INTEGER NOT NULL DEFAULT 0,
  positive      INTEGER NOT NULL DEFAULT 0,
  negative      INTEGER NOT NULL DEFAULT 0,
  loyal         INTEGER NOT NULL DEFAULT 0,
  emo_unknown   INTEGER NOT NULL DEFAULT 0,
  emo_positive  INTEGER NOT NULL DEFAULT 0,
  emo_negative  INTEGER NOT NULL DEFAULT 0,
  emo_mixed     INTEGER NOT NULL DEFAULT 0,
  emo_poker     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, location_id, desk, employee_id)
) WITHOUT ROWID;

-- Ratings per value and employee emotion label (emo_labels code): per-value
-- counts and the calibration table.
CREATE TABLE rollup_q_rating (
  bucket      INTEGER NOT NULL,
  location_id TEXT NOT NULL,
  desk        TEXT NOT NULL,
  employee_id TEXT NOT NULL,
  rating      TEXT NOT NULL,
  emo         INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (bucket, location_id, desk, employee_id, rating, emo)
) WITHOUT ROWID;
CREATE TABLE rollup_d_rating (
  bucket      INTEGER NOT NULL,
  location_id TEXT NOT NULL,
  desk        TEXT NOT NULL,
  employee_id TEXT NOT NULL,
  rating      TEXT NOT NULL,
  emo         INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (bucket, location_id, desk, employee_id, rating, emo)
) WITHOUT ROWID;
