-- Case management: the LOST reason and the stage a case was lost from (re-open goes back there),
-- free-text search over name, email and reference (pg_trgm), and indexes for keyset paging
-- (created_at DESC, id DESC) under each filter, so a page costs an index range scan at any size.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

ALTER TABLE cases ADD COLUMN lost_reason text;
ALTER TABLE cases ADD COLUMN lost_from_stage text;
ALTER TABLE cases ADD COLUMN search_text text
  GENERATED ALWAYS AS (lower(full_name || ' ' || email || ' ' || reference)) STORED;

CREATE INDEX cases_search_trgm ON cases USING gin (search_text public.gin_trgm_ops);
CREATE INDEX cases_by_stage ON cases (stage, created_at DESC, id DESC);
CREATE INDEX cases_by_assignee ON cases (assignee_id, created_at DESC, id DESC);
CREATE INDEX cases_by_partner ON cases (partner_id, created_at DESC, id DESC)
  WHERE partner_id IS NOT NULL;
CREATE INDEX cases_by_condition ON cases (condition, created_at DESC, id DESC);
CREATE INDEX cases_by_country ON cases (country_of_residence, created_at DESC, id DESC);
