#include "services/common/migrations.h"

#include <map>
#include <string>

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/absl_compat.h"
#include "services/common/logging.h"

namespace carebridge {
namespace {

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

absl::Status ApplyMigrations(PgPool& pool, std::string_view schema,
                             const std::vector<Migration>& migrations) {
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version <= migrations[i - 1].version) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration versions of ", ToAbsl(schema), " must increase"));
    }
  }
  int applied = 0;
  absl::Status status = pool.InTransaction("migrate", [&](pqxx::work& tx) -> absl::Status {
    // Identifiers cannot be bound as parameters; the schema name comes from code, and is quoted.
    const std::string quoted = tx.quote_name(std::string(schema));
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                   absl::StrCat("carebridge.migrations.", ToAbsl(schema)));
    tx.exec(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", quoted));
    tx.exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", quoted,
                         ".schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
                         "checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"));
    std::map<int, std::string> recorded;
    for (const auto& row :
         tx.exec(absl::StrCat("SELECT version, checksum FROM ", quoted, ".schema_migrations"))) {
      recorded[row[0].as<int>()] = row[1].as<std::string>();
    }
    for (const Migration& m : migrations) {
      const std::string checksum = Sha256Hex(m.sql);
      auto it = recorded.find(m.version);
      if (it != recorded.end()) {
        if (it->second != checksum) {
          return absl::FailedPreconditionError(absl::StrCat("migration ", ToAbsl(m.name), " of ",
                                                            ToAbsl(schema),
                                                            " was changed after it was applied"));
        }
        continue;
      }
      tx.exec(absl::StrCat("SET LOCAL search_path TO ", quoted, ", public"));
      tx.exec(std::string(m.sql));
      tx.exec_params(
          absl::StrCat("INSERT INTO ", quoted,
                       ".schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"),
          m.version, std::string(m.name), checksum);
      ++applied;
    }
    return absl::OkStatus();
  });
  if (status.ok()) {
    LogInfo("migrations_applied", {{"schema", schema}, {"applied", applied}});
  }
  return status;
}

}  // namespace carebridge
