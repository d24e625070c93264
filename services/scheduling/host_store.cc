#include "services/scheduling/host_store.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/common/ids.h"

namespace carebridge::scheduling {
namespace {

namespace v1 = carebridge::v1;

constexpr char kHostColumns[] =
    "id::text, name, kind, time_zone, array_to_string(consultation_types, ','), "
    "jsonb_build_object('workingHours', working_hours, 'exceptions', exceptions)::text, "
    "buffer_before_minutes, buffer_after_minutes, "
    "min_notice_minutes, horizon_days, coalesce(user_id::text, ''), "
    "coalesce(clinic_id::text, ''), active";

v1::Host HostFromRow(const pqxx::row& row) {
  v1::Host host;
  host.set_host_id(row[0].as<std::string>());
  host.set_name(row[1].as<std::string>());
  v1::HostKind kind = v1::HOST_KIND_UNSPECIFIED;
  v1::HostKind_Parse(row[2].as<std::string>(), &kind);
  host.set_kind(kind);
  host.set_time_zone(row[3].as<std::string>());
  for (absl::string_view type : absl::StrSplit(row[4].as<std::string>(), ',', absl::SkipEmpty())) {
    host.add_consultation_types(std::string(type));
  }
  // The JSON columns hold what UpsertHost wrote from the proto, so they parse back.
  v1::Host rules;
  if (google::protobuf::util::JsonStringToMessage(row[5].as<std::string>(), &rules).ok()) {
    *host.mutable_working_hours() = rules.working_hours();
    *host.mutable_exceptions() = rules.exceptions();
  }
  host.set_buffer_before_minutes(row[6].as<int>());
  host.set_buffer_after_minutes(row[7].as<int>());
  host.set_min_notice_minutes(row[8].as<int>());
  host.set_horizon_days(row[9].as<int>());
  host.set_user_id(row[10].as<std::string>());
  host.set_clinic_id(row[11].as<std::string>());
  host.set_active(row[12].as<bool>());
  return host;
}

// The host's availability rules as one JSON object printed by protobuf:
// {"workingHours": [...], "exceptions": [...]} (an empty list is left out). The statements store
// each list in its own jsonb column and read them back as one such object.
std::string RulesJson(const v1::Host& host) {
  v1::Host rules;
  *rules.mutable_working_hours() = host.working_hours();
  *rules.mutable_exceptions() = host.exceptions();
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(rules, &json);
  return json;
}

}  // namespace

absl::StatusOr<std::vector<v1::Host>> HostStore::ListHosts(const std::string& type) {
  std::vector<v1::Host> hosts;
  absl::Status status = pool_.InTransaction("list_hosts", [&](pqxx::work& tx) {
    hosts.clear();
    const pqxx::result rows =
        tx.exec_params(absl::StrCat("SELECT ", kHostColumns,
                                    " FROM scheduling.hosts WHERE active AND ($1 = '' OR $1 = ANY "
                                    "(consultation_types)) ORDER BY name, id"),
                       type);
    for (const pqxx::row& row : rows) hosts.push_back(HostFromRow(row));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return hosts;
}

absl::StatusOr<v1::Host> HostStore::GetHost(const std::string& host_id) {
  if (!IsUuid(host_id)) return absl::NotFoundError("no such host");
  std::optional<v1::Host> host;
  absl::Status status = pool_.InTransaction("get_host", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kHostColumns, " FROM scheduling.hosts WHERE id = $1::uuid"),
        host_id);
    if (!rows.empty()) host = HostFromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!host) return absl::NotFoundError("no such host");
  return *host;
}

absl::StatusOr<std::vector<v1::ConsultationType>> HostStore::ListTypes() {
  std::vector<v1::ConsultationType> types;
  absl::Status status = pool_.InTransaction("list_types", [&](pqxx::work& tx) {
    types.clear();
    for (const pqxx::row& row :
         tx.exec("SELECT code, name, duration_minutes, min_cancel_notice_minutes "
                 "FROM scheduling.consultation_types ORDER BY code")) {
      v1::ConsultationType type;
      type.set_code(row[0].as<std::string>());
      type.set_name(row[1].as<std::string>());
      type.set_duration_minutes(row[2].as<int>());
      type.set_min_cancel_notice_minutes(row[3].as<int>());
      types.push_back(std::move(type));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return types;
}

absl::StatusOr<v1::Host> HostStore::UpsertHost(const v1::Host& host) {
  if (!host.host_id().empty() && !IsUuid(host.host_id()))
    return absl::NotFoundError("no such host");
  std::string id;
  absl::Status status = pool_.InTransaction("upsert_host", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        "INSERT INTO scheduling.hosts AS h (id, name, kind, time_zone, consultation_types, "
        "  working_hours, exceptions, buffer_before_minutes, buffer_after_minutes, "
        "  min_notice_minutes, horizon_days, user_id, clinic_id, active) "
        "VALUES (coalesce(nullif($1, '')::uuid, gen_random_uuid()), $2, $3, $4, "
        "  string_to_array($5, ','), coalesce($6::jsonb -> 'workingHours', '[]'), "
        "  coalesce($6::jsonb -> 'exceptions', '[]'), $7, $8, $9, $10, "
        "  nullif($11, '')::uuid, nullif($12, '')::uuid, $13) "
        "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, "
        "  time_zone = EXCLUDED.time_zone, consultation_types = EXCLUDED.consultation_types, "
        "  working_hours = EXCLUDED.working_hours, exceptions = EXCLUDED.exceptions, "
        "  buffer_before_minutes = EXCLUDED.buffer_before_minutes, "
        "  buffer_after_minutes = EXCLUDED.buffer_after_minutes, "
        "  min_notice_minutes = EXCLUDED.min_notice_minutes, "
        "  horizon_days = EXCLUDED.horizon_days, user_id = EXCLUDED.user_id, "
        "  clinic_id = EXCLUDED.clinic_id, active = EXCLUDED.active, updated_at = now() "
        "RETURNING id::text",
        host.host_id(), host.name(), v1::HostKind_Name(host.kind()), host.time_zone(),
        absl::StrJoin(host.consultation_types(), ","), RulesJson(host),
        host.buffer_before_minutes(), host.buffer_after_minutes(), host.min_notice_minutes(),
        host.horizon_days(), host.user_id(), host.clinic_id(), host.active());
    id = rows[0][0].as<std::string>();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return GetHost(id);
}

absl::Status HostStore::SetCalendarTokenHash(const std::string& host_id,
                                             const std::string& token_hash) {
  if (!IsUuid(host_id)) return absl::NotFoundError("no such host");
  bool found = false;
  absl::Status status = pool_.InTransaction("rotate_calendar_token", [&](pqxx::work& tx) {
    found = tx.exec_params(
                  "UPDATE scheduling.hosts SET calendar_token_hash = $2, "
                  "updated_at = now() WHERE id = $1::uuid",
                  host_id, token_hash)
                .affected_rows() == 1;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found ? absl::OkStatus() : absl::NotFoundError("no such host");
}

absl::StatusOr<std::optional<v1::Host>> HostStore::HostByCalendarToken(
    const std::string& host_id, const std::string& token_hash) {
  if (!IsUuid(host_id)) return std::optional<v1::Host>();
  std::optional<v1::Host> host;
  absl::Status status = pool_.InTransaction("calendar_feed_host", [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_params(
        absl::StrCat("SELECT ", kHostColumns,
                     " FROM scheduling.hosts WHERE id = $1::uuid AND calendar_token_hash = $2"),
        host_id, token_hash);
    if (!rows.empty()) host = HostFromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return host;
}

}  // namespace carebridge::scheduling
