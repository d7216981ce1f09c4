-- The recordings index (DESIGN §6, src/audio/recordings.c): one row per file
-- of ROOT/<desk>/, its header read once with libsndfile. size and mtime_ns
-- decide whether the header must be read again; a vanished file's row is
-- deleted when its folder is next looked at.
CREATE TABLE recordings (
  root      TEXT NOT NULL,          -- the recordings root it was found under
  path      TEXT NOT NULL,          -- relative to root: "reg-2/2026-11-23T09-00-00+0300.wav"
  dir       TEXT NOT NULL,          -- the desk folder: "reg-2"
  start_us  INTEGER NOT NULL,       -- from the file name, UTC
  frames    INTEGER NOT NULL,       -- 0 when unreadable
  rate      INTEGER NOT NULL,
  channels  INTEGER NOT NULL,
  format    INTEGER NOT NULL,       -- libsndfile SF_FORMAT_* (major | subtype)
  size      INTEGER NOT NULL,
  mtime_ns  INTEGER NOT NULL,
  error     TEXT,                   -- NULL = readable
  PRIMARY KEY (root, path)
) WITHOUT ROWID;
CREATE INDEX recordings_by_start ON recordings(root, dir, start_us);
