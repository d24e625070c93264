#include "services/catalog/catalog_store.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

using carebridge::v1::Clinic;
using carebridge::v1::Country;
using carebridge::v1::Protocol;

// Column lists shared by the reads (macros so that the statements stay compile-time constants).
// Timestamps are read as microseconds since the epoch; arrays as newline-joined text (validated
// elements never contain newlines).
#define CB_MICROS(column) "(extract(epoch FROM " column ") * 1000000)::bigint"
#define CB_CLINIC_COLUMNS \
  "c.id::text, c.name, c.country, c.city, c.time_zone, c.license_authority, " \
  "c.license_number, " \
  CB_MICROS("c.license_verified_at") ", " CB_MICROS("c.license_expires_at") ", "                \
  "c.cpc_accredited, array_to_string(c.languages, E'\\n'), c.interpreter_support, "             \
  "c.contact_email, c.contact_phone, c.contact_website, " CB_MICROS("c.archived_at") ", "       \
  CB_MICROS("c.updated_at") ", k.plan_required"
constexpr int kClinicColumns = 18;
#define CB_PROTOCOL_COLUMNS                                                               \
  "p.id::text, p.condition, p.cell_source, p.cell_type, p.route, p.cell_count_millions, " \
  "p.price_usd_min, p.price_usd_max, p.culture_weeks_min, p.culture_weeks_max, p.trips, " \
  "p.trip_days_min, p.trip_days_max, array_to_string(p.outcome_measures, E'\\n'), "       \
  "array_to_string(p.side_effects, E'\\n'), p.asrm_risk_class, p.asrm_plan_number, "      \
  "p.asrm_committee, " CB_MICROS("p.asrm_checked_at") ", " CB_MICROS(                     \
      "p.archived_at") ", " CB_MICROS("p.updated_at")

// A live protocol matching the search filters ($2 condition, $4 cell source, $5 route, $6 max
// price; '' or 0 means any) that its country's regulation allows to be offered.
#define CB_PROTOCOL_OFFERED_AND_MATCHING                                               \
  "p.archived_at IS NULL "                                                             \
  "AND ($2::text = '' OR p.condition = $2::text) "                                     \
  "AND ($4::text = '' OR p.cell_source = $4::text) "                                   \
  "AND ($5::text = '' OR p.route = $5::text) "                                         \
  "AND ($6::bigint = 0 OR p.price_usd_min <= $6::bigint) "                             \
  "AND (NOT k.plan_required OR (p.asrm_risk_class <> '' AND p.asrm_plan_number <> '' " \
  "AND p.asrm_committee <> ''))"

// Public search. $1 now, $3 country, $7 primary language, $8 interpreter support required,
// ($9, $10) the keyset position ('' and the nil UUID for the first page), $11 the page size. The
// (name, id) row comparison lets the scan start at the position on clinics_live_by_name.
constexpr char kSearch[] = "search_clinics";
constexpr char kSearchSql[] =
    "WITH page AS ("
    "  SELECT c.id FROM catalog.clinics c JOIN catalog.countries k ON k.code = c.country"
    "  WHERE c.archived_at IS NULL"
    "    AND c.license_verified_at <= $1::timestamptz AND c.license_expires_at > $1::timestamptz"
    "    AND (c.name, c.id) > ($9::text, $10::uuid)"
    "    AND ($3::text = '' OR c.country = $3::text)"
    "    AND ($7::text = '' OR EXISTS (SELECT 1 FROM unnest(c.languages) AS l(tag)"
    "                                  WHERE lower(split_part(l.tag, '-', 1)) = $7::text))"
    "    AND (NOT $8::boolean OR c.interpreter_support)"
    "    AND EXISTS (SELECT 1 FROM catalog.protocols p"
    "                WHERE p.clinic_id = c.id AND " CB_PROTOCOL_OFFERED_AND_MATCHING
    ")"
    "  ORDER BY c.name, c.id"
    "  LIMIT $11::integer) "
    "SELECT " CB_CLINIC_COLUMNS ", " CB_PROTOCOL_COLUMNS
    " FROM page JOIN catalog.clinics c ON c.id = page.id"
    " JOIN catalog.countries k ON k.code = c.country"
    " JOIN catalog.protocols p ON p.clinic_id = c.id AND " CB_PROTOCOL_OFFERED_AND_MATCHING
    " ORDER BY c.name, c.id, p.price_usd_min, p.id";

constexpr char kGetClinic[] = "get_clinic";
constexpr char kGetClinicSql[] =
    "SELECT " CB_CLINIC_COLUMNS ", " CB_PROTOCOL_COLUMNS
    " FROM catalog.clinics c JOIN catalog.countries k ON k.code = c.country"
    " LEFT JOIN catalog.protocols p ON p.clinic_id = c.id"
    " WHERE c.id = $1::uuid ORDER BY p.price_usd_min, p.id";

constexpr char kListClinics[] = "list_clinics";
constexpr char kListClinicsSql[] =
    "WITH page AS ("
    "  SELECT c.id FROM catalog.clinics c"
    "  WHERE ($3::boolean OR c.archived_at IS NULL) AND (c.name, c.id) > ($1::text, $2::uuid)"
    "  ORDER BY c.name, c.id LIMIT $4::integer) "
    "SELECT " CB_CLINIC_COLUMNS ", " CB_PROTOCOL_COLUMNS
    " FROM page JOIN catalog.clinics c ON c.id = page.id"
    " JOIN catalog.countries k ON k.code = c.country"
    " LEFT JOIN catalog.protocols p ON p.clinic_id = c.id"
    " ORDER BY c.name, c.id, p.price_usd_min, p.id";

constexpr char kListCountries[] = "list_countries";
constexpr char kListCountriesSql[] =
    "SELECT k.code, k.name, cc.condition, cc.cost_usd_min, cc.cost_usd_max, cc.cost_open_ended,"
    "       k.regulatory_level, k.regulatory_note, k.regulator"
    " FROM catalog.countries k"
    " JOIN catalog.country_costs cc ON cc.country_code = k.code AND cc.condition = $1::text"
    " ORDER BY k.display_order";

constexpr char kCountryCodes[] = "country_codes";
constexpr char kCountryCodesSql[] = "SELECT code FROM catalog.countries";

constexpr char kLockClinic[] = "lock_clinic";
constexpr char kLockClinicSql[] = "SELECT 1 FROM catalog.clinics WHERE id = $1::uuid FOR UPDATE";

constexpr char kInsertClinic[] = "insert_clinic";
constexpr char kInsertClinicSql[] =
    "INSERT INTO catalog.clinics (name, country, city, time_zone, license_authority,"
    "  license_number, license_verified_at, license_expires_at, cpc_accredited, languages,"
    "  interpreter_support, contact_email, contact_phone, contact_website, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz, $9::boolean,"
    "  string_to_array($10::text, E'\\n'), $11::boolean, $12, $13, $14, $15::timestamptz,"
    "  $15::timestamptz)"
    " RETURNING id::text";

constexpr char kUpdateClinic[] = "update_clinic";
constexpr char kUpdateClinicSql[] =
    "UPDATE catalog.clinics SET name = $2, country = $3, city = $4, time_zone = $5,"
    "  license_authority = $6, license_number = $7, license_verified_at = $8::timestamptz,"
    "  license_expires_at = $9::timestamptz, cpc_accredited = $10::boolean,"
    "  languages = string_to_array($11::text, E'\\n'), interpreter_support = $12::boolean,"
    "  contact_email = $13, contact_phone = $14, contact_website = $15,"
    "  updated_at = $16::timestamptz"
    " WHERE id = $1::uuid";

constexpr char kArchiveClinic[] = "archive_clinic";
constexpr char kArchiveClinicSql[] =
    "UPDATE catalog.clinics SET archived_at = $2::timestamptz, updated_at = $2::timestamptz"
    " WHERE id = $1::uuid AND archived_at IS NULL";

constexpr char kInsertProtocol[] = "insert_protocol";
constexpr char kInsertProtocolSql[] =
    "INSERT INTO catalog.protocols (clinic_id, condition, cell_source, cell_type, route,"
    "  cell_count_millions, price_usd_min, price_usd_max, culture_weeks_min, culture_weeks_max,"
    "  trips, trip_days_min, trip_days_max, outcome_measures, side_effects, asrm_risk_class,"
    "  asrm_plan_number, asrm_committee, asrm_checked_at, created_at, updated_at)"
    " VALUES ($1::uuid, $2, $3, $4, $5, $6::integer, $7::bigint, $8::bigint, $9::integer,"
    "  $10::integer, $11::integer, $12::integer, $13::integer, string_to_array($14::text, E'\\n'),"
    "  string_to_array($15::text, E'\\n'), $16, $17, $18, $19::timestamptz, $20::timestamptz,"
    "  $20::timestamptz)"
    " RETURNING id::text";

constexpr char kLockProtocol[] = "lock_protocol";
constexpr char kLockProtocolSql[] = "SELECT " CB_PROTOCOL_COLUMNS
                                    ", p.clinic_id::text"
                                    " FROM catalog.protocols p WHERE p.id = $1::uuid FOR UPDATE";

constexpr char kUpdateProtocol[] = "update_protocol";
constexpr char kUpdateProtocolSql[] =
    "UPDATE catalog.protocols SET condition = $2, cell_source = $3, cell_type = $4, route = $5,"
    "  cell_count_millions = $6::integer, price_usd_min = $7::bigint, price_usd_max = $8::bigint,"
    "  culture_weeks_min = $9::integer, culture_weeks_max = $10::integer, trips = $11::integer,"
    "  trip_days_min = $12::integer, trip_days_max = $13::integer,"
    "  outcome_measures = string_to_array($14::text, E'\\n'),"
    "  side_effects = string_to_array($15::text, E'\\n'), asrm_risk_class = $16,"
    "  asrm_plan_number = $17, asrm_committee = $18, asrm_checked_at = $19::timestamptz,"
    "  updated_at = $20::timestamptz"
    " WHERE id = $1::uuid";

constexpr char kArchiveProtocol[] = "archive_protocol";
constexpr char kArchiveProtocolSql[] =
    "UPDATE catalog.protocols SET archived_at = $2::timestamptz, updated_at = $2::timestamptz"
    " WHERE id = $1::uuid AND archived_at IS NULL";

constexpr char kNilUuid[] = "00000000-0000-0000-0000-000000000000";

// ---- Conversions ----

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// A Timestamp parameter; nullptr (SQL NULL) when unset.
const char* OptionalTimestamp(bool has, const google::protobuf::Timestamp& t, std::string* out) {
  if (!has) return nullptr;
  *out = Timestamp(FromProto(t));
  return out->c_str();
}

void SetMicros(const pqxx::field& field, google::protobuf::Timestamp* out) {
  const long long micros = field.as<long long>();
  out->set_seconds(micros / 1000000 - (micros % 1000000 < 0 ? 1 : 0));
  out->set_nanos(static_cast<int>(((micros % 1000000) + 1000000) % 1000000) * 1000);
}

std::vector<std::string> Lines(const pqxx::field& field) {
  const std::string text = field.as<std::string>("");
  if (text.empty()) return {};
  return absl::StrSplit(text, '\n');
}

template <typename Repeated>
std::string JoinLines(const Repeated& values) {
  return absl::StrJoin(values, "\n");
}

std::string OutcomeMeasureLines(const Protocol& p) {
  std::vector<std::string> names;
  for (int measure : p.outcome_measures()) {
    names.push_back(
        carebridge::v1::OutcomeMeasure_Name(static_cast<carebridge::v1::OutcomeMeasure>(measure)));
  }
  return absl::StrJoin(names, "\n");
}

std::string RiskClassText(const Protocol& p) {
  return p.asrm().risk_class() == carebridge::v1::ASRM_RISK_CLASS_UNSPECIFIED
             ? ""
             : carebridge::v1::AsrmRiskClass_Name(p.asrm().risk_class());
}

// Reads the clinic columns starting at column 0.
ClinicRecord ClinicFromRow(const pqxx::row& row) {
  ClinicRecord record;
  Clinic& c = record.clinic;
  c.set_clinic_id(row[0].as<std::string>());
  c.set_name(row[1].as<std::string>());
  c.set_country(row[2].as<std::string>());
  c.set_city(row[3].as<std::string>());
  c.set_time_zone(row[4].as<std::string>());
  c.mutable_license()->set_authority(row[5].as<std::string>());
  c.mutable_license()->set_number(row[6].as<std::string>());
  SetMicros(row[7], c.mutable_license()->mutable_verified_at());
  SetMicros(row[8], c.mutable_license()->mutable_expires_at());
  c.set_cpc_accredited(row[9].as<bool>());
  for (std::string& tag : Lines(row[10])) c.add_languages(std::move(tag));
  c.set_interpreter_support(row[11].as<bool>());
  c.mutable_contact()->set_email(row[12].as<std::string>());
  c.mutable_contact()->set_phone(row[13].as<std::string>());
  c.mutable_contact()->set_website(row[14].as<std::string>());
  c.set_archived(!row[15].is_null());
  SetMicros(row[16], c.mutable_updated_at());
  record.plan_required = row[17].as<bool>();
  return record;
}

// Reads the protocol columns starting at column `at`.
Protocol ProtocolFromRow(const pqxx::row& row, int at, const std::string& clinic_id) {
  Protocol p;
  p.set_protocol_id(row[at + 0].as<std::string>());
  p.set_clinic_id(clinic_id);
  p.set_condition(row[at + 1].as<std::string>());
  carebridge::v1::CellSource source = carebridge::v1::CELL_SOURCE_UNSPECIFIED;
  carebridge::v1::CellSource_Parse(row[at + 2].as<std::string>(), &source);
  p.set_cell_source(source);
  carebridge::v1::CellType type = carebridge::v1::CELL_TYPE_UNSPECIFIED;
  carebridge::v1::CellType_Parse(row[at + 3].as<std::string>(), &type);
  p.set_cell_type(type);
  carebridge::v1::DeliveryRoute route = carebridge::v1::DELIVERY_ROUTE_UNSPECIFIED;
  carebridge::v1::DeliveryRoute_Parse(row[at + 4].as<std::string>(), &route);
  p.set_route(route);
  p.set_cell_count_millions(row[at + 5].as<int>());
  p.set_price_usd_min(row[at + 6].as<long long>());
  p.set_price_usd_max(row[at + 7].as<long long>());
  p.set_culture_weeks_min(row[at + 8].as<int>());
  p.set_culture_weeks_max(row[at + 9].as<int>());
  p.mutable_trip_plan()->set_trips(row[at + 10].as<int>());
  p.mutable_trip_plan()->set_days_min(row[at + 11].as<int>());
  p.mutable_trip_plan()->set_days_max(row[at + 12].as<int>());
  for (const std::string& name : Lines(row[at + 13])) {
    carebridge::v1::OutcomeMeasure measure = carebridge::v1::OUTCOME_MEASURE_UNSPECIFIED;
    if (carebridge::v1::OutcomeMeasure_Parse(name, &measure)) p.add_outcome_measures(measure);
  }
  for (std::string& effect : Lines(row[at + 14])) p.add_side_effects(std::move(effect));
  carebridge::v1::AsrmRiskClass risk = carebridge::v1::ASRM_RISK_CLASS_UNSPECIFIED;
  carebridge::v1::AsrmRiskClass_Parse(row[at + 15].as<std::string>(), &risk);
  const std::string plan = row[at + 16].as<std::string>();
  const std::string committee = row[at + 17].as<std::string>();
  if (risk != carebridge::v1::ASRM_RISK_CLASS_UNSPECIFIED || !plan.empty() || !committee.empty() ||
      !row[at + 18].is_null()) {
    auto* asrm = p.mutable_asrm();
    asrm->set_risk_class(risk);
    asrm->set_provision_plan_number(plan);
    asrm->set_certified_committee(committee);
    if (!row[at + 18].is_null()) SetMicros(row[at + 18], asrm->mutable_last_checked_at());
  }
  p.set_archived(!row[at + 19].is_null());
  SetMicros(row[at + 20], p.mutable_updated_at());
  return p;
}

// Groups rows of (clinic columns, protocol columns) by clinic, in row order. A NULL protocol id
// (LEFT JOIN) means the clinic has no protocols.
std::vector<ClinicRecord> ClinicsFromRows(const pqxx::result& rows) {
  std::vector<ClinicRecord> out;
  for (const pqxx::row& row : rows) {
    const std::string id = row[0].as<std::string>();
    if (out.empty() || out.back().clinic.clinic_id() != id) out.push_back(ClinicFromRow(row));
    if (!row[kClinicColumns].is_null()) {
      *out.back().clinic.add_protocols() = ProtocolFromRow(row, kClinicColumns, id);
    }
  }
  return out;
}

void RecordEdit(pqxx::work& tx, const EditAudit& audit, const char* action,
                const std::string& target) {
  tx.exec_params(
      "INSERT INTO catalog.audit_log (actor, action, target, details, request_id) "
      "VALUES ($1, $2, $3, $4::jsonb, $5)",
      audit.actor, action, target, audit.details,
      audit.request_id.empty() ? nullptr : audit.request_id.c_str());
}

absl::StatusOr<ClinicRecord> LoadClinic(pqxx::work& tx, const std::string& clinic_id) {
  std::vector<ClinicRecord> found = ClinicsFromRows(tx.exec_prepared(kGetClinic, clinic_id));
  if (found.empty()) return absl::NotFoundError("no clinic has this id");
  return std::move(found.front());
}

void ExecUpdateClinic(pqxx::work& tx, const std::string& id, const Clinic& c, absl::Time now) {
  tx.exec_prepared(kUpdateClinic, id, c.name(), c.country(), c.city(), c.time_zone(),
                   c.license().authority(), c.license().number(),
                   Timestamp(FromProto(c.license().verified_at())),
                   Timestamp(FromProto(c.license().expires_at())), c.cpc_accredited(),
                   JoinLines(c.languages()), c.interpreter_support(), c.contact().email(),
                   c.contact().phone(), c.contact().website(), Timestamp(now));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CatalogStoreStatements() {
  return {{kSearch, kSearchSql},
          {kGetClinic, kGetClinicSql},
          {kListClinics, kListClinicsSql},
          {kListCountries, kListCountriesSql},
          {kCountryCodes, kCountryCodesSql},
          {kLockClinic, kLockClinicSql},
          {kInsertClinic, kInsertClinicSql},
          {kUpdateClinic, kUpdateClinicSql},
          {kArchiveClinic, kArchiveClinicSql},
          {kInsertProtocol, kInsertProtocolSql},
          {kLockProtocol, kLockProtocolSql},
          {kUpdateProtocol, kUpdateProtocolSql},
          {kArchiveProtocol, kArchiveProtocolSql}};
}

absl::StatusOr<std::vector<Clinic>> CatalogStore::SearchClinics(const SearchFilter& f,
                                                                const Keyset& after, int limit,
                                                                absl::Time now) {
  std::vector<Clinic> out;
  absl::Status status = pool_.InTransaction("search_clinics", [&](pqxx::work& tx) {
    out.clear();
    const pqxx::result rows =
        tx.exec_prepared(kSearch, Timestamp(now), f.condition, f.country, f.cell_source, f.route,
                         f.max_price_usd, f.language, f.interpreter, after.after_name,
                         after.at_start() ? kNilUuid : after.after_id, limit);
    for (ClinicRecord& record : ClinicsFromRows(rows)) {
      record.clinic.set_offerable(true);
      for (Protocol& p : *record.clinic.mutable_protocols()) p.set_offerable(true);
      out.push_back(std::move(record.clinic));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<Country>> CatalogStore::ListCountries(const std::string& condition) {
  std::vector<Country> out;
  absl::Status status = pool_.InTransaction("list_countries", [&](pqxx::work& tx) {
    out.clear();
    for (const pqxx::row& row : tx.exec_prepared(kListCountries, condition)) {
      Country& c = out.emplace_back();
      c.set_code(row[0].as<std::string>());
      c.set_name(row[1].as<std::string>());
      c.set_condition(row[2].as<std::string>());
      c.set_cost_usd_min(row[3].as<long long>());
      c.set_cost_usd_max(row[4].as<long long>());
      c.set_cost_usd_max_open_ended(row[5].as<bool>());
      carebridge::v1::RegulatoryLevel level = carebridge::v1::REGULATORY_LEVEL_UNSPECIFIED;
      carebridge::v1::RegulatoryLevel_Parse(row[6].as<std::string>(), &level);
      c.set_regulatory_level(level);
      c.set_regulatory_note(row[7].as<std::string>());
      c.set_regulator(row[8].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::set<std::string>> CatalogStore::CountryCodes() {
  std::set<std::string> out;
  absl::Status status = pool_.InTransaction("country_codes", [&](pqxx::work& tx) {
    out.clear();
    for (const pqxx::row& row : tx.exec_prepared(kCountryCodes)) {
      out.insert(row[0].as<std::string>());
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ClinicRecord> CatalogStore::GetClinic(const std::string& clinic_id) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("get_clinic", [&](pqxx::work& tx) {
    out = LoadClinic(tx, clinic_id);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<ClinicRecord>> CatalogStore::ListClinics(const Keyset& after, int limit,
                                                                    bool include_archived) {
  std::vector<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("list_clinics", [&](pqxx::work& tx) {
    out = ClinicsFromRows(tx.exec_prepared(kListClinics, after.after_name,
                                           after.at_start() ? kNilUuid : after.after_id,
                                           include_archived, limit));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ClinicRecord> CatalogStore::CreateClinic(const Clinic& c, absl::Time now,
                                                        const EditAudit& audit) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("create_clinic", [&](pqxx::work& tx) {
    const pqxx::result row = tx.exec_prepared(
        kInsertClinic, c.name(), c.country(), c.city(), c.time_zone(), c.license().authority(),
        c.license().number(), Timestamp(FromProto(c.license().verified_at())),
        Timestamp(FromProto(c.license().expires_at())), c.cpc_accredited(),
        JoinLines(c.languages()), c.interpreter_support(), c.contact().email(), c.contact().phone(),
        c.contact().website(), Timestamp(now));
    out = LoadClinic(tx, row[0][0].as<std::string>());
    if (out.ok()) RecordEdit(tx, audit, "clinic.created", "clinic:" + row[0][0].as<std::string>());
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ClinicRecord> CatalogStore::UpdateClinic(
    const std::string& clinic_id, absl::Time now, const std::function<absl::Status(Clinic*)>& edit,
    const EditAudit& audit) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("update_clinic", [&](pqxx::work& tx) -> absl::Status {
    if (tx.exec_prepared(kLockClinic, clinic_id).empty()) {
      return absl::NotFoundError("no clinic has this id");
    }
    absl::StatusOr<ClinicRecord> current = LoadClinic(tx, clinic_id);
    if (!current.ok()) return current.status();
    Clinic clinic = current->clinic;
    clinic.clear_protocols();
    if (absl::Status s = edit(&clinic); !s.ok()) return s;
    ExecUpdateClinic(tx, clinic_id, clinic, now);
    RecordEdit(tx, audit, "clinic.updated", "clinic:" + clinic_id);
    out = LoadClinic(tx, clinic_id);
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ClinicRecord> CatalogStore::ArchiveClinic(const std::string& clinic_id,
                                                         absl::Time now, const EditAudit& audit) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("archive_clinic", [&](pqxx::work& tx) {
    tx.exec_prepared(kArchiveClinic, clinic_id, Timestamp(now));
    out = LoadClinic(tx, clinic_id);  // NOT_FOUND rolls the audit row back with the rest
    if (out.ok()) RecordEdit(tx, audit, "clinic.archived", "clinic:" + clinic_id);
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

namespace {

// The 20 parameters of kInsertProtocol / kUpdateProtocol ($1 is the clinic id or protocol id).
pqxx::result ExecProtocol(pqxx::work& tx, const char* statement, const std::string& id,
                          const Protocol& p, absl::Time now) {
  std::string checked_at;
  return tx.exec_prepared(
      statement, id, p.condition(), carebridge::v1::CellSource_Name(p.cell_source()),
      carebridge::v1::CellType_Name(p.cell_type()), carebridge::v1::DeliveryRoute_Name(p.route()),
      p.cell_count_millions(), p.price_usd_min(), p.price_usd_max(), p.culture_weeks_min(),
      p.culture_weeks_max(), p.trip_plan().trips(), p.trip_plan().days_min(),
      p.trip_plan().days_max(), OutcomeMeasureLines(p), JoinLines(p.side_effects()),
      RiskClassText(p), p.asrm().provision_plan_number(), p.asrm().certified_committee(),
      OptionalTimestamp(p.asrm().has_last_checked_at(), p.asrm().last_checked_at(), &checked_at),
      Timestamp(now));
}

}  // namespace

absl::StatusOr<ClinicRecord> CatalogStore::CreateProtocol(const Protocol& p, absl::Time now,
                                                          std::string* protocol_id,
                                                          const EditAudit& audit) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("create_protocol", [&](pqxx::work& tx) -> absl::Status {
    // Locks the clinic so that it cannot change under the new protocol.
    if (tx.exec_prepared(kLockClinic, p.clinic_id()).empty()) {
      return InvalidFields({{"clinic_id", "no clinic has this id"}});
    }
    const pqxx::result row = ExecProtocol(tx, kInsertProtocol, p.clinic_id(), p, now);
    *protocol_id = row[0][0].as<std::string>();
    RecordEdit(tx, audit, "protocol.created", "protocol:" + *protocol_id);
    out = LoadClinic(tx, p.clinic_id());
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ClinicRecord> CatalogStore::UpdateProtocol(
    const std::string& protocol_id, absl::Time now,
    const std::function<absl::Status(Protocol*)>& edit, const EditAudit& audit) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status = pool_.InTransaction("update_protocol", [&](pqxx::work& tx) -> absl::Status {
    const pqxx::result rows = tx.exec_prepared(kLockProtocol, protocol_id);
    if (rows.empty()) return absl::NotFoundError("no protocol has this id");
    const std::string clinic_id = rows[0][21].as<std::string>();
    Protocol protocol = ProtocolFromRow(rows[0], 0, clinic_id);
    if (absl::Status s = edit(&protocol); !s.ok()) return s;
    ExecProtocol(tx, kUpdateProtocol, protocol_id, protocol, now);
    RecordEdit(tx, audit, "protocol.updated", "protocol:" + protocol_id);
    out = LoadClinic(tx, clinic_id);
    return out.status();
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ClinicRecord> CatalogStore::ArchiveProtocol(const std::string& protocol_id,
                                                           absl::Time now, const EditAudit& audit) {
  absl::StatusOr<ClinicRecord> out;
  absl::Status status =
      pool_.InTransaction("archive_protocol", [&](pqxx::work& tx) -> absl::Status {
        const pqxx::result rows = tx.exec_prepared(kLockProtocol, protocol_id);
        if (rows.empty()) return absl::NotFoundError("no protocol has this id");
        tx.exec_prepared(kArchiveProtocol, protocol_id, Timestamp(now));
        RecordEdit(tx, audit, "protocol.archived", "protocol:" + protocol_id);
        out = LoadClinic(tx, rows[0][21].as<std::string>());
        return out.status();
      });
  if (!status.ok()) return status;
  return out;
}

}  // namespace carebridge::catalog
