// The SQL of hosts, consultation types and calendar feed tokens (scheduling schema, migrations/).
//
// Every statement is parameterized. Hosts come back as the API's Host proto, their rules parsed
// from the JSON columns. Database failures come back as UNAVAILABLE / INTERNAL with generic
// messages (see PgPool). Thread-safe (state lives in PostgreSQL).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "carebridge/v1/scheduling.pb.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"

namespace carebridge {
// The embedded migrations of the `scheduling` schema (generated from migrations/*.sql).
const std::vector<Migration>& SchedulingMigrations();
}  // namespace carebridge

namespace carebridge::scheduling {

class HostStore {
 public:
  explicit HostStore(PgPool& pool) : pool_(pool) {}

  // Active hosts by name; only those taking `type` unless it is empty.
  absl::StatusOr<std::vector<carebridge::v1::Host>> ListHosts(const std::string& type);

  // One host (active or not). NOT_FOUND for an unknown id.
  absl::StatusOr<carebridge::v1::Host> GetHost(const std::string& host_id);

  // Every consultation type, by code.
  absl::StatusOr<std::vector<carebridge::v1::ConsultationType>> ListTypes();

  // Creates the host (a new id when host_id is empty) or replaces an existing one's fields.
  absl::StatusOr<carebridge::v1::Host> UpsertHost(const carebridge::v1::Host& host);

  // Stores the hash of a new feed token (revoking the old). NOT_FOUND for an unknown host.
  absl::Status SetCalendarTokenHash(const std::string& host_id, const std::string& token_hash);

  // The host whose feed token hashes to `token_hash`, when it is `host_id`'s; nullopt otherwise.
  absl::StatusOr<std::optional<carebridge::v1::Host>> HostByCalendarToken(
      const std::string& host_id, const std::string& token_hash);

 private:
  PgPool& pool_;
};

}  // namespace carebridge::scheduling
