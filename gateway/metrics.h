// Prometheus metrics of the gateway: requests by route template and HTTP status, and a latency
// histogram by route, as text exposition format 0.0.4.
//
// Route labels are fixed at construction (the route table's templates plus the gateway's own
// routes), so recording is a few relaxed atomic increments with no lock and no allocation.
// Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace carebridge::gateway {

class Metrics {
 public:
  // Label used for requests that match no route.
  static constexpr std::string_view kUnmatched = "unmatched";

  // `routes` are labels such as "POST /v1/inquiries"; kUnmatched is added.
  explicit Metrics(const std::vector<std::string>& routes);

  // Counts one request to `route` (unknown labels count as kUnmatched) with its status and latency.
  void Record(std::string_view route, int http_status, double seconds);

  // The exposition text.
  std::string Render() const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10};
  static constexpr int kMinStatus = 100;
  static constexpr int kMaxStatus = 599;

  struct RouteMetrics {
    std::string label;
    std::array<std::atomic<uint64_t>, kMaxStatus - kMinStatus + 1> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size()> buckets{};  // non-cumulative
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_micros{0};
  };

  RouteMetrics& Find(std::string_view route);

  std::vector<std::unique_ptr<RouteMetrics>> routes_;  // fixed after construction
};

}  // namespace carebridge::gateway
