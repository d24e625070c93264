#include "services/inquiries/case_store.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/inquiries/inquiry_validator.h"

namespace carebridge::inquiries {
namespace {

using carebridge::v1::Case;
using carebridge::v1::CaseEvent;

constexpr char kTimestampFormat[] = "YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"";

const std::string& CaseColumns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "id, reference, stage, coalesce(assignee_id::text, ''), "
      "to_char(created_at AT TIME ZONE 'UTC', '",
      kTimestampFormat,
      "'), "
      "to_char(updated_at AT TIME ZONE 'UTC', '",
      kTimestampFormat,
      "'), "
      "coalesce(lost_reason, ''), coalesce(partner_id::text, ''), full_name, email, "
      "coalesce(phone, ''), coalesce(country_of_residence, ''), coalesce(preferred_language, ''), "
      "patient_age, condition, coalesce(stroke_type, ''), months_since_event, mrs_score, "
      "coalesce(destination_country, ''), coalesce(cell_source, ''), budget_usd_max, "
      "coalesce(travel_window_start::text, ''), coalesce(travel_window_end::text, ''), "
      "needs_interpreter, coalesce(message, ''), coalesce(partner_reference, ''), "
      "coalesce(utm_source, ''), coalesce(utm_medium, ''), coalesce(utm_campaign, ''), "
      "coalesce(source_page, ''), coalesce(lost_from_stage, '')"));
  return *columns;
}

// The filters are nullable parameters: PostgreSQL plans an unnamed statement with the actual
// values, so `$1 IS NULL OR ...` folds away and each call uses the index of the filters it has.
const std::string& ListSql() {
  static const std::string* sql = new std::string(
      absl::StrCat("SELECT ", CaseColumns(),
                   " FROM inquiries.cases "
                   "WHERE ($1::text IS NULL OR stage = $1) "
                   "  AND ($2::uuid IS NULL OR assignee_id = $2) "
                   "  AND (NOT $3::bool OR assignee_id IS NULL) "
                   "  AND ($4::text IS NULL OR condition = $4) "
                   "  AND ($5::bpchar IS NULL OR country_of_residence = $5) "
                   "  AND ($6::timestamptz IS NULL OR created_at >= $6) "
                   "  AND ($7::timestamptz IS NULL OR created_at < $7) "
                   "  AND ($8::text IS NULL OR search_text LIKE $8) "
                   "  AND ($9::uuid IS NULL OR partner_id = $9) "
                   "  AND ($10::timestamptz IS NULL OR (created_at, id) < ($10, $11::uuid)) "
                   "ORDER BY created_at DESC, id DESC LIMIT $12"));
  return *sql;
}

const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

std::string LikePattern(const std::string& q) {
  std::string out = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

google::protobuf::Timestamp ParseTimestamp(const std::string& text) {
  google::protobuf::Timestamp ts;
  (void)google::protobuf::util::TimeUtil::FromString(text, &ts);
  return ts;
}

template <typename E>
E ParseEnum(const std::string& name, bool (*parse)(const std::string&, E*)) {
  E value{};
  if (!name.empty()) parse(name, &value);
  return value;
}

Case CaseFrom(const pqxx::row& row, std::string* lost_from = nullptr) {
  Case c;
  c.set_case_id(row[0].as<std::string>());
  c.set_reference(row[1].as<std::string>());
  c.set_stage(ParseEnum(row[2].as<std::string>(), &carebridge::v1::Stage_Parse));
  c.set_assignee_id(row[3].as<std::string>());
  *c.mutable_created_at() = ParseTimestamp(row[4].as<std::string>());
  *c.mutable_updated_at() = ParseTimestamp(row[5].as<std::string>());
  c.set_lost_reason(row[6].as<std::string>());
  c.set_partner_id(row[7].as<std::string>());
  c.set_full_name(row[8].as<std::string>());
  c.set_email(row[9].as<std::string>());
  c.set_phone(row[10].as<std::string>());
  c.set_country_of_residence(row[11].as<std::string>());
  c.set_preferred_language(row[12].as<std::string>());
  if (!row[13].is_null()) c.set_patient_age(row[13].as<int>());
  c.set_condition(row[14].as<std::string>());
  c.set_stroke_type(ParseEnum(row[15].as<std::string>(), &carebridge::v1::StrokeType_Parse));
  if (!row[16].is_null()) c.set_months_since_event(row[16].as<int>());
  if (!row[17].is_null()) c.set_mrs_score(row[17].as<int>());
  c.set_destination_country(row[18].as<std::string>());
  c.set_cell_source(ParseEnum(row[19].as<std::string>(), &carebridge::v1::CellSource_Parse));
  if (!row[20].is_null()) c.set_budget_usd_max(row[20].as<long long>());
  c.set_travel_window_start(row[21].as<std::string>());
  c.set_travel_window_end(row[22].as<std::string>());
  c.set_needs_interpreter(row[23].as<bool>());
  c.set_message(row[24].as<std::string>());
  c.set_partner_reference(row[25].as<std::string>());
  c.set_utm_source(row[26].as<std::string>());
  c.set_utm_medium(row[27].as<std::string>());
  c.set_utm_campaign(row[28].as<std::string>());
  c.set_source_page(row[29].as<std::string>());
  if (lost_from != nullptr) *lost_from = row[30].as<std::string>();
  return c;
}

std::string EventDetails(const std::vector<carebridge::v1::FieldChange>& changes) {
  google::protobuf::Struct details;
  auto* list = (*details.mutable_fields())["changes"].mutable_list_value();
  for (const auto& change : changes) {
    auto* fields = list->add_values()->mutable_struct_value()->mutable_fields();
    (*fields)["field"].set_string_value(change.field());
    (*fields)["old"].set_string_value(change.old_value());
    (*fields)["new"].set_string_value(change.new_value());
  }
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(details, &json);
  return json;
}

CaseEvent EventFrom(const pqxx::row& row) {
  CaseEvent event;
  event.set_event_id(row[0].as<std::string>());
  event.set_case_id(row[1].as<std::string>());
  *event.mutable_occurred_at() = ParseTimestamp(row[2].as<std::string>());
  event.set_actor(row[3].as<std::string>());
  event.set_kind(row[4].as<std::string>());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  (void)google::protobuf::util::JsonStringToMessage(row[5].as<std::string>(),
                                                    event.mutable_details(), options);
  const auto& fields = event.details().fields();
  if (auto it = fields.find("note"); it != fields.end()) event.set_note(it->second.string_value());
  if (auto it = fields.find("changes"); it != fields.end()) {
    for (const auto& value : it->second.list_value().values()) {
      const auto& change = value.struct_value().fields();
      auto* out = event.add_changes();
      if (auto f = change.find("field"); f != change.end())
        out->set_field(f->second.string_value());
      if (auto f = change.find("old"); f != change.end())
        out->set_old_value(f->second.string_value());
      if (auto f = change.find("new"); f != change.end())
        out->set_new_value(f->second.string_value());
    }
  }
  return event;
}

constexpr char kEventColumns[] =
    "id::text, case_id, to_char(occurred_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), actor, kind, details::text";

std::string OptionalInt(bool has, long long value) { return has ? std::to_string(value) : ""; }

std::string EnumOrEmpty(int value, const std::string& name) { return value == 0 ? "" : name; }

}  // namespace

std::string MicrosTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

absl::StatusOr<CasePage> CaseStore::ListCases(const CaseFilter& f) {
  CasePage page;
  const std::string stage = f.stage, assignee = f.assignee_id, condition = f.condition,
                    country = f.country, partner = f.partner_id;
  const std::string after = f.created_after ? MicrosTimestamp(*f.created_after) : "";
  const std::string before = f.created_before ? MicrosTimestamp(*f.created_before) : "";
  const std::string like = f.q.empty() ? "" : LikePattern(f.q);
  absl::Status status = pool_.InTransaction("list_cases", [&](pqxx::work& tx) {
    page = CasePage{};
    const pqxx::result rows = tx.exec_params(
        ListSql(), OrNull(stage), OrNull(assignee), f.unassigned, OrNull(condition),
        OrNull(country), OrNull(after), OrNull(before), OrNull(like), OrNull(partner),
        OrNull(f.after_created_at), OrNull(f.after_id), f.page_size + 1);
    for (const pqxx::row& row : rows) {
      if (static_cast<int>(page.cases.size()) == f.page_size) {
        page.more = true;
        break;
      }
      page.cases.push_back(CaseFrom(row));
      page.last_created_at = row[4].as<std::string>();
      page.last_id = row[0].as<std::string>();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return page;
}

absl::StatusOr<Case> CaseStore::GetCase(const std::string& case_id, const std::string& partner_id) {
  std::optional<Case> found;
  absl::Status status = pool_.InTransaction("get_case", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", CaseColumns(),
                     " FROM inquiries.cases WHERE id = $1 AND ($2::uuid IS NULL OR partner_id = "
                     "$2)"),
        case_id, OrNull(partner_id));
    if (!rows.empty()) found = CaseFrom(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError("no such case");
  return *found;
}

absl::StatusOr<bool> CaseStore::IsActiveUser(const std::string& user_id) {
  bool active = false;
  absl::Status status = pool_.InTransaction("is_active_user", [&](pqxx::work& tx) {
    active = !tx.exec_params("SELECT 1 FROM identity.users WHERE id = $1::uuid AND active", user_id)
                  .empty();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return active;
}

absl::StatusOr<Case> CaseStore::UpdateCase(
    const std::string& case_id, const std::string& actor, const std::string& request_id,
    absl::Time now, const std::function<absl::StatusOr<CaseUpdate>(const CurrentCase&)>& plan) {
  Case result;
  const std::string at = MicrosTimestamp(now);
  absl::Status status = pool_.InTransaction("update_case", [&](pqxx::work& tx) -> absl::Status {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", CaseColumns(), " FROM inquiries.cases WHERE id = $1 FOR UPDATE"),
        case_id);
    if (rows.empty()) return absl::NotFoundError("no such case");
    CurrentCase current;
    current.value = CaseFrom(rows[0], &current.lost_from_stage);
    absl::StatusOr<CaseUpdate> update = plan(current);
    if (!update.ok()) return update.status();
    const Case& c = update->updated;
    if (update->changes.empty()) {
      result = current.value;
      return absl::OkStatus();
    }
    tx.exec_params(
        "UPDATE inquiries.cases SET stage = $2, assignee_id = $3::uuid, lost_reason = $4, "
        "lost_from_stage = $5, full_name = $6, email = $7, email_normalized = $8, phone = $9, "
        "country_of_residence = $10, preferred_language = $11, patient_age = $12::smallint, "
        "condition = $13, mrs_score = $14::smallint, months_since_event = $15::smallint, "
        "destination_country = $16, budget_usd_max = $17::bigint, needs_interpreter = $18, "
        "cell_source = $19, stroke_type = $20, updated_at = $21 WHERE id = $1",
        case_id, carebridge::v1::Stage_Name(c.stage()), OrNull(c.assignee_id()),
        OrNull(c.lost_reason()), OrNull(update->lost_from_stage), c.full_name(), c.email(),
        NormalizedEmail(c.email()), OrNull(c.phone()), OrNull(c.country_of_residence()),
        OrNull(c.preferred_language()), OrNull(OptionalInt(c.has_patient_age(), c.patient_age())),
        c.condition(), OrNull(OptionalInt(c.has_mrs_score(), c.mrs_score())),
        OrNull(OptionalInt(c.has_months_since_event(), c.months_since_event())),
        OrNull(c.destination_country()),
        OrNull(OptionalInt(c.has_budget_usd_max(), c.budget_usd_max())), c.needs_interpreter(),
        OrNull(EnumOrEmpty(c.cell_source(), carebridge::v1::CellSource_Name(c.cell_source()))),
        OrNull(EnumOrEmpty(c.stroke_type(), carebridge::v1::StrokeType_Name(c.stroke_type()))), at);
    tx.exec_params(
        "INSERT INTO inquiries.case_events (case_id, occurred_at, actor, kind, details, "
        "request_id) VALUES ($1, $2, $3, $4, $5::jsonb, $6)",
        case_id, at, actor, update->kind, EventDetails(update->changes), OrNull(request_id));
    if (update->stage_changed && !current.value.partner_id().empty()) {
      // The worker reads the case (reference, stage) when it sends: the payload holds no PII.
      tx.exec_params(
          "INSERT INTO inquiries.outbox (case_id, kind, due_at, payload, created_at) "
          "VALUES ($1, 'PARTNER_WEBHOOK', $2, jsonb_build_object('stage', $3::text, "
          "'previous_stage', $4::text, 'partner_id', $5::text), $2)",
          case_id, at, carebridge::v1::Stage_Name(c.stage()),
          carebridge::v1::Stage_Name(current.value.stage()), current.value.partner_id());
    }
    const pqxx::result after = tx.exec_params(
        absl::StrCat("SELECT ", CaseColumns(), " FROM inquiries.cases WHERE id = $1"), case_id);
    result = CaseFrom(after[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<CaseEvent> CaseStore::AddNote(const std::string& case_id, const std::string& actor,
                                             const std::string& text, const std::string& request_id,
                                             absl::Time now) {
  std::optional<CaseEvent> event;
  absl::Status status = pool_.InTransaction("add_note", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("INSERT INTO inquiries.case_events (case_id, occurred_at, actor, kind, "
                     "details, request_id) SELECT id, $2, $3, 'NOTE', jsonb_build_object('note', "
                     "$4::text), $5 FROM inquiries.cases WHERE id = $1 RETURNING ",
                     kEventColumns),
        case_id, MicrosTimestamp(now), actor, text, OrNull(request_id));
    if (!rows.empty()) event = EventFrom(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!event) return absl::NotFoundError("no such case");
  return *event;
}

absl::StatusOr<std::vector<CaseEvent>> CaseStore::ListTimeline(const std::string& case_id) {
  std::vector<CaseEvent> events;
  bool exists = false;
  absl::Status status = pool_.InTransaction("list_timeline", [&](pqxx::work& tx) {
    events.clear();
    exists = !tx.exec_params("SELECT 1 FROM inquiries.cases WHERE id = $1", case_id).empty();
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kEventColumns,
                     " FROM inquiries.case_events WHERE case_id = $1 ORDER BY occurred_at, id"),
        case_id);
    for (const pqxx::row& row : rows) events.push_back(EventFrom(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!exists) return absl::NotFoundError("no such case");
  return events;
}

}  // namespace carebridge::inquiries
