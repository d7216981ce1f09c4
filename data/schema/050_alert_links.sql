-- When an event joined an alert (wall clock): the alert view says how many
-- events an acknowledged alert absorbed since the acknowledgement, and rings
-- the bell again after a configurable number more. NULL for links made before
-- this migration (they count as older than any acknowledgement).
ALTER TABLE alert_events ADD COLUMN linked_us INTEGER;
