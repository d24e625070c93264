-- The outbox relay and the follow-ups worker: when the relay last handed a row to Redis (sent_at,
-- from 0001), how often it did, and when the worker confirmed it holds the job in its own database.
-- A row sent but never confirmed (Redis lost it) is sent again after a while; the worker keys its
-- effects on the job id, so a second delivery is harmless.
ALTER TABLE outbox ADD COLUMN received_at timestamptz;
ALTER TABLE outbox ADD COLUMN enqueue_count integer NOT NULL DEFAULT 0;
CREATE INDEX outbox_unconfirmed ON outbox (sent_at) WHERE received_at IS NULL AND sent_at IS NOT NULL;
