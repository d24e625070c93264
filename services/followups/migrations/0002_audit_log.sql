-- Who ran a DEAD follow-up again by hand, and when (recorded with the retry itself).
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,   -- 'user:<id>', 'system'
  action      text NOT NULL,   -- follow_up.retried
  target      text NOT NULL,   -- 'follow_up:<job id>'
  request_id  text
);
