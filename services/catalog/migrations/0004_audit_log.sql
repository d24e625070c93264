-- Who changed the catalog, when: every admin write (clinic and protocol create, update, archive),
-- recorded in the transaction of the change itself. `details` holds field names (the update mask),
-- never values.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,   -- 'user:<id>'
  action      text NOT NULL,   -- clinic.created, clinic.updated, clinic.archived, protocol.*
  target      text NOT NULL,   -- 'clinic:<id>', 'protocol:<id>'
  details     jsonb NOT NULL DEFAULT '{}',
  request_id  text
);
CREATE INDEX audit_log_by_target ON audit_log (target, occurred_at);
