-- Checklist entries (DESIGN §7, issue 12): one entry per incident (an event)
-- and checklist definition, with every revision kept. Written by
-- src/store/review.c inside BEGIN IMMEDIATE transactions, so two supervisors
-- saving at once are serialised and the revision check below is exact.
--
-- checklist_revisions holds every saved revision (the history); the current
-- one is the highest revision of (event_id, checklist), mirrored in
-- checklist_entries so the queue and the causes report read one row per
-- incident. Causes belong to a revision.

CREATE TABLE checklist_status (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
INSERT INTO checklist_status VALUES (0, 'draft'), (1, 'done');

CREATE TABLE checklist_revisions (
  event_id   TEXT NOT NULL,                -- events.id (no FK: events may be purged)
  checklist  TEXT NOT NULL,                -- the definition's id
  revision   INTEGER NOT NULL CHECK (revision >= 1),
  status     INTEGER NOT NULL CHECK (status IN (0, 1)),
  reviewer   TEXT NOT NULL,                -- the OS user who saved it
  saved_us   INTEGER NOT NULL,             -- wall clock, UTC microseconds
  comment    TEXT NOT NULL DEFAULT '',
  needs_info INTEGER NOT NULL DEFAULT 0 CHECK (needs_info IN (0, 1)),
  no_cause   INTEGER NOT NULL DEFAULT 0 CHECK (no_cause IN (0, 1)),
  PRIMARY KEY (event_id, checklist, revision)
) WITHOUT ROWID;

-- The causes marked in a revision. at_ms: the playback position (ms relative
-- to the event, negative before it) stamped when the cause was toggled on,
-- NULL when none.
CREATE TABLE checklist_causes (
  event_id   TEXT NOT NULL,
  checklist  TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  item       TEXT NOT NULL,                -- the item's id in the definition
  ord        INTEGER NOT NULL,             -- order as marked
  is_primary INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  at_ms      INTEGER,
  PRIMARY KEY (event_id, checklist, revision, item),
  FOREIGN KEY (event_id, checklist, revision)
    REFERENCES checklist_revisions (event_id, checklist, revision) ON DELETE CASCADE
) WITHOUT ROWID;

-- The current revision of each entry (one row per incident and checklist).
CREATE TABLE checklist_entries (
  event_id   TEXT NOT NULL,
  checklist  TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  status     INTEGER NOT NULL,
  reviewer   TEXT NOT NULL,
  saved_us   INTEGER NOT NULL,
  needs_info INTEGER NOT NULL DEFAULT 0,
  no_cause   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, checklist)
) WITHOUT ROWID;
-- The report joins done entries to their incidents; the queue looks entries
-- up by event.
CREATE INDEX checklist_entries_done ON checklist_entries(checklist, status, event_id);

-- Claims: "I am reviewing this incident", visible to every console sharing
-- the database. A claim past expires_us is free again (nobody has to clean
-- it up; the next claim replaces it).
CREATE TABLE checklist_claims (
  event_id   TEXT PRIMARY KEY,
  claimed_by TEXT NOT NULL,
  claimed_us INTEGER NOT NULL,
  expires_us INTEGER NOT NULL
) WITHOUT ROWID;
