#include "services/catalog/read_cache.h"

namespace carebridge::catalog {

std::shared_ptr<const google::protobuf::Message> ReadCache::GetMessage(const std::string& key,
                                                                       int64_t generation,
                                                                       absl::Time now) {
  if (max_entries_ == 0) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  if (it->second.generation != generation || now >= it->second.valid_until) {
    recency_.erase(it->second.recency);
    entries_.erase(it);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.value;
}

void ReadCache::Put(const std::string& key, int64_t generation, absl::Time valid_until,
                    std::shared_ptr<const google::protobuf::Message> value) {
  if (max_entries_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    recency_.erase(it->second.recency);
    entries_.erase(it);
  }
  while (entries_.size() >= max_entries_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
  recency_.push_front(key);
  entries_.emplace(key, Entry{generation, valid_until, std::move(value), recency_.begin()});
}

void ReadCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
  recency_.clear();
}

size_t ReadCache::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace carebridge::catalog
