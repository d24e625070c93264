-- Case counts by stage for the dashboard's overview (Inquiries.GetCaseStats), kept so that reading
-- them costs a few rows at any number of cases instead of a scan of `cases`.
--
-- Statement-level triggers append one signed delta row per stage a write statement changed
-- (intake's INSERT, UpdateCase's stage moves, deletes); nothing is ever updated in place, so
-- concurrent intakes never wait on a counter row. The current count of a stage is sum(n) over its
-- rows; GetCaseStats folds the rows into one per stage now and then (DELETE ... RETURNING then
-- INSERT of the sums, in one transaction). TRUNCATE of `cases` empties the counts.
CREATE TABLE case_stage_counts (
  stage text NOT NULL,
  n     bigint NOT NULL
);

CREATE FUNCTION case_stage_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inquiries.case_stage_counts (stage, n)
    SELECT stage, count(*) FROM new_rows GROUP BY stage;
  RETURN NULL;
END $$;

CREATE FUNCTION case_stage_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inquiries.case_stage_counts (stage, n)
    SELECT stage, sum(delta) FROM (
      SELECT o.stage, -1 AS delta FROM old_rows o JOIN new_rows w ON w.id = o.id
        WHERE w.stage <> o.stage
      UNION ALL
      SELECT w.stage, 1 FROM old_rows o JOIN new_rows w ON w.id = o.id
        WHERE w.stage <> o.stage) AS moves
    GROUP BY stage;
  RETURN NULL;
END $$;

CREATE FUNCTION case_stage_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inquiries.case_stage_counts (stage, n)
    SELECT stage, -count(*) FROM old_rows GROUP BY stage;
  RETURN NULL;
END $$;

CREATE FUNCTION case_stage_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM inquiries.case_stage_counts;
  RETURN NULL;
END $$;

-- No write to `cases` may slip between the triggers' creation and the initial counts.
LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE;

CREATE TRIGGER cases_count_inserted AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_stage_counts_inserted();
CREATE TRIGGER cases_count_updated AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_stage_counts_updated();
CREATE TRIGGER cases_count_deleted AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION case_stage_counts_deleted();
CREATE TRIGGER cases_count_truncated AFTER TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION case_stage_counts_truncated();

INSERT INTO case_stage_counts (stage, n) SELECT stage, count(*) FROM cases GROUP BY stage;
