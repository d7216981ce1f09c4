-- Version 2: a readable view of the events for the sqlite3 shell and for
-- ad-hoc reports (codes spelled out, times in UTC RFC 3339).
CREATE VIEW events_v AS
SELECT e.id,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.ts / 1000000.0, 'unixepoch') AS ts_utc,
       e.tz_offset, t.name AS type, e.location_id, l.name AS location_name, e.desk,
       e.employee_id, m.name AS employee_name, e.visit, e.rating, p.name AS polarity,
       el.name AS employee_emotion, cl.name AS customer_emotion,
       e.camera, e.ref, e.clip_kind, e.clip_url, e.count, e.period_s
FROM events e
JOIN event_types t ON t.code = e.type
JOIN polarities p ON p.code = e.polarity
LEFT JOIN emo_labels el ON el.code = e.emp_label
LEFT JOIN emo_labels cl ON cl.code = e.cust_label
LEFT JOIN locations l ON l.id = e.location_id
LEFT JOIN employees m ON m.id = e.employee_id;
