-- The followups schema: every follow-up job the worker has received, its tries and outcome, one
-- row per attempt, and the effect record that makes a job's effect happen once. Applied with
-- search_path set to this schema. No personal data: ids, kinds, states, times and short error
-- texts that never echo names or addresses.
CREATE TABLE jobs (
  id              text PRIMARY KEY,            -- "<source>:<source id>", e.g. "inquiries:42"
  kind            text NOT NULL,               -- ACKNOWLEDGEMENT_EMAIL, COORDINATOR_ALERT, ...
  case_id         uuid NOT NULL,
  state           text NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'DONE', 'RETRYING', 'DEAD')),
  tries           integer NOT NULL DEFAULT 0,  -- attempts since creation or the last manual retry
  max_tries       integer NOT NULL,
  last_error      text,
  next_attempt_at timestamptz NOT NULL,        -- not run before this time
  lease_until     timestamptz,                 -- RUNNING: another worker may take over after it
  enqueued_at     timestamptz,                 -- last time the job was put on the Redis stream
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  last_attempt_at timestamptz,
  finished_at     timestamptz                  -- DONE or DEAD
);
CREATE INDEX jobs_by_case ON jobs (case_id, created_at);
-- The requeue scan and the metrics look at unfinished jobs only.
CREATE INDEX jobs_unfinished ON jobs (next_attempt_at) WHERE state IN ('PENDING', 'RUNNING', 'RETRYING');
CREATE INDEX jobs_dead ON jobs (finished_at) WHERE state = 'DEAD';

-- One row per attempt, for the dashboard and for operators.
CREATE TABLE attempts (
  job_id      text NOT NULL REFERENCES jobs (id),
  try         integer NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('DONE', 'FAILED')),
  error       text,
  PRIMARY KEY (job_id, started_at, try)
);

-- The effect of a job, keyed by the job id: written in the transaction that marks the job DONE, and
-- checked before any attempt, so a job delivered twice takes effect once.
CREATE TABLE effects (
  job_id      text PRIMARY KEY REFERENCES jobs (id),
  channel     text NOT NULL,                   -- email, webhook, none
  detail      text NOT NULL,                   -- e.g. the Message-ID sent; never an address
  happened_at timestamptz NOT NULL
);
