-- Forwarding alerts to Telegram exactly once across every process sharing the
-- database (src/store/alerts_tg.c): a process claims an alert with a guarded
-- UPDATE inside BEGIN IMMEDIATE, posts it, then marks it sent. A claim expires
-- (tg_claim_until_us, wall clock), so an alert claimed by a process that died
-- is posted by another one.
-- tg_state: 0 to send, 1 claimed, 2 sent, 3 not forwarded (older than max_age,
-- or stored before this migration: history never floods the chat).
ALTER TABLE alerts ADD COLUMN tg_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN tg_owner TEXT;
ALTER TABLE alerts ADD COLUMN tg_claim_until_us INTEGER;
ALTER TABLE alerts ADD COLUMN tg_sent_us INTEGER;
UPDATE alerts SET tg_state = 3;
CREATE INDEX alerts_tg_pending ON alerts(tg_state, id) WHERE tg_state < 2;
