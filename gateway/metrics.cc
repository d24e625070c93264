#include "gateway/metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace carebridge::gateway {
namespace {

std::string LabelValue(std::string_view value) {
  return absl::StrReplaceAll(absl::string_view(value.data(), value.size()),
                             {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

}  // namespace

Metrics::Metrics(const std::vector<std::string>& routes) {
  for (const std::string& route : routes) {
    auto metrics = std::make_unique<RouteMetrics>();
    metrics->label = route;
    routes_.push_back(std::move(metrics));
  }
  auto unmatched = std::make_unique<RouteMetrics>();
  unmatched->label = std::string(kUnmatched);
  routes_.push_back(std::move(unmatched));
}

Metrics::RouteMetrics& Metrics::Find(std::string_view route) {
  for (auto& metrics : routes_) {
    if (metrics->label == route) return *metrics;
  }
  return *routes_.back();
}

void Metrics::Record(std::string_view route, int http_status, double seconds) {
  RouteMetrics& metrics = Find(route);
  const int status = std::clamp(http_status, kMinStatus, kMaxStatus);
  metrics.by_status[status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      metrics.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
  metrics.count.fetch_add(1, std::memory_order_relaxed);
  metrics.sum_micros.fetch_add(static_cast<uint64_t>(std::max(0.0, seconds) * 1e6),
                               std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string out =
      "# HELP carebridge_gateway_requests_total HTTP requests by route template and status.\n"
      "# TYPE carebridge_gateway_requests_total counter\n";
  for (const auto& metrics : routes_) {
    for (int status = kMinStatus; status <= kMaxStatus; ++status) {
      const uint64_t n = metrics->by_status[status - kMinStatus].load(std::memory_order_relaxed);
      if (n == 0) continue;
      absl::StrAppend(&out, "carebridge_gateway_requests_total{route=\"",
                      LabelValue(metrics->label), "\",status=\"", status, "\"} ", n, "\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP carebridge_gateway_request_duration_seconds Time from request read to "
                  "response written.\n"
                  "# TYPE carebridge_gateway_request_duration_seconds histogram\n");
  for (const auto& metrics : routes_) {
    const uint64_t count = metrics->count.load(std::memory_order_relaxed);
    if (count == 0) continue;
    const std::string label = LabelValue(metrics->label);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += metrics->buckets[i].load(std::memory_order_relaxed);
      absl::StrAppend(&out, "carebridge_gateway_request_duration_seconds_bucket{route=\"", label,
                      "\",le=\"", kBuckets[i], "\"} ", cumulative, "\n");
    }
    absl::StrAppend(&out, "carebridge_gateway_request_duration_seconds_bucket{route=\"", label,
                    "\",le=\"+Inf\"} ", count, "\n");
    absl::StrAppend(&out, "carebridge_gateway_request_duration_seconds_sum{route=\"", label, "\"} ",
                    metrics->sum_micros.load(std::memory_order_relaxed) / 1e6, "\n");
    absl::StrAppend(&out, "carebridge_gateway_request_duration_seconds_count{route=\"", label,
                    "\"} ", count, "\n");
  }
  return out;
}

}  // namespace carebridge::gateway
