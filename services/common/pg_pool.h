// A fixed-size pool of PostgreSQL connections over libpqxx, with reconnect.
//
// Connections are opened lazily and replaced when they break, so the pool survives a database
// restart without restarting the process: while the database is down every call fails fast with
// UNAVAILABLE; once it is back, calls succeed again.
//
// libpqxx throws; this is the one place its exceptions become absl::Status. Error texts from the
// server (which echo user values in DETAIL) are never returned or logged: only the SQLSTATE and the
// caller's operation name are logged. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "absl/status/status.h"

namespace carebridge {

struct PgPoolConfig {
  std::string uri;  // libpq URI, e.g. postgresql://carebridge@127.0.0.1:55432/carebridge
  int size = 8;
  std::chrono::milliseconds acquire_timeout{2000};
  int connect_timeout_seconds = 1;  // added to the URI as connect_timeout unless it sets one
  // Statements prepared on every connection the pool opens: {name, sql}. Run them with
  // tx.exec_prepared(name, ...); they are parsed once per connection instead of once per call.
  std::vector<std::pair<std::string, std::string>> prepared;
};

class PgPool {
 public:
  explicit PgPool(PgPoolConfig config);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Runs `body` in a transaction and commits when it returns OK; a non-OK return rolls back and is
  // returned as is. Serialization failures and deadlocks are retried (up to 3 tries in all).
  // Errors: UNAVAILABLE when the database cannot be reached (or the commit's outcome is unknown),
  // ABORTED after repeated serialization failures, ALREADY_EXISTS when an exclusion constraint
  // refuses a row (SQLSTATE 23P01), INTERNAL for any other database error.
  // `operation` names the call in logs, e.g. "create_inquiry".
  absl::Status InTransaction(std::string_view operation,
                             const std::function<absl::Status(pqxx::work&)>& body);

  // Runs `body` without BEGIN and COMMIT: each statement it executes commits on its own (one round
  // trip instead of three for a single statement; a statement with data-modifying CTEs is still
  // all or nothing). For hot paths whose work is one statement. When the connection is lost the
  // statement's outcome is unknown, and `body` runs again on a fresh connection (as after a
  // database restart, when every pooled connection is stale): it must be safe to run twice -- a
  // read, or a write fenced so that a second run changes nothing. Errors as InTransaction; a
  // non-OK return from `body` rolls nothing back.
  absl::Status InAutocommit(std::string_view operation,
                            const std::function<absl::Status(pqxx::nontransaction&)>& body);

  // OK when a connection can run `SELECT 1`.
  absl::Status Ping();

 private:
  absl::Status Acquire(std::unique_ptr<pqxx::connection>* out);
  void Release(std::unique_ptr<pqxx::connection> connection, bool healthy);
  void DropIdle();
  // Tx is pqxx::work or pqxx::nontransaction (defined and instantiated in pg_pool.cc).
  template <typename Tx>
  absl::Status TryOnce(std::string_view operation, const std::function<absl::Status(Tx&)>& body,
                       bool* retryable);
  template <typename Tx>
  absl::Status WithRetries(std::string_view operation,
                           const std::function<absl::Status(Tx&)>& body);

  const PgPoolConfig config_;
  const std::string connection_string_;
  std::mutex mu_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                                         // GUARDED_BY(mu_): idle + leased
};

}  // namespace carebridge
