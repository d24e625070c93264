#include "services/common/pg_pool.h"

#include <type_traits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/errors.h"
#include "services/common/logging.h"

namespace carebridge {
namespace {

std::string WithConnectTimeout(const std::string& uri, int seconds) {
  if (absl::StrContains(uri, "connect_timeout")) return uri;
  const char separator = absl::StrContains(uri, "?") ? '&' : '?';
  return absl::StrCat(uri, std::string(1, separator), "connect_timeout=", seconds);
}

// SQLSTATE classes that mean "the server went away", as opposed to a bad statement.
bool IsConnectionState(const std::string& state) {
  return absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") ||
         state == "53300";  // too_many_connections
}

bool IsRetryableState(const std::string& state) {
  return state == "40001" || state == "40P01";  // serialization_failure, deadlock_detected
}

}  // namespace

PgPool::PgPool(PgPoolConfig config)
    : config_(std::move(config)),
      connection_string_(WithConnectTimeout(config_.uri, config_.connect_timeout_seconds)) {}

absl::Status PgPool::Acquire(std::unique_ptr<pqxx::connection>* out) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    const bool ready = released_.wait_for(lock, config_.acquire_timeout,
                                          [&] { return !idle_.empty() || open_ < config_.size; });
    if (!ready) {
      LogWarning("db_pool_exhausted", {{"size", config_.size}});
      return Unavailable("the database");
    }
    if (!idle_.empty()) {
      *out = std::move(idle_.back());
      idle_.pop_back();
      return absl::OkStatus();
    }
    ++open_;  // reserve a slot, connect outside the lock
  }
  try {
    auto connection = std::make_unique<pqxx::connection>(connection_string_);
    for (const auto& [name, sql] : config_.prepared) connection->prepare(name, sql);
    *out = std::move(connection);
    return absl::OkStatus();
  } catch (const std::exception&) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    released_.notify_one();
    LogWarning("db_connect_failed");
    return Unavailable("the database");
  }
}

void PgPool::Release(std::unique_ptr<pqxx::connection> connection, bool healthy) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (healthy && connection && connection->is_open()) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  released_.notify_one();
}

void PgPool::DropIdle() {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    dropped.swap(idle_);
    open_ -= static_cast<int>(dropped.size());
  }
  released_.notify_all();
}

template <typename Tx>
absl::Status PgPool::TryOnce(std::string_view operation,
                             const std::function<absl::Status(Tx&)>& body, bool* retryable) {
  // Without a transaction, a statement may already have committed when the connection drops; the
  // bodies InAutocommit runs are safe to run twice (its contract), so they are retried as well.
  constexpr bool kTransactional = std::is_same_v<Tx, pqxx::work>;
  *retryable = false;
  std::unique_ptr<pqxx::connection> connection;
  if (absl::Status s = Acquire(&connection); !s.ok()) return s;
  bool committing = false;
  try {
    absl::Status status;
    {
      // The transaction must be over (committed, or rolled back when the body refused) before the
      // connection goes back to the pool: another thread may take it at once, and a libpq
      // connection used by two threads at a time fails or hangs.
      Tx tx(*connection);
      status = body(tx);
      if (status.ok()) {
        committing = true;
        tx.commit();
      } else {
        tx.abort();
      }
    }
    Release(std::move(connection), true);
    return status;
  } catch (const pqxx::in_doubt_error&) {
    Release(std::move(connection), false);
    LogError("db_commit_in_doubt", {{"op", operation}});
    return Unavailable("the database");
  } catch (const pqxx::broken_connection&) {
    Release(std::move(connection), false);
    // The server went away: every idle connection is as dead as this one.
    DropIdle();
    LogWarning("db_connection_lost", {{"op", operation}, {"committing", committing ? 1 : 0}});
    // Before the commit nothing was written, so one more try on a fresh connection is safe.
    *retryable = !kTransactional || !committing;
    return Unavailable("the database");
  } catch (const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    const bool connection_gone = IsConnectionState(state);
    Release(std::move(connection), !connection_gone);
    if (connection_gone) DropIdle();
    LogWarning("db_error", {{"op", operation}, {"sqlstate", state}});
    if (connection_gone) return Unavailable("the database");
    if (IsRetryableState(state)) {
      *retryable = true;
      return absl::AbortedError("the request conflicted with another, please retry");
    }
    // An exclusion constraint (e.g. two bookings of one host overlapping): the caller's answer.
    if (state == "23P01") return absl::AlreadyExistsError("conflicts with an existing record");
    return Internal();
  } catch (const std::exception&) {
    Release(std::move(connection), false);
    LogError("db_unexpected_exception", {{"op", operation}});
    return Internal();
  }
}

template <typename Tx>
absl::Status PgPool::WithRetries(std::string_view operation,
                                 const std::function<absl::Status(Tx&)>& body) {
  absl::Status status;
  for (int attempt = 0; attempt < 3; ++attempt) {
    bool retryable = false;
    status = TryOnce(operation, body, &retryable);
    if (status.ok() || !retryable) return status;
  }
  return status;
}

absl::Status PgPool::InTransaction(std::string_view operation,
                                   const std::function<absl::Status(pqxx::work&)>& body) {
  return WithRetries(operation, body);
}

absl::Status PgPool::InAutocommit(std::string_view operation,
                                  const std::function<absl::Status(pqxx::nontransaction&)>& body) {
  return WithRetries(operation, body);
}

absl::Status PgPool::Ping() {
  return InTransaction("ping", [](pqxx::work& tx) {
    tx.exec("SELECT 1");
    return absl::OkStatus();
  });
}

}  // namespace carebridge
