-- The inquiries schema: cases opened by "Contact us" inquiries, their timeline, the transactional
-- outbox of follow-ups, and idempotency keys. Applied with search_path set to this schema.

CREATE SEQUENCE case_reference_seq;

CREATE TABLE cases (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference              text NOT NULL UNIQUE,           -- CB-<year>-<6+ digits>
  stage                  text NOT NULL CHECK (stage IN ('NEW', 'CONTACTED', 'QUALIFIED',
                           'CONSULTATION_BOOKED', 'QUOTE_SENT', 'TREATMENT_SCHEDULED', 'COMPLETED',
                           'LOST', 'SPAM')),
  assignee_id            uuid,
  full_name              text NOT NULL,
  email                  text NOT NULL,
  email_normalized       text NOT NULL,
  phone                  text,
  country_of_residence   char(2),
  preferred_language     text,
  patient_age            smallint CHECK (patient_age BETWEEN 0 AND 120),
  condition              text NOT NULL DEFAULT '',
  stroke_type            text,
  months_since_event     smallint CHECK (months_since_event BETWEEN 0 AND 600),
  mrs_score              smallint CHECK (mrs_score BETWEEN 0 AND 6),
  destination_country    char(2),
  cell_source            text,
  budget_usd_max         bigint CHECK (budget_usd_max >= 0),
  travel_window_start    date,
  travel_window_end      date,
  needs_interpreter      boolean NOT NULL DEFAULT false,
  message                text,
  -- consent record: what the person agreed to, and when
  contact_consent        boolean NOT NULL,
  privacy_policy_version text NOT NULL,
  consented_at           timestamptz NOT NULL,
  -- attribution
  partner_id             uuid,
  partner_reference      text,
  utm_source             text,
  utm_medium             text,
  utm_campaign           text,
  source_page            text,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  last_inquiry_at        timestamptz NOT NULL,
  CHECK (travel_window_start IS NULL OR travel_window_end IS NULL
         OR travel_window_start <= travel_window_end)
);

-- Finds the open case of a person and condition (repeat inquiries).
CREATE INDEX cases_open_by_email ON cases (email_normalized, condition, last_inquiry_at DESC)
  WHERE stage NOT IN ('COMPLETED', 'LOST', 'SPAM');
CREATE INDEX cases_created_at ON cases (created_at DESC, id DESC);

-- The case timeline: every event with who and when. `details` holds what changed.
CREATE TABLE case_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     uuid NOT NULL REFERENCES cases (id),
  occurred_at timestamptz NOT NULL,
  actor       text NOT NULL,              -- 'web', 'partner:<id>', 'user:<id>', 'system'
  kind        text NOT NULL,              -- CREATED, REPEAT_INQUIRY, STAGE_CHANGED, NOTE, ...
  details     jsonb NOT NULL DEFAULT '{}',
  request_id  text
);
CREATE INDEX case_events_by_case ON case_events (case_id, occurred_at, id);

-- Transactional outbox: follow-ups written in the same transaction as the change that causes them.
-- The follow-up relay moves due, unsent rows to the Redis queue (selected by state and due time,
-- never by id order) and marks them sent only after Redis accepted them. Rows carry ids, not
-- personal data; the worker reads what it needs from the database.
CREATE TABLE outbox (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    uuid NOT NULL REFERENCES cases (id),
  kind       text NOT NULL CHECK (kind IN ('ACKNOWLEDGEMENT_EMAIL', 'COORDINATOR_ALERT',
                                           'SLA_CHECK', 'CONSULTATION_REMINDER',
                                           'PARTNER_WEBHOOK')),
  due_at     timestamptz NOT NULL,
  payload    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  sent_at    timestamptz                     -- set by the relay once Redis has the job
);
CREATE INDEX outbox_unsent_due ON outbox (due_at) WHERE sent_at IS NULL;

-- Idempotency keys of CreateInquiry: the first request's body hash and its reply.
CREATE TABLE idempotency_keys (
  key          text PRIMARY KEY,
  request_hash bytea NOT NULL,
  case_id      uuid,
  reference    text,
  reply_stage  text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
