#include "services/catalog/cache_generation.h"

#include "absl/strings/numbers.h"
#include "services/common/logging.h"

namespace carebridge::catalog {
namespace {

// INCR and PUBLISH in one atomic step, so no replica can see the new value without the message
// having been sent.
constexpr char kBumpScript[] =
    "local g = redis.call('INCR', KEYS[1]) redis.call('PUBLISH', ARGV[1], g) return g";

}  // namespace

absl::StatusOr<int64_t> RedisGenerationBackend::Read() {
  absl::StatusOr<RedisValue> reply = redis_.Command({"GET", key_});
  if (!reply.ok()) return absl::UnavailableError("Redis is unavailable");
  if (reply->type == RedisValue::Type::kNil) return 0;
  int64_t value = 0;
  if (reply->type != RedisValue::Type::kString || !absl::SimpleAtoi(reply->str, &value)) {
    LogError("cache_generation_malformed");
    return absl::UnavailableError("the cache generation is malformed");
  }
  return value;
}

absl::StatusOr<int64_t> RedisGenerationBackend::Bump() {
  absl::StatusOr<RedisValue> reply = redis_.Command({"EVAL", kBumpScript, "1", key_, channel_});
  if (!reply.ok() || reply->type != RedisValue::Type::kInteger) {
    return absl::UnavailableError("Redis is unavailable");
  }
  return static_cast<int64_t>(reply->integer);
}

absl::StatusOr<int64_t> CacheGeneration::Current() {
  RetryPendingBump();
  const absl::Time now = clock_();
  uint64_t epoch = 0;
  uint64_t ticket = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (bump_pending_) return absl::UnavailableError("the cache generation is not known");
    if (have_known_ && known_epoch_ == epoch_ && now - fetched_at_ < max_age_) return known_;
    epoch = epoch_;
    ticket = ++next_ticket_;
  }
  absl::StatusOr<int64_t> value = backend_.Read();
  if (!value.ok()) return value.status();
  std::lock_guard<std::mutex> lock(mu_);
  // A re-read that started before an invalidation, or before a re-read already applied, may be
  // older than what is known: it answers this call but is not kept.
  if (epoch == epoch_ && ticket > applied_ticket_) {
    applied_ticket_ = ticket;
    known_ = *value;
    known_epoch_ = epoch;
    fetched_at_ = now;
    have_known_ = true;
  }
  return value;
}

absl::Status CacheGeneration::Bump() {
  absl::StatusOr<int64_t> bumped = backend_.Bump();
  std::lock_guard<std::mutex> lock(mu_);
  ++epoch_;
  if (!bumped.ok()) {
    if (!bump_pending_) LogWarning("cache_generation_bump_failed");
    bump_pending_ = true;
    return bumped.status();
  }
  return absl::OkStatus();
}

void CacheGeneration::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  ++epoch_;
}

void CacheGeneration::RetryPendingBump() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!bump_pending_) return;
  }
  absl::StatusOr<int64_t> bumped = backend_.Bump();
  if (!bumped.ok()) return;
  std::lock_guard<std::mutex> lock(mu_);
  bump_pending_ = false;
  ++epoch_;
  LogInfo("cache_generation_bump_recovered");
}

}  // namespace carebridge::catalog
