// The cache generation: one number shared by every catalog replica through Redis, bumped after each
// committed admin edit. Read caches tag entries with the generation they were read under and serve
// them only while it is still current (read_cache.h), so one bump retires every replica's cache.
//
// How a replica learns the current generation: an edit bumps the Redis key and publishes the new
// value on a channel in one step (a Lua script). Each replica subscribes (redis_subscriber.h) and
// a message marks its copy stale; the next read re-reads the key. The key is also re-read when the
// copy is older than `max_age`, so a lost message delays an edit by at most `max_age`; with
// `max_age` 0 (the default) every read re-reads the key (one Redis round trip), and an edit is
// seen by the next read on every replica, message or not.
//
// When Redis cannot be reached, Current() fails and callers bypass their cache (reads go to
// PostgreSQL). A bump that fails is remembered and retried before the next generation read and on
// each subscriber tick. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/redis_client.h"

namespace carebridge::catalog {

// Where the generation lives; faked in unit tests.
class GenerationBackend {
 public:
  virtual ~GenerationBackend() = default;
  // The current generation (0 before the first bump). UNAVAILABLE when unreachable.
  virtual absl::StatusOr<int64_t> Read() = 0;
  // Increments the generation, announces it to every replica and returns the new value.
  virtual absl::StatusOr<int64_t> Bump() = 0;
};

// The generation in a Redis key, announced on a pub/sub channel.
class RedisGenerationBackend final : public GenerationBackend {
 public:
  RedisGenerationBackend(RedisClient& redis, std::string key, std::string channel)
      : redis_(redis), key_(std::move(key)), channel_(std::move(channel)) {}

  absl::StatusOr<int64_t> Read() override;
  absl::StatusOr<int64_t> Bump() override;

 private:
  RedisClient& redis_;
  const std::string key_;
  const std::string channel_;
};

class CacheGeneration {
 public:
  CacheGeneration(GenerationBackend& backend, absl::Duration max_age,
                  std::function<absl::Time()> clock)
      : backend_(backend), max_age_(max_age), clock_(std::move(clock)) {}

  // The generation to check and tag cache entries with. UNAVAILABLE when it cannot be known (the
  // caller must then not use its cache).
  absl::StatusOr<int64_t> Current();

  // Call after an edit has committed. On failure the bump is retried later (see above) and
  // UNAVAILABLE is returned; the edit itself stands.
  absl::Status Bump();

  // The generation may have changed (a message arrived, or the subscription was lost or renewed so
  // messages may have been missed): the next Current() re-reads it.
  void Invalidate();

  // Retries a failed bump, if any. Called periodically by the subscriber.
  void RetryPendingBump();

 private:
  GenerationBackend& backend_;
  const absl::Duration max_age_;
  const std::function<absl::Time()> clock_;

  std::mutex mu_;
  bool bump_pending_ = false;    // GUARDED_BY(mu_)
  uint64_t epoch_ = 0;           // GUARDED_BY(mu_): incremented by every Invalidate()
  uint64_t next_ticket_ = 0;     // GUARDED_BY(mu_): orders concurrent re-reads
  uint64_t applied_ticket_ = 0;  // GUARDED_BY(mu_): the re-read `known_` came from
  bool have_known_ = false;      // GUARDED_BY(mu_)
  int64_t known_ = 0;            // GUARDED_BY(mu_)
  uint64_t known_epoch_ = 0;     // GUARDED_BY(mu_)
  absl::Time fetched_at_;        // GUARDED_BY(mu_)
};

}  // namespace carebridge::catalog
