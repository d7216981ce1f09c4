-- Indexes the console's views need (include/cxm/views.h).
-- The stream filtered by one event type (red buttons, force majeure: rare
-- types) walks this index newest first instead of scanning every event; a type
-- with no events at all answers at once instead of after a full scan.
CREATE INDEX IF NOT EXISTS events_type_ts ON events(type, ts);
