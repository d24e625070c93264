#include "gateway/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace carebridge::gateway {
namespace {

using ::testing::HasSubstr;

TEST(MetricsTest, CountsByRouteAndStatusWithAHistogram) {
  Metrics metrics({"POST /v1/inquiries", "GET /healthz"});
  metrics.Record("POST /v1/inquiries", 201, 0.02);
  metrics.Record("POST /v1/inquiries", 201, 0.3);
  metrics.Record("POST /v1/inquiries", 400, 0.001);
  metrics.Record("GET /nope", 404, 0.001);
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("carebridge_gateway_requests_total{route=\"POST /v1/inquiries\","
                              "status=\"201\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("carebridge_gateway_requests_total{route=\"POST /v1/inquiries\","
                              "status=\"400\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("carebridge_gateway_requests_total{route=\"unmatched\","
                              "status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("carebridge_gateway_request_duration_seconds_bucket{route=\"POST "
                              "/v1/inquiries\",le=\"0.025\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("carebridge_gateway_request_duration_seconds_bucket{route=\"POST "
                              "/v1/inquiries\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE carebridge_gateway_request_duration_seconds histogram"));
}

TEST(MetricsTest, RecordIsThreadSafe) {
  Metrics metrics({"GET /healthz"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) metrics.Record("GET /healthz", 200, 0.001);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(metrics.Render(),
              HasSubstr("carebridge_gateway_requests_total{route=\"GET /healthz\",status=\"200\"} "
                        "4000\n"));
}

}  // namespace
}  // namespace carebridge::gateway
