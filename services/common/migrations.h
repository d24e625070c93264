// Versioned SQL migrations, one set per service schema.
//
// Each service embeds its migrations (NNNN_name.sql files, see cmake/carebridge.cmake) and applies
// them at start-up or with `--migrate-only`. Pending migrations are applied in version order, in
// one transaction, under an advisory lock, so several replicas starting together apply each exactly
// once. Applied versions are recorded with a checksum in <schema>.schema_migrations; a migration
// edited after it was applied is refused rather than silently skipped.
#pragma once

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/common/pg_pool.h"

namespace carebridge {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Creates `schema` if missing and applies the migrations not yet recorded there.
// Errors: FAILED_PRECONDITION when a recorded migration's checksum differs or versions repeat;
// otherwise as PgPool::InTransaction.
absl::Status ApplyMigrations(PgPool& pool, std::string_view schema,
                             const std::vector<Migration>& migrations);

}  // namespace carebridge
