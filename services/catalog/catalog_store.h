// The SQL of the catalog: countries, clinics and protocols in the `catalog` schema (migrations/).
//
// Every statement is parameterized and prepared once per connection (CatalogStoreStatements()).
// Reads return protos as stored (offerability not annotated; see offerability.h), except
// SearchClinics, which applies the offerability rule in SQL so that paging stays in the database.
// Database failures come back as UNAVAILABLE / INTERNAL with generic messages (see PgPool).
// Thread-safe (state lives in PostgreSQL).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"
#include "services/catalog/page_token.h"
#include "services/catalog/search_query.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"

namespace carebridge {
// The embedded migrations of the `catalog` schema (generated from migrations/*.sql).
const std::vector<Migration>& CatalogMigrations();
}  // namespace carebridge

namespace carebridge::catalog {

// The prepared statements CatalogStore uses; add them to the PgPoolConfig of its pool.
std::vector<std::pair<std::string, std::string>> CatalogStoreStatements();

// A clinic with all its protocols (archived ones too), as stored.
struct ClinicRecord {
  carebridge::v1::Clinic clinic;
  bool plan_required = false;  // the clinic's country requires an ASRM plan per protocol
};

// Who made an admin edit, for catalog.audit_log.
struct EditAudit {
  std::string actor = "unknown";  // Principal::Actor(), e.g. "user:<id>"
  std::string request_id;
  std::string details = "{}";  // JSON; field names only, never values
};

class CatalogStore {
 public:
  explicit CatalogStore(PgPool& pool) : pool_(pool) {}

  // Offered clinics (see offerability.h) with at least one offered protocol matching `filter`,
  // in (name, id) order after `after`, at most `limit`; each with its offered, matching protocols,
  // cheapest first. `offerable` is set on everything returned.
  absl::StatusOr<std::vector<carebridge::v1::Clinic>> SearchClinics(const SearchFilter& filter,
                                                                    const Keyset& after, int limit,
                                                                    absl::Time now);

  // Countries with a cost range for `condition`, in the comparison table's order.
  absl::StatusOr<std::vector<carebridge::v1::Country>> ListCountries(const std::string& condition);

  // The codes of every country in the catalog.
  absl::StatusOr<std::set<std::string>> CountryCodes();

  // NOT_FOUND when no clinic has this id (`clinic_id` must be a UUID).
  absl::StatusOr<ClinicRecord> GetClinic(const std::string& clinic_id);

  // Clinics in (name, id) order after `after`, at most `limit`, archived ones when asked.
  absl::StatusOr<std::vector<ClinicRecord>> ListClinics(const Keyset& after, int limit,
                                                        bool include_archived);

  // ---- Writes. Each runs in one transaction, records `audit` in catalog.audit_log in that same
  // transaction, and returns the clinic as committed. ----

  // Inserts a validated, normalized clinic (its id is assigned).
  absl::StatusOr<ClinicRecord> CreateClinic(const carebridge::v1::Clinic& clinic, absl::Time now,
                                            const EditAudit& audit = {});

  // Locks the clinic, passes it (without protocols) to `edit`, and stores the result when `edit`
  // returns OK (its error otherwise, with nothing written). NOT_FOUND for an unknown id.
  absl::StatusOr<ClinicRecord> UpdateClinic(
      const std::string& clinic_id, absl::Time now,
      const std::function<absl::Status(carebridge::v1::Clinic*)>& edit,
      const EditAudit& audit = {});

  // Marks the clinic archived (keeps the first archival time). NOT_FOUND for an unknown id.
  absl::StatusOr<ClinicRecord> ArchiveClinic(const std::string& clinic_id, absl::Time now,
                                             const EditAudit& audit = {});

  // Inserts a validated, normalized protocol; `*protocol_id` receives its id. INVALID_ARGUMENT on
  // "clinic_id" when no clinic has that id.
  absl::StatusOr<ClinicRecord> CreateProtocol(const carebridge::v1::Protocol& protocol,
                                              absl::Time now, std::string* protocol_id,
                                              const EditAudit& audit = {});

  // As UpdateClinic, for a protocol. Returns the clinic the protocol belongs to.
  absl::StatusOr<ClinicRecord> UpdateProtocol(
      const std::string& protocol_id, absl::Time now,
      const std::function<absl::Status(carebridge::v1::Protocol*)>& edit,
      const EditAudit& audit = {});

  // As ArchiveClinic, for a protocol. Returns the clinic the protocol belongs to.
  absl::StatusOr<ClinicRecord> ArchiveProtocol(const std::string& protocol_id, absl::Time now,
                                               const EditAudit& audit = {});

 private:
  PgPool& pool_;
};

}  // namespace carebridge::catalog
