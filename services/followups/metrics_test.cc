// MetricsServer over a real socket: GET /metrics answers the rendered text as Prometheus expects
// it; other paths and methods, and requests the server itself refuses, get the right status.
#include "services/followups/metrics.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/harness/http_client.h"

namespace carebridge::followups {
namespace {

using carebridge::testing::HttpRequest;

class MetricsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = MetricsServer::Start("127.0.0.1:0", [this] {
      ++scrapes_;
      return std::string("carebridge_followups_up 1\n");
    });
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  std::string Url(const std::string& target) const {
    return absl::StrCat("http://127.0.0.1:", server_->port(), target);
  }

  std::atomic<int> scrapes_{0};
  std::unique_ptr<MetricsServer> server_;
};

TEST_F(MetricsServerTest, GetMetricsAnswersTheRenderedText) {
  const auto response = HttpRequest("GET", Url("/metrics"));
  EXPECT_EQ(response.status, 200) << response.error;
  EXPECT_EQ(response.body, "carebridge_followups_up 1\n");
  EXPECT_EQ(response.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(HttpRequest("GET", Url("/metrics?name[]=x")).status, 200);
  EXPECT_EQ(scrapes_.load(), 2);
}

TEST_F(MetricsServerTest, OtherPathsAndMethodsAreRefused) {
  EXPECT_EQ(HttpRequest("GET", Url("/")).status, 404);
  EXPECT_EQ(HttpRequest("GET", Url("/metricsx")).status, 404);
  const auto post = HttpRequest("POST", Url("/metrics"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.headers.at("allow"), "GET, HEAD");
  EXPECT_EQ(scrapes_.load(), 0);
}

TEST_F(MetricsServerTest, RequestsTheServerRefusesAreNamedByTheirStatus) {
  const auto oversized = HttpRequest("GET", Url("/metrics"), "",
                                     {absl::StrCat("X-Padding: ", std::string(20000, 'a'))});
  EXPECT_EQ(oversized.status, 431) << oversized.error;
  EXPECT_EQ(oversized.body, "Request Header Fields Too Large\n");
  const auto with_body = HttpRequest("POST", Url("/metrics"), "a scrape has no body");
  EXPECT_EQ(with_body.status, 413) << with_body.error;
  EXPECT_EQ(with_body.body, "Payload Too Large\n");
  EXPECT_EQ(scrapes_.load(), 0);
}

TEST_F(MetricsServerTest, ABadAddressIsRefused) {
  EXPECT_EQ(MetricsServer::Start("localhost", [] { return std::string(); }).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carebridge::followups
