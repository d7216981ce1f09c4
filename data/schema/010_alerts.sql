-- Alerts (DESIGN §9), raised by src/store/alerts.c inside the writer's
-- transaction. Times: opened_us and the window are EVENT time (the alert of an
-- imported day carries that day's times); created/acked/closed are wall clock.

CREATE TABLE alert_states (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO alert_states VALUES (0, 'open'), (1, 'acknowledged'), (2, 'closed');

CREATE TABLE alert_scopes (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO alert_scopes VALUES (0, 'location'), (1, 'desk'), (2, 'employee');

CREATE TABLE alerts (
  id             INTEGER PRIMARY KEY,
  rule           TEXT NOT NULL,            -- [alert.NAME] of the config
  scope          INTEGER NOT NULL,         -- alert_scopes.code
  scope_key      TEXT NOT NULL,            -- location id, "location/desk" or employee id
  scope_name     TEXT NOT NULL,            -- its display name when opened (names change)
  state          INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1, 2)),
  opened_us      INTEGER NOT NULL,         -- ts of the event that crossed the threshold
  window_from_us INTEGER NOT NULL,
  window_to_us   INTEGER NOT NULL,
  trigger_event  TEXT NOT NULL,
  matched        INTEGER NOT NULL,         -- matching events in the window when opened
  ratings        INTEGER NOT NULL,         -- share rules: all ratings in the window; else 0
  summary        TEXT NOT NULL,            -- English; the UI words its own from the counts
  created_us     INTEGER NOT NULL,
  acked_us       INTEGER,
  acked_by       TEXT,
  closed_us      INTEGER,
  closed_by      TEXT,
  comment        TEXT
);
-- The cooldown lookup: the alert of a rule + scope nearest to an event's time.
CREATE INDEX alerts_rule_scope ON alerts(rule, scope_key, opened_us);
-- The status bar's open count and the default (not closed) list.
CREATE INDEX alerts_state ON alerts(state, opened_us);

CREATE TABLE alert_events (
  alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,                  -- events.id (no FK: events may be purged)
  PRIMARY KEY (alert_id, event_id)
) WITHOUT ROWID;
CREATE INDEX alert_events_event ON alert_events(event_id);

-- Window counts per scope. Only the types a rule can sensibly count (rating,
-- silent, red_button, force_majeure: about a fifth of the events) are indexed,
-- so the frequent emotion, arrival and clip events cost the hot insert path
-- nothing here. Each index is covering for the counts: (scope, type) is an
-- equality, ts the range, polarity is filtered inside the index. (Counting on
-- events_location_ts instead would read every event of the window, emotions
-- every few seconds per desk included, a table row each; these indexes take
-- an insert from only a fifth of the events.)
-- The predicate is a range, not `type IN (1, 2, 3, 4)`: SQLite evaluates an IN
-- list by building a temporary table, and it evaluates a partial index's WHERE
-- on every insert into events (with the IN lists of the old window queries:
-- ~100k of the ~178k instructions an imported event cost, measured).
-- Queries repeat the predicate literally, as `likely(type BETWEEN 1 AND 4)`:
-- SQLite uses a partial index only when the query's WHERE contains the
-- index's, and the likely() wrapper keeps the planner from seeking on that
-- wide type range instead of the query's own `type = ?`.
CREATE INDEX events_alert_location ON events(location_id, type, ts, polarity)
  WHERE type BETWEEN 1 AND 4;
CREATE INDEX events_alert_desk ON events(location_id, desk, type, ts, polarity)
  WHERE type BETWEEN 1 AND 4;
CREATE INDEX events_alert_employee ON events(employee_id, type, ts, polarity)
  WHERE type BETWEEN 1 AND 4;
