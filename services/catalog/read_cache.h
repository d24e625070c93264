// The in-process cache of the read path: replies of public reads, keyed by the normalized request.
//
// Each entry is tagged with the cache generation current when its data was read (see
// cache_generation.h) and a validity deadline; an entry is served only while its tag equals the
// current generation and the deadline has not passed. So an admin edit anywhere (which bumps the
// generation) retires every entry at once, and time-dependent results (a licence expiring) retire
// on their own. The least recently used entry is evicted when the cache is full.
//
// Values are immutable and shared: a hit hands out the stored pointer. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <google/protobuf/message.h>

#include "absl/time/time.h"

namespace carebridge::catalog {

class ReadCache {
 public:
  // `max_entries` 0 disables the cache (every Get misses, Put does nothing).
  explicit ReadCache(size_t max_entries) : max_entries_(max_entries) {}
  ReadCache(const ReadCache&) = delete;
  ReadCache& operator=(const ReadCache&) = delete;

  // The value stored under `key` if its tag is `generation` and `now` is before its deadline;
  // nullptr otherwise (a stale entry is dropped). T must be the type that was Put.
  template <typename T>
  std::shared_ptr<const T> Get(const std::string& key, int64_t generation, absl::Time now) {
    return std::static_pointer_cast<const T>(GetMessage(key, generation, now));
  }

  // Stores `value` under `key`, tagged with `generation`, valid until `valid_until`.
  void Put(const std::string& key, int64_t generation, absl::Time valid_until,
           std::shared_ptr<const google::protobuf::Message> value);

  // Drops every entry.
  void Clear();

  size_t size();
  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    int64_t generation;
    absl::Time valid_until;
    std::shared_ptr<const google::protobuf::Message> value;
    std::list<std::string>::iterator recency;  // position in recency_
  };

  std::shared_ptr<const google::protobuf::Message> GetMessage(const std::string& key,
                                                              int64_t generation, absl::Time now);

  const size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // GUARDED_BY(mu_)
  std::list<std::string> recency_;                  // GUARDED_BY(mu_): most recent first
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
};

}  // namespace carebridge::catalog
