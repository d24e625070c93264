#include "services/inquiries/inquiry_store.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/errors.h"

namespace carebridge::inquiries {
namespace {

using carebridge::v1::Inquiry;
using carebridge::v1::Stage;

constexpr char kClaimKey[] = "claim_idempotency_key";
constexpr char kClaimKeySql[] =
    "INSERT INTO inquiries.idempotency_keys (key, request_hash) VALUES ($1, decode($2, 'hex')) "
    "ON CONFLICT (key) DO NOTHING RETURNING key";

constexpr char kFindKey[] = "find_idempotency_key";
constexpr char kFindKeySql[] =
    "SELECT encode(request_hash, 'hex'), case_id, reference, reply_stage "
    "FROM inquiries.idempotency_keys WHERE key = $1";

constexpr char kSaveReply[] = "save_idempotent_reply";
constexpr char kSaveReplySql[] =
    "UPDATE inquiries.idempotency_keys SET case_id = $2, reference = $3, reply_stage = $4 "
    "WHERE key = $1";

// Serializes intake per person and condition, so two simultaneous inquiries cannot both open a
// case.
constexpr char kLockPerson[] = "lock_person";
constexpr char kLockPersonSql[] = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

// The open case a repeat inquiry joins. A partner's inquiry ($4) only joins a case that partner
// referred: joining anyone else's would hand the partner the reference of a case it may not see
// (and tell it that the person already inquired). A website inquiry ($4 NULL) joins any.
constexpr char kFindOpenCase[] = "find_open_case";
constexpr char kFindOpenCaseSql[] =
    "SELECT id, reference, stage FROM inquiries.cases "
    "WHERE email_normalized = $1 AND condition = $2 "
    "  AND stage NOT IN ('COMPLETED', 'LOST', 'SPAM') AND last_inquiry_at > $3 "
    "  AND ($4::uuid IS NULL OR partner_id = $4::uuid) "
    "ORDER BY last_inquiry_at DESC LIMIT 1";

constexpr char kRecordRepeat[] = "record_repeat";
constexpr char kRecordRepeatSql[] =
    "WITH touched AS ("
    "  UPDATE inquiries.cases SET last_inquiry_at = $2, updated_at = $2 WHERE id = $1 RETURNING "
    "id) "
    "INSERT INTO inquiries.case_events (case_id, occurred_at, actor, kind, details, request_id) "
    "SELECT id, $2, $3, 'REPEAT_INQUIRY', $4::jsonb, $5 FROM touched";

// The case, its CREATED event and its outbox rows in one statement (one round trip). Follow-ups
// arrive as two parallel comma-separated lists (kinds; due times), which never contain commas.
constexpr char kInsertCase[] = "insert_case";
// A new (non-spam) case is assigned round-robin among active coordinators: the least recently
// assigned one who speaks the patient's language (the tag or its primary subtag), else the least
// recently assigned of all. SKIP LOCKED lets simultaneous intakes take different coordinators
// instead of queueing on one row; only when every coordinator is held by another intake does this
// one wait (`queued`) for the coordinator at the head of that order, so no case is left unassigned
// (such waiters all take that one coordinator: uneven within a burst, evened out by the order).
// identity.users belongs to the same binary (services/identity).
constexpr char kInsertCaseSql[] = R"sql(
WITH free AS (
  SELECT id FROM identity.users
  WHERE $1::text = 'NEW' AND active AND role = 'coordinator'
  ORDER BY (lower(coalesce($7::text, '')) = ANY(languages)
            OR split_part(lower(coalesce($7::text, '')), '-', 1) = ANY(languages)) DESC,
           last_assigned_at NULLS FIRST, id
  LIMIT 1 FOR UPDATE SKIP LOCKED),
queued AS (
  SELECT id FROM identity.users
  WHERE $1::text = 'NEW' AND active AND role = 'coordinator' AND NOT EXISTS (SELECT 1 FROM free)
  ORDER BY (lower(coalesce($7::text, '')) = ANY(languages)
            OR split_part(lower(coalesce($7::text, '')), '-', 1) = ANY(languages)) DESC,
           last_assigned_at NULLS FIRST, id
  LIMIT 1 FOR UPDATE),
pick AS (SELECT id FROM free UNION ALL SELECT id FROM queued),
assigned AS (
  UPDATE identity.users SET last_assigned_at = clock_timestamp()
  WHERE id = (SELECT id FROM pick) RETURNING id),
new_case AS (
  INSERT INTO inquiries.cases (
    reference, stage, full_name, email, email_normalized, phone, country_of_residence,
    preferred_language, patient_age, condition, stroke_type, months_since_event, mrs_score,
    destination_country, cell_source, budget_usd_max, travel_window_start, travel_window_end,
    needs_interpreter, message, contact_consent, privacy_policy_version, consented_at,
    partner_reference, utm_source, utm_medium, utm_campaign, source_page,
    created_at, updated_at, last_inquiry_at, assignee_id, partner_id)
  VALUES (
    'CB-' || to_char($29::timestamptz AT TIME ZONE 'UTC', 'YYYY') || '-' ||
      (SELECT lpad(n, greatest(6, length(n)), '0')
       FROM (SELECT nextval('inquiries.case_reference_seq')::text AS n) AS seq),
    $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
    $29, $22, $23, $24, $25, $26, $29, $29, $29, (SELECT id FROM assigned), $32::uuid)
  RETURNING id, reference, assignee_id),
created_event AS (
  INSERT INTO inquiries.case_events (case_id, occurred_at, actor, kind, details, request_id)
  SELECT id, $29, $27, 'CREATED',
         jsonb_strip_nulls(jsonb_build_object('stage', $1::text, 'assignee_id', assignee_id::text,
                                              'partner_id', $32::text)), $28
  FROM new_case),
follow_ups AS (
  INSERT INTO inquiries.outbox (case_id, kind, due_at, created_at)
  SELECT new_case.id, f.kind, f.due_at, $29
  FROM new_case,
       unnest(string_to_array($30, ','), string_to_array($31, ',')::timestamptz[]) AS f(kind, due_at)
  WHERE $30 <> '')
SELECT id, reference FROM new_case
)sql";

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

// Text parameters: nullptr is SQL NULL.
const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

std::string StageName(Stage stage) { return carebridge::v1::Stage_Name(stage); }

Stage ParseStage(const std::string& name) {
  Stage stage = carebridge::v1::STAGE_UNSPECIFIED;
  carebridge::v1::Stage_Parse(name, &stage);
  return stage;
}

// What a repeat inquiry adds to the timeline: the new submission (less the honeypot).
std::string RepeatDetails(const Inquiry& inquiry) {
  Inquiry copy = inquiry;
  copy.clear_website();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(copy, &json, options);
  return json;
}

absl::Status RefusedKey() {
  return InvalidFields(
      {{"Idempotency-Key", "This idempotency key was already used with a different request."}});
}

}  // namespace

std::vector<std::pair<std::string, std::string>> InquiryStoreStatements() {
  return {{kClaimKey, kClaimKeySql},         {kFindKey, kFindKeySql},
          {kSaveReply, kSaveReplySql},       {kLockPerson, kLockPersonSql},
          {kFindOpenCase, kFindOpenCaseSql}, {kRecordRepeat, kRecordRepeatSql},
          {kInsertCase, kInsertCaseSql}};
}

absl::StatusOr<IntakeOutcome> InquiryStore::RecordInquiry(const IntakeRecord& record) {
  const Inquiry& in = record.inquiry;
  const std::string received = Timestamp(record.received_at);
  IntakeOutcome outcome;
  absl::Status status = pool_.InTransaction("record_inquiry", [&](pqxx::work& tx) -> absl::Status {
    outcome = IntakeOutcome{};
    if (record.idempotency.has_value()) {
      const IdempotencyClaim& claim = *record.idempotency;
      // A concurrent request with the same key waits here until the first one commits.
      if (tx.exec_prepared(kClaimKey, claim.key, claim.request_hash).empty()) {
        const pqxx::result found = tx.exec_prepared(kFindKey, claim.key);
        if (found.empty() || found[0][0].as<std::string>() != claim.request_hash) {
          return RefusedKey();
        }
        outcome.kind = IntakeOutcome::Kind::kReplayed;
        outcome.case_id = found[0][1].as<std::string>("");
        outcome.reference = found[0][2].as<std::string>("");
        outcome.stage = ParseStage(found[0][3].as<std::string>(""));
        return absl::OkStatus();
      }
    }

    const std::string email_normalized = NormalizedEmail(in.email());
    bool repeat = false;
    if (!record.spam) {
      tx.exec_prepared(kLockPerson, absl::StrCat(email_normalized, "\n", in.condition()));
      const pqxx::result open = tx.exec_prepared(
          kFindOpenCase, email_normalized, in.condition(),
          Timestamp(record.received_at - InquiryStore::kRepeatWindow), OrNull(record.partner_id));
      if (!open.empty()) {
        repeat = true;
        outcome.kind = IntakeOutcome::Kind::kRepeat;
        outcome.case_id = open[0][0].as<std::string>();
        outcome.reference = open[0][1].as<std::string>();
        outcome.stage = ParseStage(open[0][2].as<std::string>());
        tx.exec_prepared(kRecordRepeat, outcome.case_id, received, record.actor, RepeatDetails(in),
                         OrNull(record.request_id));
      }
    }

    if (!repeat) {
      std::vector<std::string> kinds, due;
      if (!record.spam) {
        for (const PlannedFollowUp& f : record.follow_ups) {
          kinds.push_back(f.kind);
          due.push_back(Timestamp(f.due_at));
        }
      }
      const std::string stage = StageName(record.spam ? carebridge::v1::SPAM : carebridge::v1::NEW);
      const std::string age = in.has_patient_age() ? std::to_string(in.patient_age()) : "";
      const std::string months =
          in.has_months_since_event() ? std::to_string(in.months_since_event()) : "";
      const std::string mrs = in.has_mrs_score() ? std::to_string(in.mrs_score()) : "";
      const std::string budget = in.has_budget_usd_max() ? std::to_string(in.budget_usd_max()) : "";
      const std::string stroke_type = in.stroke_type() == carebridge::v1::STROKE_TYPE_UNSPECIFIED
                                          ? ""
                                          : carebridge::v1::StrokeType_Name(in.stroke_type());
      const std::string cell_source = in.cell_source() == carebridge::v1::CELL_SOURCE_UNSPECIFIED
                                          ? ""
                                          : carebridge::v1::CellSource_Name(in.cell_source());
      const pqxx::result row = tx.exec_prepared(
          kInsertCase, stage, in.full_name(), in.email(), email_normalized, OrNull(in.phone()),
          OrNull(in.country_of_residence()), OrNull(in.preferred_language()), OrNull(age),
          in.condition(), OrNull(stroke_type), OrNull(months), OrNull(mrs),
          OrNull(in.destination_country()), OrNull(cell_source), OrNull(budget),
          OrNull(in.travel_window_start()), OrNull(in.travel_window_end()), in.needs_interpreter(),
          OrNull(in.message()), in.contact_consent(), in.privacy_policy_version(),
          OrNull(in.partner_reference()), OrNull(in.utm_source()), OrNull(in.utm_medium()),
          OrNull(in.utm_campaign()), OrNull(in.source_page()), record.actor,
          OrNull(record.request_id), received, absl::StrJoin(kinds, ","), absl::StrJoin(due, ","),
          OrNull(record.partner_id));
      outcome.kind = IntakeOutcome::Kind::kCreated;
      outcome.case_id = row[0][0].as<std::string>();
      outcome.reference = row[0][1].as<std::string>();
      // A spam case is answered like any other, so a bot learns nothing from the reply.
      outcome.stage = carebridge::v1::NEW;
    }

    if (record.idempotency.has_value()) {
      tx.exec_prepared(kSaveReply, record.idempotency->key, outcome.case_id, outcome.reference,
                       StageName(outcome.stage));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return outcome;
}

}  // namespace carebridge::inquiries
