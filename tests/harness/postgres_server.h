// A private, throwaway PostgreSQL 15 cluster for integration tests.
//
// Start() runs initdb in a fresh TempDir() (superuser `postgres`, trust authentication, UTF-8,
// locale C.UTF-8), then starts `postgres` listening on 127.0.0.1 only, on a free port, with its
// unix socket in the temp dir and fsync=off, and creates the database `carebridge`. When the test
// runs as root the cluster runs as `nobody` (PostgreSQL refuses root). The server's output goes to
// log_path(); every start-up error carries its tail.
//
// Binaries come from /usr/lib/postgresql/15/bin (Debian's postgresql-15), or from
// $CAREBRIDGE_PG_BIN_DIR when set. A missing server is an error, never a skipped test.
//
// The server is a child of the thread that called Start(), and is sent SIGQUIT if that thread
// exits (see server_process.h). Not thread-safe: drive one instance from one thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/harness/child_process.h"
#include "tests/harness/server_process.h"

namespace carebridge::testing {

class PostgresServer {
 public:
  // Initializes and starts a cluster. Errors name the failing step (missing binaries, initdb,
  // start-up, CREATE DATABASE) and include the server log's tail. Takes about a second.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  // Stops the server (immediate shutdown) and removes the temp dir with the data.
  ~PostgresServer();

  // "postgresql://postgres@127.0.0.1:<port>/carebridge"
  std::string uri() const;
  int port() const { return port_; }
  std::string data_dir() const { return dir_ + "/data"; }
  std::string log_path() const { return dir_ + "/postgres.log"; }

  // Fast shutdown (what `pg_ctl stop -m fast` does: SIGINT, sessions are disconnected); the data
  // is kept. OK when already stopped. INTERNAL if the server does not exit cleanly.
  absl::Status Stop();

  // Stops the server if it runs, then starts it again on the same port and waits until it accepts
  // connections to `carebridge`. UNAVAILABLE if it does not come up (e.g. the port was taken).
  absl::Status Restart();

 private:
  PostgresServer(std::string dir, std::string bin_dir, std::optional<internal::RunAs> run_as)
      : dir_(std::move(dir)), bin_dir_(std::move(bin_dir)), run_as_(run_as) {}

  absl::Status InitDb();
  absl::Status WriteConfig() const;
  // Spawns `postgres` on port_ and waits until it accepts connections to `database`.
  absl::Status Launch(const std::string& database);
  absl::Status CreateDatabase() const;
  std::string UriFor(const std::string& database) const;

  const std::string dir_;
  const std::string bin_dir_;
  const std::optional<internal::RunAs> run_as_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace carebridge::testing
