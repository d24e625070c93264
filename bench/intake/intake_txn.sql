-- pgbench script: the same transaction the Inquiries store runs for a new case (see
-- services/inquiries/inquiry_store.cc): per-person advisory lock, open-case lookup, then the case,
-- its CREATED event and three outbox rows in one statement.
\set n random(1, 2000000000)
BEGIN;
SELECT pg_advisory_xact_lock(hashtextextended('bench-' || :client_id || '-' || :n || '@example.com' || E'\n' || 'stroke', 0));
SELECT id, reference, stage FROM inquiries.cases
 WHERE email_normalized = 'bench-' || :client_id || '-' || :n || '@example.com' AND condition = 'stroke'
   AND stage NOT IN ('COMPLETED', 'LOST', 'SPAM') AND last_inquiry_at > now() - interval '30 days'
 ORDER BY last_inquiry_at DESC LIMIT 1;
WITH new_case AS (
  INSERT INTO inquiries.cases (
    reference, stage, full_name, email, email_normalized, condition, months_since_event, mrs_score,
    destination_country, cell_source, budget_usd_max, needs_interpreter, message, contact_consent,
    privacy_policy_version, consented_at, utm_source, created_at, updated_at, last_inquiry_at)
  VALUES (
    'CB-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' ||
      (SELECT lpad(n, greatest(6, length(n)), '0')
       FROM (SELECT nextval('inquiries.case_reference_seq')::text AS n) AS seq),
    'NEW', 'Bench Patient', 'bench-' || :client_id || '-' || :n || '@example.com',
    'bench-' || :client_id || '-' || :n || '@example.com', 'stroke', 14, 3, 'JP', 'AUTOLOGOUS',
    40000, false, 'benchmark inquiry', true, '2026-01', now(), 'bench', now(), now(), now())
  RETURNING id, reference),
created_event AS (
  INSERT INTO inquiries.case_events (case_id, occurred_at, actor, kind, details, request_id)
  SELECT id, now(), 'bench', 'CREATED', jsonb_build_object('stage', 'NEW'), 'bench' FROM new_case),
follow_ups AS (
  INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at)
  SELECT new_case.id, f.kind, f.due_at, now()
  FROM new_case,
       unnest(string_to_array('ACKNOWLEDGEMENT_EMAIL,COORDINATOR_ALERT,SLA_CHECK', ','),
              ARRAY[now(), now(), now() + interval '24 hours']) AS f(kind, due_at))
SELECT id, reference FROM new_case;
COMMIT;
