-- The identity schema: coordinator and admin accounts, partner API keys (hashed), and the audit log
-- of privileged actions. Owned by carebridge-inquiries (services/identity); other services verify
-- credentials through Redis (services/common/credentials.h), never by reading these tables.

CREATE TABLE users (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email            text NOT NULL,
  email_normalized text NOT NULL UNIQUE,
  password_hash    text NOT NULL,               -- libsodium crypto_pwhash_str (Argon2id)
  role             text NOT NULL CHECK (role IN ('coordinator', 'admin')),
  languages        text[] NOT NULL DEFAULT '{}', -- lowercase BCP 47 primary tags
  lead             boolean NOT NULL DEFAULT false,
  active           boolean NOT NULL DEFAULT true,
  last_assigned_at timestamptz,                 -- round-robin assignment of new cases
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_assignable ON users (last_assigned_at NULLS FIRST, id)
  WHERE active AND role = 'coordinator';

CREATE TABLE partners (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  key_hash   text NOT NULL UNIQUE,  -- hex SHA-256 of the key; the key itself is never stored
  scopes     text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE UNIQUE INDEX partners_active_name ON partners (name) WHERE revoked_at IS NULL;

-- Who did what, when: user and partner management, logins and logouts. Case changes are on the
-- case timeline (inquiries.case_events). `details` never holds passwords or keys.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,   -- 'user:<id>', 'cli', 'anonymous'
  action      text NOT NULL,   -- e.g. user.created, partner.revoked, session.created
  target      text,            -- 'user:<id>', 'partner:<id>'
  details     jsonb NOT NULL DEFAULT '{}',
  request_id  text
);
CREATE INDEX audit_log_by_time ON audit_log (occurred_at);
