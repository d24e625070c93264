// A private, throwaway Redis server for integration tests.
//
// Start() runs redis-server on a free 127.0.0.1 port with its data in a fresh TempDir():
// appendonly yes, appendfsync everysec, maxmemory-policy noeviction, no RDB snapshots (save ""),
// as production runs it. Its output goes to log_path(); every start-up error carries its tail.
// Stop() and Restart() keep the data (the AOF), so tests can check what survives a restart.
//
// The binary is /usr/bin/redis-server (Debian's redis-server), or $CAREBRIDGE_REDIS_SERVER when
// set. A missing server is an error, never a skipped test.
//
// The server is a child of the thread that called Start(), and is killed if that thread exits
// (see server_process.h). Not thread-safe: drive one instance from one thread.
#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/harness/child_process.h"

namespace carebridge::testing {

class RedisServer {
 public:
  // Starts the server and waits until it answers PING. Errors include the server log's tail.
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start();

  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;
  // Stops the server and removes the temp dir with the data.
  ~RedisServer();

  // "127.0.0.1:<port>", as CAREBRIDGE_REDIS_ADDR takes it.
  std::string address() const;
  int port() const { return port_; }
  std::string dir() const { return dir_; }
  std::string log_path() const { return dir_ + "/redis.log"; }

  // SIGTERM: Redis flushes the AOF and exits; the data is kept. OK when already stopped. INTERNAL
  // if it does not exit cleanly.
  absl::Status Stop();

  // Stops the server if it runs, then starts it again on the same port and data, and waits until
  // it answers PING (after loading the AOF). UNAVAILABLE if it does not come up.
  absl::Status Restart();

 private:
  RedisServer(std::string dir, std::string binary)
      : dir_(std::move(dir)), binary_(std::move(binary)) {}

  // Spawns redis-server on port_ and waits until it answers PING.
  absl::Status Launch();

  const std::string dir_;
  const std::string binary_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace carebridge::testing
