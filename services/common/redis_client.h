// A Redis client over hiredis: binary-safe commands, timeouts, and reconnect.
//
// Commands go through a small pool of blocking connections with connect and command timeouts, so a
// stalled or stopped Redis costs a caller at most the timeout, never a hang. A connection that
// fails is dropped; the next command opens a fresh one. hiredis error codes become absl::Status
// here and nowhere else. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

struct redisContext;

namespace carebridge {

struct RedisConfig {
  std::string host = "127.0.0.1";
  int port = 56379;
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
  int pool_size = 4;
};

// Parses "host:port" into config.host / config.port. INVALID_ARGUMENT on a malformed address.
absl::Status ParseRedisAddress(const std::string& address, RedisConfig* config);

// One reply, converted from hiredis' redisReply.
struct RedisValue {
  enum class Type { kNil, kInteger, kString, kStatus, kArray };
  Type type = Type::kNil;
  long long integer = 0;
  std::string str;  // kString and kStatus
  std::vector<RedisValue> elements;
};

class RedisClient {
 public:
  explicit RedisClient(RedisConfig config);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command given as its arguments (no string formatting, so values are never parsed as
  // commands). Errors: UNAVAILABLE when Redis cannot be reached or times out; FAILED_PRECONDITION
  // when Redis answers with an error reply (its text is in the message, which must then not be
  // shown to clients).
  absl::StatusOr<RedisValue> Command(const std::vector<std::string>& args);

  // As Command, with `timeout` instead of the configured command timeout for this one command
  // (for blocking commands such as XREADGROUP ... BLOCK <ms>, which need longer than they block).
  absl::StatusOr<RedisValue> Command(const std::vector<std::string>& args,
                                     std::chrono::milliseconds timeout);

  // Sends `commands` in one pipeline on one connection and returns one reply each, in order (an
  // error reply is a FAILED_PRECONDITION entry). Errors: UNAVAILABLE when Redis cannot be reached
  // or times out part way (then some commands may have run).
  absl::StatusOr<std::vector<absl::StatusOr<RedisValue>>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

 private:
  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

  absl::StatusOr<ContextPtr> Connect();
  absl::StatusOr<ContextPtr> Take();
  void Return(ContextPtr context);

  const RedisConfig config_;
  std::mutex mu_;
  std::vector<ContextPtr> idle_;  // GUARDED_BY(mu_)
};

}  // namespace carebridge
