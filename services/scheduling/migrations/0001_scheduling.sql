-- The scheduling schema: hosts and their working rules, consultation types, bookings (which never
-- overlap per host, enforced here by an exclusion constraint), the booking history, and the
-- outbox of reminders. Applied with search_path set to this schema.

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

CREATE TABLE consultation_types (
  code                      text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  name                      text NOT NULL,
  duration_minutes          integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
  min_cancel_notice_minutes integer NOT NULL CHECK (min_cancel_notice_minutes >= 0)
);

CREATE TABLE hosts (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                  text NOT NULL,
  kind                  text NOT NULL CHECK (kind IN ('COORDINATOR', 'CLINIC_DOCTOR')),
  time_zone             text NOT NULL,
  consultation_types    text[] NOT NULL,
  -- The rules as the API shapes them (JSON of WorkingHours / DateException lists).
  working_hours         jsonb NOT NULL DEFAULT '[]',
  exceptions            jsonb NOT NULL DEFAULT '[]',
  buffer_before_minutes integer NOT NULL DEFAULT 0 CHECK (buffer_before_minutes BETWEEN 0 AND 240),
  buffer_after_minutes  integer NOT NULL DEFAULT 0 CHECK (buffer_after_minutes BETWEEN 0 AND 240),
  min_notice_minutes    integer NOT NULL DEFAULT 0 CHECK (min_notice_minutes >= 0),
  horizon_days          integer NOT NULL DEFAULT 60 CHECK (horizon_days BETWEEN 1 AND 730),
  user_id               uuid,   -- coordinators: their account (Identity's id, not a foreign key)
  clinic_id             uuid,   -- clinic doctors: their clinic (Catalog's id, not a foreign key)
  active                boolean NOT NULL DEFAULT true,
  -- The private feed token, hashed (SHA-256 hex): the token itself is shown once.
  calendar_token_hash   text UNIQUE,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hosts_by_name ON hosts (name, id) WHERE active;

CREATE TABLE bookings (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  host_id             uuid NOT NULL REFERENCES hosts (id),
  case_id             uuid NOT NULL,  -- Inquiries' case id (not a foreign key: another service)
  type                text NOT NULL REFERENCES consultation_types (code),
  start_time          timestamptz NOT NULL,
  end_time            timestamptz NOT NULL CHECK (end_time > start_time),
  -- [start - buffer before, end + buffer after) under the host's buffers when booked: two live
  -- bookings of one host may not share any of it.
  blocked             tstzrange NOT NULL,
  status              text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED')),
  hold_expires_at     timestamptz,
  linked_booking_id   uuid REFERENCES bookings (id),
  culture_weeks_min   integer,  -- linked visits: the gap the pair must keep
  culture_weeks_max   integer,
  cancel_reason       text,
  -- A confirmed consultation that has yet to move its case to CONSULTATION_BOOKED (through the
  -- Inquiries API, retried until it succeeds).
  case_stage_pending  boolean NOT NULL DEFAULT false,
  sequence            integer NOT NULL DEFAULT 0,  -- iCalendar SEQUENCE: bumps on every change
  created_by          text NOT NULL,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  CONSTRAINT bookings_never_overlap EXCLUDE USING gist (host_id WITH =, blocked WITH &&)
    WHERE (status IN ('HELD', 'CONFIRMED'))
);
CREATE INDEX bookings_by_host ON bookings USING gist (host_id, blocked);
CREATE INDEX bookings_by_case ON bookings (case_id, start_time);
CREATE INDEX bookings_by_link ON bookings (linked_booking_id) WHERE linked_booking_id IS NOT NULL;
CREATE INDEX bookings_held ON bookings (hold_expires_at) WHERE status = 'HELD';
CREATE INDEX bookings_stage_pending ON bookings (updated_at) WHERE case_stage_pending;

-- Every change of a booking, oldest first: the history the dashboard shows.
CREATE TABLE booking_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  booking_id  uuid NOT NULL REFERENCES bookings (id),
  event       text NOT NULL CHECK (event IN ('HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED',
                                             'RESCHEDULED')),
  actor       text NOT NULL,
  start_time  timestamptz NOT NULL,  -- the booking's start after the event
  previous_start_time timestamptz,   -- RESCHEDULED: where it was
  at          timestamptz NOT NULL
);
CREATE INDEX booking_events_by_booking ON booking_events (booking_id, id);

-- Transactional outbox of reminders (the same shape as inquiries.outbox, relayed by the shared
-- OutboxRelay to the follow-ups stream as "scheduling:<id>"). A cancelled reminder is marked sent
-- and received at once, so the relay never picks it up.
CREATE TABLE outbox (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       uuid NOT NULL,
  booking_id    uuid NOT NULL REFERENCES bookings (id),
  kind          text NOT NULL CHECK (kind IN ('CONSULTATION_REMINDER')),
  due_at        timestamptz NOT NULL,
  lead          interval NOT NULL,   -- how long before the start (24 h, 1 h)
  booking_start timestamptz NOT NULL,  -- the start it reminds of: moved bookings get new rows
  created_at    timestamptz NOT NULL,
  sent_at       timestamptz,
  received_at   timestamptz,
  cancelled_at  timestamptz,
  enqueue_count integer NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unsent_due ON outbox (due_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_unconfirmed ON outbox (sent_at) WHERE received_at IS NULL AND sent_at IS NOT NULL;
CREATE INDEX outbox_by_booking ON outbox (booking_id);
